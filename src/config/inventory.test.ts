import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from './load.ts';
import { deviceSchema } from './inventory.ts';

test('a device address must be an IP address or a host name; the error names its path', () => {
  const devices = [
    { name: 'a', address: '10.0.0.1' },
    { name: 'b', address: 'edge-1.example.net' },
    { name: 'c', address: '-Z' },
  ];
  assert.throws(
    () => validateConfig({ devices }),
    (e: Error) =>
      /devices\[2\]\.address: expected an IP address or host name/.test(e.message) &&
      !/devices\[[01]\]/.test(e.message),
  );
  for (const address of ['-Z', '--help', '10.0.0.1 -c 100', ''])
    assert.equal(deviceSchema.safeParse({ name: 'x', address }).success, false, address);
  for (const address of ['10.0.0.1', '::1', 'fe80::1%eth0', 'sw1'])
    assert.equal(deviceSchema.safeParse({ name: 'x', address }).success, true, address);
});
