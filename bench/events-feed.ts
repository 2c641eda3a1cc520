/**
 * The record source of bench/events.ts, run in a worker thread so that making records never costs the engine's
 * thread anything: what reaches the engine is what a collector would hand it, a batch of ready records.
 * Two modes: 'rate' posts a batch every `sliceMs` at a fixed offered rate, each record stamped with Date.now()
 * (a clock both threads share) just before it is posted; 'max' posts pre-built batches whenever the engine asks.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Device } from '../src/model/device.ts';
import type { BusRecord } from '../src/model/records.ts';

export const DEVICES = 1000;
export const METRICS = [
  'icmp.loss.pct',
  'icmp.rtt.avg',
  'if.in.bps',
  'if.out.bps',
  'if.in.util.pct',
  'if.out.util.pct',
  'if.in.errors.ps',
  'if.out.errors.ps',
  'cpu.load.pct',
  'mem.used.pct',
];

/** The bench inventory: 1,000 devices in 20 tags, 50 groups, 10 sites, each below one of 10 parents. */
export const devices: Device[] = Array.from({ length: DEVICES }, (_, i) => ({
  id: `d${i}`,
  name: `dev${i}`,
  address: `127.0.${i >> 8}.${i & 255}`,
  tags: [`t${i % 20}`],
  group: `g${i % 50}`,
  location: `s${i % 10}`,
  parentId: i >= 10 ? `d${i % 10}` : undefined,
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'config',
}));

/** Record number `n` of the mix: 70 % samples, 20 % logs, 10 % traps. */
export function record(n: number, ts: number): BusRecord {
  const d = (n * 7919) % DEVICES;
  const kind = n % 10;
  if (kind < 7) {
    const metric = METRICS[n % METRICS.length];
    // ~0.1 % of samples breach (about 100 breaches/s at the goal rate, a bad day on 1,000 devices); the rest sit in the healthy range.
    const value = n % 997 === 0 ? 96 : (n % 61) + (n % 13);
    const labels: Record<string, string> = metric.startsWith('if.')
      ? { ifIndex: String(n % 48), ifName: n % 2 ? `Gi0/${n % 48}` : `Te1/${n % 4}` }
      : {};
    return { kind: 'sample', deviceId: `d${d}`, metric, labels, ts, value };
  }
  if (kind < 9) {
    return {
      kind: 'log',
      receivedTs: ts,
      ts,
      sourceAddress: devices[d].address,
      deviceId: `d${d}`,
      transport: 'udp',
      facility: 4,
      severity: 6,
      hostname: `dev${d}`,
      app: n % 10 === 0 ? 'sshd' : 'kernel',
      message:
        n % 10 === 0
          ? `Failed password for user${n % 100} from 127.0.0.${n % 200} port ${40000 + (n % 1000)} ssh2`
          : `eth0: link is up at ${n % 1000} Mbps`,
    };
  }
  return {
    kind: 'trap',
    receivedTs: ts,
    sourceAddress: devices[d].address,
    agentAddress: devices[d].address,
    deviceId: `d${d}`,
    version: 'v2c',
    pduType: 'trap',
    trapOid: n % 2 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.6.3.1.1.5.4',
    varbinds: [{ oid: `1.3.6.1.2.1.2.2.1.1.${n % 48}`, type: 'Integer', value: n % 48 }],
  };
}

export type FeedOptions =
  | { mode: 'rate'; rate: number; seconds: number; sliceMs: number; firstSeq: number }
  | { mode: 'max'; records: number; batch: number; firstSeq: number };
/** Messages from the feed: a batch of records, or the end with the count sent. */
export type FeedMessage = { batch: BusRecord[] } | { done: number };

/** Starts the feed in a worker thread (tsx registered there too, as workers do not inherit the loader). */
export function startFeed(opts: FeedOptions): Worker {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Worker(boot, { eval: true, workerData: opts });
}

function stamp(batch: BusRecord[], ts: number) {
  for (const r of batch) {
    if (r.kind === 'sample') r.ts = ts;
    else if (r.kind === 'log') r.receivedTs = r.ts = ts;
    else if (r.kind === 'trap') r.receivedTs = ts;
  }
  return batch;
}

if (!isMainThread && workerData?.mode) {
  const port = parentPort!;
  const opts = workerData as FeedOptions;
  let seq = opts.firstSeq;
  const build = (size: number) => Array.from({ length: size }, () => record(seq++, 0));
  if (opts.mode === 'rate') {
    const size = Math.round((opts.rate * opts.sliceMs) / 1000);
    const slices = Math.round((opts.seconds * 1000) / opts.sliceMs);
    let next = build(size);
    const t0 = Date.now();
    let sent = 0;
    let slice = 0;
    const send = () => {
      // Catch up on slices a late timer missed so the offered rate holds on average.
      while (slice < slices && Date.now() >= t0 + slice * opts.sliceMs) {
        port.postMessage({ batch: stamp(next, Date.now()) } satisfies FeedMessage);
        sent += next.length;
        slice++;
        next = build(size);
      }
      if (slice >= slices) port.postMessage({ done: sent } satisfies FeedMessage);
      else setTimeout(send, Math.max(0, t0 + slice * opts.sliceMs - Date.now()));
    };
    send();
  } else {
    // 'max': the engine asks for a batch (message 'more') each time it has room; a few are kept ready.
    let sent = 0;
    const ready: BusRecord[][] = [];
    const refill = () => {
      while (ready.length < 8 && sent + ready.length * opts.batch < opts.records) ready.push(build(opts.batch));
    };
    refill();
    port.on('message', () => {
      const b = ready.shift();
      if (!b) {
        port.postMessage({ done: sent } satisfies FeedMessage);
        port.close();
        return;
      }
      sent += b.length;
      port.postMessage({ batch: stamp(b, Date.now()) } satisfies FeedMessage);
      refill();
    });
  }
}
