import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInterfaces, interfaceName, speedBps } from './interfaces.ts';
import { parseHostResources, parseUcd } from './host.ts';
import { parseSystem } from './system.ts';
import { toVarBind, varBindFromSetArgs, toRawVarBind, octetsToValue } from '../varbind.ts';

const vb = (oid: string, type: string, value: string | number | null) => ({ oid, type, value });

test('parseInterfaces: ifTable rows, ifXTable joined, HC counters kept as strings, extra ifX rows ignored', () => {
  const rows = parseInterfaces(
    [
      vb('1.3.6.1.2.1.2.2.1.1.1', 'Integer', 1),
      vb('1.3.6.1.2.1.2.2.1.2.1', 'OctetString', 'eth0'),
      vb('1.3.6.1.2.1.2.2.1.5.1', 'Gauge32', 4294967295),
      vb('1.3.6.1.2.1.2.2.1.8.1', 'Integer', 1),
      vb('1.3.6.1.2.1.2.2.1.10.1', 'Counter32', 55),
      vb('1.3.6.1.2.1.2.2.1.2.7', 'OctetString', 'eth7'),
    ],
    [
      vb('1.3.6.1.2.1.31.1.1.1.1.1', 'OctetString', 'Gi0/1'),
      vb('1.3.6.1.2.1.31.1.1.1.6.1', 'Counter64', '18446744073709551615'),
      vb('1.3.6.1.2.1.31.1.1.1.15.1', 'Gauge32', 10000),
      vb('1.3.6.1.2.1.31.1.1.1.18.1', 'OctetString', 'uplink'),
      vb('1.3.6.1.2.1.31.1.1.1.1.99', 'OctetString', 'ghost'),
    ],
  );
  assert.deepEqual(
    rows.map((r) => r.ifIndex),
    [1, 7],
  );
  assert.equal(interfaceName(rows[0]), 'Gi0/1');
  assert.equal(interfaceName(rows[1]), 'eth7');
  assert.equal(interfaceName({ ifIndex: 3 }), 'ifIndex 3');
  assert.equal(rows[0].alias, 'uplink');
  assert.deepEqual(rows[0].counters, { inOctets: 55, hcInOctets: '18446744073709551615' });
  assert.equal(speedBps(rows[0]), 10e9);
  assert.equal(speedBps({ speed: 100e6, highSpeedMbps: 100 }), 100e6);
  assert.equal(speedBps({ speed: 10e6 }), 10e6);
  assert.equal(speedBps({}), undefined);
});

test('parseHostResources and parseUcd', () => {
  const hr = parseHostResources(
    [vb('1.3.6.1.2.1.25.3.3.1.2.196608', 'Integer', 10), vb('1.3.6.1.2.1.25.3.3.1.2.196609', 'Integer', 30)],
    [
      vb('1.3.6.1.2.1.25.2.3.1.2.1', 'ObjectIdentifier', '1.3.6.1.2.1.25.2.1.2'),
      vb('1.3.6.1.2.1.25.2.3.1.3.1', 'OctetString', 'Physical memory'),
      vb('1.3.6.1.2.1.25.2.3.1.4.1', 'Integer', 1024),
      vb('1.3.6.1.2.1.25.2.3.1.5.1', 'Integer', 1000),
      vb('1.3.6.1.2.1.25.2.3.1.6.1', 'Integer', 250),
      vb('1.3.6.1.2.1.25.2.3.1.2.31', 'ObjectIdentifier', '1.3.6.1.2.1.25.2.1.4'),
      vb('1.3.6.1.2.1.25.2.3.1.3.31', 'OctetString', '/'),
      vb('1.3.6.1.2.1.25.2.3.1.4.31', 'Integer', 4096),
      vb('1.3.6.1.2.1.25.2.3.1.5.31', 'Integer', -2),
      vb('1.3.6.1.2.1.25.2.3.1.6.31', 'Integer', 0),
    ],
  );
  assert.deepEqual([...hr.cpuLoadPct.values()], [10, 30]);
  assert.deepEqual(hr.storage[0], {
    index: 1,
    kind: 'ram',
    descr: 'Physical memory',
    sizeBytes: 1024000,
    usedBytes: 256000,
    usedPct: 25,
  });
  assert.equal(hr.storage[1].sizeBytes, (2 ** 32 - 2) * 4096);
  const ucd = parseUcd(
    [
      vb('1.3.6.1.4.1.2021.10.1.3.1', 'OctetString', '0.50'),
      vb('1.3.6.1.4.1.2021.10.1.3.2', 'OctetString', '0.25'),
      vb('1.3.6.1.4.1.2021.10.1.3.3', 'OctetString', 'junk'),
    ],
    [
      vb('1.3.6.1.4.1.2021.4.5.0', 'Integer', 1000),
      vb('1.3.6.1.4.1.2021.4.6.0', 'Integer', 300),
      vb('1.3.6.1.4.1.2021.4.14.0', 'Integer', 100),
      vb('1.3.6.1.4.1.2021.4.15.0', 'Integer', 100),
      vb('1.3.6.1.4.1.2021.4.3.0', 'NoSuchObject', null),
    ],
  );
  assert.deepEqual(ucd.load, { load1: 0.5, load5: 0.25 });
  assert.equal(ucd.memUsedPct, 50);
  assert.equal(ucd.memory.totalSwapKb, undefined);
});

