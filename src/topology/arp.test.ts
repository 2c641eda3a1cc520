import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../model/records.ts';
import { formatIPv6, normalizeIp, parseArp, parseIpNetToMedia, parseIpNetToPhysical, parseIPv6 } from './arp.ts';

const int = (oid: string, value: number): VarBind => ({ oid, type: 'Integer', value });
const str = (oid: string, value: string): VarBind => ({ oid, type: 'OctetString', value });
const MEDIA = '1.3.6.1.2.1.4.22.1';
const PHYS = '1.3.6.1.2.1.4.35.1';
const V6 = '32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1'; // 2001:db8::1
const LL = '254.128.0.0.0.0.0.0.2.17.34.255.254.51.68.85'; // fe80::211:22ff:fe33:4455

test('formatIPv6: RFC 5952 compression, lowercase, IPv4-mapped', () => {
  const b = (s: string) => s.split('.').map(Number);
  assert.equal(formatIPv6(b(V6)), '2001:db8::1');
  assert.equal(formatIPv6(b(LL)), 'fe80::211:22ff:fe33:4455');
  assert.equal(formatIPv6(new Array(16).fill(0)), '::');
  assert.equal(formatIPv6([...new Array(15).fill(0), 1]), '::1');
  // 2001:db8:0:1:0:0:0:1 → the longer run is compressed; a single zero group is not
  assert.equal(formatIPv6(b('32.1.13.184.0.0.0.1.0.0.0.0.0.0.0.1')), '2001:db8:0:1::1');
  // equal runs: the first one
  assert.equal(formatIPv6(b('32.1.0.0.0.0.0.1.0.1.0.0.0.0.0.1')), '2001::1:1:0:0:1');
  assert.equal(formatIPv6(b('0.0.0.0.0.0.0.0.0.0.255.255.192.0.2.1')), '::ffff:192.0.2.1');
  assert.equal(formatIPv6(b('32.1.13.184.0.1.0.2.0.3.0.4.0.5.0.6')), '2001:db8:1:2:3:4:5:6');
  assert.throws(() => formatIPv6([1, 2, 3]), RangeError);
});

