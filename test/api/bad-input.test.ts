/**
 * Bad input gets a 4xx with the stable error shape, never a 500: label keys that made a bad JSON path, a MIB id
 * decoded a second time, numbers too large for the store, a malformed session cookie, a device address that is an
 * option. Raw URL strings go through inject as written.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { sessionResolver } from '../../src/api/sessions.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { configSchema } from '../../src/config/schema.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';
import type { Store } from '../../src/store/types.ts';

let store: Store;
let app: FastifyInstance;
let token: string;
const looked: string[] = [];
const now = Date.now();

before(async () => {
  store = openSqlite(':memory:');
  token = (await createApiToken(store, { name: 'admin', role: 'admin' })).token;
  await store.writeSamples([
    {
      kind: 'sample',
      deviceId: 'd1',
      metric: 'if.in.bps',
      labels: { ifIndex: '1', ifName: 'Gi0/1' },
      ts: now - 1000,
      value: 5,
    },
  ]);
  // A dictionary that knows one object and remembers what it was asked.
  const details = { oid: '1.3.6.1.2.1.2.2.1.2', name: 'ifDescr', module: 'IF-MIB', kind: 'column' };
  const mib = {
    lookup: (id: string) => (looked.push(id), id === 'IF-MIB::ifDescr' || id === details.oid ? details : undefined),
    resolve: (id: string) => (id === 'IF-MIB::ifDescr' ? details.oid : undefined),
    children: () => [],
    search: () => [],
    errors: () => [],
    stats: () => ({}),
  };
  const clock = { now: () => Date.now() };
  const deps = {
    store,
    bus: createMemoryBus(),
    config: configSchema.parse({ dataDir: ':memory:' }),
    clock,
    log: silentLogger,
    runtimeStats: () => ({}),
    services: { mib },
  };
  app = await buildApi(deps as never, { resolvers: [sessionResolver(store, clock as never)] });
});
after(async () => {
  await app?.close();
  await store?.close();
});

const get = (url: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  app.inject({ method: 'GET', url, headers });

/** A 4xx whose body is exactly `{"error":{"code","message"}}` (details allowed). */
function assertClientError(res: LightMyRequestResponse, status: number, code: string, message?: RegExp) {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  if (message) assert.match(body.error.message, message);
}

test('metrics: a label key outside letters, digits and _.- is refused, naming it', async () => {
  const ok = await get('/api/v1/metrics?device=d1&name=if.in.bps&label.ifIndex=1&from=-1h');
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().series.length, 1);
  assert.equal(
    (await get('/api/v1/metrics?device=d1&name=if.in.bps&label.ifIndex=2&from=-1h')).json().series.length,
    0,
  );
  assertClientError(
    await get('/api/v1/metrics?device=d1&name=if.in.bps&label.a"b\\=1'),
    400,
    'VIGIL_VALIDATION',
    /label\.a"b\\/,
  );
  assertClientError(
    await get('/api/v1/metrics?device=d1&name=if.in.bps&label.a%22b%5C=1'),
    400,
    'VIGIL_VALIDATION',
    /label\.a"b\\/,
  );
  for (const key of ['', '$', 'a b', "a'b", 'a[0]', 'ü'])
    assertClientError(
      await get(`/api/v1/metrics?device=d1&name=if.in.bps&label.${encodeURIComponent(key)}=1`),
      400,
      'VIGIL_VALIDATION',
    );
});

test('metrics: numbers beyond what the store takes are a 400', async () => {
  assertClientError(await get('/api/v1/metrics/latest?name=if.in.bps&top=1e309'), 400, 'VIGIL_VALIDATION');
  assertClientError(await get('/api/v1/metrics?device=d1&name=if.in.bps&step=1e309'), 400, 'VIGIL_VALIDATION');
  assert.equal((await get('/api/v1/metrics/latest?name=if.in.bps&top=5')).statusCode, 200);
});

test('audit: a page size the schema lets through as Infinity is a 400', async () => {
  assertClientError(await get('/api/v1/audit?limit=1e309'), 400, 'VIGIL_VALIDATION');
  assert.equal((await get('/api/v1/audit?before=10')).statusCode, 200);
});

test('mib objects: the id is decoded once (by the router), malformed text is a 404', async () => {
  assert.equal((await get('/api/v1/mib/objects/IF-MIB%3A%3AifDescr')).json().name, 'ifDescr');
  looked.length = 0;
  assertClientError(await get('/api/v1/mib/objects/%25E0%25A4%25A'), 404, 'VIGIL_NOT_FOUND', /%E0%A4%A/);
  assertClientError(await get('/api/v1/mib/objects/%2541'), 404, 'VIGIL_NOT_FOUND', /"%41"/);
  assert.ok(!looked.includes('A'), 'no second decoding');
  assert.ok(looked.includes('%41'));
});

test('a malformed session cookie is "not signed in", not a 500', async () => {
  assertClientError(await get('/api/v1/devices', { cookie: 'vigil_session=%E0%A4%A' }), 401, 'VIGIL_UNAUTHENTICATED');
});

test('devices: an address that is an option is refused, naming the path', async () => {
  for (const url of ['/api/v1/devices', '/api/v1/devices/test']) {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'evil', address: '-Z' },
    });
    assertClientError(res, 400, 'VIGIL_VALIDATION', /address: expected an IP address or host name/);
  }
});

test('any number that is not finite, in a query, path or body, is a 400 on every route (one check after validation)', async () => {
  for (const url of [
    '/api/v1/logs?limit=1e309',
    '/api/v1/events?limit=1e309',
    '/api/v1/notifications/deliveries?limit=1e309',
    '/api/v1/traps?limit=1e309',
  ]) {
    const r = await get(url);
    assert.ok(r.statusCode === 400 || r.statusCode === 503, `${url}: ${r.statusCode} ${r.body}`);
    if (r.statusCode === 400) assert.equal(r.json().error.code, 'VIGIL_VALIDATION');
  }
  const body = await app.inject({
    method: 'POST',
    url: '/api/v1/maintenance',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: '{"name":"m","start":1e309,"end":1}',
  });
  assert.equal(body.statusCode, 400, body.body);
  assert.match(body.json().error.message, /body\.start: not a finite number/);
});

test("the router's own errors (malformed percent-encoding in a path) have the stable error shape", async () => {
  const r = await get('/api/v1/mib/objects/%E0%A4%A');
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().error.code, 'VIGIL_BAD_REQUEST');
});
