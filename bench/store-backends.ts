/**
 * The store's two backends side by side (issue 13): SQLite (`openSqlite`, its writer thread) and PostgreSQL
 * (`openPostgres` on a throwaway cluster from test/harness/postgres.ts, sharing this machine), on the same records in
 * one run, printed with the ratio PostgreSQL / SQLite and the issue's goals.
 * Ingest goes the way production writes: records published on the in-memory bus and written by
 * `startStoreWriter(bus, store, { ownWriter: true })` (SQLite: packed chunks to its writer thread; PostgreSQL:
 * packed chunks in up to two transactions at once on the pool), timed until `bus.drain()` says everything is committed.
 *  - samples: 2,000 devices polled (24 interfaces on average, 16 rates and oper status each, with the interface and
 *    device states a poll publishes; bench/store-backends-records.ts): the first poll (every series new) and the
 *    polls after it; device d0 first gets a day of history, for the range queries;
 *  - metrics: `querySeries` of one interface's if.in.bps over the last hour and the last day (raw points, the API's
 *    default step) and the last day at 5 minutes (rollups), p50 / p99;
 *  - traps: v2c traps decoded from datagrams, varbinds' wire form kept, as the receiver publishes them;
 *  - events: event states and history through the store writer's `writeEvents`, 500 a transaction, one after another,
 *    as the event engine's write-behind hands them over (half opened, half updated or cleared);
 *  - logs: VIGIL_BENCH_N decoded lines (bench/syslog-corpus.ts), "stored and searchable": the time includes finding
 *    the last line by full-text search. Beyond 1 M lines they are decoded a million at a time outside the timing;
 *  - search: `queryLogs({ q, limit: 100 })` p50 / p99 for a word, two words, a phrase, a prefix, an IP address, rare
 *    words (newest and oldest line) and an absent one, over the N lines; on PostgreSQL once as loaded and once after
 *    ANALYZE (what autovacuum does on its own a minute or so later; the table shows the latter), 5 runs then.
 * Each phase also prints where the time went (bench/store-backends-cpu.ts): this process's CPU (main thread, SQLite's
 * writer thread, the busiest other), PostgreSQL's processes' CPU (postmaster and children), the rest of the machine
 * (other work there distorts the figure: it is flagged), iowait, bytes written, PostgreSQL's WAL and its tables' row
 * counts (updates that were HOT or not); and what bounds the figure. The harness cluster runs with fsync=off and
 * full_page_writes=off (as do SQLite's commits in WAL mode with synchronous=NORMAL: neither waits on the disk per commit).
 * Run: npx tsx bench/store-backends.ts
 *   VIGIL_BENCH_N=10000000          log lines (default 1,000,000)
 *   VIGIL_BENCH_PHASES=samples,metrics,traps,events,logs,search   (metrics needs samples, search needs logs: asking
 *                                    for one runs the other)
 *   VIGIL_BENCH_BACKENDS=sqlite,postgres
 *   VIGIL_BENCH_ROUNDS=4 (polls of the 2,000 devices), VIGIL_BENCH_TRAPS=200000, VIGIL_BENCH_EVENTS=100000,
 *   VIGIL_BENCH_REPS=30 (runs of each query)
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMemoryBus } from '../src/bus/memory.ts';
import type { Bus } from '../src/bus/types.ts';
import type { BusRecord } from '../src/model/records.ts';
import { openPostgres } from '../src/store/postgres/index.ts';
import { openSqlite } from '../src/store/sqlite/async.ts';
import type { SeriesQuery, Store } from '../src/store/types.ts';
import { startStoreWriter, type StoreWriter } from '../src/store/writer.ts';
import { startPostgres, type TestPostgres } from '../test/harness/postgres.ts';
import { bound, CORES, describe, snapshot, split, threadIds, type Split } from './store-backends-cpu.ts';
import {
  DEVICES,
  eventSlices,
  interfacesOf,
  logLines,
  POLL_MS,
  pollRecords,
  pollRound,
  samplesPerPoll,
  traps,
} from './store-backends-records.ts';

const env = process.env;
const N = Number(env.VIGIL_BENCH_N ?? 1_000_000);
const ROUNDS = Math.max(2, Number(env.VIGIL_BENCH_ROUNDS ?? 4));
const TRAPS = Number(env.VIGIL_BENCH_TRAPS ?? 200_000);
const EVENTS = Number(env.VIGIL_BENCH_EVENTS ?? 100_000);
const REPS = Number(env.VIGIL_BENCH_REPS ?? 30);
/** Lines decoded at once; the first chunk is the timed "stored and searchable" figure. */
const LOG_CHUNK = 1_000_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

