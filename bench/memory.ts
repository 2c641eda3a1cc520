/**
 * Memory benchmark: RSS of the SNMP poller (all profiles) while polling
 * N simulated devices for a few cycles. Each simulated device replays one of the shared recordings
 * in-process (a SnmpSession over the parsed .snmprec, counters advancing each cycle), so interface
 * counts are those of real devices and the figure is Vigil's own memory, not the agents'.
 * The replayed recordings (~100 MB) live in the same process and are counted in the RSS.
 * Run: npx tsx bench/memory.ts [--devices 2000] [--cycles 3]   (goal: RSS < 400 MB)
 * V8 grows its heap lazily under this allocation rate; with a heap cap the live set is what stays:
 *   node --expose-gc --max-old-space-size=256 --import tsx bench/memory.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSnmpCollector } from '../src/collectors/snmp/index.ts';
import { snmpConfigSchema } from '../src/collectors/snmp/config.ts';
import { compareOids } from '../src/collectors/snmp/oid.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { manualClock } from '../src/model/clock.ts';
import { silentLogger } from '../src/model/logger.ts';
import type { Device } from '../src/model/device.ts';
import type { VarBind } from '../src/model/records.ts';
import type { SnmpSession } from '../src/collectors/snmp/session-types.ts';
import { devicesDir } from '../test/harness/snmpsim.ts';

const { values } = parseArgs({ options: { devices: { type: 'string', default: process.env.BENCH_DEVICES ?? '2000' }, cycles: { type: 'string', default: '3' } } });
const n = Number(values.devices);
const TYPES: Record<string, string> = { '2': 'Integer', '4': 'OctetString', '6': 'ObjectIdentifier', '64': 'IpAddress', '65': 'Counter32', '66': 'Gauge32', '67': 'TimeTicks', '70': 'Counter64' };

// One parsed recording, shared by every device replaying it (as a real agent's data is not in Vigil's memory).
function load(file: string): VarBind[] {
  const out: VarBind[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [oid, tag, ...rest] = line.split('|');
    if (!oid || !tag || tag.includes(':') || oid.startsWith('#')) continue;
    const hex = tag.endsWith('x');
    const type = TYPES[hex ? tag.slice(0, -1) : tag];
    if (!type) continue;
    const raw = rest.join('|');
    const text = hex ? Buffer.from(raw, 'hex').toString('latin1') : raw;
    const value = type === 'OctetString' || type === 'ObjectIdentifier' || type === 'IpAddress' || type === 'Counter64' ? text : Number(text);
    out.push({ oid, type, value });
  }
  return out.sort((a, b) => compareOids(a.oid, b.oid));
}
const recordings = readdirSync(devicesDir()).filter((f) => f.endsWith('.snmprec')).sort().map((f) => load(join(devicesDir(), f)));

function replay(data: VarBind[], cycle: () => number): SnmpSession {
  const bump = (v: VarBind): VarBind => {
    const k = cycle();
    if (v.type === 'Counter32') return { ...v, value: ((Number(v.value) + k * 1_000_003) % 2 ** 32) };
    if (v.type === 'Counter64') return { ...v, value: (BigInt(String(v.value)) + BigInt(k) * 1_000_000_007n).toString() };
    if (v.type === 'TimeTicks' && v.oid === '1.3.6.1.2.1.1.3.0') return { ...v, value: Number(v.value) + k * 6000 };
    return v;
  };
  const find = (oid: string) => {
    let lo = 0;
    let hi = data.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOids(data[mid].oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    get: async (oids) => oids.map((oid) => {
      const i = find(oid) - 1;
      return i >= 0 && data[i].oid === oid ? bump(data[i]) : { oid, type: 'NoSuchObject', value: null };
    }),
    getNext: async (oids) => oids.map((oid) => (data[find(oid)] ? bump(data[find(oid)]) : { oid, type: 'EndOfMibView', value: null })),
    walk: async (root) => {
      const out: VarBind[] = [];
      for (let i = find(root); i < data.length && data[i].oid.startsWith(root + '.'); i++) out.push(bump(data[i]));
      await new Promise((r) => setImmediate(r));
      return out;
    },
    set: async () => [],
    close() {},
  };
}

const devices: Device[] = Array.from({ length: n }, (_, i) => ({
  id: `dev${i}`, name: `dev${i}`, address: `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, tags: [], icmp: { enabled: true }, pollIntervalS: 60, origin: 'config',
  snmp: { version: 'v2c', community: `c${i % recordings.length}`, port: 161, timeoutMs: 2000, retries: 1 },
}));
const clock = manualClock(Date.now());
let cycleNo = 0;
const ctx = { bus: createMemoryBus(), clock, log: silentLogger, devices: () => devices, deviceByAddress: () => undefined };
const collector = createSnmpCollector(ctx, snmpConfigSchema.parse({ concurrency: 64 }), {
  openSession: (d) => replay(recordings[Number(d.id.slice(3)) % recordings.length], () => cycleNo),
});

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
console.log(`baseline RSS ${mb(process.memoryUsage().rss)} MB (recordings loaded: ${recordings.length})`);
for (let c = 0; c < Number(values.cycles); c++) {
  cycleNo = c;
  let records = 0;
  const t0 = performance.now();
  // Records are counted and dropped here: the store's memory is not the poller's.
  await collector.collect(() => { records++; }, new AbortController().signal);
  await collector.idle();
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  console.log(`cycle ${c + 1}: ${n} devices, ${records} records in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${mb(process.memoryUsage().rss)} MB, heap ${mb(process.memoryUsage().heapUsed)} MB`);
  clock.advance(60_000);
}
clearInterval(sampler);
global.gc?.();
console.log(`\npeak RSS while polling ${n} simulated devices: ${mb(peak)} MB (goal < 400 MB); stats ${JSON.stringify(collector.stats())}`);
