/**
 * End to end over Kafka (issue 17): syslog over TCP → collector → Kafka (librdkafka's mock cluster, 3 brokers, hosted
 * by kcat) → processor(s) → PostgreSQL, stored and searchable; beside the single process (memory bus) on the same
 * PostgreSQL. Every Vigil is its own process (`bin/vigil.js start`), all on this machine with the brokers and
 * PostgreSQL, so they share its cores.
 *  - throughput: N lines (bench/syslog-corpus.ts bodies) sent as fast as one connection takes them; timed until the
 *    store counts N. Single process; collector + 1 processor; collector + 2 processors.
 *  - steady rate: lines paced at R msgs/s for S seconds (VIGIL_BENCH_RATES, VIGIL_BENCH_SECONDS) through collector +
 *    1 processor; the store's count is read every 100 ms, and line i's end-to-end latency is the time its count was
 *    first reached minus its send time. Reported: p50 / p99 / max latency, and whether the lag stayed bounded (the
 *    backlog at the end of sending no more than two seconds' worth).
 * Run: npx tsx bench/kafka-e2e.ts   (VIGIL_BENCH_N=200000 VIGIL_BENCH_RATES=5000,10000,20000 VIGIL_BENCH_SECONDS=20)
 * Needs: kcat, postgresql-15.
 */
import { connect } from 'node:net';
import pg from 'pg';
import { startKafkaMock } from '../test/harness/kafka.ts';
import { freeTcpPort } from '../test/harness/ports.ts';
import { startPostgres } from '../test/harness/postgres.ts';
import { startVigilProcess, type VigilProcess } from '../test/harness/vigil-process.ts';
import { bodies, message } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 200_000);
const RATES = (process.env.VIGIL_BENCH_RATES ?? '5000,10000,20000').split(',').map(Number);
const SECONDS = Number(process.env.VIGIL_BENCH_SECONDS ?? 20);
const PHASES = (process.env.VIGIL_BENCH_PHASES ?? 'throughput,steady').split(',');

const b = bodies();
const line = (i: number) => {
  const m = message(b[i % b.length], i, Date.now());
  return `${Buffer.byteLength(m)} ${m}`;
};

const server = await startPostgres();
const kafka = await startKafkaMock({ brokers: 3 });
let databases = 0;
const nodes: VigilProcess[] = [];

async function database(): Promise<string> {
  const name = `bench_${++databases}`;
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return server.url.replace(/\/[^/]*$/, `/${name}`);
}

async function counter(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return {
    count: async () => Number((await c.query('SELECT coalesce(sum(rows), 0) AS n FROM logs_volume')).rows[0].n),
    end: () => c.end(),
  };
}

/** A deployment: single (memory bus) or collector + `processors` over Kafka; answers the syslog TCP port. */
async function deploy(kind: 'single' | 'kafka', processors: number, url: string): Promise<number> {
  const port = await freeTcpPort();
  const env = { VIGIL_STORE_URL: url };
  const store = { backend: 'postgres' };
  const syslog = { tcp: { enabled: true, host: '127.0.0.1', port } };
  if (kind === 'single') {
    nodes.push(await startVigilProcess({ store, syslog }, { env }));
    return port;
  }
  const bus = {
    kind: 'kafka',
    kafka: { brokers: kafka.brokers, instance: `b${databases}`, producer: { idempotent: false } },
  };
  for (let p = 0; p < processors; p++)
    nodes.push(await startVigilProcess({ store, bus, node: { roles: ['processor'] } }, { env }));
  nodes.push(await startVigilProcess({ store, bus, node: { roles: ['collector'] }, syslog }, { env }));
  return port;
}

async function teardown(): Promise<void> {
  while (nodes.length) await nodes.pop()!.stop();
}

/** Writes lines [from, to) to the socket, waiting for it to drain when it asks. */
function writer(port: number) {
  const s = connect(port, '127.0.0.1');
  const ready = new Promise<void>((r) => s.once('connect', () => r()));
  return {
    ready,
    async write(from: number, to: number) {
      let chunk = '';
      for (let i = from; i < to; i++) {
        chunk += line(i);
        if (chunk.length > 64 * 1024) {
          if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
          chunk = '';
        }
      }
      if (chunk && !s.write(chunk)) await new Promise((r) => s.once('drain', r));
    },
    end: () => new Promise<void>((r) => s.end(r)),
  };
}

