import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isHostAddress, unmapIPv4 } from './address.ts';

test('isHostAddress: IPv4, IPv6 (with a zone) and RFC 1123 host names', () => {
  for (const ok of [
    '127.0.0.1',
    '10.0.0.1',
    '255.255.255.255',
    '::1',
    '2001:db8::1',
    '::ffff:192.0.2.1',
    'fe80::1%eth0',
    'fe80::1%2',
    'localhost',
    'a',
    'x',
    'edge-1.example.net',
    'edge-1.example.net.',
    '3com-sw',
    'sw1.dc1',
    'lab_sw1.corp',
    '_ldap._tcp.example',
    'a'.repeat(63) + '.example',
  ])
    assert.equal(isHostAddress(ok), true, ok);
  for (const bad of [
    '',
    '-Z',
    '-',
    '--',
    '-c5',
    '- 1',
    ' 127.0.0.1',
    '127.0.0.1 ',
    '10.0.0.256',
    '1',
    '10.1',
    'a b',
    '-a.example',
    'a-.example',
    'a..b',
    '.a',
    '..',
    '.',
    'fe80::1%',
    'fe80::1%-Z',
    'fe80::1%e th',
    '[::1]',
    '::1]',
    'a'.repeat(64) + '.example',
    'x;rm -rf /',
    '$(id)',
    'a\nb',
    'a\u0000',
    'é.example',
    `${'a.'.repeat(127)}ab`,
  ])
    assert.equal(isHostAddress(bad), false, JSON.stringify(bad));
});

test('isHostAddress: nothing it accepts starts with a dash or holds a space or control character', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      if (isHostAddress(s)) assert.ok(!s.startsWith('-') && !/[\s\u0000-\u001f]/.test(s), s);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (s) => {
      assert.equal(isHostAddress(`-${s}`), false);
    }),
  );
});

test('unmapIPv4: an IPv4 peer named by a dual-stack socket becomes plain IPv4; anything else is left as given', () => {
  for (const [given, expected] of [
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:abcd', '::ffff:abcd'],
    ['::ffff:10.0.0', '::ffff:10.0.0'],
    ['', ''],
  ])
    assert.equal(unmapIPv4(given), expected, given);
});
