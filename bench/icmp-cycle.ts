/**
 * ICMP cycle benchmark: one Vigil ICMP cycle over N loopback targets (127.0.x.y) × 3 probes versus bare
 * fping run with exactly the same arguments. Prints both times and Vigil ÷ fping (goal ≤ 1.1).
 * Run: npx tsx bench/icmp-cycle.ts [--targets 2000] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createIcmpCollector } from '../src/collectors/icmp/index.ts';
import { buildFpingArgs } from '../src/collectors/icmp/fping.ts';
import { icmpConfigSchema } from '../src/collectors/icmp/config.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { systemClock } from '../src/model/clock.ts';
import { silentLogger } from '../src/model/logger.ts';
import type { Device } from '../src/model/device.ts';

const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: process.env.BENCH_TARGETS ?? '2000' },
    rounds: { type: 'string', default: '3' },
  },
});
const n = Number(values.targets);
const addresses = Array.from({ length: n }, (_, i) => `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
const config = icmpConfigSchema.parse({ count: 3 });
const devices: Device[] = addresses.map((a, i) => ({
  id: `d${i}`,
  name: `d${i}`,
  address: a,
  tags: [],
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'config',
}));

function bareFping(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(config.fpingPath, buildFpingArgs(addresses, config), { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.resume();
    p.stderr.resume();
    p.on('error', reject);
    p.on('close', () => resolve(performance.now() - t0));
  });
}

const ctx = {
  bus: createMemoryBus(),
  clock: systemClock,
  log: silentLogger,
  devices: () => devices,
  deviceByAddress: () => undefined,
};
const collector = createIcmpCollector(ctx, config);
let emitted = 0;
async function vigilCycle(): Promise<number> {
  const t0 = performance.now();
  await collector.collect(() => {
    emitted++;
  }, new AbortController().signal);
  return performance.now() - t0;
}

const vigil: number[] = [];
const fping: number[] = [];
for (let r = 0; r < Number(values.rounds); r++) {
  fping.push(await bareFping());
  vigil.push(await vigilCycle());
  console.log(`round ${r + 1}: vigil ${vigil.at(-1)!.toFixed(0)} ms, fping ${fping.at(-1)!.toFixed(0)} ms`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const v = median(vigil);
const f = median(fping);
console.log(
  `\nICMP cycle, ${n} loopback targets × ${config.count} probes (fping ${buildFpingArgs([], config).join(' ')})`,
);
console.log(`records emitted per cycle: ${emitted / vigil.length}`);
console.log(`vigil cycle: ${v.toFixed(0)} ms (median)`);
console.log(`bare fping:  ${f.toFixed(0)} ms (median)`);
console.log(`ratio vigil/fping: ${(v / f).toFixed(3)} (goal ≤ 1.1)`);
