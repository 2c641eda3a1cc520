import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { parseRuckus, RUCKUS_ROOTS } from './ruckus.ts';

const vb = (oid: string, value: string | number, type = typeof value === 'number' ? 'Integer' : 'OctetString') =>
  ({ oid, type, value }) as VarBind;
const ZD = '1.3.6.1.4.1.25053.1.2.2.1.1';
const SZ = '1.3.6.1.4.1.25053.1.4.2.1.1';
const M1 = '44.197.211.1.2.3'; // 2c:c5:d3:01:02:03
const M2 = '6.44.197.211.1.2.4'; // length-prefixed form of 2c:c5:d3:01:02:04

test('parseRuckus: ZoneDirector APs, radios, WLAN counts and rogues', () => {
  const s = parseRuckus([
    vb(`${ZD}.2.1.1.2.${M1}`, 'hall'),
    vb(`${ZD}.2.1.1.3.${M1}`, 1),
    vb(`${ZD}.2.1.1.4.${M1}`, 'zf7982'),
    vb(`${ZD}.2.1.1.5.${M1}`, '241203000123'),
    vb(`${ZD}.2.1.1.6.${M1}`, 360000, 'TimeTicks'),
    vb(`${ZD}.2.1.1.10.${M1}`, '10.0.0.5', 'IpAddress'),
    vb(`${ZD}.2.1.1.15.${M1}`, 4, 'Gauge32'),
    vb(`${ZD}.2.1.1.2.${M2}`, 'attic'),
    vb(`${ZD}.2.1.1.3.${M2}`, 2),
    vb(`${ZD}.2.2.1.3.${M1}.0`, 2),
    vb(`${ZD}.2.2.1.4.${M1}.0`, 6, 'Gauge32'),
    vb(`${ZD}.2.2.1.5.${M1}.0`, 1),
    vb(`${ZD}.2.2.1.8.${M1}.0`, 3, 'Gauge32'),
    vb(`${ZD}.2.2.1.40.${M1}.0`, 35, 'Gauge32'),
    vb(`${ZD}.2.2.1.3.${M1}.1`, 4),
    vb(`${ZD}.2.2.1.4.${M1}.1`, 100, 'Gauge32'),
    vb(`${ZD}.1.1.1.1.5`, 'staff'),
    vb(`${ZD}.1.1.1.12.5`, 4, 'Gauge32'),
    vb(`${ZD}.4.1.1.1.1`, '0x0011223344ff'),
    vb(`${ZD}.4.1.1.2.1`, 'free-wifi'),
    vb(`${ZD}.4.1.1.11.1`, -60),
  ])!;
  assert.deepEqual(s.controller.sourceMibs, ['RUCKUS-ZD-WLAN-MIB']);
  const [a, b] = s.aps;
  assert.deepEqual(
    [a.id, a.idSource, a.name, a.model, a.serial, a.ip, a.uptimeS, a.clients],
    ['2c:c5:d3:01:02:03', 'ethernetMac', 'hall', 'zf7982', '241203000123', '10.0.0.5', 3600, 4],
  );
  assert.deepEqual([a.state, a.stateRaw], ['up', 'connected']);
  assert.deepEqual(a.radios, [
    { slot: 0, band: '2.4GHz', channel: 6, txPowerLevel: 1, channelUtilPct: 35, clients: 3, operState: 'up' },
    { slot: 1, band: '5GHz', channel: 100, operState: 'up' },
  ]);
  assert.deepEqual([b.id, b.state, b.stateRaw], ['2c:c5:d3:01:02:04', 'pending', 'approvalPending']);
  assert.deepEqual(s.controller.clientsBySsid, { staff: 4 });
  assert.deepEqual(s.controller.rogueAps, {
    count: 1,
    list: [{ bssid: '00:11:22:33:44:ff', ssid: 'free-wifi', rssiDbm: -60 }],
    listCap: 50,
  });
});

test('parseRuckus: SmartZone APs with group, location and text states', () => {
  const s = parseRuckus([
    vb(`${SZ}.2.2.1.2.${M1}`, 'Floor-3'),
    vb(`${SZ}.2.2.1.5.${M1}`, 'r750-3f'),
    vb(`${SZ}.2.2.1.15.${M1}`, 12, 'Gauge32'),
    vb(`${SZ}.2.2.1.16.${M1}`, 'Connect'),
    vb(`${SZ}.2.2.1.17.${M1}`, 'Approved'),
    vb(`${SZ}.2.2.1.19.${M1}`, 'north wing'),
    vb(`${SZ}.2.2.1.5.${M2}`, 'r750-4f'),
    vb(`${SZ}.2.2.1.16.${M2}`, 'Disconnect'),
    vb(`${SZ}.1.2.1.1.7`, 'guest'),
    vb(`${SZ}.1.2.1.12.7`, 12, 'Gauge32'),
  ])!;
  assert.deepEqual(s.controller.sourceMibs, ['RUCKUS-SZ-WLAN-MIB']);
  assert.deepEqual(
    s.aps.map((a) => [a.name, a.state, a.stateRaw, a.group, a.location, a.clients]),
    [
      ['r750-3f', 'up', 'Connect, Approved', 'Floor-3', 'north wing', 12],
      ['r750-4f', 'down', 'Disconnect', undefined, undefined, 0],
    ],
  );
  assert.deepEqual(s.controller.clientsByApGroup, { 'Floor-3': 12 });
  assert.deepEqual(s.controller.clientsBySsid, { guest: 12 });
});

test('parseRuckus: nothing is undefined; roots cover both MIB families', () => {
  assert.equal(parseRuckus([]), undefined);
  assert.ok(RUCKUS_ROOTS.some((r) => r.startsWith(ZD)) && RUCKUS_ROOTS.some((r) => r.startsWith(SZ)));
});
