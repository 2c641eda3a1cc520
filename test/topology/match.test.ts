// matchLinks on hand-built devices: identity by MAC, name, address; port resolution; both-sided, one-sided,
// unknown and parallel links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchLinks, type DeviceSide } from '../../src/topology/match.ts';
import type { LldpNeighbour } from '../../src/topology/lldp.ts';

const nb = (over: Partial<LldpNeighbour>): LldpNeighbour => ({
  localPortNum: 1,
  remIndex: 1,
  chassisIdSubtype: 'macAddress',
  chassisId: '',
  portIdSubtype: 'interfaceName',
  portId: '',
  capSupported: [],
  capEnabled: [],
  managementAddresses: [],
  ...over,
});

function dev(id: string, over: Partial<DeviceSide> = {}): DeviceSide {
  return {
    deviceId: id,
    sysName: `${id}.example.com`,
    interfaces: [1, 2, 3].map((i) => ({
      ifIndex: 100 + i,
      ifName: `Gi0/${i}`,
      ifDescr: `GigabitEthernet0/${i}`,
      ifPhysAddress: `00:00:00:00:0${id.length}:0${i}`,
    })),
    chassisMacs: [],
    managementAddresses: [],
    lldp: {
      local: {
        chassisIdSubtype: 'macAddress',
        chassisId: '',
        ports: [1, 2, 3].map((i) => ({ portNum: i, idSubtype: 'interfaceName' as const, id: `Gi0/${i}` })),
      },
      neighbours: [],
    },
    ...over,
  };
}

test('a link seen from both sides is one link; parallel links stay separate', () => {
  const a = dev('a', { chassisMacs: ['02:00:00:00:00:0a'] });
  const b = dev('bb', { chassisMacs: ['02:00:00:00:00:0b'] });
  a.lldp!.neighbours = [
    nb({ localPortNum: 1, chassisId: '02:00:00:00:00:0b', portId: 'GigabitEthernet0/1' }),
    nb({ localPortNum: 2, remIndex: 2, chassisId: '02:00:00:00:00:0b', portId: 'Gi0/2' }),
  ];
  b.lldp!.neighbours = [
    nb({ localPortNum: 1, chassisId: '02:00:00:00:00:0a', portId: 'Gi0/1' }),
    nb({ localPortNum: 2, remIndex: 2, chassisIdSubtype: 'local', chassisId: 'x', sysName: 'A', portId: 'gi0/2' }),
  ];
  const links = matchLinks([a, b]);
  assert.equal(links.length, 2);
  for (const [i, l] of links.entries()) {
    assert.equal(l.seenFrom, 'both');
    assert.deepEqual([l.a.deviceId, l.a.ifIndex, l.b.deviceId, l.b.ifIndex], ['a', 101 + i, 'bb', 101 + i]);
  }
});

test('one-sided link by management address with a MAC port ID; LLDP and CDP from one side merge', () => {
  const a = dev('a');
  const b = dev('bb', { managementAddresses: ['10.0.0.2'], sysName: 'other' });
  a.lldp!.neighbours = [
    nb({
      localPortNum: 3,
      chassisIdSubtype: 'local',
      chassisId: 'zzz',
      portIdSubtype: 'macAddress',
      portId: '00:00:00:00:02:02',
      managementAddresses: [{ family: 'ipv4', address: '10.0.0.2' }],
    }),
  ];
  a.cdp = [
    { ifIndex: 103, deviceIndex: 1, deviceId: 'OTHER(SER1)', devicePort: 'GigabitEthernet0/2', capabilities: [] },
  ];
  const [l, ...rest] = matchLinks([a, b]);
  assert.equal(rest.length, 0);
  assert.deepEqual(l, {
    a: { deviceId: 'a', ifIndex: 103, port: 'Gi0/3' },
    b: { deviceId: 'bb', ifIndex: 102, port: 'Gi0/2', name: 'zzz', address: '10.0.0.2' },
    via: ['lldp', 'cdp'],
    seenFrom: 'a',
  });
});

test('names match with and without domain; unknown neighbours are kept', () => {
  const a = dev('a');
  const b = dev('bb');
  a.lldp!.neighbours = [
    nb({ localPortNum: 1, chassisId: '0xdead', sysName: 'BB', portId: 'Gi0/3' }),
    nb({ localPortNum: 2, remIndex: 2, chassisId: '02:11:11:11:11:11', sysName: 'stranger', portId: 'eth0' }),
  ];
  const links = matchLinks([a, b]);
  assert.equal(links[0].b.deviceId, 'bb');
  assert.equal(links[0].b.ifIndex, 103);
  assert.equal(links[1].b.deviceId, undefined);
  assert.equal(links[1].b.name, 'stranger');
  assert.equal(links[1].seenFrom, 'a');
});

test('a shared MAC or name is ambiguous and matches nothing', () => {
  const a = dev('a');
  const b = dev('bb', { chassisMacs: ['02:00:00:00:00:99'], sysName: 'dup' });
  const c = dev('cc', { chassisMacs: ['02:00:00:00:00:99'], sysName: 'dup' });
  a.lldp!.neighbours = [nb({ chassisId: '02:00:00:00:00:99', sysName: 'dup', portId: 'Gi0/1' })];
  assert.equal(matchLinks([a, b, c])[0].b.deviceId, undefined);
});

test('local port via lldpLocPortTable number = ifIndex, and a numeric local port ID on the remote', () => {
  const a = dev('a');
  a.lldp!.local.ports = [{ portNum: 102, idSubtype: 'local', id: '102' }];
  const b = dev('bb', { chassisMacs: ['02:00:00:00:00:0b'] });
  a.lldp!.neighbours = [
    nb({ localPortNum: 102, chassisId: '02:00:00:00:00:0b', portIdSubtype: 'local', portId: '103' }),
  ];
  const [l] = matchLinks([a, b]);
  assert.equal(l.a.ifIndex, 102);
  assert.equal(l.b.ifIndex, 103);
});
