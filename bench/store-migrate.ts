/**
 * `vigil store migrate` beside pgloader (Debian's `pgloader`, the usual tool for moving a SQLite database into
 * PostgreSQL), copying the same SQLite store into the same throwaway PostgreSQL cluster on this machine.
 * The store holds VIGIL_BENCH_N syslog lines (bench/syslog-corpus.ts, over two days) and the samples of
 * VIGIL_BENCH_POLLS polls of 2,000 devices (24 series each); both tools copy the same tables. pgloader makes plain
 * tables of its own and indexes them afterwards; Vigil's copy goes into the store's own schema as it is (day
 * partitions, the logs' full-text tsvector and GIN index maintained on insert, log volume counters), so the peer does
 * less work per row: the ratio says what that schema costs beside a bulk loader.
 * Run: npx tsx bench/store-migrate.ts   (VIGIL_BENCH_N=1000000 VIGIL_BENCH_POLLS=20 VIGIL_BENCH_BATCH=5000)
 * Needs: apt-get install pgloader postgresql-15
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Sample } from '../src/model/records.ts';
import { migrateStore } from '../src/store/migrate/copy.ts';
import { openSqlite } from '../src/store/sqlite/async.ts';
import { startPostgres } from '../test/harness/postgres.ts';
import { decodedCorpus } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 1_000_000);
const POLLS = Number(process.env.VIGIL_BENCH_POLLS ?? 20);
const BATCH = Number(process.env.VIGIL_BENCH_BATCH ?? 5000);
const DEVICES = 2000;
const SERIES = 24;
const TABLES = ['devices', 'series', 'latest', 'samples', 'rollup_5m', 'rollup_1h', 'logs'];

try {
  execFileSync('pgloader', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench: pgloader is missing (apt-get install pgloader)');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-migrate-'));
const server = await startPostgres();
try {
  // The source store, filled the way Vigil fills it.
  const t0 = performance.now();
  const store = await openSqlite(dir);
  const start = Date.now() - 2 * 86_400_000;
  for (let done = 0; done < N; done += 100_000) {
    const logs = decodedCorpus(Math.min(100_000, N - done), start + done);
    for (let i = 0; i < logs.length; i += 10_000) await store.writeLogs(logs.slice(i, i + 10_000));
  }
  for (let p = 0; p < POLLS; p++) {
    const ts = start + p * 60_000;
    const samples: Sample[] = [];
    for (let d = 0; d < DEVICES; d++)
      for (let s = 0; s < SERIES; s++)
        samples.push({
          kind: 'sample',
          deviceId: `d${d}`,
          metric: 'if.in.bps',
          labels: { ifIndex: `${s}` },
          ts,
          value: p * s,
        });
    await store.writeSamples(samples);
  }
  await store.close();
  console.log(
    `source: ${N.toLocaleString('en-US')} logs, ${(POLLS * DEVICES * SERIES).toLocaleString('en-US')} samples (filled in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );

  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_vigil');
  await admin.query('CREATE DATABASE bench_pgloader');
  await admin.end();
  const url = (db: string) => server.url.replace(/\/[^/]*$/, `/${db}`);

  const v0 = performance.now();
  const perTable = new Map<string, number>();
  let mark = performance.now();
  const result = await migrateStore({
    from: dir,
    to: url('bench_vigil'),
    batchRows: BATCH,
    onProgress: (p) => {
      const now = performance.now();
      perTable.set(p.table, (perTable.get(p.table) ?? 0) + now - mark);
      mark = now;
    },
  });
  const vigilS = (performance.now() - v0) / 1000;
  if (!result.verified) throw new Error(`vigil: counts differ ${JSON.stringify(result.counts)}`);
  const rows = result.counts.filter((c) => TABLES.includes(c.table)).reduce((a, c) => a + c.source, 0);

  const load = join(dir, 'load.pgl');
  writeFileSync(
    load,
    `LOAD DATABASE FROM sqlite://${join(dir, 'vigil.db')} INTO ${url('bench_pgloader')}
     WITH include drop, create tables, create indexes, reset sequences
     INCLUDING ONLY TABLE NAMES LIKE ${TABLES.map((t) => `'${t}'`).join(', ')};\n`,
  );
  const l0 = performance.now();
  const r = spawnSync('pgloader', ['--quiet', '--root-dir', join(dir, 'pgloader'), load], { encoding: 'utf8' });
  const loaderS = (performance.now() - l0) / 1000;
  if (r.status !== 0) throw new Error(`pgloader failed: ${r.stderr || r.stdout}`);
  const check = new pg.Client({ connectionString: url('bench_pgloader') });
  await check.connect();
  let loaded = 0;
  for (const t of TABLES) loaded += Number((await check.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
  await check.end();

  console.log(`vigil per table (s): ${[...perTable].map(([t, ms]) => `${t} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`| tool | rows (${TABLES.join(', ')}) | seconds | rows/s |`);
  console.log('|---|---|---|---|');
  console.log(`| vigil store migrate (batch ${BATCH}) | ${fmt(rows)} | ${vigilS.toFixed(1)} | ${fmt(rows / vigilS)} |`);
  console.log(`| pgloader 3.6.9 | ${fmt(loaded)} | ${loaderS.toFixed(1)} | ${fmt(loaded / loaderS)} |`);
  console.log(`ratio vigil / pgloader (rows/s): ${(rows / vigilS / (loaded / loaderS)).toFixed(2)}`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
