/**
 * End-to-end TCP ingest, side by side with rsyslog on this machine: the same stream (RFC 5424 and 3164 mixed, bodies
 * from ../shared/logs; octet-counted and newline-delimited connections alternate) sent by the same sender
 * (bench/tcp-send.c, one send() per message as a relay forwarding lines does) over one connection and over four,
 * to Vigil (until every message is stored and the last one is found by full-text search) and to rsyslog
 * (imtcp → omfile, until every line is in the file).
 * Vigil runs whole, as `vigil start` does (in this process, from source): event engine, store writer thread, every
 * bus subscriber; only the syslog TCP listener is on. It also times Vigil's receiver alone (TCP, framing, parsing
 * into LogRecords, handed to a counter: no bus, no store), the ceiling that no store could lift Vigil's figure above.
 * Run: npx tsx bench/syslog-tcp.ts   (VIGIL_BENCH_N=1000000 for the issue's full size; default 200,000)
 *      VIGIL_BENCH_PHASES=vigil,rsyslog,ceiling picks phases; VIGIL_BENCH_CONNS=1,4 the connection counts;
 *      VIGIL_BENCH_WRITE=bulk sends 256 KiB writes instead of one per message. Needs cc.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBus } from '../src/bus/memory.ts';
import { syslogConfigSchema } from '../src/collectors/syslog/config.ts';
import { createSyslogCollector } from '../src/collectors/syslog/index.ts';
import { startVigil } from '../src/main.ts';
import { systemClock } from '../src/model/clock.ts';
import { silentLogger } from '../src/model/logger.ts';
import { countLines, freePort, startRsyslog } from '../test/harness/rsyslog.ts';
import { quietVigilConfig } from '../test/harness/vigil.ts';
import { bodies, message } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 200_000);
const CONNS = (process.env.VIGIL_BENCH_CONNS ?? '1,4').split(',').map(Number);
const MODE = process.env.VIGIL_BENCH_WRITE === 'bulk' ? 'bulk' : 'line';
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tcp-'));
const b = bodies();
const now = Date.now();

const sender = join(dir, 'tcp-send');
execFileSync('cc', ['-O2', '-pthread', '-o', sender, new URL('./tcp-send.c', import.meta.url).pathname]);

/** One payload file per connection, built once: connection c carries messages c, c+conns, …; even ones octet-counted. */
function payloads(conns: number): string[] {
  const files: string[] = [];
  for (let c = 0; c < conns; c++) {
    const parts: string[] = [];
    for (let i = c; i < N; i += conns) {
      const m = message(b[i % b.length], i, now);
      parts.push(c % 2 === 0 ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`);
    }
    const f = join(dir, `payload${conns}-${c}`);
    writeFileSync(f, parts.join(''));
    files.push(f);
  }
  return files;
}
const files = new Map(CONNS.map((c) => [c, payloads(c)]));

const send = (port: number, conns: number) =>
  new Promise<void>((resolve, reject) => {
    const p = spawn(sender, [String(port), MODE, ...files.get(conns)!], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited ${code}`))));
  });

/** Vigil whole: stored = counted in the store, and the last message found by full-text search. */
async function vigil(conns: number): Promise<{ rate: number; pauses: number }> {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'vigil-bench-full-'));
  const v = await startVigil(quietVigilConfig(data, { syslog: { tcp: { enabled: true, host: '127.0.0.1', port } } }), {
    log: silentLogger,
  });
  const db = (v.store as unknown as { db: import('better-sqlite3').Database }).db;
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n;
  try {
    const t = process.hrtime.bigint();
    await send(port, conns);
    const until = Date.now() + 600_000;
    while (count() < N && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    const found = async () => (await v.store.queryLogs({ q: `seq${N - 1}` })).logs.length;
    while ((await found()) !== 1 && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    const got = count();
    if (got !== N) throw new Error(`stored ${got} of ${N}`);
    const stats = v.runtimeStats().syslog as { tcp: { pauses: number } } | undefined;
    return { rate: N / s, pauses: stats?.tcp.pauses ?? NaN };
  } finally {
    await v.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

/** The receiver alone: records go to a counter, not to the bus and the store. */
async function ceiling(conns: number): Promise<number> {
  const config = syslogConfigSchema.parse({
    udp: { enabled: false },
    tcp: { host: '127.0.0.1', port: 0 },
    tls: { enabled: false },
  });
  let n = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const collector = createSyslogCollector(
    {
      bus: createMemoryBus(),
      clock: systemClock,
      log: silentLogger,
      devices: () => [],
      deviceByAddress: () => undefined,
    },
    config,
  );
  await collector.start(() => {
    if (++n === N) done();
    return undefined;
  });
  const t = process.hrtime.bigint();
  await Promise.all([send(collector.ports.tcp!, conns), all]);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  await collector.stop();
  return N / s;
}

async function rsyslog(conns: number): Promise<number> {
  const port = await freePort();
  const out = join(dir, `rsyslog-${conns}.out`);
  const r = await startRsyslog(
    join(dir, `rsyslog-${conns}`),
    `module(load="imtcp" MaxSessions="100")
input(type="imtcp" port="${port}" address="127.0.0.1")
action(type="omfile" file="${out}" template="RSYSLOG_FileFormat")`,
    port,
  );
  const lines = () => countLines(out);
  try {
    const t = process.hrtime.bigint();
    await send(port, conns);
    const until = Date.now() + 600_000;
    while (lines() < N && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    const got = lines();
    if (got < N) throw new Error(`rsyslog wrote ${got} of ${N} lines`);
    return N / s;
  } finally {
    await r.stop();
  }
}

const phases = new Set((process.env.VIGIL_BENCH_PHASES ?? 'vigil,rsyslog,ceiling').split(','));
const rate = (x: number) => `${Math.round(x).toLocaleString('en')} msgs/s`;
try {
  console.log(
    `TCP ingest of ${N.toLocaleString('en')} messages (5424+3164 mixed), sender bench/tcp-send.c (${MODE === 'line' ? 'one send() per message' : '256 KiB writes'})`,
  );
  const vigilRates = new Map<number, number>();
  for (const conns of CONNS) {
    const v = phases.has('vigil') ? await vigil(conns) : undefined;
    const r = phases.has('rsyslog') ? await rsyslog(conns) : undefined;
    const c = phases.has('ceiling') ? await ceiling(conns) : undefined;
    console.log(`${conns} connection${conns > 1 ? 's' : ''}:`);
    if (v) {
      vigilRates.set(conns, v.rate);
      console.log(
        `  vigil   ${rate(v.rate)} (whole process; stored in SQLite + FTS5, searchable; ${v.pauses} pauses for the store)`,
      );
    }
    if (r) console.log(`  rsyslog ${rate(r)} (imtcp -> omfile)`);
    if (c)
      console.log(
        `  vigil receiver alone (framing + parsing, nothing stored) ${rate(c)}${r ? `: ${(c / r).toFixed(2)} of rsyslog` : ''}`,
      );
    if (v && r) console.log(`  ratio   vigil / rsyslog ${(v.rate / r).toFixed(2)} (goal: vigil >= 100,000 msgs/s)`);
  }
  const one = vigilRates.get(1);
  const four = vigilRates.get(4);
  if (one && four) console.log(`one connection / four connections: ${(one / four).toFixed(2)} (goal >= 0.90)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