test('parseIPv6 / normalizeIp: round trip and validation', () => {
  for (const [inText, out] of [
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::c000:201'],
    ['fe80::1%5', 'fe80::1%5'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])
    assert.equal(normalizeIp(inText)?.ip, out, inText);
  assert.deepEqual(normalizeIp(' 10.0.0.1 '), { ip: '10.0.0.1', family: 4 });
  for (const bad of ['10.0.0.256', '1:2:3:4:5:6:7:8:9', '1::2::3', '::g', 'fe80::1%', 'host', '', '1:2:3:4:5:6:7::8:9'])
    assert.equal(normalizeIp(bad), undefined, bad);
  assert.equal(parseIPv6('1:2:3:4:5:6:7'), undefined);
});

test('ipNetToMediaTable: IPv4 from the index, hex and printable physAddress, types, invalid and empty left out', () => {
  const vbs = [
    str(`${MEDIA}.2.3.10.0.0.1`, '0x001122334455'),
    int(`${MEDIA}.4.3.10.0.0.1`, 3),
    str(`${MEDIA}.2.3.10.0.0.2`, 'ABCDE'), // printable, trailing 0x00 dropped by the collector
    int(`${MEDIA}.4.3.10.0.0.2`, 4),
    str(`${MEDIA}.2.3.10.0.0.3`, '0x001122334466'),
    int(`${MEDIA}.4.3.10.0.0.3`, 2), // invalid
    str(`${MEDIA}.2.3.10.0.0.4`, ''), // incomplete
    int(`${MEDIA}.4.3.10.0.0.4`, 3),
    str(`${MEDIA}.2.3.10.0.0.5`, '0x000000000000'), // incomplete
    str(`${MEDIA}.2.4.10.0.0.6`, '0xaabbccddeeff'), // no type column → other
    int(`${MEDIA}.4.4.10.0.0.7`, 3), // no physAddress column → nothing to find
  ];
  assert.deepEqual(parseIpNetToMedia(vbs), [
    { ip: '10.0.0.1', mac: '00:11:22:33:44:55', ifIndex: 3, type: 'dynamic', family: 4, source: 'ipNetToMedia' },
    { ip: '10.0.0.2', mac: '41:42:43:44:45:00', ifIndex: 3, type: 'static', family: 4, source: 'ipNetToMedia' },
    { ip: '10.0.0.6', mac: 'aa:bb:cc:dd:ee:ff', ifIndex: 4, type: 'other', family: 4, source: 'ipNetToMedia' },
  ]);
});

test('ipNetToPhysicalTable: IPv4, IPv6, zoned, index without the length, states and types', () => {
  const vbs = [
    str(`${PHYS}.4.2.1.4.192.168.0.1`, '0x188b9d7a5323'),
    int(`${PHYS}.6.2.1.4.192.168.0.1`, 3),
    int(`${PHYS}.7.2.1.4.192.168.0.1`, 1),
    str(`${PHYS}.4.5.2.16.${V6}`, '0x000fe26a1e44'),
    int(`${PHYS}.6.5.2.16.${V6}`, 5), // local
    int(`${PHYS}.7.5.2.16.${V6}`, 2),
    str(`${PHYS}.4.5.4.20.${LL}.0.0.0.5`, '0x001122334455'), // ipv6z, zone 5
    int(`${PHYS}.6.5.4.20.${LL}.0.0.0.5`, 3),
    str(`${PHYS}.4.6.1.10.0.0.9`, '0x001122334499'), // no length sub-id (non-conforming agent)
    str(`${PHYS}.4.6.1.4.10.0.0.10`, '0x0011223344aa'),
    int(`${PHYS}.7.6.1.4.10.0.0.10`, 5), // state invalid
    str(`${PHYS}.4.6.1.4.10.0.0.11`, '0x0011223344bb'),
    int(`${PHYS}.6.6.1.4.10.0.0.11`, 2), // type invalid
    str(`${PHYS}.4.6.16.4.1.2.3.4`, '0x0011223344cc'), // dns address type: not an IP
    str(`${PHYS}.4.6.1.5.10.0.0.12.1`, '0x0011223344dd'), // length does not fit the type
    str(`${PHYS}.4.6.3.8.10.0.0.13.0.0.1.0`, '0x0011223344ee'), // ipv4z, zone 256
    int(`${PHYS}.7.6.3.8.10.0.0.13.0.0.1.0`, 7), // incomplete, but it has a MAC: kept
  ];
  assert.deepEqual(parseIpNetToPhysical(vbs), [
    {
      ip: '192.168.0.1',
      mac: '18:8b:9d:7a:53:23',
      ifIndex: 2,
      type: 'dynamic',
      family: 4,
      state: 'reachable',
      source: 'ipNetToPhysical',
    },
    {
      ip: '2001:db8::1',
      mac: '00:0f:e2:6a:1e:44',
      ifIndex: 5,
      type: 'local',
      family: 6,
      state: 'stale',
      source: 'ipNetToPhysical',
    },
    {
      ip: 'fe80::211:22ff:fe33:4455%5',
      mac: '00:11:22:33:44:55',
      ifIndex: 5,
      type: 'dynamic',
      family: 6,
      source: 'ipNetToPhysical',
    },
    { ip: '10.0.0.9', mac: '00:11:22:33:44:99', ifIndex: 6, type: 'other', family: 4, source: 'ipNetToPhysical' },
    {
      ip: '10.0.0.13%256',
      mac: '00:11:22:33:44:ee',
      ifIndex: 6,
      type: 'other',
      family: 4,
      state: 'incomplete',
      source: 'ipNetToPhysical',
    },
  ]);
});

test('parseArp: ipNetToPhysical wins over ipNetToMedia for the same (ifIndex, IP); the rest of both is kept', () => {
  const vbs = [
    str(`${MEDIA}.2.2.192.168.0.1`, '0x111111111111'),
    int(`${MEDIA}.4.2.192.168.0.1`, 4),
    str(`${MEDIA}.2.3.192.168.0.1`, '0x222222222222'), // same IP, other interface: a different entry
    str(`${PHYS}.4.2.1.4.192.168.0.1`, '0x188b9d7a5323'),
    int(`${PHYS}.6.2.1.4.192.168.0.1`, 3),
  ];
  assert.deepEqual(
    parseArp(vbs).map((e) => [e.ifIndex, e.ip, e.mac, e.type, e.source]),
    [
      [2, '192.168.0.1', '18:8b:9d:7a:53:23', 'dynamic', 'ipNetToPhysical'],
      [3, '192.168.0.1', '22:22:22:22:22:22', 'other', 'ipNetToMedia'],
    ],
  );
  assert.deepEqual(parseArp([]), []);
});
