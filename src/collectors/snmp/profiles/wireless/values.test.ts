import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { Tally } from './summary.ts';
import { columnRoots, readTable, scalar } from './table.ts';
import {
  bandFromChannel,
  bandFromMhz,
  ipv4,
  mac,
  macFromArcs,
  num,
  pct,
  str,
  stringFromArcs,
  ticksToS,
} from './values.ts';

test('mac: every form a MAC value arrives in', () => {
  for (const [given, expected] of [
    ['0x003A98B02E70', '00:3a:98:b0:2e:70'],
    ['00:3a:98:b0:2e:70', '00:3a:98:b0:2e:70'],
    ['3C-F8-62-E7-9B-C2', '3c:f8:62:e7:9b:c2'],
    ['003a.98b0.2e70', '00:3a:98:b0:2e:70'],
    ['5017ff57b3d0', '50:17:ff:57:b3:d0'],
    ['ABCDEF', '41:42:43:44:45:46'], // six printable octets shown as text
    ['ABCDE', '41:42:43:44:45:00'], // … whose trailing NUL the varbind layer dropped
    ['0x0011', undefined],
    ['not a mac at all', undefined],
  ] as const)
    assert.equal(mac(given), expected, given);
  assert.equal(mac(42), undefined);
  assert.equal(macFromArcs(['0', '58', '152', '176', '46', '112', '9']), '00:3a:98:b0:2e:70');
  assert.equal(macFromArcs(['0', '58', '300', '176', '46', '112']), undefined);
  assert.equal(macFromArcs(['1', '2']), undefined);
});

test('scalar value helpers', () => {
  assert.deepEqual(
    [num(5), num('18446744073709551615'), num(' 7 '), num('7a'), num(null), num(Number.NaN)],
    [5, 2 ** 64, 7, undefined, undefined, undefined],
  );
  assert.deepEqual(
    [str('ssid  '), str('x\u0000'), str(''), str(' '), str(3), str(null)],
    ['ssid', 'x', undefined, undefined, '3', undefined],
  );
  assert.deepEqual([ticksToS(12345), ticksToS(-1), ticksToS('x')], [123, undefined, undefined]);
  assert.deepEqual([ipv4('10.0.0.1'), ipv4('0.0.0.0'), ipv4('fe80::1')], ['10.0.0.1', undefined, undefined]);
  assert.deepEqual([pct(0), pct(100), pct(-1), pct(255)], [0, 100, undefined, undefined]);
  assert.equal(stringFromArcs('4.99.111.114.112'.split('.')), 'corp');
  assert.equal(stringFromArcs('5.99.111'.split('.')), undefined);
  assert.deepEqual([1, 14, 36, 165, 0, 233].map(bandFromChannel), [
    '2.4GHz',
    '2.4GHz',
    '5GHz',
    '5GHz',
    'unknown',
    'unknown',
  ]);
  assert.deepEqual([2437, 5785, 6115, 900].map(bandFromMhz), ['2.4GHz', '5GHz', '6GHz', 'unknown']);
});

test('readTable: rows by instance, named columns only, exceptions skipped; columnRoots lists them', () => {
  const spec = { entry: '1.3.6.1.9.1', columns: { a: 2, b: 3 } };
  const vbs: VarBind[] = [
    { oid: '1.3.6.1.9.1.2.7.1', type: 'Integer', value: 1 },
    { oid: '1.3.6.1.9.1.3.7.1', type: 'OctetString', value: 'x' },
    { oid: '1.3.6.1.9.1.4.7.1', type: 'Integer', value: 9 },
    { oid: '1.3.6.1.9.1.2.8', type: 'NoSuchInstance', value: null },
    { oid: '1.3.6.1.9.10.2.8', type: 'Integer', value: 3 },
    { oid: '1.3.6.1.9.1.2', type: 'Integer', value: 3 },
    { oid: '1.3.6.1.9.2.0', type: 'Integer', value: 42 },
  ];
  assert.deepEqual([...readTable(vbs, spec)], [['7.1', { a: 1, b: 'x' }]]);
  assert.deepEqual(columnRoots([spec], ['1.3.6.1.9.2']), ['1.3.6.1.9.1.2', '1.3.6.1.9.1.3', '1.3.6.1.9.2']);
  assert.equal(scalar(vbs, '1.3.6.1.9.2'), 42);
});

test('Tally: SSIDs named like Object.prototype members are ordinary keys', () => {
  const t = new Tally();
  t.add('__proto__', 2);
  t.add('constructor', 1);
  t.add('__proto__', 1);
  t.add(undefined, 5);
  const r = t.toRecord();
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.deepEqual(Object.entries(r), [
    ['__proto__', 3],
    ['constructor', 1],
  ]);
  assert.equal(t.total(), 4);
  assert.equal(JSON.parse(JSON.stringify(r)).constructor, 1);
});
