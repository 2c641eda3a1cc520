/**
 * UDP syslog at rising offered rates, side by side with rsyslog (imudp → omfile) fed by the same sender
 * (bench/udp-blast.c, paced sendmmsg): for each rate, how many of the datagrams sent were stored (Vigil: rows in the
 * store, whole process as `vigil start` runs it; rsyslog: lines in its file), Vigil's own drops (bus saturated) and
 * the kernel's receive-buffer drops for the receiving socket (/proc/net/udp `drops`). The figure to compare is the
 * highest rate at which nothing was lost. Both receivers get the same socket receive buffer (`syslog.udp.rcvbufBytes`,
 * imudp `rcvbufSize`): net.core.rmem_max is raised to it for the run when lower (and put back), since rsyslog as root
 * passes the cap with SO_RCVBUFFORCE and Node cannot (VIGIL_BENCH_KEEP_RMEM=1 leaves it as it is).
 * Then freshness: at a sustained rate, a probe line is sent every 100 ms and timed until a word search
 * (`GET /api/v1/logs?q=`) finds it (the row and its index entry are committed together, so it is then listed too).
 * Run: npx tsx bench/syslog-udp.ts   (VIGIL_BENCH_RATES=50000,100000,150000 offered rates; VIGIL_BENCH_SECONDS=5 per
 *      rate; VIGIL_BENCH_PHASES=vigil,rsyslog,fresh; VIGIL_BENCH_FRESH_RATE=100000, VIGIL_BENCH_FRESH_S=20). Needs cc.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiToken } from '../src/api/auth.ts';
import { readSocketDrops } from '../src/collectors/syslog/kernel-drops.ts';
import { startVigil, type VigilHandle } from '../src/main.ts';
import { silentLogger } from '../src/model/logger.ts';
import { freeUdpPort } from '../test/harness/ports.ts';
import { countLines, startRsyslog } from '../test/harness/rsyslog.ts';
import { quietVigilConfig } from '../test/harness/vigil.ts';
import { syslogPackets } from './syslog-corpus.ts';
import { buildUdpBlast, writePacketFile } from './udp-blast.ts';

const RATES = (process.env.VIGIL_BENCH_RATES ?? '50000,100000,150000,200000').split(',').map(Number);
const SECONDS = Number(process.env.VIGIL_BENCH_SECONDS ?? 5);
const RCVBUF = Number(process.env.VIGIL_BENCH_RCVBUF ?? 8 * 1024 * 1024);
const FRESH_RATE = Number(process.env.VIGIL_BENCH_FRESH_RATE ?? 100_000);
const FRESH_S = Number(process.env.VIGIL_BENCH_FRESH_S ?? 20);
// How often a probe not yet found is searched for: the resolution of the figures. The searches run in this process,
// beside Vigil, so polling much faster takes CPU from the pipeline being measured.
const POLL_MS = Number(process.env.VIGIL_BENCH_POLL_MS ?? 25);
const phases = new Set((process.env.VIGIL_BENCH_PHASES ?? 'vigil,rsyslog,fresh').split(','));

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-udp-'));
const blaster = buildUdpBlast(dir);

// 100,000 distinct datagrams (5424 and 3164 alternating), cycled by the sender.
const packetFile = join(dir, 'packets');
writePacketFile(packetFile, syslogPackets(100_000));

/** Sends `total` datagrams at `rate`/s from one socket; resolves with how many the sender handed to the kernel. */
function blast(port: number, rate: number, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(blaster, [String(port), String(rate), String(total), '1', packetFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) => {
      const m = /done (\d+)/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`udp-blast exited ${code}: ${out}`));
    });
  });
}

async function startUdpVigil(port: number): Promise<{ v: VigilHandle; data: string; count: () => number }> {
  const data = mkdtempSync(join(tmpdir(), 'vigil-bench-udpv-'));
  const v = await startVigil(
    quietVigilConfig(data, { syslog: { udp: { enabled: true, host: '127.0.0.1', port, rcvbufBytes: RCVBUF } } }),
    { log: silentLogger },
  );
  const db = (v.store as unknown as { db: import('better-sqlite3').Database }).db;
  return { v, data, count: () => (db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n };
}

/** Waits until `count()` stops growing for `quietMs`. */
async function settle(count: () => number, want: number, quietMs = 1500): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = count();
    if (n >= want) return n;
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since > quietMs) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Step {
  rate: number;
  sent: number;
  stored: number;
  droppedBusy?: number;
  kernelDrops?: number;
}

