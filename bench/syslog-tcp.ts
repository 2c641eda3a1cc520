/**
 * End-to-end TCP ingest, side by side with rsyslog on this machine: the same stream (RFC 5424 and 3164 mixed, bodies
 * from ../shared/logs, 4 connections: two octet-counted, two newline-delimited) is sent by a separate sender process
 * to Vigil (until every message is stored and the last one is found by full-text search) and to rsyslog
 * (imtcp → omfile, until every line is in the file).
 * It also times Vigil's receiver alone (TCP, framing, parsing into LogRecords, handed to a counter: no bus, no
 * store), the ceiling that no store could lift Vigil's figure above.
 * Run: npx tsx bench/syslog-tcp.ts   (VIGIL_BENCH_N=1000000 for the issue's full size; default 200,000)
 *      VIGIL_BENCH_PHASES=vigil,rsyslog,ceiling picks phases.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRsyslog } from '../test/harness/rsyslog.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { syslogConfigSchema } from '../src/collectors/syslog/config.ts';
import { createSyslogCollector } from '../src/collectors/syslog/index.ts';
import { systemClock } from '../src/model/clock.ts';
import { silentLogger } from '../src/model/logger.ts';
import { startPipeline } from '../test/syslog/pipeline.ts';
import { bodies, message } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 200_000);
const CONNS = 4;
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tcp-'));
const b = bodies();
const now = Date.now();

// One payload file per connection, built once; the sender only reads and writes.
const files: string[] = [];
for (let c = 0; c < CONNS; c++) {
  const parts: string[] = [];
  for (let i = c; i < N; i += CONNS) {
    const m = message(b[i % b.length], i, now);
    parts.push(c % 2 === 0 ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`);
  }
  const f = join(dir, `payload${c}`);
  writeFileSync(f, parts.join(''));
  files.push(f);
}
const senderJs = join(dir, 'sender.mjs');
writeFileSync(
  senderJs,
  `import { connect } from 'node:net'; import { readFileSync } from 'node:fs';
const [port, ...files] = process.argv.slice(2);
await Promise.all(files.map((f) => new Promise((res, rej) => { const s = connect(Number(port), '127.0.0.1', () => s.end(readFileSync(f))); s.on('error', rej); s.on('close', res); })));`,
);
const send = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [senderJs, String(port), ...files], { stdio: 'inherit' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited ${code}`))));
  });

async function vigil(): Promise<number> {
  const p = await startPipeline({ udp: { enabled: false } }, { onDisk: true });
  const t = process.hrtime.bigint();
  await send(p.collector.ports.tcp!);
  await p.waitForLogs(N, 600_000);
  // "Searchable": the full-text index answers for the very last message.
  const last = p.store.queryLogs({ q: `seq${N - 1}` }).logs.length;
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (last !== 1) throw new Error('last message not found by full-text search');
  await p.close();
  return N / s;
}

/** The receiver alone: records go to a counter, not to the bus and the store. */
async function ceiling(): Promise<number> {
  const config = syslogConfigSchema.parse({ udp: { enabled: false }, tcp: { host: '127.0.0.1', port: 0 }, tls: { enabled: false } });
  let n = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const collector = createSyslogCollector({ bus: createMemoryBus(), clock: systemClock, log: silentLogger, devices: () => [], deviceByAddress: () => undefined }, config);
  await collector.start(() => {
    if (++n === N) done();
    return undefined;
  });
  const t = process.hrtime.bigint();
  await Promise.all([send(collector.ports.tcp!), all]);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  await collector.stop();
  return N / s;
}

async function rsyslog(): Promise<number> {
  const port = await freePort();
  const out = join(dir, 'rsyslog.out');
  const r = await startRsyslog(
    join(dir, 'rsyslog'),
    `module(load="imtcp" MaxSessions="100")
input(type="imtcp" port="${port}" address="127.0.0.1")
action(type="omfile" file="${out}" template="RSYSLOG_FileFormat")`,
    port,
  );
  const t = process.hrtime.bigint();
  await send(port);
  const until = Date.now() + 600_000;
  const lines = () => {
    try {
      statSync(out);
      return Number(execFileSync('wc', ['-l', out]).toString().trim().split(' ')[0]);
    } catch {
      return 0;
    }
  };
  while (lines() < N && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const got = lines();
  await r.stop();
  if (got < N) throw new Error(`rsyslog wrote ${got} of ${N} lines`);
  return N / s;
}

const phases = new Set((process.env.VIGIL_BENCH_PHASES ?? 'vigil,rsyslog,ceiling').split(','));
try {
  const v = phases.has('vigil') ? await vigil() : undefined;
  const r = phases.has('rsyslog') ? await rsyslog() : undefined;
  const c = phases.has('ceiling') ? await ceiling() : undefined;
  const rate = (x: number) => `${Math.round(x).toLocaleString('en')} msgs/s`;
  console.log(`TCP ingest of ${N.toLocaleString('en')} messages (${CONNS} connections, 5424+3164 mixed)`);
  if (v) console.log(`  vigil   ${rate(v)} (stored in SQLite + FTS5, searchable)`);
  if (r) console.log(`  rsyslog ${rate(r)} (imtcp -> omfile)`);
  if (c) console.log(`  vigil receiver alone (framing + parsing, nothing stored) ${rate(c)}${r ? `: ${(c / r).toFixed(2)} of rsyslog` : ''}`);
  if (v && r) console.log(`  ratio   ${(v / r).toFixed(2)} (goal >= 0.5; vigil goal >= 100,000 msgs/s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
