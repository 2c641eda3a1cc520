/** Samples: series by labels, the raw, 5-minute and hourly tiers and their boundaries, latest values, retention. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from '../../model/records.ts';
import type { Store } from '../types.ts';
import { DAY, HOUR, MINUTE, sorted, T0, type ContractSuite } from './helpers.ts';

const FIVE = 5 * MINUTE;
const sample = (
  ts: number,
  value: number,
  labels: Record<string, string> = {},
  metric = 'm',
  deviceId = 'd',
): Sample => ({ kind: 'sample', deviceId, metric, labels, ts, value });
const points = async (s: Store, from: number, to: number, tier: 'raw' | '5m' | '1h', metric = 'm') =>
  (await s.querySeries({ deviceId: 'd', metric, from, to, tier }))[0]?.points ?? [];

export const samplesContract: ContractSuite = (fresh) => {
  test('samples: raw, 5-minute and hourly tiers with min/avg/max; labels select series; latest', async () => {
    const s = await fresh();
    const samples: Sample[] = [];
    for (let i = 0; i < 120; i++) {
      samples.push({
        kind: 'sample',
        deviceId: 'd',
        metric: 'if.in.bps',
        labels: { ifIndex: '1' },
        ts: T0 + i * 60_000,
        value: i,
      });
      samples.push({
        kind: 'sample',
        deviceId: 'd',
        metric: 'if.in.bps',
        labels: { ifIndex: '2' },
        ts: T0 + i * 60_000,
        value: 1000,
      });
    }
    await s.writeSamples(samples);
    const raw = await s.querySeries({
      deviceId: 'd',
      metric: 'if.in.bps',
      labels: { ifIndex: '1' },
      from: T0,
      to: T0 + 7_200_000,
      stepS: 60,
    });
    assert.equal(raw.length, 1);
    assert.equal(raw[0].tier, 'raw');
    assert.equal(raw[0].points.length, 120);
    const five = await s.querySeries({
      deviceId: 'd',
      metric: 'if.in.bps',
      labels: { ifIndex: '1' },
      from: T0,
      to: T0 + 7_200_000,
      stepS: 300,
    });
    assert.equal(five[0].tier, '5m');
    assert.equal(five[0].points.length, 24);
    assert.deepEqual(five[0].points[0], { ts: T0, value: 2, min: 0, max: 4 });
    const hour = await s.querySeries({ deviceId: 'd', metric: 'if.in.bps', from: T0, to: T0 + 7_200_000, stepS: 3600 });
    assert.equal(hour.length, 2);
    const one = hour.find((x) => x.labels.ifIndex === '1')!;
    assert.deepEqual(
      one.points.map((p) => [p.min, p.value, p.max]),
      [
        [0, 29.5, 59],
        [60, 89.5, 119],
      ],
    );
    const latest = (await s.latest('if.in.bps', 'd')).sort((a, b) => a.labels.ifIndex.localeCompare(b.labels.ifIndex));
    assert.deepEqual(
      latest.map((l) => l.value),
      [119, 1000],
    );
    assert.deepEqual(
      (await s.latest('if.in.bps', undefined, { top: 1 })).map((l) => l.labels.ifIndex),
      ['2'],
    );
  });

  test('tiers: the step picks the tier (raw below 300 s, 5m below 3600 s, else 1h); without a step, about 500 points', async () => {
    const s = await fresh();
    await s.writeSamples([sample(T0, 1)]);
    const tier = async (stepS: number | undefined, to = T0 + HOUR) =>
      (await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to, stepS }))[0].tier;
    assert.deepEqual(
      [await tier(1), await tier(299), await tier(300), await tier(3599), await tier(3600), await tier(86_400)],
      ['raw', 'raw', '5m', '5m', '1h', '1h'],
    );
    // 500 points of 300 s: 150,000 s is the shortest range answered from 5-minute rollups, 500 h from hourly ones.
    assert.equal(await tier(undefined, T0 + 150_000_000 - 1), 'raw');
    assert.equal(await tier(undefined, T0 + 150_000_000), '5m');
    assert.equal(await tier(undefined, T0 + 1_800_000_000 - 1), '5m');
    assert.equal(await tier(undefined, T0 + 1_800_000_000), '1h');
    assert.equal(
      (await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 1000, stepS: 3600, tier: 'raw' }))[0].tier,
      'raw',
      'an explicit tier wins',
    );
  });

  test('tier boundaries: buckets start on multiples of 5 min and 1 h since the epoch; the last millisecond is in the bucket', async () => {
    const s = await fresh();
    await s.writeSamples([
      sample(T0, 1),
      sample(T0 + FIVE - 1, 3),
      sample(T0 + FIVE, 10),
      sample(T0 + HOUR - 1, 20),
      sample(T0 + HOUR, 100),
    ]);
    assert.deepEqual(await points(s, T0, T0 + 2 * HOUR, '5m'), [
      { ts: T0, value: 2, min: 1, max: 3 },
      { ts: T0 + FIVE, value: 10, min: 10, max: 10 },
      { ts: T0 + HOUR - FIVE, value: 20, min: 20, max: 20 },
      { ts: T0 + HOUR, value: 100, min: 100, max: 100 },
    ]);
    assert.deepEqual(await points(s, T0, T0 + 2 * HOUR, '1h'), [
      { ts: T0, value: 8.5, min: 1, max: 20 },
      { ts: T0 + HOUR, value: 100, min: 100, max: 100 },
    ]);
  });

  test('query ranges: raw points in [from, to]; a rollup bucket when it overlaps [from, to]', async () => {
    const s = await fresh();
    for (let i = 0; i < 12; i++) await s.writeSamples([sample(T0 + i * MINUTE, i)]);
    assert.deepEqual(
      (await points(s, T0 + MINUTE, T0 + 3 * MINUTE, 'raw')).map((p) => p.value),
      [1, 2, 3],
    );
    assert.deepEqual(
      (await points(s, T0 + MINUTE + 1, T0 + 3 * MINUTE - 1, 'raw')).map((p) => p.value),
      [2],
    );
    // Buckets [T0, T0+5m) and [T0+5m, T0+10m), [T0+10m, …).
    assert.deepEqual(
      (await points(s, T0 + FIVE - 1, T0 + FIVE, '5m')).map((p) => p.ts),
      [T0, T0 + FIVE],
    );
    assert.deepEqual(
      (await points(s, T0 + FIVE, T0 + 2 * FIVE - 1, '5m')).map((p) => p.ts),
      [T0 + FIVE],
    );
    assert.deepEqual(
      (await points(s, T0 + 1, T0 + 1, '5m')).map((p) => p.ts),
      [T0],
    );
    assert.deepEqual(
      (await points(s, T0 + 30 * MINUTE, T0 + 40 * MINUTE, '1h')).map((p) => p.ts),
      [T0],
    );
    assert.deepEqual(await points(s, T0 + HOUR, T0 + 2 * HOUR, '1h'), []);
  });

  test('series: labels in any order are one series; a label filter selects a subset; a dotted label name is one name', async () => {
    const s = await fresh();
    await s.writeSamples([
      sample(T0, 1, { ifIndex: '1', dir: 'in' }),
      sample(T0 + MINUTE, 2, { dir: 'in', ifIndex: '1' }),
      sample(T0, 3, { ifIndex: '2', dir: 'in', 'if.name': 'Gi0/2' }),
      sample(T0, 4, { ifIndex: '1' }, 'other'),
      sample(T0, 5, { ifIndex: '1' }, 'm', 'e'),
    ]);
    const all = await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + HOUR, tier: 'raw' });
    assert.equal(all.length, 2);
    assert.ok(all.every((x) => x.metric === 'm' && x.tier === 'raw'));
    const one = all.find((x) => x.labels.ifIndex === '1')!;
    assert.deepEqual(one.labels, { dir: 'in', ifIndex: '1' });
    assert.deepEqual(
      one.points.map((p) => p.value),
      [1, 2],
    );
    assert.deepEqual(
      (await s.querySeries({ deviceId: 'd', metric: 'm', labels: { dir: 'in' }, from: T0, to: T0 + HOUR, tier: 'raw' }))
        .length,
      2,
    );
    assert.deepEqual(
      (
        await s.querySeries({
          deviceId: 'd',
          metric: 'm',
          labels: { 'if.name': 'Gi0/2' },
          from: T0,
          to: T0 + HOUR,
          tier: 'raw',
        })
      ).map((x) => x.labels.ifIndex),
      ['2'],
    );
    assert.deepEqual(
      await s.querySeries({
        deviceId: 'd',
        metric: 'm',
        labels: { ifIndex: '3' },
        from: T0,
        to: T0 + HOUR,
        tier: 'raw',
      }),
      [],
    );
    assert.deepEqual(await s.querySeries({ deviceId: 'nope', metric: 'm', from: T0, to: T0 + HOUR }), []);
    const outOfRange = await s.querySeries({
      deviceId: 'd',
      metric: 'm',
      labels: { ifIndex: '2' },
      from: T0 + DAY,
      to: T0 + 2 * DAY,
      tier: 'raw',
    });
    assert.deepEqual(
      outOfRange.map((x) => x.points),
      [[]],
      'a matching series with no points in range is still listed',
    );
  });

  test('samples: the same sample written twice is one point and counts once in its rollups; values that are not finite are not stored', async () => {
    const s = await fresh();
    await s.writeSamples([sample(T0, 4), sample(T0 + MINUTE, 8)]);
    await s.writeSamples([sample(T0, 4)]);
    await s.writeSamples([sample(T0 + 2 * MINUTE, Number.NaN), sample(T0 + 3 * MINUTE, Number.POSITIVE_INFINITY)]);
    assert.deepEqual(
      (await points(s, T0, T0 + HOUR, 'raw')).map((p) => p.value),
      [4, 8],
    );
    assert.deepEqual(await points(s, T0, T0 + HOUR, '5m'), [{ ts: T0, value: 6, min: 4, max: 8 }]);
    assert.deepEqual(await points(s, T0, T0 + HOUR, '1h'), [{ ts: T0, value: 6, min: 4, max: 8 }]);
    assert.equal((await s.latest('m'))[0].value, 8);
    await s.writeSamples([]);
  });

  test('samples: a second value at the same time replaces the first, in the raw tier and in the rollups', async () => {
    const s = await fresh();
    await s.writeSamples([sample(T0, 4), sample(T0 + MINUTE, 8)]);
    await s.writeSamples([sample(T0, 2)]);
    assert.deepEqual(
      (await points(s, T0, T0 + HOUR, 'raw')).map((p) => p.value),
      [2, 8],
    );
    assert.deepEqual(await points(s, T0, T0 + HOUR, '5m'), [{ ts: T0, value: 5, min: 2, max: 8 }]);
  });

  test('latest: the newest sample by time, not the last written; per device or all; top N by value', async () => {
    const s = await fresh();
    await s.writeSamples([sample(T0 + 2 * MINUTE, 20, { i: '1' }), sample(T0 + MINUTE, 10, { i: '1' })]);
    await s.writeSamples([
      sample(T0, 5, { i: '2' }),
      sample(T0, 7, { i: '1' }, 'm', 'e'),
      sample(T0, 99, { i: '1' }, 'x'),
    ]);
    assert.deepEqual((await s.latest('m', 'd')).map((l) => [l.labels.i, l.ts, l.value]).sort(), [
      ['1', T0 + 2 * MINUTE, 20],
      ['2', T0, 5],
    ]);
    assert.deepEqual(sorted((await s.latest('m')).map((l) => `${l.deviceId}/${l.labels.i}`)), ['d/1', 'd/2', 'e/1']);
    assert.deepEqual(
      (await s.latest('m', undefined, { top: 2 })).map((l) => l.value),
      [20, 7],
    );
    assert.deepEqual(await s.latest('nope'), []);
  });

  test('retention removes each tier past its age', async () => {
    const s = await fresh();
    await s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: {}, ts: T0, value: 1 }]);
    await s.maintain(T0 + 8 * 86_400_000, { raw: 7, '5m': 90, '1h': 730 });
    assert.equal(
      (await s.querySeries({ deviceId: 'd', metric: 'm', from: T0 - 1, to: T0 + 1, tier: 'raw' }))[0].points.length,
      0,
    );
    assert.equal(
      (await s.querySeries({ deviceId: 'd', metric: 'm', from: T0 - 1, to: T0 + 1, tier: '5m' }))[0].points.length,
      1,
    );
  });

  test("retention boundary: a point (or a bucket's start) exactly at now minus the tier's days is kept, one ms older is removed", async () => {
    const s = await fresh();
    const now = T0 + 10 * DAY;
    const cut = (days: number) => now - days * DAY;
    // raw keeps 1 day, 5m 2 days, 1h 3 days; cutoffs fall on bucket starts (T0 is midnight).
    await s.writeSamples([
      sample(cut(1) - 1, 1),
      sample(cut(1), 2),
      sample(cut(2) - 1, 3),
      sample(cut(2), 4),
      sample(cut(3) - 1, 5),
      sample(cut(3), 6),
    ]);
    await s.maintain(now, { raw: 1, '5m': 2, '1h': 3 });
    assert.deepEqual(
      (await points(s, T0, now, 'raw')).map((p) => p.value),
      [2],
    );
    assert.deepEqual(
      (await points(s, T0, now, '5m')).map((p) => p.max),
      [4, 1, 2],
      'buckets starting at the cutoff and later',
    );
    assert.deepEqual(
      (await points(s, T0, now, '1h')).map((p) => p.ts),
      [cut(3), cut(2) - HOUR, cut(2), cut(1) - HOUR, cut(1)],
    );
    await s.maintain(now, { raw: 1, '5m': 2, '1h': 3 });
    assert.deepEqual(
      (await points(s, T0, now, 'raw')).map((p) => p.value),
      [2],
      'maintaining again changes nothing',
    );
  });
};
