import { VigilError } from '../../model/errors.ts';
import type { Sample } from '../../model/records.ts';
import { labelsKey, tierForStep } from '../sqlite/samples.ts';
import type { Async, SampleStore } from '../types.ts';
import type { Series, SeriesPoint, Tier } from '../../model/stored.ts';
import type { Db } from './db.ts';
import {
  definePgDomain,
  dropPartitionsBefore,
  ensurePartitions,
  intoPartitions,
  setPartitionOptions,
  type PgShared,
} from './domain.ts';

const FIVE_MIN = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A label name as SQLite takes it (it goes into a JSON path there); refused the same way here. */
const LABEL_NAME = /^[A-Za-z0-9_.-]+$/;

/** The time-partitioned tables and their retention tier. */
const TIERS: readonly [Tier, string][] = [
  ['raw', 'samples'],
  ['5m', 'rollup_5m'],
  ['1h', 'rollup_1h'],
];

/**
 * Series ids by owner (device and labels) and then by metric number, as SQLite keeps them (one small array per
 * interface, disk… rather than one long string per series). Per store (its `PgShared`), across transactions: a
 * series row is created outside any caller's transaction (see `resolveSeries`), so an id once seen never goes away.
 */
interface SeriesCache {
  metrics: Map<string, number>;
  owners: Map<string, number[]>;
}
const caches = new WeakMap<PgShared, SeriesCache>();
function cacheOf(shared: PgShared): SeriesCache {
  let c = caches.get(shared);
  if (!c) caches.set(shared, (c = { metrics: new Map(), owners: new Map() }));
  return c;
}
function cached(c: SeriesCache, deviceId: string, metric: string, labels: string): number | undefined {
  const m = c.metrics.get(metric);
  return m === undefined ? undefined : c.owners.get(`${deviceId}\u0000${labels}`)?.[m] || undefined;
}
function remember(c: SeriesCache, deviceId: string, metric: string, labels: string, id: number): void {
  let m = c.metrics.get(metric);
  if (m === undefined) c.metrics.set(metric, (m = c.metrics.size));
  const owner = `${deviceId}\u0000${labels}`;
  let ids = c.owners.get(owner);
  if (!ids) c.owners.set(owner, (ids = []));
  while (ids.length < m) ids.push(0); // 0: no series yet (identity ids start at 1)
  ids[m] = id;
}

/**
 * Ids of the given series, creating the missing ones. They are created on the pool (autocommitted), not in the
 * caller's transaction: a series is identity, not data (as a partition is), so that ids can be cached by every
 * process without being undone by a rollback; a series whose samples were rolled back stays, empty. Safe with
 * several writers: the insert skips rows another process made, and the select (a new snapshot) then sees them.
 */
async function resolveSeries(
  shared: PgShared,
  keys: Map<string, { deviceId: string; metric: string; labels: string }>,
): Promise<void> {
  const devices: string[] = [];
  const metrics: string[] = [];
  const labels: string[] = [];
  for (const k of keys.values()) {
    devices.push(k.deviceId);
    metrics.push(k.metric);
    labels.push(k.labels);
  }
  const params = [devices, metrics, labels];
  await shared.pool.run(
    `INSERT INTO series (device_id, metric, labels)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1, 2, 3
     ON CONFLICT (device_id, metric, labels) DO NOTHING`,
    params,
  );
  const rows = await shared.pool.rows<{ id: number; device_id: string; metric: string; labels: string }>(
    `SELECT s.id, s.device_id, s.metric, s.labels FROM series s
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(device_id, metric, labels)
       ON s.device_id = k.device_id AND s.metric = k.metric AND s.labels = k.labels`,
    params,
  );
  const c = cacheOf(shared);
  for (const r of rows) remember(c, r.device_id, r.metric, r.labels, r.id);
}

/** Rollup upserts of the rows of CTE `src` (series_id, ts, value), adding to buckets already there. */
const rollupFrom = (table: string, size: number, src: string) =>
  `INSERT INTO ${table} AS r (series_id, ts, min, max, sum, n)
   SELECT series_id, ts - ts % ${size}, min(value), max(value), sum(value), count(*) FROM ${src} GROUP BY 1, 2 ORDER BY 1, 2
   ON CONFLICT (series_id, ts) DO UPDATE SET min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max),
     sum = r.sum + excluded.sum, n = r.n + excluded.n`;

