import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { CISCO_FALLBACK_ROOTS, CISCO_ROOTS, ciscoMoreRoots, parseCisco } from './cisco.ts';

const vb = (oid: string, value: string | number, type = typeof value === 'number' ? 'Integer' : 'OctetString') =>
  ({ oid, type, value }) as VarBind;
const arcs = (mac: string) =>
  mac
    .split(':')
    .map((h) => parseInt(h, 16))
    .join('.');

const LW = '1.3.6.1.4.1.9.9.513.1';
const BSN = '1.3.6.1.4.1.14179.2';
const AP1 = '00:3a:98:b0:2e:70';
const A1 = arcs(AP1);
const AP2 = '28:34:a2:dd:c2:c0';
const A2 = arcs(AP2);

/** A controller answering both MIBs, with values that differ between them where LWAPP must win. */
const both: VarBind[] = [
  vb(`${LW}.1.1.1.2.${A1}`, '0xc84c750ba3a4'),
  vb(`${LW}.1.1.1.5.${A1}`, 'ap-lwapp-name'),
  vb(`${LW}.1.1.1.6.${A1}`, 1028087300, 'TimeTicks'),
  vb(`${LW}.1.1.1.7.${A1}`, 309856000, 'TimeTicks'),
  vb(`${LW}.1.1.1.38.${A1}`, 1),
  vb(`${LW}.1.1.1.49.${A1}`, 'floor 2'),
  vb(`${LW}.1.1.1.54.${A1}`, 5, 'Gauge32'),
  vb(`${LW}.2.1.1.2.${A1}.0`, 1),
  vb(`${LW}.2.1.1.2.${A1}.1`, 4), // XOR: LWAPP cannot tell the band
  vb(`${LW}.2.1.1.14.${A1}.0`, 1),
  vb(`${LW}.2.1.1.14.${A1}.1`, 2),
  vb(`${LW}.9.1.1.6.${A1}.1.1`, 3, 'Gauge32'),
  vb(`${LW}.9.1.1.6.${A1}.2.1`, 1, 'Gauge32'),
  vb(`${LW}.9.1.1.6.${A1}.2.9`, 1, 'Gauge32'),
  vb('1.3.6.1.4.1.9.9.512.1.1.1.1.4.1', 'corp'),
  vb(`${BSN}.1.1.1.2.1`, 'corp-old-name'),
  vb(`${BSN}.1.1.1.38.1`, 6, 'Counter32'),
  vb(`${BSN}.2.1.1.3.${A1}`, 'ap-bsn-name'),
  vb(`${BSN}.2.1.1.4.${A1}`, 'bsn location'),
  vb(`${BSN}.2.1.1.6.${A1}`, 1),
  vb(`${BSN}.2.1.1.16.${A1}`, 'AIR-CAP3702I-E-K9'),
  vb(`${BSN}.2.1.1.17.${A1}`, 'FCW1424U0HZ'),
  vb(`${BSN}.2.1.1.19.${A1}`, '10.10.2.12', 'IpAddress'),
  vb(`${BSN}.2.1.1.30.${A1}`, 'lobby'),
  vb(`${BSN}.2.2.1.2.${A1}.0`, 1),
  vb(`${BSN}.2.2.1.2.${A1}.1`, 6), // dot11-6ghz
  vb(`${BSN}.2.2.1.4.${A1}.0`, 6),
  vb(`${BSN}.2.2.1.4.${A1}.1`, 37),
  vb(`${BSN}.2.2.1.6.${A1}.0`, 3),
  vb(`${BSN}.2.2.1.12.${A1}.0`, 2),
  vb(`${BSN}.2.2.1.12.${A1}.1`, 1),
  vb(`${BSN}.2.2.1.15.${A1}.0`, 4, 'Counter32'),
  vb(`${BSN}.2.2.1.15.${A1}.1`, 0, 'Counter32'),
  vb(`${BSN}.2.8.1.2.${A1}.0`, 17),
  vb(`${BSN}.2.8.1.4.${A1}.0`, 11),
  vb(`${BSN}.2.13.1.3.${A1}.0`, 27),
  vb(`${BSN}.2.14.1.22.${A1}.0.1`, 40),
  vb(`${BSN}.2.14.1.22.${A1}.0.6`, 7),
  vb(`${BSN}.2.15.1.21.${A1}.0.1`, -70),
  vb(`${BSN}.2.15.1.21.${A1}.0.6`, -87),
  // A second AP known to AIRESPACE only, downloading an image.
  vb(`${BSN}.2.1.1.3.${A2}`, 'ap-two'),
  vb(`${BSN}.2.1.1.6.${A2}`, 3),
  // Rogues, one without an RSSI.
  vb(`${BSN}.1.7.1.10.0.12.67.209.17.242`, -73),
  vb(`${BSN}.1.7.1.11.0.12.67.209.17.242`, 'guest'),
  vb(`${BSN}.1.7.1.25.0.12.67.209.17.242`, 3),
  vb(`${BSN}.1.7.1.26.0.12.67.209.17.242`, 2),
  vb(`${BSN}.1.7.1.10.0.12.67.209.17.243`, -40),
  vb(`${BSN}.1.7.1.11.0.12.67.209.17.244`, 'no-rssi'),
];