/**
 * One line through the whole path, then a pause: the consumer groups' start-up rebalances are over before timing
 * (librdkafka's mock cluster cannot describe groups to tell when they are).
 */
async function warmUp(port: number, c: Awaited<ReturnType<typeof counter>>): Promise<void> {
  const w = writer(port);
  await w.ready;
  await w.write(N + RATES.reduce((a, r) => a + r * SECONDS, 0), N + RATES.reduce((a, r) => a + r * SECONDS, 0) + 1);
  await w.end();
  while ((await c.count()) < 1) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 3000));
}

async function throughput(kind: 'single' | 'kafka', processors: number): Promise<number> {
  const url = await database();
  const port = await deploy(kind, processors, url);
  const c = await counter(url);
  try {
    await warmUp(port, c);
    const w = writer(port);
    await w.ready;
    const t0 = performance.now();
    await w.write(0, N);
    await w.end();
    while ((await c.count()) < N + 1) await new Promise((r) => setTimeout(r, 50));
    return N / ((performance.now() - t0) / 1000);
  } finally {
    await c.end();
    await teardown();
  }
}

async function steady(rate: number) {
  const url = await database();
  const port = await deploy('kafka', 1, url);
  const c = await counter(url);
  try {
    await warmUp(port, c);
    const base = await c.count();
    const w = writer(port);
    await w.ready;
    const total = rate * SECONDS;
    const sendTs = new Float64Array(total);
    const t0 = performance.now();
    let sent = 0;
    const seen: { t: number; n: number }[] = [];
    const poll = setInterval(async () => seen.push({ t: performance.now(), n: (await c.count()) - base }), 100);
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      if (due > sent) {
        const now = performance.now();
        for (let i = sent; i < due; i++) sendTs[i] = now;
        await w.write(sent, due);
        sent = due;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const sendEnd = performance.now();
    const backlogAtEnd = total - ((await c.count()) - base);
    while ((await c.count()) - base < total) await new Promise((r) => setTimeout(r, 50));
    clearInterval(poll);
    seen.push({ t: performance.now(), n: total });
    await w.end();
    const lat: number[] = [];
    let k = 0;
    for (let i = 0; i < total; i += Math.max(1, Math.floor(total / 20_000))) {
      while (k < seen.length && seen[k].n <= i) k++;
      lat.push(seen[Math.min(k, seen.length - 1)].t - sendTs[i]);
    }
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
    return {
      rate,
      achieved: total / ((sendEnd - t0) / 1000),
      p50: q(0.5),
      p99: q(0.99),
      max: lat.at(-1) ?? 0,
      bounded: backlogAtEnd <= 2 * rate,
      backlogAtEnd,
    };
  } finally {
    await c.end();
    await teardown();
  }
}

try {
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  if (PHASES.includes('throughput')) {
    const single = await throughput('single', 0);
    const one = await throughput('kafka', 1);
    const two = await throughput('kafka', 2);
    console.log(`\nsyslog TCP → stored in PostgreSQL, ${fmt(N)} lines, one connection`);
    console.log('| path | msgs/s | ÷ single process |');
    console.log('|---|---|---|');
    console.log(`| single process (memory bus) | ${fmt(single)} | 1.00 |`);
    console.log(`| collector → Kafka → 1 processor | ${fmt(one)} | ${(one / single).toFixed(2)} |`);
    console.log(`| collector → Kafka → 2 processors | ${fmt(two)} | ${(two / single).toFixed(2)} |`);
  }
  if (PHASES.includes('steady')) {
    console.log(`\nsteady rates through collector → Kafka → 1 processor, ${SECONDS} s each`);
    console.log('| offered msgs/s | sent msgs/s | e2e p50 ms | p99 ms | max ms | backlog at end | lag bounded |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of RATES) {
      const s = await steady(r);
      console.log(
        `| ${fmt(s.rate)} | ${fmt(s.achieved)} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.backlogAtEnd)} | ${s.bounded ? 'yes' : 'no'} |`,
      );
    }
  }
} finally {
  await teardown();
  await kafka.stop();
  await server.stop();
}
