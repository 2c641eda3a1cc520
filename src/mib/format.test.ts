import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyIntegerHint, applyOctetHint, formatInetAddress, formatTimeTicks } from './format.ts';

const b = (...x: number[]) => Uint8Array.from(x);

test('octet DISPLAY-HINTs (RFC 2579)', () => {
  assert.equal(applyOctetHint('1x:', b(0, 0x11, 0xaa, 0xbb, 0xcc, 0xdd)), '00:11:aa:bb:cc:dd');
  assert.equal(applyOctetHint('255a', Buffer.from('hello')), 'hello');
  assert.equal(
    applyOctetHint('2d-1d-1d,1d:1d:1d.1d,1a1d:1d', b(0x07, 0xea, 11, 25, 13, 30, 15, 0, 0x2b, 1, 0)),
    '2026-11-25,13:30:15.0,+1:0',
  );
  assert.equal(applyOctetHint('1d.1d.1d.1d', b(10, 0, 0, 1)), '10.0.0.1');
  assert.equal(applyOctetHint('*1x:', b(2, 0xab, 0xcd)), 'ab:cd');
  assert.equal(applyOctetHint('1d', b()), '');
  assert.equal(applyOctetHint('bogus', b(1)), undefined);
});

test('integer DISPLAY-HINTs', () => {
  assert.equal(applyIntegerHint('d-2', 1234), '12.34');
  assert.equal(applyIntegerHint('d-2', -5), '-0.05');
  assert.equal(applyIntegerHint('d-1', 7n), '0.7');
  assert.equal(applyIntegerHint('x', 255), 'ff');
  assert.equal(applyIntegerHint('d', 42), '42');
});

test('InetAddress and TimeTicks', () => {
  assert.equal(formatInetAddress(b(192, 168, 1, 2)), '192.168.1.2');
  assert.equal(formatInetAddress(b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), '2001:db8::1');
  assert.equal(formatInetAddress(b(1, 2, 3)), undefined);
  assert.equal(formatTimeTicks(8640000 + 123456), '(8763456) 1 day, 0:20:34.56');
});
