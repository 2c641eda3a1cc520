import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopologyLink } from '../model/topology.ts';
import { derivedParents, diffNeighbours, mostConnected, neighboursByPort, toTopologyLinks } from './graph.ts';
import type { DeviceSide } from './identity.ts';
import type { LagLink } from './lag.ts';
import type { LldpNeighbour } from './lldp.ts';

const nb = (localPortNum: number, sysName: string, portId: string): LldpNeighbour => ({
  localPortNum,
  remIndex: 1,
  chassisIdSubtype: 'local',
  chassisId: sysName,
  portIdSubtype: 'interfaceName',
  portId,
  sysName,
  capSupported: [],
  capEnabled: [],
  managementAddresses: [],
});

const side = (neighbours: LldpNeighbour[]): DeviceSide => ({
  deviceId: 'sw1',
  sysName: 'sw1',
  interfaces: [
    { ifIndex: 1, ifName: 'Gi0/1' },
    { ifIndex: 2, ifName: 'Gi0/2' },
  ],
  chassisMacs: [],
  managementAddresses: [],
  lldp: { local: { chassisIdSubtype: 'local', chassisId: 'sw1', ports: [] }, neighbours },
  cdp: [],
});

test('stored links keep their id whichever end reported them, and their first-seen time', () => {
  const l: LagLink = {
    a: { deviceId: 'x', ifIndex: 1, port: 'Gi0/1' },
    b: { deviceId: 'y', ifIndex: 7, port: 'Eth7', name: 'y' },
    via: ['lldp'],
    seenFrom: 'both',
  };
  const reversed: LagLink = {
    a: { deviceId: 'y', ifIndex: 7, port: 'Eth7' },
    b: { deviceId: 'x', ifIndex: 1, port: 'Gi0/1', name: 'x' },
    via: ['lldp'],
    seenFrom: 'both',
  };
  const [first] = toTopologyLinks([l], [], 1000);
  const [again] = toTopologyLinks([reversed], [first], 2000);
  assert.equal(again.id, first.id);
  assert.equal(again.firstSeen, 1000);
  assert.equal(again.lastSeen, 2000);
  // Parallel links (other ports) get other ids; an unknown neighbour is kept with its name.
  const parallel = { ...l, a: { ...l.a, ifIndex: 2, port: 'Gi0/2' }, b: { ...l.b, ifIndex: 8, port: 'Eth8' } };
  const unknown: LagLink = { a: l.a, b: { port: 'ge-0/0/1', name: 'mx1' }, via: ['lldp'], seenFrom: 'a' };
  const out = toTopologyLinks([l, parallel, unknown], [], 5);
  assert.equal(new Set(out.map((x) => x.id)).size, 3);
  assert.equal(out[2].b, undefined);
  assert.deepEqual(out[2].remote, { name: 'mx1' });
  assert.equal(out[2].seenFrom, 'a');
});

test('neighbour changes per port: lost, appeared, replaced; the same neighbour again is no change', () => {
  const before = neighboursByPort(side([nb(1, 'sw2', 'Gi0/24'), nb(2, 'sw3', 'Gi0/1')]));
  assert.deepEqual(
    diffNeighbours(
      'sw1',
      before,
      neighboursByPort(side([nb(1, 'sw2.example.net', 'Gi0/24'), nb(2, 'sw3', 'Gi0/1')])),
      9,
    ),
    [],
  );
  const after = neighboursByPort(side([nb(2, 'sw4', 'Gi0/9'), nb(3, 'ap1', 'eth0')]));
  const changes = diffNeighbours('sw1', before, after, 9);
  assert.deepEqual(
    changes.map((c) => [c.change, c.port, c.before?.name, c.after?.name]),
    [
      ['lost', 'Gi0/1', 'sw2', undefined],
      ['changed', 'Gi0/2', 'sw3', 'sw4'],
      ['appeared', 'port 3', undefined, 'ap1'],
    ],
  );
});

test('parents: breadth-first from the root over links between known devices', () => {
  const link = (a: string, b?: string): TopologyLink => ({
    id: `${a}-${b}`,
    a,
    ...(b ? { b } : {}),
    origin: 'discovered',
  });
  const links = [
    link('core', 'dist1'),
    link('core', 'dist2'),
    link('dist1', 'acc1'),
    link('acc1', 'dist2'),
    link('acc2', 'dist2'),
    link('acc2'),
    link('island1', 'island2'),
  ];
  const parents = derivedParents(links, ['core']);
  assert.deepEqual(Object.fromEntries(parents), { dist1: 'core', dist2: 'core', acc1: 'dist1', acc2: 'dist2' });
  assert.equal(mostConnected(links), 'dist2');
  // The first root's tree wins; a second root only adds devices the first does not reach.
  assert.deepEqual(Object.fromEntries(derivedParents(links, ['nowhere', 'core', 'island1'])), {
    dist1: 'core',
    dist2: 'core',
    acc1: 'dist1',
    acc2: 'dist2',
    island2: 'island1',
  });
});
