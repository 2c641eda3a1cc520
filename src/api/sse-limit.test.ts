import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../model/errors.ts';
import { createSseLimiter } from './sse-limit.ts';

const refusedWith = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(
    fn,
    (e) => isVigilError(e) && e.code === 'VIGIL_TOO_MANY_REQUESTS' && e.status === 429 && pattern.test(e.message),
  );

test('per-principal cap, then the total cap; each refusal counted by its reason', () => {
  const l = createSseLimiter({ maxPerUser: 2, maxTotal: 3 });
  const a1 = l.acquire('user:a');
  l.acquire('user:a');
  refusedWith(() => l.acquire('user:a'), /http\.sse\.maxPerUser/);
  l.acquire('user:b');
  refusedWith(() => l.acquire('user:c'), /http\.sse\.maxTotal/);
  assert.deepEqual(l.stats(), { maxPerUser: 2, maxTotal: 3, open: 3, opened: 3, refusedPerUser: 1, refusedTotal: 1 });
  a1();
  a1(); // a second release gives back nothing more
  assert.equal(l.stats().open, 2);
  l.acquire('user:a'); // a's released slot is a's to take again
  refusedWith(() => l.acquire('user:a'), /maxPerUser/);
  assert.deepEqual(l.stats(), { maxPerUser: 2, maxTotal: 3, open: 3, opened: 4, refusedPerUser: 2, refusedTotal: 1 });
});
