import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from '../model/records.ts';
import { createMemoryBus } from './memory.ts';

const sample = (i: number): Sample => ({ kind: 'sample', deviceId: 'd', metric: 'm', labels: {}, ts: i, value: i });

test('delivers every record once, in order, in batches, only of the kinds asked for', async () => {
  const bus = createMemoryBus();
  const got: number[] = [];
  const batches: number[] = [];
  bus.subscribe(
    's',
    (b) => {
      batches.push(b.length);
      for (const r of b) got.push((r as Sample).value);
    },
    { kinds: ['sample'], maxBatch: 10 },
  );
  for (let i = 0; i < 95; i++) await bus.publish(sample(i));
  await bus.publish({ kind: 'device-state', deviceId: 'd', ts: 1 });
  await bus.drain();
  assert.deepEqual(
    got,
    Array.from({ length: 95 }, (_, i) => i),
  );
  assert.ok(batches.every((n) => n <= 10));
});

test('holds publishers back while a subscriber is at capacity, then releases them', async () => {
  const bus = createMemoryBus();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let delivered = 0;
  bus.subscribe(
    'slow',
    async (b) => {
      await gate;
      delivered += b.length;
    },
    { capacity: 5, maxBatch: 100 },
  );
  for (let i = 0; i < 5; i++) void bus.publish(sample(i));
  await new Promise((r) => setImmediate(r));
  // the first record is in the blocked handler; fill the queue to capacity
  const pending = [];
  for (let i = 5; i < 11; i++) pending.push(bus.publish(sample(i)));
  assert.equal(bus.saturated, true);
  let resolved = false;
  void Promise.all(pending).then(() => (resolved = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(resolved, false);
  release();
  await Promise.all(pending);
  await bus.drain();
  assert.equal(delivered, 11);
  assert.equal(bus.saturated, false);
});

test('a failing handler is counted and does not stop delivery', async () => {
  const errors: string[] = [];
  const bus = createMemoryBus({ onError: (name) => errors.push(name) });
  let n = 0;
  bus.subscribe(
    'flaky',
    (b) => {
      n += b.length;
      if (n === 1) throw new Error('boom');
    },
    { maxBatch: 1 },
  );
  await bus.publish(sample(1));
  await bus.drain();
  await bus.publish(sample(2));
  await bus.drain();
  assert.equal(n, 2);
  assert.deepEqual(errors, ['flaky']);
  assert.equal(bus.stats()[0].failed, 1);
});
