import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTERPRISES, enterpriseNumber, vendorFromSysObjectId } from './enterprises.ts';

test('vendorFromSysObjectId: vectors', () => {
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.9.1.617'), 'Cisco');
  assert.equal(vendorFromSysObjectId('.1.3.6.1.4.1.2636.1.1.1.2.21'), 'Juniper');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.30065'), 'Arista');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.99999999.1'), undefined);
  assert.equal(vendorFromSysObjectId('1.3.6.1.2.1.1'), undefined);
  assert.equal(vendorFromSysObjectId(''), undefined);
  assert.equal(vendorFromSysObjectId(undefined), undefined);
  assert.equal(enterpriseNumber('1.3.6.1.4.1.318.1.3.4.6'), 318);
});

test('the table covers at least 60 vendors, with non-empty names', () => {
  assert.ok(Object.keys(ENTERPRISES).length >= 60);
  for (const [n, name] of Object.entries(ENTERPRISES)) assert.ok(Number.isInteger(Number(n)) && name.trim(), n);
});
