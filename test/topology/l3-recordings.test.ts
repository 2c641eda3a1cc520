// OSPF neighbours, BGP peers and own IPv4 addresses of every recording in ../shared/devices: every row parsed, its
// index decoded, then matchL3Links over all recordings together (every adjacency reported once, as a link or inactive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { testDataPath } from '../harness/testdata.ts';
import { recordingVarBinds } from './rec-varbinds.ts';
import { type L3Side, l3SideFrom, matchL3Links } from '../../src/topology/l3.ts';
import type { VarBind } from '../../src/model/records.ts';

const dir = testDataPath('devices');
const files = readdirSync(dir).filter((f) => f.endsWith('.snmprec'));
const NBR = '1.3.6.1.2.1.14.10.1.';
const PEER = '1.3.6.1.2.1.15.3.1.';
const ADDR = '1.3.6.1.2.1.4.20.1.';
const ADDRESS = '1.3.6.1.2.1.4.34.1.';
const sides: L3Side[] = [];

/** Row index → column → value, straight from the varbinds under `entry.`. */
function rows(vbs: VarBind[], entry: string): Map<string, Map<number, VarBind['value']>> {
  const out = new Map<string, Map<number, VarBind['value']>>();
  for (const vb of vbs)
    if (vb.oid.startsWith(entry)) {
      const [col, ...index] = vb.oid.slice(entry.length).split('.');
      const key = index.join('.');
      out.set(key, (out.get(key) ?? new Map()).set(Number(col), vb.value));
    }
  return out;
}

const scalarIp = (vbs: VarBind[], oid: string) => {
  const v = vbs.find((vb) => vb.oid === oid)?.value;
  return v && v !== '0.0.0.0' ? v : undefined;
};

for (const f of files) {
  const id = f.replace(/\.snmprec$/, '');
  test(`recording ${id}: every OSPF neighbour, BGP peer and IPv4 address row parsed`, () => {
    const vbs = recordingVarBinds(`${dir}/${f}`);
    const side = l3SideFrom(id, vbs);
    sides.push(side);
    const nbrRows = rows(vbs, NBR);
    const peerRows = rows(vbs, PEER);
    const neighbours = side.ospf?.neighbours ?? [];
    const peers = side.bgp?.peers ?? [];
    console.log(
      `${id}: OSPF ${neighbours.length}/${nbrRows.size} rows (router id ${side.ospf?.routerId ?? '-'}), ` +
        `BGP ${peers.length}/${peerRows.size} rows (AS ${side.bgp?.localAs ?? '-'}), ${side.addresses.length} addresses`,
    );
    assert.equal(neighbours.length, nbrRows.size);
    assert.equal(peers.length, peerRows.size);
    assert.equal(side.ospf?.routerId, scalarIp(vbs, '1.3.6.1.2.1.14.1.1.0'));
    assert.equal(side.bgp?.identifier, scalarIp(vbs, '1.3.6.1.2.1.15.4.0'));
    for (const n of neighbours) {
      console.log(`  OSPF ${n.ipAddr}%${n.addressLessIndex} router ${n.routerId ?? '-'} ${n.state}`);
      const row = nbrRows.get(`${n.ipAddr}.${n.addressLessIndex}`);
      assert.ok(row, `row ${n.ipAddr}.${n.addressLessIndex}`);
      if (row.has(6)) assert.notEqual(n.state, 'unknown');
    }
    for (const p of peers) {
      console.log(`  BGP ${p.remoteAddr} AS ${p.remoteAs ?? '-'} ${p.state}`);
      const row = peerRows.get(p.remoteAddr);
      assert.ok(row, `row ${p.remoteAddr}`);
      if (row.has(2)) assert.notEqual(p.state, 'unknown');
    }
    // Own addresses: every ipAddrTable row, and the IPv4 (type 1, length 4) ipAddressTable rows that are not broadcast.
    const expected = new Map<string, VarBind['value'] | undefined>();
    for (const [index, row] of rows(vbs, ADDR)) expected.set(index, row.get(2));
    for (const [index, row] of rows(vbs, ADDRESS)) {
      const [type, len, ...addr] = index.split('.');
      if (type === '1' && len === '4' && row.get(4) !== 3 && !expected.has(addr.join('.')))
        expected.set(addr.join('.'), row.get(3));
    }
    assert.deepEqual(
      new Map(side.addresses.map((a) => [a.address, a.ifIndex])),
      expected,
      'addresses and their ifIndexes',
    );
  });
}

test('matchL3Links over all recordings', () => {
  assert.equal(sides.length, files.length);
  const { links, inactive } = matchL3Links(sides);
  const reported = sides.reduce((n, s) => n + (s.ospf?.neighbours.length ?? 0) + (s.bgp?.peers.length ?? 0), 0);
  const halves = links.reduce((n, l) => n + (l.seenFrom === 'both' ? 2 : 1), 0);
  console.log(`${links.length} L3 links, ${inactive.length} inactive adjacencies, from ${reported} rows`);
  assert.equal(halves + inactive.length, reported, 'every adjacency is one link end or inactive');
  for (const l of links) {
    console.log(`  ${l.via} ${l.a.deviceId} ${l.a.port} -> ${l.b.deviceId ?? '?'} ${l.b.name ?? ''} ${l.b.address}`);
    assert.notEqual(l.b.deviceId, l.a.deviceId, 'no device linked to itself');
    // A resolved local interface holds an address whose subnet contains the neighbour's address.
    if (l.via[0] === 'ospf' && l.a.ifIndex !== undefined) {
      const own = sides.find((s) => s.deviceId === l.a.deviceId)!.addresses;
      assert.ok(
        own.some((a) => a.ifIndex === l.a.ifIndex && inSubnet(l.b.address!, a.address, a.prefixLength ?? 0)),
        `${l.a.deviceId} ifIndex ${l.a.ifIndex} is on ${l.b.address}'s subnet`,
      );
    }
  }
  assert.ok(
    links.some((l) => l.a.ifIndex !== undefined),
    'some recording resolves the local interface of an adjacency',
  );
});

function inSubnet(ip: string, net: string, len: number): boolean {
  const bits = (s: string) =>
    s
      .split('.')
      .map((x) => Number(x).toString(2).padStart(8, '0'))
      .join('');
  return len > 0 && bits(ip).slice(0, len) === bits(net).slice(0, len);
}