type BackendName = 'sqlite' | 'postgres';
const BACKENDS = (env.VIGIL_BENCH_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as BackendName[];
for (const b of BACKENDS) if (b !== 'sqlite' && b !== 'postgres') throw new Error(`unknown backend ${b}`);
const PHASES = new Set((env.VIGIL_BENCH_PHASES ?? 'samples,metrics,traps,events,logs,search').split(','));
if (PHASES.has('metrics')) PHASES.add('samples');
if (PHASES.has('search')) PHASES.add('logs');

/** One instant for every backend, on a minute: the records (and the queries' "last hour") are the same on each. */
const NOW = Math.floor(Date.now() / POLL_MS) * POLL_MS;

const QUERIES: [string, string][] = [
  ['word', 'authentication'],
  ['two words', 'invalid user'],
  ['phrase', '"failed password for root"'],
  ['prefix', 'authenticat*'],
  ['IP address', '187.141.143.180'],
  ['rare word, newest', `seq${N - 7}`],
  ['rare word, oldest', 'seq7'],
  ['absent word', 'zyxwvutsr'],
];
const RANGES: [string, Omit<SeriesQuery, 'deviceId' | 'metric' | 'labels'>][] = [
  ['last hour', { from: NOW - HOUR, to: NOW }],
  ['last day', { from: NOW - DAY, to: NOW }],
  ['last day, 5 min', { from: NOW - DAY, to: NOW, stepS: 300 }],
];

// ---- results ----

type Cell = { rate: number; bound: string } | { p50: number; p99: number };
interface Row {
  measure: string;
  goal: string;
  cells: Partial<Record<BackendName, Cell>>;
}
const rows: Row[] = [];
function put(measure: string, backend: BackendName, cell: Cell, goal = ''): void {
  let row = rows.find((r) => r.measure === measure);
  if (!row) rows.push((row = { measure, goal, cells: {} }));
  row.cells[backend] = cell;
}

const int = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toString());
const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

// ---- backends ----

interface Backend {
  name: BackendName;
  store: Store;
  server?: TestPostgres;
  /** A connection of the bench's own, for WAL position, sizes and ANALYZE. */
  admin?: pg.Client;
  dir?: string;
  /** Thread ids of the store writer's thread (SQLite), set once it is started. */
  writerThreads: Set<number>;
  sizeMB(): Promise<number>;
  close(): Promise<void>;
}

function duBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? duBytes(p) : s.size;
  }
  return total;
}

