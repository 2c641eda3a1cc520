import type { LogRecord } from '../../model/records.ts';
import { forEachLogRow, type LogColumns, type LogRow } from '../../model/log-columns.ts';
import { decodeLogCursor, encodeLogCursor } from '../cursors.ts';
import { type LogTableRow, logSize, toStoredLog } from '../log-rows.ts';
import type { LogPage, LogQuery, LogRetention, LogStore } from '../types.ts';
import { firstIdAtOrAfter } from './arrival.ts';
import { defineDomain } from './domain.ts';
import { compact, fromJson, toJson } from '../json.ts';
import { createLogSearch, LOG_TOKENIZER, type TextSearch } from './log-search.ts';

export { ftsQuery } from './log-search.ts';

const DAY = 86_400_000;
const CHUNK = 10_000;
/** A page whose phrase check rejects candidates reads more of them, in growing chunks, up to this many per page. */
const MAX_SCAN = 20_000;
const MAX_CANDIDATE_CHUNK = 5_000;

/** A row as SQLite hands it out: sd and flags as their JSON text. */
type Row = LogTableRow<string>;
const toLog = (r: Row) => toStoredLog(r, (v) => fromJson(v, undefined));

/**
 * Logs with full-text search. The FTS5 index is external-content (the text lives once, in `logs`; rowid = log id),
 * keeps no positions (`detail=none`) and no per-row token counts (`columnsize=0`): measured on 500k real lines it
 * writes ~60% less index than `detail=full` and lifts store writes by ~25%; phrases and multi-token terms are
 * answered by ANDing their tokens in the index and checking the candidates exactly (see log-search.ts).
 * (`detail=column` was measured too: with one column it costs the same as `detail=full`.) Tokenizer unicode61, not
 * trigram: trigram indexes are ~3x larger and slower to write, and log searches are for words, addresses and
 * identifiers. Newest first means by id (arrival order): FTS5 then walks its rowids backwards and stops at the page size.
 */
