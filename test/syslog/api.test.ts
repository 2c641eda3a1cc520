import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { configSchema } from '../../src/config/schema.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';

let p: Pipeline;
let app: FastifyInstance;
let base: string;
let token: string;

before(async () => {
  p = await startPipeline();
  app = await buildApi({
    store: p.store,
    bus: p.bus,
    config: configSchema.parse({}),
    clock: systemClock,
    log: silentLogger,
    runtimeStats: () => ({ syslog: p.collector.stats() }),
    services: {},
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  token = (await createApiToken(p.store, { name: 'test', role: 'viewer' })).token;
});
after(async () => {
  app?.server.closeAllConnections();
  await app?.close();
  await p?.close();
});

const get = (path: string, auth = true) =>
  fetch(`${base}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
function send(lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(p.collector.ports.tcp!, '127.0.0.1', () => s.end(lines.map((l) => `${l}\n`).join('')));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

test('search, filters, cursor pages and histogram over HTTP', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 30; i++)
    lines.push(
      `<${i % 2 ? 35 : 190}>1 2026-11-25T10:${String(i).padStart(2, '0')}:00Z fw${i % 3} ${i % 2 ? 'sshd' : 'kernel'} - - - apiword number${i}`,
    );
  await send(lines);
  await p.waitForLogs(30);
  assert.equal((await get('/logs?q=apiword', false)).status, 401);
  const r = await (await get('/logs?q=apiword&limit=10')).json();
  assert.equal(r.logs.length, 10);
  assert.equal(r.logs[0].message, 'apiword number29');
  const r2 = await (await get(`/logs?q=apiword&limit=10&cursor=${encodeURIComponent(r.nextCursor)}`)).json();
  assert.equal(r2.logs[0].message, 'apiword number19');
  const sev = await (await get('/logs?q=apiword&severity=err&limit=100')).json();
  assert.equal(sev.logs.length, 15);
  assert.ok(sev.logs.every((l: { severity: number }) => l.severity <= 3));
  assert.equal((await (await get('/logs?facility=auth&host=fw1&app=sshd')).json()).logs.length, 5);
  const range = await (await get('/logs?from=2026-11-25T10:05:00Z&to=2026-11-25T10:10:00Z')).json();
  assert.equal(range.logs.length, 5);
  const bad = await get('/logs?severity=loud');
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /severity/);
  const h = await (
    await get('/logs/histogram?q=apiword&from=2026-11-25T10:00:00Z&to=2026-11-25T10:30:00Z&bucket=10m')
  ).json();
  assert.deepEqual(
    h.buckets.map((b: { count: number }) => b.count),
    [10, 10, 10],
  );
  assert.equal(h.bucketMs, 600_000);
});

test('the stream sends new matching lines as Server-Sent Events', async () => {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/logs/stream?q=streamword&severity=warning`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ctrl.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  await send([
    '<14>1 - h app - - - streamword info is filtered out',
    '<12>1 - h app - - - streamword warning comes through',
    '<12>1 - h app - - - otherword',
  ]);
  let text = '';
  const until = Date.now() + 10_000;
  while (!text.includes('warning comes through') && Date.now() < until) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  ctrl.abort();
  assert.match(text, /event: log\ndata: .*warning comes through/);
  assert.ok(!text.includes('filtered out'));
  assert.ok(!text.includes('otherword'));
});

test('listener stats with per-source counters and store totals', async () => {
  const s = await (await get('/syslog/stats')).json();
  assert.ok(s.tcp.received >= 33);
  assert.equal(s.udp.enabled, true);
  assert.ok(
    s.sources.some((x: { address: string; messages: number }) => x.address === '127.0.0.1' && x.messages >= 33),
  );
  assert.ok(s.store.count >= 33);
  const doc = await (await fetch(`${base}/openapi.json`)).json();
  assert.ok(doc.paths['/api/v1/logs'] && doc.paths['/api/v1/logs/histogram'] && doc.paths['/api/v1/syslog/stats']);
});
