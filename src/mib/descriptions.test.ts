import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { fileDescriptionSink, lowerAscii, memoryDescriptions, openFileDescriptions } from './descriptions.ts';

test('descriptions written to files read back by id, and a search finds each text once, across chunk seams', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-desc-'));
  try {
    const texts = [
      'The number of octets received',
      '',
      'Temperature of the FAN tray',
      'fan speed',
      'x'.repeat(5000) + 'needle' + 'y'.repeat(10),
      'NEEDLE at start',
    ];
    const sink = fileDescriptionSink(dir);
    texts.forEach((t, i) => assert.equal(sink.add(t), i));
    sink.finish();
    sink.commit();
    assert.equal(statSync(join(dir, 'mib-descriptions.txt')).mode & 0o777, 0o600);
    for (const chunkBytes of [7, 64, 1 << 20]) {
      const store = openFileDescriptions(dir, { chunkBytes });
      assert.equal(store.count, texts.length);
      texts.forEach((t, i) => assert.equal(store.get(i), t === '' ? '' : t));
      const hits = (q: string) => {
        const out: number[] = [];
        store.search(lowerAscii(q), (id) => (out.push(id), true));
        return out;
      };
      assert.deepEqual(hits('fan'), [2, 3], `chunk ${chunkBytes}`);
      assert.deepEqual(hits('needle'), [4, 5]);
      assert.deepEqual(hits('octets received'), [0]);
      assert.deepEqual(hits('receivedTemp'), [], 'never across two texts');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file store finds what the memory store finds, for any texts and query', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: fc.constantFrom('a', 'B', 'c', ' '), maxLength: 30 }), { maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 3 }),
      fc.integer({ min: 3, max: 50 }),
      (texts, q, chunkBytes) => {
        const dir = mkdtempSync(join(tmpdir(), 'vigil-desc-'));
        try {
          const mem = memoryDescriptions();
          const sink = fileDescriptionSink(dir);
          for (const t of texts) {
            mem.add(t);
            sink.add(t);
          }
          sink.finish();
          sink.commit();
          const a: number[] = [];
          const b: number[] = [];
          mem.search(q, (id) => (a.push(id), true));
          openFileDescriptions(dir, { chunkBytes }).search(q, (id) => (b.push(id), true));
          assert.deepEqual(b, a);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
    { numRuns: 200 },
  );
});
