/**
 * Memory benchmark (issue 3: "RSS while polling 2,000 simulated devices every 60 s, under 400 MB").
 * Runs what `vigil start` runs — the composition root `startVigil` with the real SNMP poller, net-snmp sessions,
 * memory bus, event engine, store writer into a temporary SQLite store, MIB dictionary and HTTP API — with
 * N devices in its config (ICMP, syslog and traps off), and measures THIS process's RSS over several poll cycles.
 * The simulated agents run in a child process (bench/snmp-agents.ts: one UDP socket per device on 127.0.x.y,
 * each replaying one of the shared recordings), so their memory is not counted as Vigil's.
 * The poll interval is shortened so that cycles run back to back (the most Vigil ever holds at once); at 60 s
 * the same work is spread out.
 *   npx tsx bench/memory.ts [--devices 2000] [--cycles 3] [--interval 5]
 * There is no peer to compare with in Debian; the goal (400 MB) is the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { validateConfig } from '../src/config/load.ts';
import { startVigil } from '../src/main.ts';
import { silentLogger } from '../src/model/logger.ts';
import type { DeviceState } from '../src/model/records.ts';
import { devicesDir } from '../test/harness/snmpsim.ts';
import { agentAddress, startAgents } from './snmp-agents.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: process.env.BENCH_DEVICES ?? '2000' },
    cycles: { type: 'string', default: '3' },
    interval: { type: 'string', default: '5' },
  },
});
const n = Number(values.devices);
const cycles = Number(values.cycles);
const intervalS = Number(values.interval);
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const mem = () => {
  const m = process.memoryUsage();
  return `RSS ${mb(m.rss)} MB (heap used ${mb(m.heapUsed)} / total ${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)})`;
};

const agents = await startAgents({ devices: n, dataDir: devicesDir() });
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-memory-'));
const config = validateConfig({
  dataDir,
  http: { host: '127.0.0.1', port: 0 },
  icmp: { enabled: false, monitorLocalhost: false },
  syslog: { udp: { enabled: false }, tcp: { enabled: false } },
  traps: { enabled: false },
  snmp: { intervalS, probeLocalAgent: false },
  // VIGIL_BENCH_WRITER_THREAD=0 measures the store writer on the main thread.
  store: { writerThread: process.env.VIGIL_BENCH_WRITER_THREAD !== '0' },
  devices: Array.from({ length: n }, (_, i) => ({
    name: `sim${i}`,
    address: agentAddress(i),
    icmp: { enabled: false },
    pollIntervalS: intervalS,
    snmp: { version: 'v2c', community: 'public', port: agents.port, timeoutMs: 2000, retries: 1 },
  })),
});

const baseline = process.memoryUsage().rss;
const t0 = performance.now();
const vigil = await startVigil(config, { log: silentLogger });
console.log(
  `vigil started with ${n} devices in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${mem()}; agents (child process ${agents.child.pid}) on 127.0.1.1… port ${agents.port}`,
);

// A device's poll ends with its device-state record: cycle k is done when every device has k of them.
const polls = new Map<string, number>();
let failed = 0;
let done = 0;
let waiter: (() => void) | undefined;
vigil.bus.subscribe(
  'bench-memory',
  (batch) => {
    for (const r of batch as DeviceState[]) {
      if (!r.snmp) continue;
      if (!r.snmp.ok) failed++;
      const c = (polls.get(r.deviceId) ?? 0) + 1;
      polls.set(r.deviceId, c);
      if (c > done && polls.size === n && Math.min(...polls.values()) > done) {
        done = Math.min(...polls.values());
        waiter?.();
      }
    }
  },
  { kinds: ['device-state'] },
);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const perCycle: number[] = [];
for (let c = 1; c <= cycles; c++) {
  const tc = performance.now();
  await new Promise<void>((r) => {
    waiter = () => done >= c && r();
    waiter();
  });
  const rss = process.memoryUsage().rss;
  perCycle.push(rss);
  peak = Math.max(peak, rss);
  // Diagnostics: BENCH_GC=1 (with node --expose-gc) shows the live set after a full collection; BENCH_SNAPSHOT=1 writes a heap snapshot.
  if (process.env.BENCH_GC && global.gc) {
    global.gc();
    console.log(`  after a full GC: ${mem()}`);
  }
  if (process.env.BENCH_SNAPSHOT && c === cycles)
    console.log(`  heap snapshot: ${writeHeapSnapshot(join(tmpdir(), `vigil-memory-${process.pid}.heapsnapshot`))}`);
  console.log(
    `cycle ${c}: every device polled ${c}× (${failed} failed polls so far) after ${((performance.now() - tc) / 1000).toFixed(1)} s; ${mem()}`,
  );
}
clearInterval(sampler);
const h = getHeapStatistics();
console.log(`V8 heap limit ${mb(h.heap_size_limit)} MB; baseline RSS before start ${mb(baseline)} MB`);
await vigil.stop();
await agents.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `\npeak RSS while polling ${n} simulated devices (agents in another process): ${mb(peak)} MB; after each cycle ${perCycle.map(mb).join(', ')} MB`,
);
console.log(`  goal < 400 MB → ratio ${(400 / (peak / 1024 / 1024)).toFixed(2)} (goal / measured; ≥ 1 meets it)`);
