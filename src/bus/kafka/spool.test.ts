import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { OutMessage } from './producer.ts';
import { openSpool } from './spool.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vigil-spool-'));
  dirs.push(d);
  return d;
};
const message = (i: number, size = 10): OutMessage => ({
  topic: 'vigil.vigil.logs',
  partition: i % 3,
  key: `k${i}`,
  value: Buffer.alloc(size, i),
  headers: { 'vigil-batch': `b${i}` },
  records: 2,
});

test('spool: messages come back in order, exactly as appended; a sent segment is deleted', () => {
  const dir = tempDir();
  const s = openSpool({ dir, maxBytes: 1e9, maxAgeMs: 1e9, segmentBytes: 200 });
  s.append([0, 1, 2, 3, 4, 5].map((i) => message(i)));
  assert.ok(readdirSync(dir).length > 1, 'several segments');
  const out: OutMessage[] = [];
  while (!s.empty) {
    const batch = s.peek(2);
    out.push(...batch);
    s.ack(batch.length);
  }
  assert.deepEqual(
    out,
    [0, 1, 2, 3, 4, 5].map((i) => message(i)),
  );
  assert.deepEqual(readdirSync(dir), []);
  assert.deepEqual({ ...s.stats() }, { records: 0, bytes: 0, spooled: 12, replayed: 12, dropped: 0 });
});

test('spool: what was not sent before a restart is sent after it, from the start of its segment; a torn entry is left out', () => {
  const dir = tempDir();
  const a = openSpool({ dir, maxBytes: 1e9, maxAgeMs: 1e9 });
  a.append([message(0), message(1), message(2)]);
  a.ack(a.peek(1).length);
  a.close();
  const [seg] = readdirSync(dir);
  appendFileSync(join(dir, seg), Buffer.from([200, 0, 0, 0, 1, 2, 3]));
  const b = openSpool({ dir, maxBytes: 1e9, maxAgeMs: 1e9 });
  assert.deepEqual(
    b.peek(10).map((m) => m.key),
    ['k0', 'k1', 'k2'],
  );
});

test('spool: past its bytes or its age the oldest segments are dropped and counted', () => {
  let now = 1_000_000;
  const dir = tempDir();
  const s = openSpool({ dir, maxBytes: 1000, maxAgeMs: 60_000, segmentBytes: 300, now: () => now });
  s.append(Array.from({ length: 20 }, (_, i) => message(i, 50)));
  const st = s.stats();
  assert.ok(st.bytes <= 1000 + 300, `bounded: ${st.bytes}`);
  assert.ok(st.dropped > 0 && st.dropped + st.records === 40);
  assert.equal(s.peek(1)[0].key !== 'k0', true, 'the oldest went first');
  now += 61_000;
  assert.deepEqual(s.peek(10), []);
  assert.equal(s.stats().dropped, 40);
  assert.ok(s.empty);
});