const latestFrom = (src: string, value: string) =>
  `INSERT INTO latest AS l (series_id, ts, value)
   SELECT DISTINCT ON (series_id) series_id, ts, ${value} FROM ${src} ORDER BY series_id, ts DESC
   ON CONFLICT (series_id) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts >= l.ts`;

/**
 * New samples in one statement: the raw points that were not stored yet, their 5-minute and hourly buckets and the
 * latest values, all from the rows the insert took (a sample stored already, by this batch's retry or by another
 * process, counts once). Answers the batch's rows that met a stored point, for `REPLACE`.
 */
const INSERT = `WITH b AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS b(series_id, ts, value)),
  ins AS (
    INSERT INTO samples (series_id, ts, value) SELECT series_id, ts, value FROM b ORDER BY series_id, ts
    ON CONFLICT (series_id, ts) DO NOTHING RETURNING series_id, ts, value),
  r5 AS (${rollupFrom('rollup_5m', FIVE_MIN, 'ins')}),
  r1 AS (${rollupFrom('rollup_1h', HOUR, 'ins')}),
  lt AS (${latestFrom('ins', 'value')})
SELECT b.series_id, b.ts, b.value FROM b WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.series_id = b.series_id AND ins.ts = b.ts)`;

/**
 * A bucket's min or max read again from its raw points as they are once `chg` is applied (the statement's own
 * update of them is not visible inside it).
 */
const recomputed = (fn: 'min' | 'max', size: number) =>
  `(SELECT ${fn}(v) FROM (
      SELECT s.value AS v FROM samples s WHERE s.series_id = g.series_id AND s.ts >= g.bucket AND s.ts < g.bucket + ${size}
        AND NOT EXISTS (SELECT 1 FROM chg WHERE chg.series_id = s.series_id AND chg.ts = s.ts)
      UNION ALL
      SELECT chg.now FROM chg WHERE chg.series_id = g.series_id AND chg.ts >= g.bucket AND chg.ts < g.bucket + ${size}) x)`;

/**
 * The rollups follow replaced points as on SQLite: a bucket's sum moves by the differences (its count stays), its min
 * or max is read again from the raw points only when an old value was it or a new one passes it.
 */
const rerollFrom = (table: string, size: number, g: string) =>
  `${g} AS (SELECT series_id, ts - ts % ${size} AS bucket, sum(now - was) AS delta, min(was) AS min_old, max(was) AS max_old,
      min(now) AS min_new, max(now) AS max_new FROM chg GROUP BY 1, 2 ORDER BY 1, 2),
   u_${g} AS (UPDATE ${table} u SET sum = u.sum + g.delta,
      min = CASE WHEN g.min_old <= u.min OR g.min_new < u.min THEN ${recomputed('min', size)} ELSE u.min END,
      max = CASE WHEN g.max_old >= u.max OR g.max_new > u.max THEN ${recomputed('max', size)} ELSE u.max END
    FROM ${g} g WHERE u.series_id = g.series_id AND u.ts = g.bucket)`;

/**
 * Stored points given another value, with their rollups and latest values, in one statement (so that a retry after
 * a failure finds either nothing done or everything). Points are replaced under a row lock: the value read is the
 * latest committed one, so two writers replacing the same point serialize.
 */
const REPLACE = `WITH b AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS b(series_id, ts, value)),
  cur AS (
    SELECT s.series_id, s.ts, s.value AS was, b.value AS now FROM samples s JOIN b ON s.series_id = b.series_id AND s.ts = b.ts
    ORDER BY s.series_id, s.ts FOR UPDATE OF s),
  chg AS MATERIALIZED (SELECT * FROM cur WHERE was <> now),
  upd AS (UPDATE samples s SET value = chg.now FROM chg WHERE s.series_id = chg.series_id AND s.ts = chg.ts),
  ${rerollFrom('rollup_5m', FIVE_MIN, 'g5')},
  ${rerollFrom('rollup_1h', HOUR, 'g1')},
  lt AS (${latestFrom('chg', 'now')})
SELECT count(*) AS n FROM chg`;

