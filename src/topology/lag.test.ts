import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../model/records.ts';
import type { Link } from './match.ts';
import { groupLinks, parseLag } from './lag.ts';

const int = (oid: string, value: number): VarBind => ({ oid, type: 'Integer', value });
const AGG = '1.2.840.10006.300.43.1.2.1.1';
const STACK = '1.3.6.1.2.1.31.1.2.1';
const IFTYPE = '1.3.6.1.2.1.2.2.1.3';
const aggPort = (member: number, selected: number, attached: number) => [
  int(`${AGG}.12.${member}`, selected),
  int(`${AGG}.13.${member}`, attached),
];
const stack = (higher: number, lower: number) => int(`${STACK}.3.${higher}.${lower}`, 1);

test('parseLag: dot3adAggPortTable attached ID, selected as fallback, 0 and self-attachment left out', () => {
  const m = parseLag([
    ...aggPort(1, 100, 100),
    ...aggPort(2, 100, 100),
    ...aggPort(3, 101, 0), // selecting, not yet attached
    ...aggPort(4, 0, 0), // in no aggregate
    ...aggPort(5, 5, 5), // an individual port, its own aggregator
    ...aggPort(6, 101, 102), // attached wins over selected
    int(`${AGG}.13.7`, 100), // attached only
  ]);
  assert.deepEqual(
    [...m].sort((x, y) => x[0] - y[0]),
    [
      [1, 100],
      [2, 100],
      [3, 101],
      [6, 102],
      [7, 100],
    ],
  );
});

test('parseLag: dot3adAggPortTable present wins over ifStackTable', () => {
  const m = parseLag([...aggPort(1, 0, 0), int(`${IFTYPE}.100`, 161), stack(100, 1), stack(100, 2)]);
  assert.equal(m.size, 0);
});

test('parseLag: ifStackTable fallback only under ieee8023adLag interfaces', () => {
  const m = parseLag([
    int(`${IFTYPE}.1`, 6),
    int(`${IFTYPE}.2`, 6),
    int(`${IFTYPE}.3`, 6),
    int(`${IFTYPE}.100`, 161),
    int(`${IFTYPE}.200`, 135), // l2vlan over a physical port: not an aggregate
    int(`${IFTYPE}.300`, 161), // a LAG with no members
    stack(0, 100),
    stack(100, 1),
    stack(100, 2),
    stack(200, 3),
    stack(3, 0),
    stack(300, 0),
    int(`${STACK}.3.400.1`, 1), // higher layer of unknown ifType
  ]);
  assert.deepEqual(
    [...m].sort((x, y) => x[0] - y[0]),
    [
      [1, 100],
      [2, 100],
    ],
  );
});

test('parseLag: nothing without either table', () => {
  assert.equal(parseLag([int(`${IFTYPE}.1`, 6), stack(1, 0)]).size, 0);
  assert.equal(parseLag([]).size, 0);
});

const link = (a: string, ai: number, b: string | undefined, bi: number | undefined, seenFrom: Link['seenFrom']) =>
  ({
    a: { deviceId: a, ifIndex: ai, port: `p${ai}` },
    b: { ...(b ? { deviceId: b } : { name: 'far' }), ...(bi !== undefined ? { ifIndex: bi } : {}), port: `q${bi}` },
    via: ['lldp'],
    seenFrom,
  }) as Link;

test('groupLinks: two members of one LAG between two switches form one aggregate, either direction', () => {
  const lags = new Map([
    [
      's1',
      new Map([
        [1, 100],
        [2, 100],
      ]),
    ],
    [
      's2',
      new Map([
        [11, 500],
        [12, 500],
      ]),
    ],
  ]);
  const links = [link('s1', 1, 's2', 11, 'both'), link('s2', 12, 's1', 2, 'both')];
  const before = JSON.stringify(links);
  const g = groupLinks(links, lags);
  assert.equal(JSON.stringify(links), before, 'input untouched');
  assert.equal(g.links.length, 2);
  assert.equal(g.links[0].a.aggregateIfIndex, 100);
  assert.equal(g.links[0].b.aggregateIfIndex, 500);
  assert.equal(g.links[1].a.aggregateIfIndex, 500);
  assert.equal(g.links[1].b.aggregateIfIndex, 100);
  assert.equal(g.aggregates.length, 1);
  const [agg] = g.aggregates;
  assert.deepEqual(agg.a, { deviceId: 's1', aggregateIfIndex: 100 });
  assert.deepEqual(agg.b, { deviceId: 's2', aggregateIfIndex: 500 });
  assert.deepEqual(agg.members, g.links);
});

test('groupLinks: two LAGs between the same switches stay two aggregates', () => {
  const lags = new Map([
    [
      's1',
      new Map([
        [1, 100],
        [2, 101],
      ]),
    ],
    [
      's2',
      new Map([
        [11, 500],
        [12, 501],
      ]),
    ],
  ]);
  const g = groupLinks([link('s1', 1, 's2', 11, 'both'), link('s1', 2, 's2', 12, 'both')], lags);
  assert.equal(g.aggregates.length, 2);
  assert.deepEqual(
    g.aggregates.map((x) => x.members.length),
    [1, 1],
  );
});

test('groupLinks: members seen from one side only group under the known aggregate', () => {
  const lags = new Map([
    [
      's1',
      new Map([
        [1, 100],
        [2, 100],
      ]),
    ],
  ]);
  // To an unknown neighbour, and to a known device without LAG data.
  const g = groupLinks(
    [link('s1', 1, undefined, undefined, 'a'), link('s1', 2, undefined, undefined, 'a'), link('s1', 1, 'x', 7, 'a')],
    lags,
  );
  assert.equal(g.aggregates.length, 2);
  assert.deepEqual(g.aggregates[0].a, { deviceId: 's1', aggregateIfIndex: 100 });
  assert.deepEqual(g.aggregates[0].b, { name: 'far' });
  assert.equal(g.aggregates[0].members.length, 2);
  assert.deepEqual(g.aggregates[1].b, { deviceId: 'x' });
  assert.equal(g.links[2].b.aggregateIfIndex, undefined);
  // Only the far end is a member and this end's device has no LAG data: oriented from the member end.
  const h = groupLinks([link('x', 7, 's1', 1, 'a')], lags);
  assert.deepEqual(h.aggregates[0].a, { deviceId: 's1', aggregateIfIndex: 100 });
  assert.deepEqual(h.aggregates[0].b, { deviceId: 'x' });
  assert.equal(h.links[0].b.aggregateIfIndex, 100);
});

test('groupLinks: non-LAG links untouched, and a member facing a known non-member forms no aggregate', () => {
  const lags = new Map([
    ['s1', new Map([[1, 100]])],
    ['s2', new Map<number, number>()],
  ]);
  const plain = link('s1', 3, 's2', 13, 'both');
  const mixed = link('s1', 1, 's2', 11, 'both');
  const g = groupLinks([plain, mixed], lags);
  assert.deepEqual(g.links[0], plain);
  assert.ok(!('aggregateIfIndex' in g.links[0].a) && !('aggregateIfIndex' in g.links[0].b));
  assert.equal(g.links[1].a.aggregateIfIndex, 100);
  assert.equal(g.aggregates.length, 0);
  assert.deepEqual(groupLinks([plain], new Map()), { links: [plain], aggregates: [] });
});
