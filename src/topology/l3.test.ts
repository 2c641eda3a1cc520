import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { VarBind } from '../model/records.ts';
import {
  type L3Side,
  matchL3Links,
  OSPF_NBR_STATES,
  parseBgpPeers,
  parseIpv4Addresses,
  parseOspfNeighbours,
} from './l3.ts';

const int = (oid: string, value: number): VarBind => ({ oid, type: 'Integer', value });
const ip = (oid: string, value: string): VarBind => ({ oid, type: 'IpAddress', value });
const NBR = '1.3.6.1.2.1.14.10.1';
const PEER = '1.3.6.1.2.1.15.3.1';
const ADDR = '1.3.6.1.2.1.4.20.1';
const ADDRESS = '1.3.6.1.2.1.4.34.1';

/** ospfNbrTable columns 1–6 for one neighbour. */
const nbr = (addr: string, rid: string, state: number, lessIndex = 0): VarBind[] => [
  ip(`${NBR}.1.${addr}.${lessIndex}`, addr),
  int(`${NBR}.2.${addr}.${lessIndex}`, lessIndex),
  ip(`${NBR}.3.${addr}.${lessIndex}`, rid),
  int(`${NBR}.4.${addr}.${lessIndex}`, 2),
  int(`${NBR}.5.${addr}.${lessIndex}`, 1),
  int(`${NBR}.6.${addr}.${lessIndex}`, state),
];

test('parseOspfNeighbours: columns, state names, router ids, the index when a column is missing', () => {
  const data = parseOspfNeighbours([
    ip('1.3.6.1.2.1.14.1.1.0', '172.28.124.6'),
    ...nbr('172.16.98.93', '172.28.124.7', 8),
    ...nbr('10.0.0.9', '0.0.0.0', 4),
    // Raw bytes as hex (an agent sending IpAddress as an octet string), no ospfNbrIpAddr column: from the index.
    { oid: `${NBR}.3.10.0.0.1.0`, type: 'OctetString', value: '0x0a000063' },
    int(`${NBR}.6.10.0.0.1.0`, 3),
  ]);
  assert.equal(data.routerId, '172.28.124.6');
  assert.deepEqual(data.neighbours, [
    { ipAddr: '10.0.0.1', addressLessIndex: 0, routerId: '10.0.0.99', state: 'init' },
    { ipAddr: '10.0.0.9', addressLessIndex: 0, options: 2, priority: 1, state: 'twoWay' },
    { ipAddr: '172.16.98.93', addressLessIndex: 0, routerId: '172.28.124.7', options: 2, priority: 1, state: 'full' },
  ]);
  for (const [i, name] of OSPF_NBR_STATES.entries())
    assert.equal(parseOspfNeighbours(nbr('10.1.1.1', '1.1.1.1', i + 1)).neighbours[0].state, name);
  assert.equal(parseOspfNeighbours(nbr('10.1.1.1', '1.1.1.1', 9)).neighbours[0].state, 'unknown');
  assert.deepEqual(parseOspfNeighbours([ip('1.3.6.1.2.1.14.1.1.0', '0.0.0.0')]), { neighbours: [] });
});

test('parseBgpPeers: established and idle peers, 0.0.0.0 meaning none, local AS and identifier', () => {
  const row = (addr: string, cols: Record<number, VarBind['value']>) =>
    Object.entries(cols).map(([c, v]) => ({
      oid: `${PEER}.${c}.${addr}`,
      type: typeof v === 'number' ? 'Integer' : 'IpAddress',
      value: v,
    }));
  const data = parseBgpPeers([
    int('1.3.6.1.2.1.15.2.0', 65001),
    ip('1.3.6.1.2.1.15.4.0', '10.255.0.1'),
    ...row('192.0.2.2', { 1: '10.255.0.2', 2: 6, 3: 2, 5: '192.0.2.1', 7: '192.0.2.2', 9: 65002, 16: 86400 }),
    ...row('198.51.100.7', { 1: '0.0.0.0', 2: 1, 3: 1, 5: '0.0.0.0', 7: '198.51.100.7', 9: 23456, 16: 0 }),
  ]);
  assert.deepEqual(data, {
    localAs: 65001,
    identifier: '10.255.0.1',
    peers: [
      {
        remoteAddr: '192.0.2.2',
        identifier: '10.255.0.2',
        state: 'established',
        adminStatus: 'start',
        localAddr: '192.0.2.1',
        remoteAs: 65002,
        establishedTimeS: 86400,
      },
      { remoteAddr: '198.51.100.7', state: 'idle', adminStatus: 'stop', remoteAs: 23456, establishedTimeS: 0 },
    ],
  });
  // What a router without BGP answers (cisco-c3560 recording): local AS 0, identifier 0.0.0.0.
  assert.deepEqual(parseBgpPeers([int('1.3.6.1.2.1.15.2.0', 0), ip('1.3.6.1.2.1.15.4.0', '0.0.0.0')]), { peers: [] });
});

