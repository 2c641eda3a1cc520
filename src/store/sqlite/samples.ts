import { VigilError } from '../../model/errors.ts';
import type { SampleStore } from '../types.ts';
import type { Series, Tier } from '../../model/stored.ts';
import { defineDomain } from './domain.ts';

const FIVE_MIN = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A label name that can be quoted in a JSON path as it is. */
const LABEL_NAME = /^[A-Za-z0-9_.-]+$/;

/** Canonical labels text, so that `{b,a}` and `{a,b}` are one series. */
export const labelsKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

/** Tier for a wanted step: raw below 5 min, 5-minute rollups below 1 h, else hourly. */
export function tierForStep(stepS: number | undefined, from: number, to: number): Tier {
  const step = stepS ?? Math.max(1, Math.floor((to - from) / 1000 / 500));
  if (step < 300) return 'raw';
  if (step < 3600) return '5m';
  return '1h';
}

/**
 * Samples, and 5-minute and hourly rollups (min/avg/max) kept current as samples are written,
 * so that a query never waits on a rollup job and a restart loses nothing.
 */
export const samplesDomain = defineDomain<SampleStore>({
  name: 'samples',
  migrations: [
    `CREATE TABLE series (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, metric TEXT NOT NULL, labels TEXT NOT NULL, UNIQUE (device_id, metric, labels));
     CREATE INDEX series_metric ON series(metric, device_id);
     CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
     CREATE TABLE rollup_5m (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
     CREATE TABLE rollup_1h (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
     CREATE TABLE latest (series_id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, value REAL NOT NULL);`,
  ],
  create(db) {
    const findSeries = db.prepare('SELECT id FROM series WHERE device_id = ? AND metric = ? AND labels = ?');
    const addSeries = db.prepare('INSERT INTO series (device_id, metric, labels) VALUES (?, ?, ?)');
    const insert = db.prepare(
      'INSERT INTO samples (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT(series_id, ts) DO NOTHING',
    );
    const valueAt = db.prepare('SELECT value FROM samples WHERE series_id = ? AND ts = ?').pluck();
    const replace = db.prepare('UPDATE samples SET value = ? WHERE series_id = ? AND ts = ?');
    const roll = (t: string) =>
      db.prepare(
        `INSERT INTO ${t} (series_id, ts, min, max, sum, n) VALUES (?, ?, ?, ?, ?, 1)
         ON CONFLICT(series_id, ts) DO UPDATE SET min = MIN(min, excluded.min), max = MAX(max, excluded.max), sum = sum + excluded.sum, n = n + 1`,
      );
    const roll5 = roll('rollup_5m');
    const roll1h = roll('rollup_1h');
    // A value replaced in place: the bucket's sum moves by the difference (its count stays); its min or max is read
    // again from the raw points only when the old value was one of them or the new one passes them.
    const reroll = (t: string, size: number) => {
      const stmt = db.prepare(
        `UPDATE ${t} SET sum = sum - @old + @new,
           min = CASE WHEN @old = min OR @new < min THEN (SELECT MIN(value) FROM samples WHERE series_id = @id AND ts >= @bucket AND ts < @bucket + ${size}) ELSE min END,
           max = CASE WHEN @old = max OR @new > max THEN (SELECT MAX(value) FROM samples WHERE series_id = @id AND ts >= @bucket AND ts < @bucket + ${size}) ELSE max END
         WHERE series_id = @id AND ts = @bucket`,
      );
      return (id: number, ts: number, old: number, value: number) =>
        stmt.run({ id, bucket: ts - (ts % size), old, new: value });
    };
    const reroll5 = reroll('rollup_5m', FIVE_MIN);
    const reroll1h = reroll('rollup_1h', HOUR);
    const setLatest = db.prepare(
      'INSERT INTO latest (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT(series_id) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts >= latest.ts',
    );
    // Series ids by owner (device and labels: one entry per interface, disk, CPU…) and then by metric number. A flat
    // map keyed by device + metric + labels held one ~110-byte string per series: 1.1 million series (2,000 devices
    // of 32 interfaces × 17 metrics) took more than the writer thread's 128 MB heap.
    const metricNumbers = new Map<string, number>();
    const owners = new Map<string, number[]>();
    function seriesId(deviceId: string, metric: string, labels: string): number {
      let m = metricNumbers.get(metric);
      if (m === undefined) metricNumbers.set(metric, (m = metricNumbers.size));
      const owner = `${deviceId}\u0000${labels}`;
      let ids = owners.get(owner);
      if (!ids) owners.set(owner, (ids = []));
      let id = ids[m];
      if (!id) {
        const row = findSeries.get(deviceId, metric, labels) as { id: number } | undefined;
        id = row ? row.id : Number(addSeries.run(deviceId, metric, labels).lastInsertRowid);
        while (ids.length < m) ids.push(0); // packed small integers; 0 is no series yet (ids start at 1)
        ids[m] = id;
      }
      return id;
    }

    const write = db.transaction((samples: Parameters<SampleStore['writeSamples']>[0]) => {
      for (const s of samples) {
        if (!Number.isFinite(s.value)) continue;
        const id = seriesId(s.deviceId, s.metric, labelsKey(s.labels));
        if (insert.run(id, s.ts, s.value).changes === 0) {
          // Stored already. The same sample again (a batch retried, a record delivered twice) counts once.
          const old = valueAt.get(id, s.ts) as number;
          if (old === s.value) continue;
          // Another value replaces the raw point, and the rollups follow (the bucket still counts it once).
          replace.run(s.value, id, s.ts);
          reroll5(id, s.ts, old, s.value);
          reroll1h(id, s.ts, old, s.value);
          setLatest.run(id, s.ts, s.value);
          continue;
        }
        roll5.run(id, s.ts - (s.ts % FIVE_MIN), s.value, s.value, s.value);
        roll1h.run(id, s.ts - (s.ts % HOUR), s.value, s.value, s.value);
        setLatest.run(id, s.ts, s.value);
      }
    });

    // Ids of series created by a transaction that was then undone are gone, and SQLite hands them out again.
    const forgetSeriesIds = () => {
      metricNumbers.clear();
      owners.clear();
    };

    return {
      writeSamples(samples) {
        try {
          write(samples);
        } catch (error) {
          forgetSeriesIds();
          throw error;
        }
      },
      afterRollback: forgetSeriesIds,
      querySeries(q) {
        const tier = q.tier ?? tierForStep(q.stepS, q.from, q.to);
        const params: unknown[] = [q.deviceId, q.metric];
        let sql = 'SELECT id, labels FROM series WHERE device_id = ? AND metric = ?';
        for (const [k, v] of Object.entries(q.labels ?? {})) {
          // The name goes into a JSON path: a quote or backslash in it made SQLite fail ("bad JSON path").
          if (!LABEL_NAME.test(k))
            throw new VigilError('VIGIL_VALIDATION', `label name "${k}": letters, digits, _ . and - only`);
          sql += ' AND json_extract(labels, ?) = ?';
          params.push(`$."${k}"`, v);
        }
        const series = db.prepare(sql).all(...params) as { id: number; labels: string }[];
        const pointsSql =
          tier === 'raw'
            ? 'SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts <= ? ORDER BY ts'
            : `SELECT ts, sum / n AS value, min, max FROM rollup_${tier} WHERE series_id = ? AND ts >= ? AND ts <= ? ORDER BY ts`;
        const stmt = db.prepare(pointsSql);
        const bucket = tier === '5m' ? FIVE_MIN : tier === '1h' ? HOUR : 1;
        return series.map(
          (s): Series => ({
            metric: q.metric,
            labels: JSON.parse(s.labels),
            tier,
            points: stmt.all(s.id, q.from - bucket + 1, q.to) as Series['points'],
          }),
        );
      },
      latest(metric, deviceId, opts = {}) {
        // Top-N is done in SQL so that an overview over 50,000 interfaces reads 10 rows, not all of them.
        const order = opts.top ? ' ORDER BY l.value DESC LIMIT ?' : '';
        const params: unknown[] = [metric];
        if (deviceId) params.push(deviceId);
        if (opts.top) params.push(opts.top);
        const rows = db
          .prepare(
            `SELECT s.device_id AS deviceId, s.labels, l.ts, l.value FROM series s JOIN latest l ON l.series_id = s.id WHERE s.metric = ?${deviceId ? ' AND s.device_id = ?' : ''}${order}`,
          )
          .all(...params) as { deviceId: string; labels: string; ts: number; value: number }[];
        return rows.map((r) => ({ ...r, labels: JSON.parse(r.labels) }));
      },
      maintain(now, retentionDays) {
        db.prepare('DELETE FROM samples WHERE ts < ?').run(now - retentionDays.raw * DAY);
        db.prepare('DELETE FROM rollup_5m WHERE ts < ?').run(now - retentionDays['5m'] * DAY);
        db.prepare('DELETE FROM rollup_1h WHERE ts < ?').run(now - retentionDays['1h'] * DAY);
      },
    };
  },
});