async function openBackend(name: BackendName): Promise<Backend> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-backends-'));
    const store = openSqlite(dir);
    return {
      name,
      store,
      dir,
      writerThreads: new Set(),
      sizeMB: async () => duBytes(dir) / 1e6,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await startPostgres();
  try {
    const store = await openPostgres(server.url, { pool: 10 });
    const admin = new pg.Client({ connectionString: server.url, application_name: 'bench' });
    await admin.connect();
    const version = (await admin.query('SHOW server_version')).rows[0].server_version;
    console.log(`postgres: PostgreSQL ${version}, pid ${server.pid}, ${server.dir}`);
    return {
      name,
      store,
      server,
      admin,
      writerThreads: new Set(),
      async sizeMB() {
        const r = await admin.query('SELECT pg_database_size(current_database())::float8 AS b');
        return r.rows[0].b / 1e6;
      },
      async close() {
        await admin.end();
        await store.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function walBytes(b: Backend): Promise<number | undefined> {
  if (!b.admin) return undefined;
  const r = await b.admin.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS b");
  return r.rows[0].b;
}

/** Times `fn` with the CPU split around it (and PostgreSQL's WAL written, read outside the timing). */
async function measured(b: Backend, fn: () => Promise<void>): Promise<{ split: Split; walMB?: number }> {
  const w0 = await walBytes(b);
  const a = snapshot(b.server?.pid);
  await fn();
  const z = snapshot(b.server?.pid);
  const w1 = await walBytes(b);
  return {
    split: split(a, z, b.writerThreads),
    walMB: w0 === undefined || w1 === undefined ? undefined : (w1 - w0) / 1e6,
  };
}

function report(b: Backend, what: string, count: number, unit: string, m: { split: Split; walMB?: number }): number {
  const rate = count / m.split.wallS;
  const wal = m.walMB === undefined ? '' : `, WAL ${Math.round(m.walMB)} MB`;
  console.log(`  ${what}: ${int(count)} ${unit} in ${m.split.wallS.toFixed(2)} s = ${int(rate)}/s${wal}`);
  console.log(`      ${describe(m.split, !!b.server)}`);
  console.log(`      bound: ${bound(m.split)}`);
  return rate;
}

/**
 * PostgreSQL's row counts of the tables (partitions summed) since the cluster started: rows inserted, updated (and how
 * many of those were HOT: no index touched), dead rows left for vacuum, size with indexes. Evidence for what a write
 * costs there.
 */
async function pgTables(b: Backend, tables: string[]): Promise<void> {
  if (!b.admin) return;
  // A backend reports its counts when it goes idle at most once a second: wait, and have the store's connections go
  // idle once more.
  await new Promise((r) => setTimeout(r, 1100));
  await Promise.all(Array.from({ length: 3 }, () => b.store.getKv('bench')));
  const r = await b.admin.query(
    `SELECT regexp_replace(relname, '_d[0-9]+$', '') AS t, sum(n_tup_ins)::float8 AS ins, sum(n_tup_upd)::float8 AS upd,
       sum(n_tup_hot_upd)::float8 AS hot, sum(n_dead_tup)::float8 AS dead, sum(pg_total_relation_size(relid))::float8 AS bytes
     FROM pg_stat_user_tables WHERE regexp_replace(relname, '_d[0-9]+$', '') = ANY($1::text[]) GROUP BY 1 ORDER BY 1`,
    [tables],
  );
  const m = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : int(x));
  for (const x of r.rows)
    console.log(
      `      table ${x.t}: ${m(x.ins)} inserted, ${m(x.upd)} updated (${m(x.hot)} HOT), ${m(x.dead)} dead, ${int(x.bytes / 1e6)} MB`,
    );
}

/** Publishes the records as a collector does (waiting when the bus is full) and waits until they are committed. */
async function publishAll(bus: Bus, records: readonly BusRecord[]): Promise<void> {
  for (const r of records) {
    const p = bus.publish(r);
    if (p) await p;
  }
  await bus.drain();
}

// ---- phases ----

async function samplesPhase(b: Backend, bus: Bus, failed: () => void): Promise<void> {
  // A day of history for d0 (every minute, before the timed polls), so that a range query has a day to read.
  const historyPolls = DAY / POLL_MS - ROUNDS;
  const history: BusRecord[] = [];
  for (let j = historyPolls; j >= 1; j--)
    for (const r of pollRecords(0, NOW - (ROUNDS + j) * POLL_MS, -j)) history.push(r);
  const h = await measured(b, () => publishAll(bus, history));
  failed();
  report(b, `history of d0 (${int(historyPolls)} polls, one device)`, historyPolls * samplesPerPoll(0), 'samples', h);

  const perRound = Array.from({ length: DEVICES }, (_, d) => samplesPerPoll(d)).reduce((x, y) => x + y, 0);
  const rounds = Array.from({ length: ROUNDS }, (_, k) => pollRound(NOW - (ROUNDS - k) * POLL_MS, k));
  const first = await measured(b, () => publishAll(bus, rounds[0]));
  failed();
  const r1 = report(
    b,
    `first poll of ${int(DEVICES)} devices (series new; ${int(rounds[0].length)} records)`,
    perRound,
    'samples',
    first,
  );
  put('samples/s, first poll (series made)', b.name, { rate: r1, bound: bound(first.split) });
  const rest = rounds.slice(1);
  const steady = await measured(b, async () => {
    for (const r of rest) await publishAll(bus, r);
  });
  failed();
  const r2 = report(
    b,
    `${rest.length} polls after it (${int(rest[0].length)} records each)`,
    perRound * rest.length,
    'samples',
    steady,
  );
  put('samples/s, polls after the first', b.name, { rate: r2, bound: bound(steady.split) }, '>= 200,000');

  await pgTables(b, [
    'series',
    'samples',
    'rollup_5m',
    'rollup_1h',
    'latest',
    'interfaces',
    'interface_changes',
    'device_status',
  ]);
  // Every device's last poll is there.
  const last = DEVICES - 1;
  const latest = await b.store.latest('if.in.bps', `d${last}`);
  const wantTs = NOW - POLL_MS + Math.floor((last * POLL_MS) / DEVICES);
  if (latest.length !== interfacesOf(last) || latest.some((l) => l.ts !== wantTs))
    throw new Error(`${b.name}: the last poll of d${last} is not stored (${latest.length} latest values)`);
}

async function metricsPhase(b: Backend): Promise<void> {
  for (const [label, range] of RANGES) {
    const times: number[] = [];
    let points = 0;
    for (let k = 0; k < REPS; k++) {
      const t = performance.now();
      const series = await b.store.querySeries({
        deviceId: 'd0',
        metric: 'if.in.bps',
        labels: { ifIndex: '3' },
        ...range,
      });
      times.push(performance.now() - t);
      points = series.reduce((n, s) => n + s.points.length, 0);
      if (series.length !== 1) throw new Error(`${b.name}: ${series.length} series for one interface`);
    }
    const p50 = pct(times, 0.5);
    const p99 = pct(times, 0.99);
    console.log(`  range query, one interface, ${label}: ${points} points, p50 ${ms(p50)} ms, p99 ${ms(p99)} ms`);
    put(`metrics query p50/p99 ms, ${label}`, b.name, { p50, p99 });
  }
}

async function trapsPhase(b: Backend, bus: Bus, failed: () => void): Promise<void> {
  const records = traps(TRAPS, NOW);
  const m = await measured(b, () => publishAll(bus, records));
  failed();
  const rate = report(b, 'traps', TRAPS, 'traps', m);
  put('traps/s', b.name, { rate, bound: bound(m.split) });
  await pgTables(b, ['traps']);
  const n = await b.store.countTraps();
  if (n !== TRAPS) throw new Error(`${b.name}: ${n} traps stored of ${TRAPS}`);
}

async function eventsPhase(b: Backend, writer: StoreWriter): Promise<void> {
  const slices = eventSlices(EVENTS, NOW);
  const m = await measured(b, async () => {
    // One slice after another, as the engine's write-behind sends them (the next when the last is committed).
    for (const s of slices) await writer.writeEvents(s.events, s.history);
  });
  const history = slices.reduce((n, s) => n + s.history.length, 0);
  const rate = report(b, `event states (and ${int(history)} history entries)`, EVENTS, 'events', m);
  put('events/s', b.name, { rate, bound: bound(m.split) });
  await pgTables(b, ['events', 'event_history']);
  const e = await b.store.getEvent('ev00000000');
  if (e?.count !== 2 || e.state !== 'cleared')
    throw new Error(`${b.name}: event ev00000000 not updated: ${JSON.stringify(e)}`);
}

async function logsPhase(b: Backend, bus: Bus, failed: () => void): Promise<void> {
  const first = Math.min(N, LOG_CHUNK);
  let records = logLines(N, 0, first, NOW);
  const m = await measured(b, async () => {
    await publishAll(bus, records);
    // Searchable: the last line is found by full-text search.
    const found = await b.store.queryLogs({ q: `seq${first - 1}` });
    if (found.logs.length !== 1) throw new Error(`${b.name}: the last line is not found by search`);
  });
  failed();
  records = [];
  const rate = report(b, 'log lines stored and searchable', first, 'lines', m);
  put('logs/s stored+searchable', b.name, { rate, bound: bound(m.split) }, '>= 50,000');
  if (N > first) {
    let wall = 0;
    let lastRate = 0;
    let lastBound = '';
    for (let from = first; from < N; from += LOG_CHUNK) {
      const to = Math.min(N, from + LOG_CHUNK);
      const chunk = logLines(N, from, to, NOW);
      const c = await measured(b, () => publishAll(bus, chunk));
      failed();
      wall += c.split.wallS;
      lastRate = report(b, `lines ${int(from)} to ${int(to)}`, to - from, 'lines', c);
      lastBound = bound(c.split);
    }
    console.log(`  all ${int(N)} lines: ${int(N / (wall + m.split.wallS))} lines/s (decoding excluded)`);
    put(`logs/s, last million of ${int(N)}`, b.name, { rate: lastRate, bound: lastBound });
  }
  await pgTables(b, ['logs', 'logs_volume']);
  const stats = await b.store.logStats();
  if (stats.count !== N) throw new Error(`${b.name}: ${stats.count} lines stored of ${N}`);
}

interface QueryRun {
  times: number[];
  hits: number;
  newest?: string;
}

async function searchOnce(b: Backend, reps = REPS): Promise<Map<string, QueryRun>> {
  const out = new Map<string, QueryRun>();
  for (const [label, q] of QUERIES) {
    const run: QueryRun = { times: [], hits: 0 };
    for (let k = 0; k < reps; k++) {
      const t = performance.now();
      const page = await b.store.queryLogs({ q, limit: 100 });
      run.times.push(performance.now() - t);
      run.hits = page.logs.length;
      run.newest = page.logs[0]?.message;
    }
    out.set(label, run);
  }
  return out;
}

function printSearch(runs: Map<string, QueryRun>): void {
  for (const [label, q] of QUERIES) {
    const r = runs.get(label)!;
    console.log(
      `  search ${label.padEnd(18)} ${q.padEnd(28)} ${String(r.hits).padStart(3)} hits  p50 ${ms(pct(r.times, 0.5)).padStart(6)} ms  p99 ${ms(pct(r.times, 0.99)).padStart(6)} ms`,
    );
  }
}

const searchAnswers = new Map<BackendName, Map<string, QueryRun>>();

async function searchPhase(b: Backend): Promise<void> {
  if (b.admin) {
    const r = await b.admin.query(
      `SELECT relname, n_live_tup::int8 AS n, last_autoanalyze IS NOT NULL AS analyzed, autoanalyze_count::int AS times
       FROM pg_stat_user_tables WHERE relname LIKE 'logs_d%' ORDER BY relname`,
    );
    console.log(
      `  log partitions before searching: ${r.rows.map((x) => `${x.relname} ${int(Number(x.n))} rows, ${x.analyzed ? `auto-analyzed ${x.times}x` : 'not analyzed yet'}`).join('; ')}`,
    );
    // Fewer runs: before ANALYZE a search can read every line.
    console.log('  as loaded (5 runs each):');
    const fresh = await searchOnce(b, Math.min(REPS, 5));
    printSearch(fresh);
    const t = performance.now();
    await b.admin.query('ANALYZE logs');
    console.log(`  ANALYZE logs: ${ms(performance.now() - t)} ms; then:`);
  }
  const runs = await searchOnce(b);
  printSearch(runs);
  searchAnswers.set(b.name, runs);
  for (const [label] of QUERIES) {
    const r = runs.get(label)!;
    put(`search p50/p99 ms, ${label}`, b.name, { p50: pct(r.times, 0.5), p99: pct(r.times, 0.99) }, 'p50 < 100');
  }
}

// ---- run ----

async function runBackend(name: BackendName): Promise<void> {
  console.log(`\n== ${name} ==`);
  const b = await openBackend(name);
  const errors: unknown[] = [];
  const bus = createMemoryBus({ onError: (_s, e) => errors.push(e) });
  const before = threadIds();
  const writer = startStoreWriter(bus, b.store, { ownWriter: true });
  // The threads that appear now are the writer thread's (SQLite); PostgreSQL's store starts none.
  await new Promise((r) => setTimeout(r, 300));
  for (const t of threadIds()) if (!before.has(t)) b.writerThreads.add(t);
  if (b.writerThreads.size) console.log(`  writer thread: tid ${[...b.writerThreads].join(', ')}`);
  const failed = () => {
    if (errors.length) throw errors[0];
  };
  try {
    if (PHASES.has('samples')) await samplesPhase(b, bus, failed);
    if (PHASES.has('metrics')) await metricsPhase(b);
    if (PHASES.has('traps')) await trapsPhase(b, bus, failed);
    if (PHASES.has('events')) await eventsPhase(b, writer);
    if (PHASES.has('logs')) await logsPhase(b, bus, failed);
    if (PHASES.has('search')) await searchPhase(b);
    const size = await b.sizeMB();
    console.log(`  store size on disk: ${int(size)} MB`);
    put('store size on disk, MB', name, { rate: size, bound: '' });
  } finally {
    await writer.close();
    await b.close();
  }
}

console.log(
  `store backends: ${CORES} cores; ${int(DEVICES)} devices x ${ROUNDS} polls, ${int(TRAPS)} traps, ${int(EVENTS)} events, ${int(N)} log lines, ${REPS} runs per query`,
);
for (const name of BACKENDS) await runBackend(name);

// Both backends answered the searches alike (the same lines, newest first).
const [sa, pa] = [searchAnswers.get('sqlite'), searchAnswers.get('postgres')];
if (sa && pa)
  for (const [label] of QUERIES) {
    const x = sa.get(label)!;
    const y = pa.get(label)!;
    if (x.hits !== y.hits || x.newest !== y.newest)
      console.log(
        `  (!) search ${label}: SQLite ${x.hits} hits, PostgreSQL ${y.hits}; newest differs: ${x.newest !== y.newest}`,
      );
  }

// ---- table ----

const cellText = (c: Cell | undefined) =>
  c === undefined ? '-' : 'rate' in c ? int(c.rate) : `${ms(c.p50)} / ${ms(c.p99)}`;
const ratioText = (s: Cell | undefined, p: Cell | undefined) => {
  if (!s || !p) return '-';
  if ('rate' in s && 'rate' in p) return s.rate ? (p.rate / s.rate).toFixed(2) : '-';
  if ('p50' in s && 'p50' in p) return `${(p.p50 / s.p50).toFixed(2)} / ${(p.p99 / s.p99).toFixed(2)}`;
  return '-';
};
const table = [
  ['measure', 'SQLite', 'PostgreSQL', 'PG/SQLite', 'goal'],
  ...rows.map((r) => [
    r.measure,
    cellText(r.cells.sqlite),
    cellText(r.cells.postgres),
    ratioText(r.cells.sqlite, r.cells.postgres),
    r.goal,
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(`\nstore backends, same records, one run (${int(N)} log lines; rates per second, latencies ms p50 / p99):`);
for (const row of table)
  console.log(`  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`);
console.log('bounds (from the CPU split of each phase):');
for (const r of rows)
  for (const name of BACKENDS) {
    const c = r.cells[name];
    if (c && 'rate' in c && c.bound) console.log(`  ${r.measure}, ${name}: ${c.bound}`);
  }
