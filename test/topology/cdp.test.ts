// parseCdp on hand-built varbinds: addresses by type, capabilities in both encodings, MAC device IDs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCdpCapabilities, parseCdp } from '../../src/topology/cdp.ts';
import type { VarBind } from '../../src/model/records.ts';

const E = '1.3.6.1.4.1.9.9.23.1.2.1.1';
const s = (col: number, index: string, value: string | number): VarBind => ({
  oid: `${E}.${col}.${index}`,
  type: typeof value === 'number' ? 'Integer' : 'OctetString',
  value,
});

test('cdpCacheTable rows decode', () => {
  const vbs = [
    s(3, '10149.2', 1),
    s(4, '10149.2', '0x0a0164b5'),
    s(5, '10149.2', 'Cisco IOS Software'),
    s(6, '10149.2', 'sw2(SSI1234)'),
    s(7, '10149.2', 'GigabitEthernet0/2'),
    s(8, '10149.2', 'cisco WS-C3560-24PS'),
    s(9, '10149.2', '0x00000229'),
    s(11, '10149.2', 12),
    s(3, '17.1', 20),
    s(4, '17.1', '0x20010db8000000000000000000000001'),
    s(6, '17.1', '0xe839351aca99'),
    s(7, '17.1', '0xe839351aca99'),
    s(3, '8.1', 65535),
    s(4, '8.1', ''),
    s(6, '8.1', 'host'),
  ];
  const [a, b, c] = parseCdp(vbs);
  assert.deepEqual(a, { ifIndex: 8, deviceIndex: 1, deviceId: 'host', addressType: 65535, capabilities: [] });
  assert.equal(b.ifIndex, 17);
  assert.equal(b.address, '2001:db8::1');
  assert.equal(b.deviceId, 'e8:39:35:1a:ca:99');
  assert.equal(b.devicePort, 'e8:39:35:1a:ca:99');
  assert.deepEqual(c, {
    ifIndex: 10149,
    deviceIndex: 2,
    deviceId: 'sw2(SSI1234)',
    address: '10.1.100.181',
    addressType: 1,
    devicePort: 'GigabitEthernet0/2',
    platform: 'cisco WS-C3560-24PS',
    version: 'Cisco IOS Software',
    capabilities: ['router', 'switch', 'igmp', 'cvta'],
    nativeVlan: 12,
  });
});

test('capabilities: four-byte mask, hex digits as text (ProCurve), empty', () => {
  assert.deepEqual(decodeCdpCapabilities('0x00000028'), ['switch', 'igmp']);
  assert.deepEqual(decodeCdpCapabilities('9'), ['router', 'switch']);
  assert.deepEqual(decodeCdpCapabilities('0'), []);
  assert.deepEqual(decodeCdpCapabilities(''), []);
});