test('parseIpv4Addresses: ipAddrTable with masks, then ipAddressTable for the addresses it lacks', () => {
  const a = (addr: string, ifIndex: number, mask: string) => [
    ip(`${ADDR}.1.${addr}`, addr),
    int(`${ADDR}.2.${addr}`, ifIndex),
    ip(`${ADDR}.3.${addr}`, mask),
  ];
  const prefix = (addr: string, value: string): VarBind => ({
    oid: `${ADDRESS}.5.1.4.${addr}`,
    type: 'ObjectIdentifier',
    value,
  });
  const got = parseIpv4Addresses([
    ...a('172.16.98.92', 2000041, '255.255.255.224'),
    ...a('10.3.41.254', 5000001, '255.255.255.255'),
    ...a('10.9.9.9', 7, '255.0.255.0'), // not contiguous: no prefix length
    ...a('10.8.8.8', 8, '0.0.0.0'),
    int(`${ADDRESS}.3.1.4.172.16.98.92`, 2000041), // already known
    int(`${ADDRESS}.3.1.4.10.48.25.6`, 3),
    int(`${ADDRESS}.4.1.4.10.48.25.6`, 1),
    prefix('10.48.25.6', '1.3.6.1.2.1.4.32.1.5.3.1.4.10.48.25.4.30'),
    int(`${ADDRESS}.3.1.4.10.48.25.7`, 3),
    int(`${ADDRESS}.4.1.4.10.48.25.7`, 3), // broadcast
    int(`${ADDRESS}.3.1.4.10.48.0.199`, 7),
    prefix('10.48.0.199', '0.0'),
    int(`${ADDRESS}.3.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1`, 3), // IPv6
  ]);
  assert.deepEqual(got, [
    { address: '10.3.41.254', ifIndex: 5000001, prefixLength: 32 },
    { address: '10.8.8.8', ifIndex: 8, prefixLength: 0 },
    { address: '10.9.9.9', ifIndex: 7 },
    { address: '10.48.0.199', ifIndex: 7 },
    { address: '10.48.25.6', ifIndex: 3, prefixLength: 30 },
    { address: '172.16.98.92', ifIndex: 2000041, prefixLength: 27 },
  ]);
});

/** A router with interfaces `ifIndex → [name, address/len]`. */
function router(id: string, ifs: Record<number, [string, string]>, over: Partial<L3Side> = {}): L3Side {
  return {
    deviceId: id,
    interfaces: Object.entries(ifs).map(([i, [ifName]]) => ({ ifIndex: Number(i), ifName })),
    addresses: Object.entries(ifs).map(([i, [, cidr]]) => {
      const [address, len] = cidr.split('/');
      return { address, ifIndex: Number(i), prefixLength: Number(len) };
    }),
    ...over,
  };
}
const ospf = (routerId: string, ...neighbours: [string, string, number][]) => ({
  routerId,
  neighbours: neighbours.map(([ipAddr, rid, state]) => ({
    ipAddr,
    addressLessIndex: 0,
    ...(rid ? { routerId: rid } : {}),
    state: OSPF_NBR_STATES[state - 1],
  })),
});

