// parseLldp on hand-built varbinds: every chassis-ID and port-ID subtype, odd encodings, missing columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLldp } from '../../src/topology/lldp.ts';
import type { VarBind } from '../../src/model/records.ts';

const R = '1.0.8802.1.1.2.1';
const s = (oid: string, value: string | number): VarBind => ({
  oid,
  type: typeof value === 'number' ? 'Integer' : 'OctetString',
  value,
});
/** One lldpRemTable row (time mark 0) on local port `port`, remIndex `rem`. */
const row = (port: number, rem: number, cols: Record<number, string | number>) =>
  Object.entries(cols).map(([c, v]) => s(`${R}.4.1.1.${c}.0.${port}.${rem}`, v));

test('chassis-ID subtypes 1–7 decode per subtype', () => {
  const cases: [number, string, string, string][] = [
    [1, 'chassisComponent', 'chassis-1', 'chassis-1'],
    [2, 'interfaceAlias', 'uplink', 'uplink'],
    [3, 'portComponent', 'backplane', 'backplane'],
    [4, 'macAddress', '0x001c73b4fd69', '00:1c:73:b4:fd:69'],
    [5, 'networkAddress', '0x010a000001', '10.0.0.1'],
    [6, 'interfaceName', 'eth0', 'eth0'],
    [7, 'local', 'sw1(SSI1)', 'sw1(SSI1)'],
  ];
  const vbs = cases.flatMap(([n, , v], i) => row(1, i + 1, { 4: n, 5: v }));
  const { neighbours } = parseLldp(vbs);
  assert.equal(neighbours.length, cases.length);
  for (const [i, [, name, , want]] of cases.entries()) {
    assert.equal(neighbours[i].chassisIdSubtype, name);
    assert.equal(neighbours[i].chassisId, want);
  }
});

test('port-ID subtypes 1–7 decode per subtype, IPv6 network address', () => {
  const cases: [number, string, string, string][] = [
    [1, 'interfaceAlias', 'to-core', 'to-core'],
    [2, 'portComponent', 'pc1', 'pc1'],
    [3, 'macAddress', '0xe839351aca99', 'e8:39:35:1a:ca:99'],
    [4, 'networkAddress', '0x0220010db8000000000000000000000001', '2001:db8::1'],
    [5, 'interfaceName', 'Gi0/1', 'Gi0/1'],
    [6, 'agentCircuitId', '0x0a0b', '0x0a0b'],
    [7, 'local', '17', '17'],
  ];
  const vbs = cases.flatMap(([n, , v], i) => row(5, i + 1, { 6: n, 7: v }));
  const { neighbours } = parseLldp(vbs);
  for (const [i, [, name, , want]] of cases.entries()) {
    assert.equal(neighbours[i].portIdSubtype, name);
    assert.equal(neighbours[i].portId, want);
    assert.equal(neighbours[i].chassisIdSubtype, 'unknown', 'missing chassis columns tolerated');
  }
});

test('odd encodings: MAC written as text, NUL padding, unknown subtype', () => {
  const vbs = [
    ...row(1, 1, { 4: 4, 5: '8c:60:4f:19:16:7c', 6: 7, 7: '0x6d676d7430000000000000' }),
    ...row(1, 2, { 4: 4, 5: '8c60.4f19.167c', 6: 3, 7: '8C-60-4F-19-16-7D' }),
    ...row(1, 3, { 4: 4, 5: 'ABCDEF', 6: 9, 7: 'x' }),
  ];
  const [a, b, c] = parseLldp(vbs).neighbours;
  assert.equal(a.chassisId, '8c:60:4f:19:16:7c');
  assert.equal(a.portId, 'mgmt0');
  assert.equal(b.chassisId, '8c:60:4f:19:16:7c');
  assert.equal(b.portId, '8c:60:4f:19:16:7d');
  assert.equal(c.chassisId, '41:42:43:44:45:46', 'six printable bytes are still a MAC');
  assert.equal(c.portIdSubtype, 'unknown');
});

test('names, capabilities, management addresses, local side', () => {
  const vbs = [
    s(`${R}.3.1.0`, 4),
    s(`${R}.3.2.0`, '0xac162d927d21'),
    s(`${R}.3.3.0`, 'sw-local'),
    s(`${R}.3.7.1.2.1`, 5),
    s(`${R}.3.7.1.3.1`, 'Ethernet1'),
    s(`${R}.3.7.1.4.1`, 'uplink'),
    s(`${R}.3.7.1.2.2`, 7),
    s(`${R}.3.7.1.3.2`, '2'),
    ...row(1, 3, { 4: 4, 5: '0x444ca8313edf', 6: 5, 7: 'Ethernet23', 8: '', 9: 'core.example.com', 10: 'EOS' }),
    ...row(1, 3, { 11: '0x2800', 12: '0x28' }),
    s(`${R}.4.2.1.3.0.1.3.1.4.172.16.229.22`, 2),
    s(`${R}.4.2.1.4.0.1.3.1.4.172.16.229.22`, 5),
    s(`${R}.4.2.1.3.0.1.3.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.2`, 2),
    s(`${R}.4.2.1.3.0.1.3.6.6.172.22.45.146.125.33`, 1),
  ];
  const { local, neighbours } = parseLldp(vbs);
  assert.deepEqual(local, {
    chassisIdSubtype: 'macAddress',
    chassisId: 'ac:16:2d:92:7d:21',
    sysName: 'sw-local',
    ports: [
      { portNum: 1, idSubtype: 'interfaceName', id: 'Ethernet1', desc: 'uplink' },
      { portNum: 2, idSubtype: 'local', id: '2' },
    ],
  });
  const [n] = neighbours;
  assert.equal(n.sysName, 'core.example.com');
  assert.equal(n.portDesc, undefined, 'empty text is absent');
  assert.deepEqual(n.capSupported, ['bridge', 'router']);
  assert.deepEqual(n.capEnabled, ['bridge', 'router']);
  assert.deepEqual(
    n.managementAddresses.map((m) => [m.family, m.address]),
    [
      ['ipv4', '172.16.229.22'],
      ['ipv6', '2001:db8::2'],
      ['mac', 'ac:16:2d:92:7d:21'],
    ],
  );
  assert.equal(n.managementAddresses[0].ifId, 5);
});

test('a row seen under two time marks is one neighbour, the latest', () => {
  const vbs = [s(`${R}.4.1.1.9.100.3.1`, 'old'), s(`${R}.4.1.1.9.200.3.1`, 'new')];
  const { neighbours } = parseLldp(vbs);
  assert.equal(neighbours.length, 1);
  assert.equal(neighbours[0].sysName, 'new');
});
