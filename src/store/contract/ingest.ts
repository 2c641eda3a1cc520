/** Bus batches with ids (Kafka messages) stored once however often they are delivered. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BusRecord } from '../../model/records.ts';
import { DAY, log, T0, trap, type ContractSuite } from './helpers.ts';

const sample = (i: number): BusRecord => ({
  kind: 'sample',
  deviceId: 'sw1',
  metric: 'm',
  labels: {},
  ts: T0 + i * 60_000,
  value: i,
});

export const ingestContract: ContractSuite = (fresh, open, tempDir) => {
  test('batches: claimed once; pruned by age', async () => {
    const s = await fresh();
    assert.deepEqual(await s.claimBatches(['a', 'b'], T0), ['a', 'b']);
    assert.deepEqual((await s.claimBatches(['b', 'c'], T0 + DAY)).sort(), ['c']);
    assert.deepEqual(await s.claimBatches([], T0), []);
    assert.equal(await s.pruneBatches(T0 + 1), 2);
    assert.deepEqual(await s.claimBatches(['a', 'b', 'c'], T0 + 2 * DAY), ['a', 'b']);
  });

  test('records of a batch delivered again are stored once; records of no batch always; a partial replay adds the rest', async () => {
    const s = await fresh();
    const batch = [log(1), log(2), trap(3), sample(4)];
    const sources = [
      { id: 'c1:1', start: 0, end: 2 },
      { id: 'c1:2', start: 2, end: 3 },
    ];
    await s.writeRecordsOnce(batch, sources);
    await s.writeRecordsOnce(batch, sources);
    assert.equal((await s.logStats()).count, 2);
    assert.equal(await s.countTraps(), 1);
    assert.equal((await s.latest('m')).length, 1);
    // A redelivery that holds one stored batch and one new one: only the new one's records go in.
    await s.writeRecordsOnce(
      [log(1), log(2), log(5)],
      [
        { id: 'c1:1', start: 0, end: 2 },
        { id: 'c1:3', start: 2, end: 3 },
      ],
    );
    assert.deepEqual(
      (await s.queryLogs({})).logs.map((l) => l.message),
      ['line 5', 'line 2', 'line 1'],
    );
  });

  test('two stores on the same data handed the same batch at once store it once', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir);
    const batch = Array.from({ length: 200 }, (_, i) => log(i));
    const sources = [{ id: 'c2:1', start: 0, end: 200 }];
    await Promise.all([a.writeRecordsOnce(batch, sources), b.writeRecordsOnce(batch, sources)]);
    assert.equal((await a.logStats()).count, 200);
  });
};