test('OSPF: both ends pair per subnet (parallel adjacencies stay apart); ports from the subnet', () => {
  const r1 = router('r1', {
    1: ['lo0', '10.255.0.1/32'],
    11: ['xe-0/0/0', '10.0.0.1/30'],
    12: ['xe-0/0/1', '10.0.0.5/30'],
  });
  const r2 = router('r2', {
    1: ['Loopback0', '10.255.0.2/32'],
    21: ['Et1', '10.0.0.2/30'],
    22: ['Et2', '10.0.0.6/30'],
  });
  r1.ospf = ospf('10.255.0.1', ['10.0.0.2', '10.255.0.2', 8], ['10.0.0.6', '10.255.0.2', 8]);
  r2.ospf = ospf('10.255.0.2', ['10.0.0.5', '10.255.0.1', 8], ['10.0.0.1', '10.255.0.1', 8]);
  const { links, inactive } = matchL3Links([r1, r2]);
  assert.deepEqual(inactive, []);
  assert.deepEqual(links, [
    {
      a: { deviceId: 'r1', ifIndex: 11, port: 'xe-0/0/0' },
      b: { deviceId: 'r2', ifIndex: 21, port: 'Et1', name: '10.255.0.2', address: '10.0.0.2' },
      via: ['ospf'],
      seenFrom: 'both',
    },
    {
      a: { deviceId: 'r1', ifIndex: 12, port: 'xe-0/0/1' },
      b: { deviceId: 'r2', ifIndex: 22, port: 'Et2', name: '10.255.0.2', address: '10.0.0.6' },
      via: ['ospf'],
      seenFrom: 'both',
    },
  ]);
});

test('OSPF: router id or address identifies; unknown, one-sided, unnumbered and not-full neighbours', () => {
  const r1 = router('r1', { 11: ['ge-0/0/0', '10.0.0.1/24'], 12: ['ge-0/0/1', '10.1.0.1/24'] });
  const r3 = router('r3', {}); // no address table: known by its router id only
  r3.ospf = { routerId: '10.255.0.3', neighbours: [] };
  const r4 = router('r4', { 40: ['eth0', '10.0.0.4/24'] }); // no OSPF data: known by its address
  r1.ospf = ospf(
    '10.255.0.1',
    ['10.0.0.3', '10.255.0.3', 8],
    ['10.0.0.4', '10.255.0.4', 8],
    ['10.1.0.9', '10.255.0.9', 8],
    ['10.0.0.7', '10.255.0.7', 4],
    ['10.0.0.8', '', 3],
  );
  // Unnumbered: the address-less index is the local ifIndex; the address is the one the neighbour borrows.
  r1.ospf.neighbours.push({ ipAddr: '10.255.0.3', addressLessIndex: 15, routerId: '10.255.0.3', state: 'full' });
  const { links, inactive } = matchL3Links([r1, r3, r4]);
  assert.deepEqual(
    links.map((l) => [l.a.ifIndex, l.a.port, l.b.deviceId, l.b.ifIndex, l.b.port, l.seenFrom]),
    [
      [11, 'ge-0/0/0', 'r3', undefined, '10.0.0.3', 'a'],
      [11, 'ge-0/0/0', 'r4', 40, 'eth0', 'a'],
      [12, 'ge-0/0/1', undefined, undefined, '10.1.0.9', 'a'],
      [15, 'ifIndex 15', 'r3', undefined, '10.255.0.3', 'a'],
    ],
  );
  assert.deepEqual(inactive, [
    {
      via: 'ospf',
      a: { deviceId: 'r1', ifIndex: 11, port: 'ge-0/0/0' },
      b: { deviceId: undefined, ifIndex: undefined, port: '10.0.0.7', name: '10.255.0.7', address: '10.0.0.7' },
      state: 'twoWay',
    },
    {
      via: 'ospf',
      a: { deviceId: 'r1', ifIndex: 11, port: 'ge-0/0/0' },
      b: { deviceId: undefined, ifIndex: undefined, port: '10.0.0.8', address: '10.0.0.8' },
      state: 'init',
    },
  ]);
});

