import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { ARUBA_ROOTS, parseAruba } from './aruba.ts';

const vb = (oid: string, value: string | number, type = typeof value === 'number' ? 'Integer' : 'OctetString') =>
  ({ oid, type, value }) as VarBind;

const W = '1.3.6.1.4.1.14823.2.2.1.5';
const UP = '0.11.134.129.78.168'; // 00:0b:86:81:4e:a8
const DOWN = '0.36.108.200.1.230'; // 00:24:6c:c8:01:e6
const BSSID_A = '108.243.127.199.208.48';
const BSSID_B = '108.243.127.199.208.49';

const walk: VarBind[] = [
  vb(`${W}.2.1.4.1.2.${UP}`, '10.20.101.254', 'IpAddress'),
  vb(`${W}.2.1.4.1.3.${UP}`, 'lobby-ap'),
  vb(`${W}.2.1.4.1.4.${UP}`, 'campus'),
  vb(`${W}.2.1.4.1.5.${UP}`, '1.3.6.1.4.1.14823.1.2.50', 'ObjectIdentifier'),
  vb(`${W}.2.1.4.1.6.${UP}`, 'BN0015340'),
  vb(`${W}.2.1.4.1.12.${UP}`, 144048500, 'TimeTicks'),
  vb(`${W}.2.1.4.1.13.${UP}`, '225'),
  vb(`${W}.2.1.4.1.14.${UP}`, 'Not Available'),
  vb(`${W}.2.1.4.1.19.${UP}`, 1),
  vb(`${W}.2.1.4.1.32.${UP}`, 'Building 1'),
  vb(`${W}.2.1.4.1.3.${DOWN}`, 'AP-93'),
  vb(`${W}.2.1.4.1.14.${DOWN}`, 'Not Available'),
  vb(`${W}.2.1.4.1.19.${DOWN}`, 2),
  // Radio 1: 5 GHz, power as half-dBm; radio 2: 2.4 GHz with the ArubaOS 8 ×10 column.
  vb(`${W}.2.1.5.1.2.${UP}.1`, 1),
  vb(`${W}.2.1.5.1.3.${UP}.1`, 36),
  vb(`${W}.2.1.5.1.4.${UP}.1`, 45),
  vb(`${W}.2.1.5.1.6.${UP}.1`, 9),
  vb(`${W}.2.1.5.1.7.${UP}.1`, 2),
  vb(`${W}.2.1.5.1.2.${UP}.2`, 3),
  vb(`${W}.2.1.5.1.3.${UP}.2`, 11),
  vb(`${W}.2.1.5.1.4.${UP}.2`, 36),
  vb(`${W}.2.1.5.1.17.${UP}.2`, 175),
  vb(`${W}.2.1.5.1.7.${UP}.2`, 1),
  vb(`${W}.3.1.6.1.9.${UP}.1`, 95),
  vb(`${W}.3.1.6.1.37.${UP}.1`, 12),
  vb(`${W}.2.1.7.1.2.${UP}.1.${BSSID_A}`, 'corp'),
  vb(`${W}.2.1.7.1.12.${UP}.1.${BSSID_A}`, 2, 'Gauge32'),
  vb(`${W}.2.1.7.1.2.${UP}.2.${BSSID_B}`, 'corp'),
  vb(`${W}.2.1.7.1.12.${UP}.2.${BSSID_B}`, 1, 'Gauge32'),
  vb(`${W}.2.1.8.1.2.4.99.111.114.112`, 7, 'Gauge32'), // wlanESSIDNumStations."corp"
];

test('parseAruba: APs by Ethernet MAC, radios with power in dBm, clients from the BSSID table', () => {
  const s = parseAruba(walk)!;
  const [up, down] = s.aps;
  assert.equal(up.id, '00:0b:86:81:4e:a8');
  assert.equal(up.idSource, 'ethernetMac');
  assert.equal(up.name, 'lobby-ap');
  assert.equal(up.model, '225');
  assert.equal(up.location, 'Building 1');
  assert.equal(up.group, 'campus');
  assert.equal(up.ip, '10.20.101.254');
  assert.deepEqual([up.state, up.stateRaw, up.joinedUptimeS, up.uptimeS], ['up', 'up', 1440485, undefined]);
  assert.equal(up.clients, 3);
  assert.deepEqual(up.ssidClients, { corp: 3 });
  assert.deepEqual(up.radios, [
    {
      slot: 1,
      band: '5GHz',
      channel: 36,
      txPowerDbm: 22.5,
      channelUtilPct: 12,
      noiseDbm: -95,
      clients: 2,
      operState: 'up',
    },
    { slot: 2, band: '2.4GHz', channel: 11, txPowerDbm: 17.5, clients: 1, operState: 'up' },
  ]);
  assert.equal(down.id, '00:24:6c:c8:01:e6');
  assert.deepEqual([down.state, down.location, down.clients, down.radios.length], ['down', undefined, 0, 0]);
  assert.deepEqual(
    [s.controller.apsTotal, s.controller.apsUp, s.controller.apsDown, s.controller.clients],
    [2, 1, 1, 3],
  );
  assert.deepEqual(s.controller.clientsBySsid, { corp: 3 }, 'from the APs, not the ESSID table');
  assert.deepEqual(s.controller.clientsByApGroup, { campus: 3 });
});

test('parseAruba: without BSSID rows, radio counts and the ESSID table stand in', () => {
  const s = parseAruba(walk.filter((v) => !v.oid.startsWith(`${W}.2.1.7.1.`)))!;
  assert.equal(s.aps[0].clients, 3);
  assert.deepEqual(s.aps[0].ssidClients, {});
  assert.deepEqual(s.controller.clientsBySsid, { corp: 7 });
});

test('parseAruba: no AP table is undefined; the roots are WLSX-WLAN-MIB columns', () => {
  assert.equal(parseAruba([vb(`${W}.2.1.5.1.3.${UP}.1`, 36)]), undefined);
  assert.ok(ARUBA_ROOTS.every((r) => r.startsWith(`${W}.`)));
});
