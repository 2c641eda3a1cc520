/**
 * Full-text search latency over stored logs (p50/p95 of newest-first pages of 100), side by side with grep over the
 * same lines in a flat file (what rsyslog's omfile leaves you with).
 * Run: npx tsx bench/syslog-search.ts   (VIGIL_BENCH_N=10000000 for the full size; default 500,000)
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSyslog } from '../src/collectors/syslog/decode.ts';
import type { LogRecord } from '../src/model/records.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { bodies, message } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 500_000);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-search-'));
const store = openSqliteStore(dir);
const b = bodies();
const t0 = Date.now() - N * 10;
// The same lines in a flat file, appended batch by batch (10 million do not fit in one string).
const flatFile = join(dir, 'flat.log');
writeFileSync(flatFile, '');
const tLoad = Date.now();
for (let i = 0; i < N; i += 10_000) {
  const batch: LogRecord[] = [];
  const flat: string[] = [];
  for (let j = i; j < Math.min(N, i + 10_000); j++) {
    const m = message(b[j % b.length], j, t0 + j * 10);
    batch.push(
      decodeSyslog(Buffer.from(m), {
        receivedTs: t0 + j * 10,
        sourceAddress: `10.0.${(j >> 8) & 255}.${j & 255}`,
        transport: 'tcp',
      }),
    );
    flat.push(m);
  }
  store.transaction(() => store.writeLogs(batch));
  appendFileSync(flatFile, flat.join('\n') + '\n');
}
const loadS = (Date.now() - tLoad) / 1000;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, c) => a - c)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const queries = [
  '"Invalid user"',
  'authentication failure',
  'Failed password root',
  'session opened',
  '173.234.31.186',
  'preauth',
  `seq${N - 5}`,
];
console.log(
  `${N.toLocaleString('en')} stored lines (loaded in ${loadS.toFixed(0)} s, ${Math.round(N / loadS).toLocaleString('en')}/s)`,
);
const allVigil: number[] = [];
const allGrep: number[] = [];
for (const q of queries) {
  const times: number[] = [];
  let hits = 0;
  for (let k = 0; k < 21; k++) {
    const t = process.hrtime.bigint();
    hits = store.queryLogs({ q, limit: 100 }).logs.length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  allVigil.push(pct(times, 0.5));
  let grepMs = NaN;
  {
    const word = q.replace(/"/g, '').split(' ')[0];
    const gt: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = process.hrtime.bigint();
      try {
        // Newest first, like Vigil: the last 100 matching lines.
        execFileSync('sh', ['-c', `grep -F -- '${word}' '${flatFile}' | tail -n 100 > /dev/null`]);
      } catch {
        // grep exits 1 when nothing matches.
      }
      gt.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    grepMs = pct(gt, 0.5);
    allGrep.push(grepMs);
  }
  console.log(
    `  ${q.padEnd(26)} vigil p50 ${pct(times, 0.5).toFixed(2)} ms  p95 ${pct(times, 0.95).toFixed(2)} ms  (${hits} rows)   grep|tail p50 ${grepMs.toFixed(1)} ms`,
  );
}
const v = pct(allVigil, 0.5);
const g = allGrep.length ? pct(allGrep, 0.5) : NaN;
console.log(
  `median over queries: vigil ${v.toFixed(2)} ms, grep ${g.toFixed(1)} ms, speed-up ${(g / v).toFixed(0)}x (goal p50 < 100 ms)`,
);
store.close();
rmSync(dir, { recursive: true, force: true });
