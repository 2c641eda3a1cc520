import type { LogRecord } from '../../model/records.ts';
import { decodeLogCursor, encodeLogCursor } from '../cursors.ts';
import { forEachLogRow } from '../../model/log-columns.ts';
import { type LogTableRow, logSize, toStoredLog } from '../log-rows.ts';
import type { Async, LogPage, LogQuery, LogStore } from '../types.ts';
import type { Db } from './db.ts';
import { definePgDomain, intoPartitions, setPartitionOptions } from './domain.ts';
import { LOG_SEARCH_FUNCTIONS, logTsQuery } from './logs-search.ts';

const DAY = 86_400_000;
/** Counter rows per day: concurrent writers (other connections, other processes) rarely wait on the same one. */
const SHARDS = 16;

/**
 * Statistics target of the words column: how many of the most common words ANALYZE keeps, with their frequencies.
 * A word not among them is taken to be rarer than the rarest kept; at the default (100) that guess was 40 times too
 * high in 10 M lines, and a search for a rare word read every line newest first instead of asking the index.
 */
const WORD_STATISTICS = 1000;

/** A row as the driver hands it out: sd (json) and flags (jsonb) already parsed. */
type Row = LogTableRow<unknown>;

const COLUMNS =
  'id, received_ts, ts, source, device_id, transport, facility, severity, hostname, app, procid, msgid, sd, message, raw, flags';

const toLog = (r: Row) => toStoredLog(r, (v) => v);

const INSERT = `WITH stored AS (
  INSERT INTO logs (received_ts, ts, source, device_id, transport, facility, severity, hostname, app, procid, msgid, sd, message, raw, flags, size)
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::smallint[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::json[], $13::text[], $14::text[], $15::jsonb[], $16::integer[]))
INSERT INTO logs_volume AS v (day, shard, rows, bytes) SELECT day, $17::smallint, n, b FROM unnest($18::bigint[], $19::bigint[], $20::bigint[]) AS x(day, n, b)
ON CONFLICT (day, shard) DO UPDATE SET rows = v.rows + excluded.rows, bytes = v.bytes + excluded.bytes`;

/** Deletes the rows of `where` and takes them off their days' counters; answers how many. */
const deleteCounted = (where: string) => `WITH gone AS (DELETE FROM logs WHERE ${where} RETURNING received_ts, size),
  per AS (SELECT received_ts / ${DAY} AS day, count(*) AS n, sum(size) AS b FROM gone GROUP BY 1),
  counted AS (INSERT INTO logs_volume AS v (day, shard, rows, bytes) SELECT day, 0, -n, -b FROM per ORDER BY day
    ON CONFLICT (day, shard) DO UPDATE SET rows = v.rows + excluded.rows, bytes = v.bytes + excluded.bytes)
  SELECT coalesce(sum(n), 0)::int8 AS n FROM per`;

// Word frequencies sampled finely enough that a rare word is known to be rare (a partition does not inherit it).
setPartitionOptions('logs', {
  prepare: (partition) => `ALTER TABLE ${partition} ALTER COLUMN words SET STATISTICS ${WORD_STATISTICS}`,
});

/**
 * Logs on PostgreSQL: one table partitioned by day of received time (retention drops whole days), ids from an
 * identity (arrival order, newest first by id as on SQLite), and full-text search through a generated tsvector with a
 * GIN index, cut the way SQLite's index cuts (see logs-search.ts). Counts and bytes are kept per day in `logs_volume`,
 * changed by the same statement that stores or deletes the rows, so that neither the stats nor the size limit scan
 * the logs; the rows of a day are spread over SHARDS counter rows so that concurrent writers do not queue on one.
 */
