/**
 * Vigil split over Kafka, against real peers: librdkafka's mock cluster (3 brokers, hosted by kcat), a throwaway
 * PostgreSQL as the shared store, snmpsim replaying two real device recordings, `logger` and `snmptrap`.
 * Two collectors (sites a and b) and two processors (one consumer group each for the store and the events).
 * Scenario 1: every record the peers send is stored exactly once, each site's devices polled by its own collector.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { blockPorts, startKafkaMock, type KafkaMock } from '../harness/kafka.ts';
import { freeTcpPort as freeTcpPortHere, freeUdpPort } from '../harness/ports.ts';
import { startVigilProcess } from '../harness/vigil-process.ts';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { devicesDir, startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const run = promisify(execFile);
let postgres: TestPostgres;
let kafka: KafkaMock;
let snmpsim: RunningSnmpsim;
const vigils: TestVigil[] = [];

before(async () => {
  [postgres, kafka, snmpsim] = await Promise.all([
    startPostgres(),
    startKafkaMock({ brokers: 3 }),
    startSnmpsim({ dataDir: devicesDir() }),
  ]);
});
after(async () => {
  for (const v of vigils.reverse()) {
    const t = Date.now();
    await v.stop().catch(() => {});
    if (process.env.DEBUG_STOP) console.error('stopped', v.config.node.roles, Date.now() - t);
  }
  const t = Date.now();
  await Promise.all([snmpsim?.stop(), kafka?.stop(), postgres?.stop()]);
  if (process.env.DEBUG_STOP) console.error('peers stopped', Date.now() - t);
});

/** What every node shares: the Kafka bus (instance `instance`) and the PostgreSQL store. */
const shared = (instance: string) => ({
  store: { backend: 'postgres', url: postgres.url },
  bus: {
    kind: 'kafka',
    kafka: {
      brokers: kafka.brokers,
      instance,
      producer: { idempotent: false, lingerMs: 10 },
      consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
    },
  },
});

async function node(instance: string, extra: Record<string, unknown>): Promise<TestVigil> {
  const v = await startTestVigil({ ...shared(instance), ...extra });
  vigils.push(v);
  return v;
}