export const logsDomain = defineDomain<LogStore>({
  name: 'logs',
  migrations: [
    `CREATE TABLE logs (id INTEGER PRIMARY KEY, received_ts INTEGER NOT NULL, ts INTEGER NOT NULL, source TEXT NOT NULL, device_id TEXT,
       transport TEXT NOT NULL, facility INTEGER NOT NULL, severity INTEGER NOT NULL, hostname TEXT, app TEXT, procid TEXT, msgid TEXT,
       sd TEXT, message TEXT NOT NULL, raw TEXT, flags TEXT, size INTEGER NOT NULL);
     CREATE INDEX logs_ts ON logs(ts);
     CREATE INDEX logs_host ON logs(hostname);
     CREATE INDEX logs_source ON logs(source);
     CREATE INDEX logs_device ON logs(device_id) WHERE device_id IS NOT NULL;
     CREATE VIRTUAL TABLE logs_fts USING fts5(message, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
     CREATE TABLE logs_meta (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL);
     INSERT INTO logs_meta (id, bytes) VALUES (1, 0);`,
    // Ingest speed: the hostname and source indexes halved insert throughput; host filters now walk newest-first
    // (fast for busy hosts, slow for rare hosts in huge tables). Fewer FTS merges during writes (automerge 16).
    `DROP INDEX logs_host;
     DROP INDEX logs_source;
     INSERT INTO logs_fts (logs_fts, rank) VALUES ('automerge', 16);`,
    // Ingest speed: a position-less, external-content index rebuilt from the stored text (see above).
    `DROP TABLE logs_fts;
     CREATE VIRTUAL TABLE logs_fts USING fts5(message, content='logs', content_rowid='id', detail=none, columnsize=0, ${LOG_TOKENIZER});
     INSERT INTO logs_fts (logs_fts, rank) VALUES ('automerge', 16);
     INSERT INTO logs_fts (logs_fts) VALUES ('rebuild');`,
    // Freshness: with crisismerge at its default (16) equal to automerge, a level that fills is merged whole inside
    // one batch's transaction, and those merges grow with the index (0.2-1.4 s stalls at 100k msgs/s, so a line
    // waited that long to be searchable). At 64 the same merges run incrementally, a slice per batch.
    `INSERT INTO logs_fts (logs_fts, rank) VALUES ('crisismerge', 64);`,
  ],
  create(db) {
    const insert = db.prepare(
      'INSERT INTO logs (received_ts, ts, source, device_id, transport, facility, severity, hostname, app, procid, msgid, sd, message, raw, flags, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // One statement indexes the whole batch from the rows just stored: a call and a string copy less per row.
    const indexFrom = db.prepare('INSERT INTO logs_fts (rowid, message) SELECT id, message FROM logs WHERE id >= ?');
    const addBytes = db.prepare('UPDATE logs_meta SET bytes = MAX(0, bytes + ?) WHERE id = 1');
    const getBytes = db.prepare('SELECT bytes FROM logs_meta WHERE id = 1');
    // The batch being written: its first id (indexed from there in one statement) and its bytes (retention budget).
    let first = 0;
    let bytes = 0;
    /** Stores one row of the batch, not yet indexed. */
    const insertRow = (l: LogRow | LogRecord): void => {
      const sd = toJson(l.structuredData);
      const size = logSize(l, sd);
      const { lastInsertRowid } = insert.run(
        l.receivedTs,
        l.ts,
        l.sourceAddress,
        l.deviceId ?? null,
        l.transport,
        l.facility,
        l.severity,
        l.hostname ?? null,
        l.app ?? null,
        l.procid ?? null,
        l.msgid ?? null,
        sd,
        l.message,
        l.rawBase64 ?? null,
        l.flags?.length ? JSON.stringify(l.flags) : null,
        size,
      );
      bytes += size;
      if (!first) first = Number(lastInsertRowid);
    };
    /** Indexes the batch's rows in one statement and counts its bytes. */
    const finish = () => {
      if (first) indexFrom.run(first);
      addBytes.run(bytes);
    };
    const write = db.transaction((logs: LogRecord[]) => {
      first = bytes = 0;
      for (const l of logs) insertRow(l);
      finish();
    });
    const writeColumns = db.transaction((cs: readonly LogColumns[]) => {
      first = bytes = 0;
      for (const c of cs) forEachLogRow(c, insertRow);
      finish();
    });

    /** WHERE clauses for the filters (not the text query or cursor). */
    function filters(q: LogQuery, alias: string): { sql: string; params: unknown[] } {
      const w: string[] = [];
      const p: unknown[] = [];
      if (q.from !== undefined) w.push(`${alias}.ts >= ?`), p.push(q.from);
      if (q.to !== undefined) w.push(`${alias}.ts < ?`), p.push(q.to);
      if (q.host) w.push(`(${alias}.hostname = ? OR ${alias}.source = ?)`), p.push(q.host, q.host);
      if (q.deviceId) w.push(`${alias}.device_id = ?`), p.push(q.deviceId);
      if (q.minSeverity !== undefined) w.push(`${alias}.severity <= ?`), p.push(q.minSeverity);
      if (q.facility !== undefined) w.push(`${alias}.facility = ?`), p.push(q.facility);
      if (q.app) w.push(`${alias}.app = ?`), p.push(q.app);
      return { sql: w.map((c) => ` AND ${c}`).join(''), params: p };
    }

    const search = createLogSearch(db);

    function source(q: LogQuery): { from: string; where: string; params: unknown[]; idCol: string; text?: TextSearch } {
      const text = search.plan(q.q);
      const f = filters(q, 'l');
      if (text?.exclude)
        return {
          from: 'logs l',
          where: `${text.index ? 'NOT EXISTS (SELECT 1 FROM logs_fts WHERE logs_fts MATCH ? AND rowid = l.id)' : '1'}${f.sql}`,
          params: text.index ? [text.index, ...f.params] : f.params,
          idCol: 'l.id',
          text,
        };
      if (text)
        return {
          from: 'logs_fts f JOIN logs l ON l.id = f.rowid',
          where: `logs_fts MATCH ?${f.sql}`,
          params: [text.index, ...f.params],
          idCol: 'f.rowid',
          text,
        };
      return { from: 'logs l', where: `1${f.sql}`, params: f.params, idCol: 'l.id' };
    }

    /**
     * Newest-first rows older than `before` that pass the exact check, read in growing chunks until `want` are found,
     * the candidates run out (`done`), or MAX_SCAN were read; `lastId` is the oldest candidate read.
     */
    function exactRows(s: ReturnType<typeof source>, exact: string, before: number | undefined, want: number) {
      const stmt = db.prepare(
        `SELECT l.* FROM ${s.from} WHERE ${s.where} AND ${s.idCol} < ? ORDER BY ${s.idCol} DESC LIMIT ?`,
      );
      const rows: Row[] = [];
      // A query of exclusions only drops the rows the exact check matches instead of keeping them.
      const drop = Boolean(s.text?.exclude);
      // Most candidates usually pass: the first chunk is the page; it grows when the check rejects many.
      let chunk = Math.min(MAX_CANDIDATE_CHUNK, want);
      let scanned = 0;
      let lastId = before ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const candidates = stmt.all(...s.params, lastId, chunk) as Row[];
        scanned += candidates.length;
        if (candidates.length) {
          const keep = search.exactIds(
            candidates.map((r) => r.id),
            exact,
          );
          for (const r of candidates) if (keep.has(r.id) !== drop && rows.length < want) rows.push(r);
          lastId = candidates[candidates.length - 1].id;
        }
        if (candidates.length < chunk) return { rows, done: true, lastId };
        if (rows.length >= want || scanned >= MAX_SCAN) return { rows, done: false, lastId };
        chunk = Math.min(MAX_CANDIDATE_CHUNK, chunk * 4);
      }
    }

    /** Counts per bucket when candidates need the exact check: every candidate is read and checked, in chunks. */
    function exactHistogram(
      s: ReturnType<typeof source>,
      exact: string,
      bucketMs: number,
    ): { ts: number; count: number }[] {
      const stmt = db.prepare(
        `SELECT l.id, l.ts FROM ${s.from} WHERE ${s.where} AND ${s.idCol} < ? ORDER BY ${s.idCol} DESC LIMIT ?`,
      );
      const counts = new Map<number, number>();
      let lastId = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = stmt.all(...s.params, lastId, MAX_CANDIDATE_CHUNK) as { id: number; ts: number }[];
        if (!rows.length) break;
        const keep = search.exactIds(
          rows.map((r) => r.id),
          exact,
        );
        for (const r of rows) {
          if (keep.has(r.id) === Boolean(s.text?.exclude)) continue;
          const bucket = r.ts - (r.ts % bucketMs);
          counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
        }
        lastId = rows[rows.length - 1].id;
        if (rows.length < MAX_CANDIDATE_CHUNK) break;
      }
      return [...counts].sort((a, c) => a[0] - c[0]).map(([ts, count]) => ({ ts, count }));
    }

    function deleteUpTo(maxId: number): number {
      let deleted = 0;
      for (;;) {
        const rows = db.prepare('SELECT id, size FROM logs WHERE id <= ? ORDER BY id LIMIT ?').all(maxId, CHUNK) as {
          id: number;
          size: number;
        }[];
        if (!rows.length) return deleted;
        const last = rows[rows.length - 1].id;
        const bytes = rows.reduce((s, r) => s + r.size, 0);
        db.transaction(() => {
          db.prepare('DELETE FROM logs_fts WHERE rowid <= ?').run(last);
          db.prepare('DELETE FROM logs WHERE id <= ?').run(last);
          addBytes.run(-bytes);
        })();
        deleted += rows.length;
      }
    }

    return {
      writeLogs: (logs) => write(logs),
      writeLogColumns: (cs) => writeColumns(cs),
      queryLogs(q): LogPage {
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const s = source(q);
        const before = q.cursor ? decodeLogCursor(q.cursor) : undefined;
        if (s.text?.exact) {
          const r = exactRows(s, s.text.exact, before, limit + 1);
          const page: LogPage = { logs: r.rows.slice(0, limit).map(toLog) };
          if (r.rows.length > limit) page.nextCursor = encodeLogCursor(r.rows[limit - 1].id);
          // The scan budget ran out before the page filled: the next page goes on from the last candidate read.
          else if (!r.done) page.nextCursor = encodeLogCursor(r.lastId);
          return page;
        }
        const params = [...s.params];
        let where = s.where;
        if (before !== undefined) {
          where += ` AND ${s.idCol} < ?`;
          params.push(before);
        }
        const rows = db
          .prepare(`SELECT l.* FROM ${s.from} WHERE ${where} ORDER BY ${s.idCol} DESC LIMIT ?`)
          .all(...params, limit + 1) as Row[];
        const page: LogPage = { logs: rows.slice(0, limit).map(toLog) };
        if (rows.length > limit) page.nextCursor = encodeLogCursor(rows[limit - 1].id);
        return page;
      },
      logHistogram(q, bucketMs) {
        const s = source(q);
        const b = Math.max(1, Math.floor(bucketMs));
        if (s.text?.exact) return exactHistogram(s, s.text.exact, b);
        return db
          .prepare(
            `SELECT (l.ts - (l.ts % ?)) AS ts, COUNT(*) AS count FROM ${s.from} WHERE ${s.where} GROUP BY 1 ORDER BY 1`,
          )
          .all(b, ...s.params) as { ts: number; count: number }[];
      },
      maintainLogs(now, retention: LogRetention) {
        let deletedByAge = 0;
        let deletedBySize = 0;
        const first = firstIdAtOrAfter(db, 'logs', now - retention.maxAgeDays * DAY);
        if (first !== undefined) deletedByAge = deleteUpTo(first - 1);
        while ((getBytes.get() as { bytes: number }).bytes > retention.maxBytes) {
          const excess = (getBytes.get() as { bytes: number }).bytes - retention.maxBytes;
          const rows = db.prepare('SELECT id, size FROM logs ORDER BY id LIMIT ?').all(CHUNK) as {
            id: number;
            size: number;
          }[];
          if (!rows.length) break;
          let sum = 0;
          let upTo = rows[rows.length - 1].id;
          for (const r of rows) {
            sum += r.size;
            if (sum >= excess) {
              upTo = r.id;
              break;
            }
          }
          deletedBySize += deleteUpTo(upTo);
        }
        return { deletedByAge, deletedBySize };
      },
      logStats() {
        const r = db.prepare('SELECT COUNT(*) AS count, MIN(received_ts) AS oldest FROM logs').get() as {
          count: number;
          oldest: number | null;
        };
        return compact({
          count: r.count,
          bytes: (getBytes.get() as { bytes: number }).bytes,
          oldestReceivedTs: r.oldest ?? undefined,
        });
      },
    };
  },
});