/** The day partitions a batch needs in each table (a bucket's start, for rollups). */
function partitionTimes(ts: readonly number[]): [string, number[]][] {
  const days = [new Set<number>(), new Set<number>(), new Set<number>()];
  for (const t of ts) {
    days[0].add(Math.floor(t / DAY));
    days[1].add(Math.floor((t - (t % FIVE_MIN)) / DAY));
    days[2].add(Math.floor((t - (t % HOUR)) / DAY));
  }
  return TIERS.map(([, table], i) => [table, [...days[i]].map((d) => d * DAY)]);
}

async function writeSamples(db: Db, shared: PgShared, samples: readonly Sample[]): Promise<void> {
  const c = cacheOf(shared);
  const finite = samples.filter((s) => Number.isFinite(s.value));
  const keys = finite.map((s) => labelsKey(s.labels));
  const missing = new Map<string, { deviceId: string; metric: string; labels: string }>();
  finite.forEach((s, i) => {
    if (cached(c, s.deviceId, s.metric, keys[i]) === undefined)
      missing.set(`${s.deviceId}\u0000${s.metric}\u0000${keys[i]}`, {
        deviceId: s.deviceId,
        metric: s.metric,
        labels: keys[i],
      });
  });
  if (missing.size) await resolveSeries(shared, missing);
  // One row per point: a later value in the batch replaces an earlier one, as written one after the other on SQLite.
  const at = new Map<string, number>();
  const ids: number[] = [];
  const times: number[] = [];
  const values: number[] = [];
  finite.forEach((s, i) => {
    const id = cached(c, s.deviceId, s.metric, keys[i]);
    if (id === undefined) throw new Error(`series of ${s.deviceId} ${s.metric} ${keys[i]} was not created`);
    const k = `${id}:${s.ts}`;
    const j = at.get(k);
    if (j !== undefined) {
      values[j] = s.value;
      return;
    }
    at.set(k, ids.length);
    ids.push(id);
    times.push(s.ts);
    values.push(s.value);
  });
  if (!ids.length) return;
  const met = await intoPartitions(shared, partitionTimes(times), () =>
    db.rows<{ series_id: number; ts: number; value: number }>(INSERT, [ids, times, values]),
  );
  if (!met.length) return;
  await db.run(REPLACE, [met.map((r) => r.series_id), met.map((r) => r.ts), met.map((r) => r.value)]);
}

/**
 * Samples, and 5-minute and hourly rollups (min/avg/max) kept current as samples are written (in the same statement),
 * so that a query never waits on a rollup job, as on SQLite. Raw samples and both rollups are partitioned by day of
 * their time (a bucket's start for rollups); retention drops whole partitions and deletes rows only in the one that
 * straddles the limit (found through a BRIN index on the time).
 */
/** Room left on pages of tables whose rows are updated in place every poll (see migration 2). */
const UPDATED_FILLFACTOR = 70;
setPartitionOptions('rollup_5m', { storage: `fillfactor = ${UPDATED_FILLFACTOR}` });
setPartitionOptions('rollup_1h', { storage: `fillfactor = ${UPDATED_FILLFACTOR}` });

