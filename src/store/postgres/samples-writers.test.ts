/**
 * Samples and traps on PostgreSQL with several writers on one database (as several Vigil processes): series made
 * once, rollups that count each point once whatever the interleaving, and what a rolled-back transaction leaves.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../../../test/harness/postgres.ts';
import type { Sample } from '../../model/records.ts';
import { T0, trap } from '../contract/helpers.ts';
import type { Store } from '../types.ts';
import { openPostgres } from './index.ts';

let server: TestPostgres;
let admin: pg.Client;
let databases = 0;
const open: Store[] = [];

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
});
after(async () => {
  for (const s of open) await s.close();
  await admin?.end();
  await server?.stop();
});

/** `n` stores (each its own pool, as separate processes would have) on one new database. */
async function stores(n: number): Promise<Store[]> {
  const name = `w_${++databases}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const out: Store[] = [];
  for (let i = 0; i < n; i++) out.push(await openPostgres(url.toString(), { pool: 4 }));
  open.push(...out);
  return out;
}

const sample = (ts: number, value: number, labels: Record<string, string> = {}): Sample => ({
  kind: 'sample',
  deviceId: 'd',
  metric: 'm',
  labels,
  ts,
  value,
});
const points = async (s: Store, tier: 'raw' | '5m' | '1h', labels?: Record<string, string>) =>
  (await s.querySeries({ deviceId: 'd', metric: 'm', labels, from: T0, to: T0 + 86_400_000, tier }))[0]?.points ?? [];

test('writers at once: one series per labels, and every point counted once in its rollups however the batches overlap', async () => {
  const ss = await stores(3);
  // Every store writes every point (a batch retried, a record delivered twice), in its own order and batch sizes.
  const all = Array.from({ length: 600 }, (_, i) => sample(T0 + i * 10_000, i % 37, { i: String(i % 4) }));
  await Promise.all(
    ss.map(async (s, k) => {
      const mine = k % 2 ? [...all].reverse() : all;
      for (let i = 0; i < mine.length; i += 50 + 25 * k) await s.writeSamples(mine.slice(i, i + 50 + 25 * k));
    }),
  );
  const series = await ss[0].querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 86_400_000, tier: '1h' });
  assert.equal(series.length, 4);
  for (const x of series) {
    const mine = all.filter((s) => s.labels.i === x.labels.i).map((s) => s.value);
    const five = await points(ss[1], '5m', x.labels);
    assert.equal(five.length, 20);
    const hour = x.points;
    assert.equal(hour.length, 2);
    const total = (ps: typeof hour, per: number) => ps.reduce((t, p) => t + p.value * per, 0);
    assert.equal(
      Math.round(total(hour.slice(0, 1), 90) + total(hour.slice(1), 60)),
      mine.reduce((a, b) => a + b, 0),
    );
    assert.equal(Math.min(...hour.map((p) => p.min!)), Math.min(...mine));
    assert.equal(Math.max(...hour.map((p) => p.max!)), Math.max(...mine));
  }
  assert.equal((await ss[2].latest('m')).length, 4);
});

test('writers at once replacing the same points: the rollups follow the value that stayed', async () => {
  const ss = await stores(2);
  await ss[0].writeSamples(Array.from({ length: 30 }, (_, i) => sample(T0 + i * 10_000, 1)));
  await Promise.all(
    ss.map(async (s, k) => {
      for (let round = 0; round < 5; round++)
        await s.writeSamples(Array.from({ length: 30 }, (_, i) => sample(T0 + i * 10_000, 10 * (k + 1) + round + i)));
    }),
  );
  const raw = await points(ss[0], 'raw');
  assert.equal(raw.length, 30);
  const five = await points(ss[1], '5m');
  assert.deepEqual(five, [
    {
      ts: T0,
      value: raw.reduce((t, p) => t + p.value, 0) / 30,
      min: Math.min(...raw.map((p) => p.value)),
      max: Math.max(...raw.map((p) => p.value)),
    },
  ]);
});

test('in one batch, a later value at the same time replaces an earlier one (counted once)', async () => {
  const [s] = await stores(1);
  await s.writeSamples([sample(T0, 1), sample(T0, 5), sample(T0 + 1000, 3)]);
  assert.deepEqual(await points(s, '5m'), [{ ts: T0, value: 4, min: 3, max: 5 }]);
  await s.writeSamples([sample(T0, 7), sample(T0, 3), sample(T0 + 1000, 9)]);
  assert.deepEqual(await points(s, '5m'), [{ ts: T0, value: 6, min: 3, max: 9 }]);
  assert.deepEqual(
    (await s.latest('m')).map((l) => [l.ts, l.value]),
    [[T0 + 1000, 9]],
  );
});

test('a rolled-back transaction leaves no samples nor traps, and its series can be written again at once', async () => {
  const [a, b] = await stores(2);
  await assert.rejects(
    a.transaction(async (tx) => {
      await tx.writeSamples([sample(T0, 1, { a: '1' })]);
      await tx.writeTraps([trap(1)]);
      assert.equal((await tx.latest('m')).length, 1);
      throw new Error('undone');
    }),
    /undone/,
  );
  assert.deepEqual(await b.latest('m'), []);
  assert.equal(await b.countTraps(), 0);
  await a.writeSamples([sample(T0, 2, { a: '2' })]);
  await a.writeSamples([sample(T0, 1, { a: '1' })]);
  const series = await b.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0, tier: 'raw' });
  assert.deepEqual(series.map((x) => [x.labels.a, x.points.map((p) => p.value)]).sort(), [
    ['1', [1]],
    ['2', [2]],
  ]);
});

test('two stores by turns: one series, traps in arrival order with ids never shared; maintain and prune from either', async () => {
  const [a, b] = await stores(2);
  for (let i = 0; i < 10; i++) {
    const s = i % 2 ? b : a;
    await s.writeSamples([sample(T0 + i * 60_000, i, { ifIndex: '1' })]);
    await s.writeTraps([trap(i)]);
  }
  for (const s of [a, b]) {
    assert.deepEqual(
      (await points(s, 'raw')).map((p) => p.value),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      (await points(s, '5m')).map((p) => p.max),
      [4, 9],
    );
    const traps = (await s.listTraps()).items;
    assert.deepEqual(
      traps.map((t) => t.varbinds[0].value),
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    );
    assert.equal(new Set(traps.map((t) => t.id)).size, 10);
  }
  // Both maintain at once: whole days dropped by one, the other finds them gone.
  await Promise.all([a, b].map((s) => s.maintain(T0 + 3 * 86_400_000, { raw: 1, '5m': 1, '1h': 1 })));
  assert.deepEqual(await points(a, 'raw'), []);
  assert.deepEqual((await Promise.all([a, b].map((s) => s.pruneTraps(T0 + 5000)))).sort(), [0, 5]);
  assert.equal(await b.countTraps(), 5);
});

test('a day partition another store dropped is made again for a late write into it', async () => {
  const [a, b] = await stores(2);
  await a.writeSamples([sample(T0, 1)]);
  await a.writeTraps([trap(1)]);
  await b.maintain(T0 + 3 * 86_400_000, { raw: 1, '5m': 1, '1h': 1 });
  assert.equal(await b.pruneTraps(T0 + 86_400_000), 1);
  await a.writeSamples([sample(T0 + 1000, 2)]);
  await a.writeTraps([trap(2)]);
  assert.deepEqual(
    (await points(b, '5m')).map((p) => p.value),
    [2],
  );
  assert.equal(await b.countTraps(), 1);
  // Inside a transaction the failed insert aborts it; the next attempt finds the partition.
  await b.maintain(T0 + 3 * 86_400_000, { raw: 1, '5m': 1, '1h': 1 });
  await b.pruneTraps(T0 + 86_400_000);
  await assert.rejects(
    a.transaction((tx) => tx.writeTraps([trap(3)])),
    /no partition/,
  );
  await a.transaction((tx) => tx.writeTraps([trap(3)]));
  assert.equal(await b.countTraps(), 1);
});