test('parseSystem: facts, vendor, exceptions dropped', () => {
  const s = parseSystem([
    vb('1.3.6.1.2.1.1.1.0', 'OctetString', 'Cisco IOS'),
    vb('1.3.6.1.2.1.1.2.0', 'ObjectIdentifier', '1.3.6.1.4.1.9.1.617'),
    vb('1.3.6.1.2.1.1.3.0', 'TimeTicks', 42),
    vb('1.3.6.1.2.1.1.6.0', 'NoSuchObject', null),
  ]);
  assert.deepEqual(s, { sysDescr: 'Cisco IOS', sysObjectID: '1.3.6.1.4.1.9.1.617', sysUpTimeCs: 42, vendor: 'Cisco' });
});

test('varbinds: octets, Counter64, set arguments round trip', () => {
  assert.equal(octetsToValue(Buffer.from('hello\u0000')), 'hello');
  assert.equal(octetsToValue(Buffer.from([0, 0x1b, 0xff])), '0x001bff');
  assert.deepEqual(toVarBind({ oid: '1.3', type: 70, value: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0]) }), {
    oid: '1.3',
    type: 'Counter64',
    value: '18446744073709551616',
  });
  assert.deepEqual(toVarBind({ oid: '1.3', type: 128, value: null }), {
    oid: '1.3',
    type: 'NoSuchObject',
    value: null,
  });
  assert.deepEqual(varBindFromSetArgs('1.3.6.1.2.1.1.5.0', 's', 'core'), {
    oid: '1.3.6.1.2.1.1.5.0',
    type: 'OctetString',
    value: 'core',
  });
  assert.deepEqual(varBindFromSetArgs('1.3.6.1', 'x', '0A:0b'), {
    oid: '1.3.6.1',
    type: 'OctetString',
    value: '0x0a0b',
  });
  assert.deepEqual(varBindFromSetArgs('1.3.6.1', 'i', '-5'), { oid: '1.3.6.1', type: 'Integer', value: -5 });
  assert.throws(() => varBindFromSetArgs('1.3.6.1', 'i', 'five'), /not an integer/);
  assert.throws(() => varBindFromSetArgs('1.3.6.1', 'q', '1'), /unknown type/);
  assert.deepEqual(toRawVarBind({ oid: '.1.3', type: 'OctetString', value: '0x0a0b' }), {
    oid: '1.3',
    type: 4,
    value: Buffer.from([10, 11]),
  });
  assert.deepEqual(toRawVarBind({ oid: '1.3', type: 'Counter64', value: '256' }).value, Buffer.from([1, 0]));
});