export const logsPgDomain = definePgDomain<Async<LogStore>>({
  name: 'logs',
  migrations: [
    `${LOG_SEARCH_FUNCTIONS}
     CREATE TABLE logs (
       id bigint GENERATED ALWAYS AS IDENTITY,
       received_ts bigint NOT NULL, ts bigint NOT NULL, source text NOT NULL, device_id text, transport text NOT NULL,
       facility smallint NOT NULL, severity smallint NOT NULL, hostname text, app text, procid text, msgid text,
       sd json, message text NOT NULL, raw text, flags jsonb, size integer NOT NULL,
       words tsvector GENERATED ALWAYS AS (vigil_log_tsvector(message)) STORED
     ) PARTITION BY RANGE (received_ts);
     CREATE INDEX logs_id ON logs (id);
     CREATE INDEX logs_ts ON logs (ts);
     CREATE INDEX logs_received ON logs (received_ts);
     CREATE INDEX logs_device ON logs (device_id) WHERE device_id IS NOT NULL;
     CREATE INDEX logs_words ON logs USING gin (words);
     -- Never runs: a plan made without the search's terms (a generic plan) calls it per row, so such a plan looks far
     -- too costly and PostgreSQL plans every search for its own terms (see filters in logs.ts).
     CREATE FUNCTION vigil_log_unplanned(tsvector) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000000000
       AS $$ BEGIN RETURN true; END $$;
     CREATE TABLE logs_volume (day bigint NOT NULL, shard smallint NOT NULL, rows bigint NOT NULL, bytes bigint NOT NULL,
       PRIMARY KEY (day, shard));
     -- Drops a day's partition and its counters in one statement; answers the rows it held.
     CREATE FUNCTION vigil_logs_drop_day(d bigint) RETURNS bigint LANGUAGE plpgsql AS $$
     DECLARE n bigint;
     BEGIN
       -- Dropping a partition locks the parent: never queue every writer behind a long search for long.
       PERFORM set_config('lock_timeout', '5s', true);
       EXECUTE format('DROP TABLE IF EXISTS %I', 'logs_d' || d);
       WITH gone AS (DELETE FROM logs_volume WHERE day = d RETURNING rows) SELECT coalesce(sum(rows), 0) INTO n FROM gone;
       RETURN n;
     END $$;`,
  ],
  create(db, shared) {
    /**
     * Writes `n` lines that `each` hands over one by one (records, or the store writer's columns read in place: the
     * same fields, so a batch from the writer is never turned back into records first).
     */
    async function insert(n: number, each: (f: (l: Omit<LogRecord, 'kind'>, i: number) => void) => void) {
      const cols = Array.from({ length: 16 }, () => new Array<unknown>(n));
      const volume = new Map<number, [number, number]>();
      each((l, i) => {
        const sd =
          l.structuredData === undefined || l.structuredData === null ? null : JSON.stringify(l.structuredData);
        const size = logSize(l, sd);
        cols[0][i] = l.receivedTs;
        cols[1][i] = l.ts;
        cols[2][i] = l.sourceAddress;
        cols[3][i] = l.deviceId ?? null;
        cols[4][i] = l.transport;
        cols[5][i] = l.facility;
        cols[6][i] = l.severity;
        cols[7][i] = l.hostname ?? null;
        cols[8][i] = l.app ?? null;
        cols[9][i] = l.procid ?? null;
        cols[10][i] = l.msgid ?? null;
        cols[11][i] = sd;
        cols[12][i] = l.message;
        cols[13][i] = l.rawBase64 ?? null;
        cols[14][i] = l.flags?.length ? JSON.stringify(l.flags) : null;
        cols[15][i] = size;
        const day = Math.floor(l.receivedTs / DAY);
        const v = volume.get(day);
        if (v) {
          v[0]++;
          v[1] += size;
        } else volume.set(day, [1, size]);
      });
      // In day order, as every writer and the retention take counter rows: two of them never wait on each other in a ring.
      const days = [...volume.keys()].sort((a, b) => a - b);
      const params = [
        ...cols,
        Math.floor(Math.random() * SHARDS),
        days,
        days.map((d) => volume.get(d)![0]),
        days.map((d) => volume.get(d)![1]),
      ];
      await intoPartitions(shared, [['logs', days.map((d) => d * DAY)]], () => db.run(INSERT, params));
    }

    /** WHERE clauses of the filters and the text query, with their parameters; `never` when nothing can match. */
    async function filters(q: LogQuery): Promise<{ where: string[]; params: unknown[] } | 'never'> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: (ref: string) => string, value: unknown) => where.push(sql(`$${params.push(value)}`));
      const text = await logTsQuery(db, q.q);
      if (text === null) return 'never';
      // Rare and common terms want opposite plans (the GIN index then sorting, or newest first by id filtering as it
      // goes), which only the terms' frequencies tell apart: the CASE keeps PostgreSQL from reusing a plan made
      // without them (it folds away once the terms are known; see vigil_log_unplanned).
      if (text !== undefined)
        add(
          (p) =>
            `words @@ ${p}::tsquery AND CASE WHEN ${p}::tsquery IS NULL THEN vigil_log_unplanned(words) ELSE true END`,
          text,
        );
      if (q.from !== undefined) add((p) => `ts >= ${p}`, q.from);
      if (q.to !== undefined) add((p) => `ts < ${p}`, q.to);
      if (q.host) add((p) => `(hostname = ${p} OR source = ${p})`, q.host);
      if (q.deviceId) add((p) => `device_id = ${p}`, q.deviceId);
      if (q.minSeverity !== undefined) add((p) => `severity <= ${p}`, q.minSeverity);
      if (q.facility !== undefined) add((p) => `facility = ${p}`, q.facility);
      if (q.app) add((p) => `app = ${p}`, q.app);
      return { where, params };
    }

    /** Drops the partition of day `d` with its counters; the rows it held (0 when it was busy too long to drop). */
    async function dropDay(d: number): Promise<number> {
      try {
        const r = await shared.pool.one<{ n: number }>('SELECT vigil_logs_drop_day($1) AS n', [d]);
        shared.partitions.delete(`logs_d${d}`);
        return r?.n ?? 0;
      } catch (error) {
        // 55P03: a long search held the table past the lock timeout; the next pass drops it.
        if ((error as { code?: string }).code === '55P03') return 0;
        throw error;
      }
    }

    const total = async (d: Db) =>
      (await d.one<{ bytes: number }>('SELECT coalesce(sum(bytes), 0) AS bytes FROM logs_volume'))?.bytes ?? 0;

    return {
      async writeLogs(logs) {
        if (logs.length) await insert(logs.length, (f) => logs.forEach(f));
      },
      async writeLogColumns(batches) {
        const n = batches.reduce((sum, c) => sum + c.count, 0);
        if (!n) return;
        await insert(n, (f) => {
          let i = 0;
          for (const c of batches) forEachLogRow(c, (row) => f(row, i++));
        });
      },
      async queryLogs(q): Promise<LogPage> {
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const before = q.cursor ? decodeLogCursor(q.cursor) : undefined;
        const f = await filters(q);
        if (f === 'never') return { logs: [] };
        const where = [...f.where];
        const params = [...f.params];
        if (before !== undefined) where.push(`id < $${params.push(before)}`);
        const rows = await db.rows<Row>(
          `SELECT ${COLUMNS} FROM logs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.push(limit + 1)}`,
          params,
        );
        const page: LogPage = { logs: rows.slice(0, limit).map(toLog) };
        if (rows.length > limit) page.nextCursor = encodeLogCursor(rows[limit - 1].id);
        return page;
      },
      async logHistogram(q, bucketMs) {
        const f = await filters(q);
        if (f === 'never') return [];
        const b = Math.max(1, Math.floor(bucketMs));
        const params = [...f.params, b];
        const p = `$${params.length}::int8`;
        return db.rows<{ ts: number; count: number }>(
          `SELECT ts - ts % ${p} AS ts, count(*)::int8 AS count FROM logs${f.where.length ? ` WHERE ${f.where.join(' AND ')}` : ''}
           GROUP BY 1 ORDER BY 1`,
          params,
        );
      },
      async maintainLogs(now, retention) {
        let deletedByAge = 0;
        let deletedBySize = 0;
        const cutoff = now - retention.maxAgeDays * DAY;
        // By age: days wholly older than the limit go as partitions; the day across it loses its older rows.
        const parts = await shared.pool.rows<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'logs'::regclass`,
        );
        const partDays = parts
          .map((p) => /^logs_d(\d+)$/.exec(p.name))
          .filter((m) => m !== null)
          .map((m) => Number(m[1]))
          .sort((a, c) => a - c);
        for (const d of partDays) if ((d + 1) * DAY <= cutoff) deletedByAge += await dropDay(d);
        const across = partDays.find((d) => d * DAY < cutoff && (d + 1) * DAY > cutoff);
        // (Only that day: one whose drop waited too long is dropped by the next pass, not emptied row by row.)
        if (across !== undefined)
          deletedByAge +=
            (
              await db.one<{ n: number }>(deleteCounted('received_ts >= $1 AND received_ts < $2'), [
                across * DAY,
                cutoff,
              ])
            )?.n ?? 0;

        // By size: the oldest rows (oldest day first, then by arrival) while over the limit.
        for (let bytes = await total(db); bytes > retention.maxBytes; bytes = await total(db)) {
          const excess = Math.ceil(bytes - retention.maxBytes);
          const oldest = await db.one<{ day: number; n: number; b: number }>(
            'SELECT day, sum(rows) AS n, sum(bytes) AS b FROM logs_volume GROUP BY day HAVING sum(rows) > 0 ORDER BY day LIMIT 1',
          );
          if (!oldest) break;
          if (oldest.b <= excess) {
            const n = await dropDay(oldest.day);
            if (!n) break;
            deletedBySize += n;
            continue;
          }
          // Part of the day: its oldest rows whose sizes add up to the excess.
          const range = [oldest.day * DAY, (oldest.day + 1) * DAY];
          const cut = await db.one<{ id: number }>(
            `SELECT id FROM (SELECT id, sum(size) OVER (ORDER BY id) AS run FROM logs
               WHERE received_ts >= $1 AND received_ts < $2 ORDER BY id) c
             WHERE run >= $3 ORDER BY id LIMIT 1`,
            [...range, excess],
          );
          if (!cut) break;
          const n =
            (
              await db.one<{ n: number }>(deleteCounted('received_ts >= $1 AND received_ts < $2 AND id <= $3'), [
                ...range,
                cut.id,
              ])
            )?.n ?? 0;
          if (!n) break;
          deletedBySize += n;
        }
        return { deletedByAge, deletedBySize };
      },
      async logStats() {
        const r = await db.one<{ count: number; bytes: number; oldest: number | null }>(
          `SELECT coalesce(sum(rows), 0) AS count, coalesce(sum(bytes), 0) AS bytes, (SELECT min(received_ts) FROM logs) AS oldest
           FROM logs_volume`,
        );
        const stats: { count: number; bytes: number; oldestReceivedTs?: number } = {
          count: r?.count ?? 0,
          bytes: r?.bytes ?? 0,
        };
        if (r?.oldest !== null && r?.oldest !== undefined) stats.oldestReceivedTs = r.oldest;
        return stats;
      },
    };
  },
});