export const samplesPgDomain = definePgDomain<Async<SampleStore>>({
  name: 'samples',
  migrations: [
    `CREATE TABLE series (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, device_id text NOT NULL, metric text NOT NULL,
       labels text NOT NULL, UNIQUE (device_id, metric, labels));
     CREATE INDEX series_metric ON series (metric, device_id);
     CREATE TABLE samples (series_id bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL,
       PRIMARY KEY (series_id, ts)) PARTITION BY RANGE (ts);
     CREATE INDEX samples_ts ON samples USING brin (ts);
     CREATE TABLE rollup_5m (series_id bigint NOT NULL, ts bigint NOT NULL, min double precision NOT NULL,
       max double precision NOT NULL, sum double precision NOT NULL, n integer NOT NULL, PRIMARY KEY (series_id, ts))
       PARTITION BY RANGE (ts);
     CREATE INDEX rollup_5m_ts ON rollup_5m USING brin (ts);
     CREATE TABLE rollup_1h (series_id bigint NOT NULL, ts bigint NOT NULL, min double precision NOT NULL,
       max double precision NOT NULL, sum double precision NOT NULL, n integer NOT NULL, PRIMARY KEY (series_id, ts))
       PARTITION BY RANGE (ts);
     CREATE INDEX rollup_1h_ts ON rollup_1h USING brin (ts);
     CREATE TABLE latest (series_id bigint PRIMARY KEY, ts bigint NOT NULL, value double precision NOT NULL);`,
    // Every poll updates each series' `latest` row and its current rollup rows, changing no indexed column: with room
    // left on each page those updates are HOT (no new index entries, far less WAL); at fillfactor 100 almost none were.
    `ALTER TABLE latest SET (fillfactor = ${UPDATED_FILLFACTOR});`,
    // The rollup day partitions made before version 2 (today's and tomorrow's, made ahead) get the same room as those
    // made since; it applies to the pages they fill from now on.
    `DO $$ DECLARE p regclass;
     BEGIN
       FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent IN ('rollup_5m'::regclass, 'rollup_1h'::regclass)
       LOOP EXECUTE format('ALTER TABLE %s SET (fillfactor = ${UPDATED_FILLFACTOR})', p); END LOOP;
     END $$;`,
  ],
  create(db, shared) {
    return {
      writeSamples: (samples) => writeSamples(db, shared, samples),

      async querySeries(q) {
        const tier = q.tier ?? tierForStep(q.stepS, q.from, q.to);
        const labels = Object.entries(q.labels ?? {});
        for (const [k] of labels)
          if (!LABEL_NAME.test(k))
            throw new VigilError('VIGIL_VALIDATION', `label name "${k}": letters, digits, _ . and - only`);
        const series = labels.length
          ? await db.rows<{ id: number; labels: string }>(
              `SELECT id, labels FROM series WHERE device_id = $1 AND metric = $2 AND labels::jsonb @> $3::jsonb
               ORDER BY labels COLLATE "C"`,
              [q.deviceId, q.metric, JSON.stringify(Object.fromEntries(labels))],
            )
          : await db.rows<{ id: number; labels: string }>(
              'SELECT id, labels FROM series WHERE device_id = $1 AND metric = $2 ORDER BY labels COLLATE "C"',
              [q.deviceId, q.metric],
            );
        if (!series.length) return [];
        const bucket = tier === '5m' ? FIVE_MIN : tier === '1h' ? HOUR : 1;
        // A rollup bucket is in the answer when it overlaps [from, to]: its start is after from - bucket.
        const points = await db.rows<SeriesPoint & { series_id: number }>(
          tier === 'raw'
            ? `SELECT series_id, ts, value FROM samples WHERE series_id = ANY($1::bigint[]) AND ts >= $2 AND ts <= $3
               ORDER BY series_id, ts`
            : `SELECT series_id, ts, sum / n AS value, min, max FROM rollup_${tier}
               WHERE series_id = ANY($1::bigint[]) AND ts >= $2 AND ts <= $3 ORDER BY series_id, ts`,
          [series.map((s) => s.id), q.from - bucket + 1, q.to],
        );
        const bySeries = new Map<number, SeriesPoint[]>(series.map((s) => [s.id, []]));
        for (const { series_id, ...p } of points) bySeries.get(series_id)?.push(p);
        return series.map(
          (s): Series => ({ metric: q.metric, labels: JSON.parse(s.labels), tier, points: bySeries.get(s.id) ?? [] }),
        );
      },

      async latest(metric, deviceId, opts = {}) {
        // Top-N is done in SQL so that an overview over 50,000 interfaces reads 10 rows, not all of them.
        const params: unknown[] = [metric];
        let sql =
          'SELECT s.device_id AS "deviceId", s.labels, l.ts, l.value FROM series s JOIN latest l ON l.series_id = s.id WHERE s.metric = $1';
        if (deviceId) sql += ` AND s.device_id = $${params.push(deviceId)}`;
        if (opts.top) sql += ` ORDER BY l.value DESC LIMIT $${params.push(opts.top)}`;
        const rows = await db.rows<{ deviceId: string; labels: string; ts: number; value: number }>(sql, params);
        return rows.map((r) => ({ ...r, labels: JSON.parse(r.labels) }));
      },

      async maintain(now, retentionDays) {
        // Rollups are current already (written with their samples). Today's and tomorrow's partitions are made here,
        // ahead of the writes that need them: creating one locks its table until every transaction on it ends.
        for (const [, table] of TIERS) await ensurePartitions(shared, table, [now, now + DAY]);
        for (const [tier, table] of TIERS) {
          const before = now - retentionDays[tier] * DAY;
          await dropPartitionsBefore(shared, table, before);
          await db.run(`DELETE FROM ${table} WHERE ts < $1`, [before]);
        }
      },
    };
  },
});