test('parseCisco: APs keyed by base radio MAC, LWAPP values first, AIRESPACE for what LWAPP lacks', () => {
  const s = parseCisco(both)!;
  assert.deepEqual(
    s.aps.map((a) => a.id),
    [AP1, AP2],
  );
  const [a, b] = s.aps;
  assert.equal(a.idSource, 'baseRadioMac');
  assert.equal(a.ethernetMac, 'c8:4c:75:0b:a3:a4');
  assert.equal(a.name, 'ap-lwapp-name');
  assert.equal(a.location, 'floor 2');
  assert.equal(a.model, 'AIR-CAP3702I-E-K9');
  assert.equal(a.serial, 'FCW1424U0HZ');
  assert.equal(a.ip, '10.10.2.12');
  assert.equal(a.group, 'lobby');
  assert.equal(a.state, 'up');
  assert.equal(a.stateRaw, 'associated');
  assert.equal(a.uptimeS, 10280873);
  assert.equal(a.joinedUptimeS, 3098560);
  assert.equal(a.clients, 5, 'cLApAssociatedClientCount wins over the radio users (4)');
  assert.deepEqual(a.ssidClients, { corp: 4, 'wlan 9': 1 }, 'summed over bands, cLWlanSsid over bsnDot11EssSsid');
  assert.deepEqual(a.radios, [
    {
      slot: 0,
      band: '2.4GHz',
      channel: 6,
      txPowerDbm: 11,
      txPowerLevel: 3,
      channelUtilPct: 27,
      noiseDbm: -87,
      interferencePct: 7,
      clients: 4,
      operState: 'up',
      adminUp: true,
    },
    { slot: 1, band: '6GHz', channel: 37, clients: 0, operState: 'down', adminUp: false },
  ]);
  assert.equal(b.name, 'ap-two');
  assert.equal(b.state, 'downloading');
  assert.equal(b.clients, 0);
  assert.deepEqual(b.radios, []);

  const c = s.controller;
  assert.deepEqual(c.sourceMibs, ['CISCO-LWAPP-AP-MIB', 'CISCO-LWAPP-WLAN-MIB', 'AIRESPACE-WIRELESS-MIB']);
  assert.deepEqual([c.apsTotal, c.apsUp, c.apsDown, c.clients], [2, 1, 1, 5]);
  assert.deepEqual(c.clientsBySsid, { corp: 4, 'wlan 9': 1 });
  assert.deepEqual(c.clientsByApGroup, { lobby: 5 });
  assert.equal(c.rogueAps?.count, 3);
  assert.deepEqual(c.rogueAps?.list, [
    { bssid: '00:0c:43:d1:11:f3', rssiDbm: -40 },
    { bssid: '00:0c:43:d1:11:f2', ssid: 'guest', channel: 2, rssiDbm: -73, classification: 'unclassified' },
    { bssid: '00:0c:43:d1:11:f4', ssid: 'no-rssi' },
  ]);
  assert.deepEqual(ciscoMoreRoots(both), [], 'cLApWlanStatsTable answered: no station walk');
});

