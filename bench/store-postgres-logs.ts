/**
 * Feasibility of the PostgreSQL log store (issue 13), before the backend exists: the same decoded log lines as
 * bench/log-store-write.ts written into a throwaway PostgreSQL (test/harness/postgres.ts) in batches of 5,000 (one
 * multi-row INSERT from arrays per batch, as a store writer would), into a table partitioned by day with a GIN index
 * over a tsvector (configuration `simple` + unaccent: case and diacritics folded, positions kept for phrases);
 * side by side with Vigil's SQLite store (`writeLogs`, FTS5) on the same records. Then search latency on each: a word,
 * a prefix, a phrase and an exclusion, newest 100 first.
 * Goals from issue 13 on this 2-core machine (Vigil and PostgreSQL sharing it): logs >= 50,000/s stored and
 * searchable; search p50 < 100 ms (the 10 M lines: VIGIL_BENCH_N=10000000 takes a while).
 * Run: npx tsx bench/store-postgres-logs.ts   (VIGIL_BENCH_N=1000000 default; VIGIL_BENCH_CONNS=1 writers)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { startPostgres } from '../test/harness/postgres.ts';
import { decodedCorpus } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 1_000_000);
const CONNS = Number(process.env.VIGIL_BENCH_CONNS ?? 1);
const BATCH = 5_000;
const DAY = 86_400_000;
const records = decodedCorpus(N);
const QUERIES: [string, string, string][] = [
  // [label, tsquery for PostgreSQL, query for Vigil's SQLite search]
  ['word', `to_tsquery('vigil', 'session')`, 'session'],
  ['prefix', `to_tsquery('vigil', 'authenticat:*')`, 'authenticat*'],
  ['phrase', `phraseto_tsquery('vigil', 'session opened')`, '"session opened"'],
  ['exclusion', `to_tsquery('vigil', 'session & !closed')`, 'session -closed'],
  ['rare word', `to_tsquery('vigil', 'seq${N - 7}')`, `seq${N - 7}`],
];

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

async function postgres(): Promise<{ rate: number; search: Map<string, number[]> }> {
  const server = await startPostgres();
  try {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query(`CREATE EXTENSION unaccent;
      CREATE TEXT SEARCH CONFIGURATION vigil (COPY = simple);
      ALTER TEXT SEARCH CONFIGURATION vigil ALTER MAPPING FOR hword, hword_part, word, asciiword, asciihword, hword_asciipart WITH unaccent, simple;
      CREATE TABLE logs (id bigint GENERATED ALWAYS AS IDENTITY, received_ts bigint NOT NULL, ts bigint NOT NULL, source text NOT NULL, device_id text,
        transport text NOT NULL, facility smallint NOT NULL, severity smallint NOT NULL, hostname text, app text, procid text, msgid text,
        sd jsonb, message text NOT NULL, raw text, flags text[], tsv tsvector GENERATED ALWAYS AS (to_tsvector('vigil', message)) STORED)
        PARTITION BY RANGE (received_ts);
      CREATE INDEX logs_tsv ON logs USING gin (tsv) WITH (fastupdate = on);
      CREATE INDEX logs_ts ON logs (ts);
      CREATE INDEX logs_id ON logs (id);`);
    // One partition per day the records span (retention then drops whole partitions).
    for (let d = Math.floor(records[0].receivedTs / DAY); d <= Math.floor(records[N - 1].receivedTs / DAY); d++) {
      await c.query(`CREATE TABLE logs_${d} PARTITION OF logs FOR VALUES FROM (${d * DAY}) TO (${(d + 1) * DAY})`);
    }
    const insert = `INSERT INTO logs (received_ts, ts, source, device_id, transport, facility, severity, hostname, app, procid, msgid, message)
      SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::smallint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`;
    const writers = await Promise.all(
      Array.from({ length: CONNS }, async () => {
        const w = new pg.Client({ connectionString: server.url });
        await w.connect();
        await w.query('SET synchronous_commit = off');
        return w;
      }),
    );
    const t = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      writers.map(async (w) => {
        for (;;) {
          const i = next;
          next += BATCH;
          if (i >= N) return;
          const batch = records.slice(i, i + BATCH);
          await w.query({
            name: 'insert-logs',
            text: insert,
            values: [
              batch.map((l) => l.receivedTs),
              batch.map((l) => l.ts),
              batch.map((l) => l.sourceAddress),
              batch.map((l) => l.deviceId ?? null),
              batch.map((l) => l.transport),
              batch.map((l) => l.facility),
              batch.map((l) => l.severity),
              batch.map((l) => l.hostname ?? null),
              batch.map((l) => l.app ?? null),
              batch.map((l) => l.procid ?? null),
              batch.map((l) => l.msgid ?? null),
              batch.map((l) => l.message),
            ],
          });
        }
      }),
    );
    const found = await c.query(`SELECT count(*)::int AS n FROM logs WHERE tsv @@ to_tsquery('vigil', 'seq${N - 1}')`);
    const rate = N / (Number(process.hrtime.bigint() - t) / 1e9);
    if (found.rows[0].n !== 1) throw new Error('last record not found by full-text search');
    await Promise.all(writers.map((w) => w.end()));
    await c.query('VACUUM ANALYZE logs');
    const search = new Map<string, number[]>();
    for (const [label, tsq] of QUERIES) {
      const times: number[] = [];
      for (let k = 0; k < 20; k++) {
        const s = performance.now();
        await c.query(`SELECT id, message FROM logs WHERE tsv @@ ${tsq} ORDER BY id DESC LIMIT 100`);
        times.push(performance.now() - s);
      }
      search.set(label, times);
    }
    await c.end();
    return { rate, search };
  } finally {
    await server.stop();
  }
}

function sqlite(): { rate: number; search: Map<string, number[]> } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pgcmp-'));
  const store = openSqliteStore(dir);
  try {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i += BATCH) store.writeLogs(records.slice(i, i + BATCH));
    const rate = N / (Number(process.hrtime.bigint() - t) / 1e9);
    const search = new Map<string, number[]>();
    for (const [label, , q] of QUERIES) {
      const times: number[] = [];
      for (let k = 0; k < 20; k++) {
        const s = performance.now();
        store.queryLogs({ q, limit: 100 });
        times.push(performance.now() - s);
      }
      search.set(label, times);
    }
    return { rate, search };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const p = await postgres();
const s = sqlite();
console.log(
  `log store: ${N.toLocaleString('en')} decoded lines in batches of ${BATCH.toLocaleString('en')}, stored and searchable`,
);
console.log(
  `  PostgreSQL (${CONNS} writer${CONNS > 1 ? 's' : ''}, unnest INSERT, GIN tsvector, daily partitions) ${Math.round(p.rate).toLocaleString('en')} rows/s (goal >= 50,000)`,
);
console.log(
  `  SQLite (writeLogs, FTS5)                                      ${Math.round(s.rate).toLocaleString('en')} rows/s; PostgreSQL / SQLite ${(p.rate / s.rate).toFixed(2)}`,
);
console.log('search, newest 100, p50 / p99 over 20 runs (goal p50 < 100 ms):');
for (const [label] of QUERIES) {
  const a = p.search.get(label)!;
  const z = s.search.get(label)!;
  console.log(
    `  ${label.padEnd(10)} PostgreSQL ${fmt(pct(a, 0.5))} / ${fmt(pct(a, 0.99))}   SQLite ${fmt(pct(z, 0.5))} / ${fmt(pct(z, 0.99))}`,
  );
}
