/**
 * End-to-end TCP ingest, side by side with rsyslog on this machine: the same stream (RFC 5424 and 3164 mixed, bodies
 * from ../shared/logs, 4 connections: two octet-counted, two newline-delimited) is sent by a separate sender process
 * to Vigil (until every message is stored and the last one is found by full-text search) and to rsyslog
 * (imtcp → omfile, until every line is in the file).
 * Run: npx tsx bench/syslog-tcp.ts   (VIGIL_BENCH_N=1000000 for the full size; default 200,000)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRsyslog } from '../test/harness/rsyslog.ts';
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

try {
  const v = await vigil();
  const r = await rsyslog();
  console.log(`TCP ingest of ${N.toLocaleString('en')} messages (${CONNS} connections, 5424+3164 mixed)`);
  console.log(`  vigil   ${Math.round(v).toLocaleString('en')} msgs/s (stored in SQLite + FTS5, searchable)`);
  console.log(`  rsyslog ${Math.round(r).toLocaleString('en')} msgs/s (imtcp -> omfile)`);
  console.log(`  ratio   ${(v / r).toFixed(2)} (goal >= 0.5; vigil goal >= 100,000 msgs/s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