async function sql<T>(query: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: postgres.url });
  await c.connect();
  try {
    return (await c.query(query)).rows as T[];
  } finally {
    await c.end();
  }
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  state?: () => Promise<unknown>,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${state ? `: ${JSON.stringify(await state())}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('scenario 1: two collectors at two sites, two processors in one group: every record stored exactly once', async () => {
  const instance = 's1';
  const p1 = await node(instance, { node: { roles: ['processor', 'api'] } });
  await node(instance, { node: { roles: ['processor'] } });
  const ports = { a: { syslog: await freeUdpPort(), trap: await freeUdpPort() }, b: { syslog: 0, trap: 0 } };
  ports.b = { syslog: await freeUdpPort(), trap: await freeUdpPort() };
  for (const site of ['a', 'b'] as const)
    await node(instance, {
      node: { roles: ['collector'], site, refreshS: 0.5 },
      snmp: { enabled: true, intervalS: 5, probeLocalAgent: false },
      syslog: { udp: { enabled: true, host: '127.0.0.1', port: ports[site].syslog } },
      traps: { enabled: true, host: '127.0.0.1', host6: '', port: ports[site].trap, communities: ['public'] },
    });
  // One device per site (two recordings of snmpsim), added through the API node.
  const [ca, cb] = snmpsim.communities;
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };
  for (const [site, community] of [
    ['a', ca],
    ['b', cb],
  ] as const) {
    const r = await p1.api('/api/v1/devices', {
      method: 'POST',
      json: {
        name: `dev-${site}`,
        address: '127.0.0.1',
        site,
        icmp: { enabled: false },
        snmp: { version: 'v2c', community, port: snmpsim.port, timeoutMs: 2000, retries: 1 },
      },
    });
    const body = await r.text();
    assert.equal(r.status, 201, body);
    ids[site] = JSON.parse(body).id;
  }

  const N = 200;
  const M = 20;
  for (const site of ['a', 'b'] as const) {
    for (let i = 0; i < N; i++)
      await run('logger', [
        '--server',
        '127.0.0.1',
        '--port',
        String(ports[site].syslog),
        '--udp',
        '--rfc5424',
        '-t',
        'cluster',
        '--',
        `site-${site} line ${i}`,
      ]);
    for (let i = 0; i < M; i++)
      await run('snmptrap', [
        '-v',
        '2c',
        '-c',
        'public',
        `127.0.0.1:${ports[site].trap}`,
        '',
        '1.3.6.1.6.3.1.1.5.3',
        '1.3.6.1.2.1.2.2.1.1.1',
        'i',
        String(i),
        '1.3.6.1.2.1.1.5.0',
        's',
        `site-${site}`,
      ]);
  }

  await until('every log line and trap', async () => {
    const [l] = await sql<{ n: string }>('SELECT count(*) AS n FROM logs');
    const [t] = await sql<{ n: string }>('SELECT count(*) AS n FROM traps');
    return Number(l.n) >= 2 * N && Number(t.n) >= 2 * M;
  });
  await until('both devices polled', async () => {
    const s = await sql<{ device_id: string }>('SELECT device_id FROM device_status WHERE snmp_ok');
    return s.length === 2;
  });
  // Let any duplicate (a replay, a retried send) arrive before counting.
  await new Promise((r) => setTimeout(r, 2000));
  const [logs] = await sql<{ n: string; distinct: string }>(
    "SELECT count(*) AS n, count(DISTINCT message) AS distinct FROM logs WHERE message LIKE 'site-%'",
  );
  assert.deepEqual([Number(logs.n), Number(logs.distinct)], [2 * N, 2 * N], 'each line stored once');
  const [traps] = await sql<{ n: string }>('SELECT count(*) AS n FROM traps');
  assert.equal(Number(traps.n), 2 * M, 'each trap stored once');
  // Each site's device was polled by its own collector only: its samples come from one producer.
  const series = await sql<{ device_id: string; n: string }>(
    'SELECT device_id, count(*) AS n FROM series GROUP BY device_id ORDER BY device_id',
  );
  assert.deepEqual(series.map((s) => s.device_id).sort(), [ids.a, ids.b].sort());
  const stats = (await (await p1.api('/api/v1/stats/runtime')).json()) as { node?: { roles: string[] } };
  assert.deepEqual(stats.node?.roles, ['processor', 'api']);

  // `vigil cluster status` lists the four nodes from their heartbeats in the shared store.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cluster-'));
  try {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, `dataDir: ${dir}\nstore:\n  backend: postgres\n`);
    const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
    const { stdout } = await run(process.execPath, [bin, 'cluster', 'status', '-c', file], {
      env: { ...process.env, VIGIL_STORE_URL: postgres.url },
    });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 5, stdout);
    assert.match(stdout, /^\S+ +collector +a +\S+ +up /m);
    assert.match(stdout, /^\S+ +collector +b +\S+ +up /m);
    assert.equal(stdout.match(/ processor/g)?.length, 2, stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Sends `lines` over UDP to a collector's syslog port with `logger`, `prefix i` each. */
async function sendLines(port: number, prefix: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++)
    await run('logger', [
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--udp',
      '-t',
      'cluster',
      '--',
      `${prefix} ${i}`,
    ]);
}

const countLike = async (prefix: string) =>
  (
    await sql<{ n: string; d: string }>(
      `SELECT count(*) AS n, count(DISTINCT message) AS d FROM logs WHERE message LIKE '${prefix} %'`,
    )
  )[0];

test('scenario 3: brokers unreachable for a while: the collector buffers to disk, then drains; nothing lost or doubled', async () => {
  const instance = 's3';
  await node(instance, { node: { roles: ['processor', 'api'] } });
  const port = await freeUdpPort();
  const collector = await node(instance, {
    node: { roles: ['collector'] },
    syslog: { udp: { enabled: true, host: '127.0.0.1', port } },
  });
  await sendLines(port, 'before-outage', 0, 50);
  await until('the lines sent before the outage', async () => Number((await countLike('before-outage')).n) === 50);

  const unblock = await blockPorts(kafka.ports);
  try {
    await sendLines(port, 'during-outage', 0, 300);
    const spooled = async () => {
      const s = (await (await collector.api('/api/v1/stats/runtime')).json()) as {
        kafka?: { producer?: { spool?: { spooled: number; records: number } } };
      };
      return s.kafka?.producer?.spool;
    };
    await until('the lines written to the disk buffer', async () => ((await spooled())?.spooled ?? 0) >= 300, 90_000);
    assert.equal(Number((await countLike('during-outage')).n), 0, 'nothing reached the store during the outage');
  } finally {
    await unblock();
  }
  await until('the buffered lines stored', async () => Number((await countLike('during-outage')).n) >= 300, 90_000);
  await new Promise((r) => setTimeout(r, 2000));
  const c = await countLike('during-outage');
  assert.deepEqual([Number(c.n), Number(c.d)], [300, 300], 'each buffered line stored once');
  const s = (await (await collector.api('/api/v1/stats/runtime')).json()) as {
    kafka: { producer: { spool: { replayed: number; dropped: number; records: number } } };
  };
  assert.equal(s.kafka.producer.spool.dropped, 0);
  assert.equal(s.kafka.producer.spool.records, 0, 'the buffer is empty again');
  assert.ok(s.kafka.producer.spool.replayed >= 300);
});

after(() => {
  if (process.env.DEBUG_STOP)
    setTimeout(() => {
      const p = process as unknown as { _getActiveHandles(): unknown[] };
      console.error(
        'still alive:',
        p._getActiveHandles().map((h) => (h as object).constructor?.name),
      );
    }, 5000).unref();
});

/** `count` lines `prefix i` for i in [from, to), sent by one `logger -f` over TCP to a collector. */
async function sendFile(port: number, prefix: string, from: number, to: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lines-'));
  try {
    const file = join(dir, 'lines');
    writeFileSync(file, Array.from({ length: to - from }, (_, k) => `${prefix} ${from + k}`).join('\n'));
    await run('logger', ['--server', '127.0.0.1', '--port', String(port), '--tcp', '-t', 'cluster', '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('scenario 2: a processor killed mid-stream (SIGKILL): its partitions move to the other; nothing lost or stored twice; the event raised once', async () => {
  const instance = 's2';
  // Every line matches: one event (one dedup key), opened by whichever processor first has the sender's partition.
  const rules = {
    syslog: {
      rules: [{ id: 'flood', contains: 'kill-test', raise: 'major', dedupKey: 'kill-test-flood', summary: 'flood' }],
    },
    events: { persistIntervalMs: 200 },
  };
  const killed = await startVigilProcess(
    { ...shared(instance), ...rules, store: { backend: 'postgres' }, node: { roles: ['processor'], id: 'doomed' } },
    { env: { VIGIL_STORE_URL: postgres.url } },
  );
  try {
    const port = await freeTcpPortHere();
    await node(instance, {
      node: { roles: ['collector'] },
      syslog: { tcp: { enabled: true, host: '127.0.0.1', port } },
    });
    const CHUNKS = 20;
    const PER = 500;
    for (let c = 0; c < CHUNKS; c++) {
      await sendFile(port, 'kill-test', c * PER, (c + 1) * PER);
      if (c === 2) {
        // The doomed processor alone so far: it opened the event. Now a second one joins the group (a rebalance).
        await until(
          'the event opened',
          async () => (await sql("SELECT 1 FROM events WHERE dedup_key = 'kill-test-flood'")).length > 0,
        );
        await node(instance, { ...rules, node: { roles: ['processor', 'api'] } });
      }
      if (c === 5) {
        await until('some lines stored', async () => Number((await countLike('kill-test')).n) > 0);
        await killed.kill('SIGKILL');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await until('every line stored', async () => Number((await countLike('kill-test')).n) >= CHUNKS * PER, 120_000);
    await new Promise((r) => setTimeout(r, 2000));
    const c = await countLike('kill-test');
    assert.deepEqual([Number(c.n), Number(c.d)], [CHUNKS * PER, CHUNKS * PER], 'each line stored once');
    const events = await sql<{ id: string; state: string }>(
      "SELECT id, state FROM events WHERE dedup_key = 'kill-test-flood'",
    );
    assert.equal(events.length, 1, `the event raised once: ${JSON.stringify(events)}`);
  } finally {
    await killed.stop();
  }
});

test('scenario 4: every Vigil node and PostgreSQL restarted mid-stream: nothing lost or stored twice', async () => {
  const instance = 's4';
  const env = { VIGIL_STORE_URL: postgres.url };
  const port = await freeTcpPortHere();
  const processorConfig = { ...shared(instance), store: { backend: 'postgres' }, node: { roles: ['processor'] } };
  const collectorConfig = {
    ...shared(instance),
    store: { backend: 'postgres' },
    node: { roles: ['collector'] },
    syslog: { tcp: { enabled: true, host: '127.0.0.1', port } },
  };
  const dirs = [mkdtempSync(join(tmpdir(), 'vigil-s4-p-')), mkdtempSync(join(tmpdir(), 'vigil-s4-c-'))];
  let processor = await startVigilProcess(processorConfig, { env, dataDir: dirs[0] });
  let collector = await startVigilProcess(collectorConfig, { env, dataDir: dirs[1] });
  try {
    const CHUNKS = 10;
    const PER = 500;
    for (let c = 0; c < CHUNKS; c++) {
      await sendFile(port, 'restart-test', c * PER, (c + 1) * PER);
      if (c === 4) {
        // Everything goes down at once (the collector's accepted lines go to Kafka or its disk buffer first)…
        await Promise.all([collector.stop({ keep: true }), processor.stop({ keep: true })]);
        await postgres.pause();
        await postgres.resume();
        // …and comes back on the same data directories.
        processor = await startVigilProcess(processorConfig, { env, dataDir: dirs[0] });
        collector = await startVigilProcess(collectorConfig, { env, dataDir: dirs[1] });
      }
    }
    await until(
      'every line stored',
      async () => Number((await countLike('restart-test')).n) >= CHUNKS * PER,
      120_000,
      async () => ({
        stored: await countLike('restart-test'),
        missing: await sql(
          `SELECT min(i), max(i), count(*) FROM generate_series(0, ${CHUNKS * PER - 1}) AS i WHERE NOT EXISTS (SELECT 1 FROM logs WHERE message = 'restart-test ' || i)`,
        ),
      }),
    );
    await new Promise((r) => setTimeout(r, 2000));
    const c = await countLike('restart-test');
    assert.deepEqual([Number(c.n), Number(c.d)], [CHUNKS * PER, CHUNKS * PER], 'each line stored once');
  } finally {
    await collector.stop();
    await processor.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test("an API node's live log stream is fed from Kafka: a line a collector receives reaches a browser on the API node", async () => {
  const instance = 'sse';
  await node(instance, { node: { roles: ['processor'] } });
  const api = await node(instance, { node: { roles: ['api'] } });
  const port = await freeUdpPort();
  await node(instance, {
    node: { roles: ['collector'] },
    syslog: { udp: { enabled: true, host: '127.0.0.1', port } },
  });
  const ctrl = new AbortController();
  const res = await fetch(`${api.url}/api/v1/logs/stream?q=streamed`, {
    headers: { authorization: `Bearer ${api.tokens.viewer}` },
    signal: ctrl.signal,
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = '';
  // The node's stream consumer starts with its first subscriber, at the newest records: send until one arrives.
  const until = Date.now() + 30_000;
  let i = 0;
  const sender = setInterval(() => void sendLines(port, 'streamed line', i, ++i), 500);
  try {
    while (!text.includes('streamed line') && Date.now() < until) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) =>
          setTimeout(() => r({ value: undefined, done: true }), 1000),
        ),
      ]);
      if (value) text += new TextDecoder().decode(value);
      if (done && !value) continue;
    }
  } finally {
    clearInterval(sender);
    ctrl.abort();
  }
  assert.match(text, /event: log\ndata: .*streamed line \d+/);
});
