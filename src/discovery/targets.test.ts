import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../model/errors.ts';
import { inRanges, mergeRanges, parseRange, planTargets, subtractRanges } from './targets.ts';

const limits = { maxAddresses: 4096, allowed: [] as string[] };
const validation = (pattern: RegExp) => (e: unknown) => isVigilError(e) && e.status === 400 && pattern.test(e.message);

test('CIDR ranges leave out network and broadcast; /31 and /32 keep both', () => {
  assert.deepEqual(planTargets(['10.0.0.0/30'], [], limits).addresses, ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(planTargets(['10.0.0.0/31'], [], limits).addresses, ['10.0.0.0', '10.0.0.1']);
  assert.deepEqual(planTargets(['10.0.0.7/32'], [], limits).addresses, ['10.0.0.7']);
  assert.equal(planTargets(['10.0.0.0/22'], [], limits).addresses.length, 1022);
  // A host address with a prefix is taken as its network.
  assert.deepEqual(planTargets(['10.0.0.5/30'], [], limits).addresses, ['10.0.0.5', '10.0.0.6']);
});

test('a-b ranges, short a-b, single addresses and IPv6 singles', () => {
  const p = planTargets(['10.0.0.250-10.0.1.1', '10.0.2.5-7', '10.0.3.9', 'fe80::1'], [], limits);
  assert.deepEqual(p.addresses, [
    '10.0.0.250',
    '10.0.0.251',
    '10.0.0.252',
    '10.0.0.253',
    '10.0.0.254',
    '10.0.0.255',
    '10.0.1.0',
    '10.0.1.1',
    '10.0.2.5',
    '10.0.2.6',
    '10.0.2.7',
    '10.0.3.9',
  ]);
  assert.deepEqual(p.ipv6, ['fe80::1']);
});

test('overlapping targets are swept once; exclusions are left out and counted', () => {
  const p = planTargets(['10.0.0.0/29', '10.0.0.4-10.0.0.10'], ['10.0.0.2', '10.0.0.8/30'], limits);
  assert.deepEqual(p.addresses, ['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
  assert.equal(p.excluded, 4);
  assert.ok(inRanges('10.0.0.5', p.scope));
  assert.ok(!inRanges('10.0.0.9', p.scope));
});

test('bad specs name the field and the text', () => {
  for (const bad of ['10.0.0.0/33', '10.0.0.256', 'host.example', '10.0.0.9-10.0.0.1', '-1', '10.0.0.0/', '1.2.3.4/8x'])
    assert.throws(() => planTargets([bad], [], limits), validation(/^targets\[0\]: /), bad);
  assert.throws(() => planTargets(['10.0.0.1'], ['nope'], limits), validation(/^exclude\[0\]: "nope"/));
  assert.throws(() => planTargets([], [], limits), validation(/at least one/));
});

test('more than maxAddresses, everything excluded, or outside the allowed ranges: 400', () => {
  assert.throws(
    () => planTargets(['10.0.0.0/16'], [], limits),
    validation(/65534 addresses is more than discovery.maxAddresses \(4096\)/),
  );
  assert.throws(
    () => planTargets(['10.0.0.0/30'], ['10.0.0.0/29'], limits),
    validation(/every target address is excluded/),
  );
  const allowed = { maxAddresses: 4096, allowed: ['10.1.0.0/16', '192.168.5.0/24'] };
  assert.equal(planTargets(['10.1.2.0/24', '192.168.5.7'], [], allowed).addresses.length, 255);
  assert.throws(
    () => planTargets(['192.168.5.7', '10.2.0.0/24'], [], allowed),
    validation(/^targets\[1\]: 10\.2\.0\.1 is outside/),
  );
  // A range that only starts inside is outside too.
  assert.throws(() => planTargets(['10.1.255.250-10.2.0.3'], [], allowed), validation(/10\.2\.0\.0 is outside/));
  assert.throws(() => planTargets(['::1'], [], allowed), validation(/IPv6/));
});

test('range arithmetic', () => {
  const r = (s: string) => parseRange(s, 'x');
  assert.deepEqual(mergeRanges([r('10.0.0.5-9'), r('10.0.0.1-4'), r('10.0.0.20')]), [
    { first: r('10.0.0.1').first, last: r('10.0.0.9').first },
    r('10.0.0.20'),
  ]);
  assert.deepEqual(subtractRanges([r('10.0.0.1-10')], [r('10.0.0.1'), r('10.0.0.5-6'), r('10.0.0.10-20')]), [
    r('10.0.0.2-4'),
    r('10.0.0.7-9'),
  ]);
});
