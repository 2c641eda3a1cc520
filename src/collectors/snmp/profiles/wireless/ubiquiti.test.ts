import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { channelFromMhz, parseAirMax, parseUnifi } from './ubiquiti.ts';

const vb = (oid: string, value: string | number, type = typeof value === 'number' ? 'Integer' : 'OctetString') =>
  ({ oid, type, value }) as VarBind;
const U = '1.3.6.1.4.1.41112.1.6';
const A = '1.3.6.1.4.1.41112.1.4';

test('parseUnifi: one AP, radios joined to their VAPs by radio name, id from eth0', () => {
  const s = parseUnifi([
    vb(`${U}.1.1.1.3.1`, 'ng'),
    vb(`${U}.1.1.1.6.1`, 41),
    vb(`${U}.1.1.1.3.2`, 'na'),
    vb(`${U}.1.1.1.6.2`, 7),
    vb(`${U}.1.2.1.4.1`, 6),
    vb(`${U}.1.2.1.6.1`, 'home'),
    vb(`${U}.1.2.1.8.1`, 3),
    vb(`${U}.1.2.1.9.1`, 'ng'),
    vb(`${U}.1.2.1.21.1`, 20),
    vb(`${U}.1.2.1.22.1`, 1),
    vb(`${U}.1.2.1.4.2`, 44),
    vb(`${U}.1.2.1.6.2`, 'home'),
    vb(`${U}.1.2.1.8.2`, 5),
    vb(`${U}.1.2.1.9.2`, 'na'),
    vb(`${U}.1.2.1.22.2`, 2),
    vb(`${U}.1.2.1.4.3`, 44),
    vb(`${U}.1.2.1.6.3`, 'guest'),
    vb(`${U}.1.2.1.8.3`, 1),
    vb(`${U}.1.2.1.9.3`, 'na'),
    vb(`${U}.2.1.1.4.1`, '0x000000000000'),
    vb(`${U}.2.1.1.5.1`, 'lo'),
    vb(`${U}.2.1.1.4.2`, '0x788a20112233'),
    vb(`${U}.2.1.1.5.2`, 'eth0'),
    vb(`${U}.3.1.0`, '192.168.1.20', 'IpAddress'),
    vb(`${U}.3.3.0`, 'U7PG2'),
    vb(`${U}.3.5.0`, 86400, 'Counter32'),
    vb('1.3.6.1.2.1.1.5.0', 'office-ap'),
  ])!;
  const [ap] = s.aps;
  assert.deepEqual(
    [ap.id, ap.idSource, ap.name, ap.model, ap.ip, ap.uptimeS],
    ['78:8a:20:11:22:33', 'ethernetMac', 'office-ap', 'U7PG2', '192.168.1.20', 86400],
  );
  assert.equal(ap.clients, 9);
  assert.deepEqual(ap.ssidClients, { guest: 1, home: 8 });
  assert.deepEqual(ap.radios, [
    { slot: 1, band: '2.4GHz', channel: 6, txPowerDbm: 20, channelUtilPct: 41, clients: 3, operState: 'up' },
    { slot: 2, band: '5GHz', channel: 44, channelUtilPct: 7, clients: 6, operState: 'down' },
  ]);
  assert.equal(s.controller.vendor, 'ubiquiti');
  assert.equal(parseUnifi([]), undefined);
});

test('parseAirMax: an AP-mode radio is an AP; a station (CPE) is not', () => {
  const ap = [
    vb(`${A}.1.1.2.1`, 2),
    vb(`${A}.1.1.4.1`, 5180),
    vb(`${A}.1.1.6.1`, 23),
    vb(`${A}.5.1.2.1`, 'ptmp-north'),
    vb(`${A}.5.1.4.1`, '0x24a43c010203'),
    vb(`${A}.5.1.8.1`, -94),
    vb(`${A}.5.1.15.1`, 11, 'Gauge32'),
    vb('1.3.6.1.2.1.1.5.0', 'tower-1'),
  ];
  const s = parseAirMax(ap)!;
  assert.deepEqual(
    [s.aps[0].id, s.aps[0].idSource, s.aps[0].name, s.aps[0].clients],
    ['24:a4:3c:01:02:03', 'baseRadioMac', 'tower-1', 11],
  );
  assert.deepEqual(s.aps[0].radios, [
    {
      slot: 1,
      band: '5GHz',
      channel: 36,
      txPowerDbm: 23,
      noiseDbm: -94,
      clients: 11,
      operState: 'up',
      mac: '24:a4:3c:01:02:03',
    },
  ]);
  assert.deepEqual(s.aps[0].ssidClients, { 'ptmp-north': 11 });
  const cpe = ap.map((v) => (v.oid === `${A}.1.1.2.1` ? { ...v, value: 1 } : v));
  assert.equal(parseAirMax(cpe), undefined);
});

test('channelFromMhz', () => {
  assert.deepEqual([2412, 2437, 2484, 5180, 5825, 5955, 6415, 900].map(channelFromMhz), [
    1,
    6,
    14,
    36,
    165,
    1,
    93,
    undefined,
  ]);
});