test('BGP: loopback sessions pair; one-sided by identifier; idle peers inactive; OSPF beside BGP stays apart', () => {
  const r1 = router('r1', { 1: ['lo0', '10.255.0.1/32'], 11: ['xe-0/0/0', '10.0.0.1/30'] });
  const r2 = router('r2', { 1: ['Loopback0', '10.255.0.2/32'], 21: ['Et1', '10.0.0.2/30'] });
  const peer = (remoteAddr: string, localAddr: string, state: 'established' | 'active', remoteAs = 65000) => ({
    remoteAddr,
    localAddr,
    state,
    remoteAs,
  });
  r1.ospf = ospf('10.255.0.1', ['10.0.0.2', '10.255.0.2', 8]);
  r2.ospf = ospf('10.255.0.2', ['10.0.0.1', '10.255.0.1', 8]);
  r1.bgp = {
    localAs: 65000,
    identifier: '10.255.0.1',
    peers: [
      peer('10.255.0.2', '10.255.0.1', 'established'),
      { ...peer('203.0.113.1', '10.0.0.1', 'established', 64999), identifier: '10.255.0.7' },
      peer('198.51.100.1', '10.0.0.1', 'active', 64998),
    ],
  };
  r2.bgp = { localAs: 65000, identifier: '10.255.0.2', peers: [peer('10.255.0.1', '10.255.0.2', 'established')] };
  const r7 = router('r7', {}, { bgp: { identifier: '10.255.0.7', peers: [] } });
  const { links, inactive } = matchL3Links([r1, r2, r7]);
  assert.deepEqual(
    links.map((l) => [l.via, l.a.port, l.b.deviceId, l.b.port, l.seenFrom, l.remoteAs]),
    [
      [['ospf'], 'xe-0/0/0', 'r2', 'Et1', 'both', undefined],
      [['bgp'], 'lo0', 'r2', 'Loopback0', 'both', 65000],
      [['bgp'], 'xe-0/0/0', 'r7', '203.0.113.1', 'a', 64999],
    ],
  );
  assert.equal(inactive.length, 1);
  assert.deepEqual([inactive[0].state, inactive[0].remoteAs, inactive[0].b.address], ['active', 64998, '198.51.100.1']);
});

test('an address or router id held by two devices identifies neither; the device itself is never its neighbour', () => {
  const r1 = router('r1', { 11: ['ge-0/0/0', '10.0.0.1/24'] });
  const r2 = router('r2', { 21: ['eth0', '10.0.0.2/24'] }, { ospf: { routerId: '10.255.0.1', neighbours: [] } });
  const r3 = router('r3', { 31: ['eth0', '10.0.0.2/24'] });
  r1.ospf = ospf('10.255.0.1', ['10.0.0.2', '10.255.0.5', 8], ['10.0.0.9', '10.255.0.1', 8]);
  const { links } = matchL3Links([r1, r2, r3]);
  assert.deepEqual(
    links.map((l) => l.b.deviceId),
    [undefined, 'r2'], // 10.0.0.2 is on r2 and r3; router id 10.255.0.1 is r1's and r2's: r2, as r1 is not its own neighbour
  );
});

test('parsers never throw on arbitrary rows', () => {
  const value = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.constant(null));
  const vb = fc.record({
    oid: fc
      .tuple(
        fc.constantFrom(NBR, PEER, ADDR, ADDRESS, '1.3.6.1.2.1.14.1.1', '1.3.6.1.2.1.15'),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }),
      )
      .map(([p, rest]) => [p, ...rest].join('.')),
    type: fc.constantFrom('Integer', 'IpAddress', 'OctetString', 'ObjectIdentifier'),
    value,
  });
  fc.assert(
    fc.property(fc.array(vb, { maxLength: 30 }), (vbs) => {
      const o = parseOspfNeighbours(vbs);
      const b = parseBgpPeers(vbs);
      const addresses = parseIpv4Addresses(vbs);
      matchL3Links([
        { deviceId: 'x', addresses, ospf: o, bgp: b },
        { deviceId: 'y', addresses, ospf: o, bgp: b },
      ]);
    }),
  );
});