test('parseCisco: an administratively disabled AP is disabled, whatever its association', () => {
  const s = parseCisco([vb(`${LW}.1.1.1.5.${A1}`, 'x'), vb(`${LW}.1.1.1.38.${A1}`, 2), vb(`${BSN}.2.1.1.6.${A1}`, 1)])!;
  assert.equal(s.aps[0].state, 'disabled');
  assert.equal(s.aps[0].stateRaw, 'associated, admin disabled');
  const lwOnly = parseCisco([vb(`${LW}.1.1.1.5.${A1}`, 'x')])!;
  assert.deepEqual([lwOnly.aps[0].state, lwOnly.aps[0].stateRaw], ['up', 'joined']);
});

test('parseCisco: AIRESPACE only, clients from bsnApIfNoOfUsers, SSIDs from the station table', () => {
  const aireos: VarBind[] = [
    vb(`${BSN}.2.1.1.3.${A1}`, 'old-ap'),
    vb(`${BSN}.2.1.1.6.${A1}`, 1),
    vb(`${BSN}.2.2.1.2.${A1}.0`, 1),
    vb(`${BSN}.2.2.1.15.${A1}.0`, 2, 'Counter32'),
    vb(`${BSN}.1.1.1.2.1`, 'corp'),
    vb(`${BSN}.1.1.1.38.1`, 2, 'Counter32'),
  ];
  assert.deepEqual(ciscoMoreRoots(aireos), CISCO_FALLBACK_ROOTS);
  const stations = [
    // Station rows index by client MAC; the AP MAC value may come as hex or, when printable, as text.
    vb(`${BSN}.1.4.1.4.1.2.3.4.5.6`, '0x003a98b02e70'),
    vb(`${BSN}.1.4.1.7.1.2.3.4.5.6`, 'corp'),
    vb(`${BSN}.1.4.1.9.1.2.3.4.5.6`, 3),
    vb(`${BSN}.1.4.1.4.1.2.3.4.5.7`, '0x003a98b02e70'),
    vb(`${BSN}.1.4.1.7.1.2.3.4.5.7`, 'guest'),
    vb(`${BSN}.1.4.1.9.1.2.3.4.5.7`, 5), // disassociated: not counted
    vb(`${BSN}.1.4.1.4.1.2.3.4.5.8`, 'ABCDEF'),
    vb(`${BSN}.1.4.1.9.1.2.3.4.5.8`, 3),
  ];
  const s = parseCisco([...aireos, ...stations])!;
  assert.deepEqual(s.controller.sourceMibs, ['AIRESPACE-WIRELESS-MIB']);
  assert.equal(s.aps.length, 1);
  assert.equal(s.aps[0].clients, 2, 'per-radio users');
  assert.deepEqual(s.aps[0].ssidClients, { corp: 1 });
  assert.equal(s.aps[0].radios[0].band, '2.4GHz');
  // Without the station table the controller's per-WLAN counts stand in.
  assert.deepEqual(parseCisco(aireos)!.controller.clientsBySsid, { corp: 2 });
});

test('parseCisco: nothing wireless is undefined; roots are columns of the two MIBs', () => {
  assert.equal(parseCisco([]), undefined);
  assert.equal(parseCisco([vb('1.3.6.1.2.1.1.5.0', 'switch')]), undefined);
  assert.ok(CISCO_ROOTS.every((r) => r.startsWith('1.3.6.1.4.1.9.9.51') || r.startsWith(`${BSN}.`)));
  assert.equal(new Set(CISCO_ROOTS).size, CISCO_ROOTS.length);
});