async function vigilAt(rate: number): Promise<Step> {
  const port = await freeUdpPort();
  const { v, data, count } = await startUdpVigil(port);
  try {
    const sent = await blast(port, rate, rate * SECONDS);
    const stored = await settle(count, sent);
    const s = v.runtimeStats().syslog as { udp: { droppedBusy: number; kernel: { socketDrops?: number } } };
    return { rate, sent, stored, droppedBusy: s.udp.droppedBusy, kernelDrops: s.udp.kernel.socketDrops };
  } finally {
    await v.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

async function rsyslogAt(rate: number): Promise<Step> {
  const port = await freeUdpPort();
  const out = join(dir, `rsyslog-${rate}.out`);
  const r = await startRsyslog(
    join(dir, `rsyslog-${rate}`),
    `module(load="imudp")
input(type="imudp" port="${port}" address="127.0.0.1" rcvbufSize="${RCVBUF}")
action(type="omfile" file="${out}" template="RSYSLOG_FileFormat")`,
  );
  // Ready once its UDP socket is bound (it shows in /proc/net/udp with a drop counter).
  for (let i = 0; i < 100 && readSocketDrops(port) === undefined; i++) await new Promise((res) => setTimeout(res, 50));
  const lines = () => countLines(out);
  try {
    const sent = await blast(port, rate, rate * SECONDS);
    const kernelDrops = readSocketDrops(port);
    const stored = await settle(lines, sent);
    return { rate, sent, stored, kernelDrops };
  } finally {
    await r.stop();
  }
}

const pct = (p: number[], q: number) => (p.length ? p[Math.min(p.length - 1, Math.floor(q * p.length))] : NaN);

/** At a sustained rate, probe lines timed until listed (by host) and until found by a word search. */
async function freshness(): Promise<void> {
  const port = await freeUdpPort();
  const { v, data } = await startUdpVigil(port);
  const { token } = await createApiToken(v.store, { name: 'bench', role: 'viewer' });
  const page = async (path: string) =>
    (
      (await (await fetch(`${v.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        logs: { message: string }[];
      }
    ).logs;
  const get = async (path: string) => (await page(path)).length;
  const probe = createSocket('udp4');
  const found: number[] = [];
  let missing = 0;
  let dropped: number | undefined;
  try {
    const load = blast(port, FRESH_RATE, FRESH_RATE * FRESH_S);
    const until = Date.now() + FRESH_S * 1000 - 1000;
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; Date.now() < until; i++) {
      const word = `probe${i}x${process.pid}`;
      const t0 = performance.now();
      probe.send(`<13>1 ${new Date().toISOString()} fresh-probe bench - - - freshness ${word}`, port, '127.0.0.1');
      let f: number | undefined;
      while (f === undefined && performance.now() - t0 < 10_000) {
        if ((await get(`/api/v1/logs?q=${word}&limit=1`)) > 0) f = performance.now() - t0;
        else await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (f === undefined) missing++;
      else found.push(f);
      await new Promise((r) => setTimeout(r, 100));
    }
    await load;
  } finally {
    probe.close();
    dropped = (v.runtimeStats().syslog as { udp: { droppedBusy: number } } | undefined)?.udp.droppedBusy;
    await v.stop();
    rmSync(data, { recursive: true, force: true });
  }
  found.sort((a, b) => a - b);
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(
    `freshness at ${FRESH_RATE.toLocaleString('en')} msgs/s offered over UDP for ${FRESH_S} s, ${found.length + missing} probes${missing ? `, ${missing} not found within 10 s` : ''}, ${dropped ?? '?'} datagrams dropped by Vigil, searched every ${POLL_MS} ms:`,
  );
  // The row and its index entry are committed in one transaction: found by a word search means listed too.
  console.log(
    `  stored and found by a word search (GET /api/v1/logs?q=): p50 ${ms(pct(found, 0.5))}, p99 ${ms(pct(found, 0.99))}, max ${ms(found[found.length - 1] ?? NaN)} (goal p99 <= 1,000 ms)`,
  );
}

// Both receivers get the buffer asked for: rsyslog (as root) overrides net.core.rmem_max with SO_RCVBUFFORCE, which
// Node cannot, so when the cap is lower and this process may change it, it is raised for the run and put back after.
const RMEM = '/proc/sys/net/core/rmem_max';
let rmemBefore: string | undefined;
try {
  const cap = Number(readFileSync(RMEM, 'utf8'));
  if (cap < RCVBUF && process.env.VIGIL_BENCH_KEEP_RMEM !== '1') {
    writeFileSync(RMEM, String(RCVBUF));
    rmemBefore = String(cap);
  }
} catch {
  // Not root, or not Linux: Vigil's buffer stays capped (its stats and its start-up warning say so).
}

try {
  console.log(
    `UDP syslog, ${SECONDS} s per offered rate, sender bench/udp-blast.c, receive buffer ${RCVBUF / 1048576} MiB requested (net.core.rmem_max ${readFileSync(RMEM, 'utf8').trim()}${rmemBefore !== undefined ? `, raised from ${rmemBefore} for this run` : ''})`,
  );
  const best: Record<string, number> = {};
  for (const rate of RATES) {
    for (const [name, run] of [
      ['vigil', vigilAt],
      ['rsyslog', rsyslogAt],
    ] as const) {
      if (!phases.has(name)) continue;
      const s = await run(rate);
      const lost = s.sent - s.stored;
      if (lost === 0) best[name] = Math.max(best[name] ?? 0, rate);
      const extra = [
        s.droppedBusy !== undefined ? `dropped by vigil ${s.droppedBusy}` : '',
        s.kernelDrops !== undefined ? `kernel socket drops ${s.kernelDrops}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      console.log(
        `  ${rate.toLocaleString('en').padStart(8)}/s ${name.padEnd(7)} sent ${s.sent}, stored ${s.stored}, lost ${lost}${extra ? ` (${extra})` : ''}`,
      );
    }
  }
  const v = best.vigil;
  const r = best.rsyslog;
  if (phases.has('vigil'))
    console.log(`highest lossless rate tried: vigil ${v ? v.toLocaleString('en') : 'none'} msgs/s (goal >= 100,000)`);
  if (phases.has('rsyslog'))
    console.log(
      `highest lossless rate tried: rsyslog ${r ? r.toLocaleString('en') : 'none'} msgs/s${v && r ? `; vigil / rsyslog ${(v / r).toFixed(2)}` : ''}`,
    );
  if (phases.has('fresh')) await freshness();
} finally {
  if (rmemBefore !== undefined) writeFileSync(RMEM, rmemBefore);
  rmSync(dir, { recursive: true, force: true });
}
