import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeArraySource, packNodes, PackedTable } from './packed.ts';
import type { MibNode } from './types.ts';

const nodes: MibNode[] = [
  { oid: '1.3.6.1.2.1.2', name: 'interfaces', module: 'IF-MIB', kind: 'node' },
  {
    oid: '1.3.6.1.2.1.2.2.1',
    name: 'ifEntry',
    module: 'IF-MIB',
    kind: 'row',
    index: [{ name: 'ifIndex', oid: '1.3.6.1.2.1.2.2.1.1' }],
  },
  {
    oid: '1.3.6.1.2.1.2.2.1.1',
    name: 'ifIndex',
    module: 'IF-MIB',
    kind: 'column',
    syntax: { type: 'Integer32' },
    access: 'read-only',
    status: 'current',
  },
  { oid: '1.3.6.1.4.1.9', name: 'cisco', module: 'CISCO-SMI', kind: 'identity', units: 'things' },
  { oid: '1.3.6.1.4.1.1000009', name: 'cisco', module: 'CISCO-SMI-K1', kind: 'identity' },
  // An alias: another name for an OID already placed.
  { oid: '1.3.6.1.2.1.2', name: 'interfaces', module: 'RFC1213-MIB', kind: 'node' },
];

test('packed lookups: exact and longest OIDs, first node by name (in a module), aliases, extras', () => {
  const { header, columns } = packNodes(nodeArraySource(nodes, [0, -1, 1, -1, -1, -1]));
  const t = new PackedTable(header, columns);
  assert.equal(t.findOid('1.3.6.1.2.1.2'), 0);
  assert.equal(t.findOid('1.3.6.1.2.1.2.2.1.1.7'), -1);
  assert.equal(t.longest('1.3.6.1.2.1.2.2.1.1.7'), 2);
  assert.equal(t.longest('1.3.6.1.2.1.2.2'), 0, 'an unnamed level falls back to the nearest named one');
  assert.equal(t.longest('1.2.3'), -1);
  assert.equal(t.findOid('1.3.6.1.2.1.2.2.1.1', 15), -1, 'a prefix length that is not a node');
  assert.equal(t.findName('cisco'), 3, 'the first node of that name');
  assert.equal(t.findName('cisco', 'CISCO-SMI-K1'), 4);
  assert.equal(t.findName('cisco', 'NO-SUCH-MIB'), -1);
  assert.equal(t.findName('interfaces', 'RFC1213-MIB'), 5);
  assert.equal(t.primaryOf(5), 0);
  assert.equal(t.isPrimary(5), false);
  assert.deepEqual(t.at(1).index, [{ name: 'ifIndex', oid: '1.3.6.1.2.1.2.2.1.1' }]);
  assert.equal(t.at(3).units, 'things');
  assert.deepEqual(t.at(2), nodes[2]);
  assert.equal(t.descId(2), 1);
  const hits: [number, boolean][] = [];
  t.searchNames('if', (i, exact) => (hits.push([i, exact]), true));
  assert.deepEqual(hits, [
    [1, false],
    [2, false],
  ]);
  const exact: number[] = [];
  t.searchNames('cisco', (i, e) => (e && exact.push(i), true));
  assert.deepEqual(exact, [3, 4]);
});
