/** The /api/v1/mib routes through the real API (buildApi, in-memory store) with the dictionary of the built-in MIB set. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { configSchema } from '../../src/config/schema.ts';
import { loadMibDictionary } from '../../src/mib/load.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';
import type { Store } from '../../src/store/types.ts';

describe('MIB API', () => {
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let token: string;
  const get = (url: string, on = app) =>
    on.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    store = openSqlite(':memory:');
    token = (await createApiToken(store, { name: 'viewer', role: 'viewer' })).token;
    const mib = await loadMibDictionary({ includeSystemMibs: false });
    const deps = {
      store,
      bus: createMemoryBus(),
      config: configSchema.parse({ dataDir: ':memory:' }),
      clock: { now: () => Date.now() },
      log: silentLogger,
      runtimeStats: () => ({}),
    };
    app = await buildApi({ ...deps, services: { mib } });
    bare = await buildApi({ ...deps, services: {} });
  });
  after(async () => {
    await app?.close();
    await bare?.close();
    await store?.close();
  });

  it('translates both ways', async () => {
    const a = await get('/api/v1/mib/translate?oid=1.3.6.1.2.1.2.2.1.10.3');
    assert.equal(a.statusCode, 200);
    assert.equal(a.json().full, 'IF-MIB::ifInOctets.3');
    const b = await get(`/api/v1/mib/translate?oid=${encodeURIComponent('IF-MIB::ifInOctets.3')}`);
    assert.equal(b.json().oid, '1.3.6.1.2.1.2.2.1.10.3');
    assert.equal((await get('/api/v1/mib/translate?oid=NO-SUCH::thing')).statusCode, 404);
  });

  it('searches, shows objects and browses the tree', async () => {
    const s = await get('/api/v1/mib/search?q=ifOperStatus&limit=5');
    assert.equal(s.json().results[0].name, 'ifOperStatus');
    const o = await get(`/api/v1/mib/objects/${encodeURIComponent('IF-MIB::ifOperStatus')}`);
    assert.equal(o.statusCode, 200);
    const body = o.json();
    assert.equal(body.oid, '1.3.6.1.2.1.2.2.1.8');
    assert.equal(body.table.name, 'ifTable');
    assert.deepEqual(body.syntax.enums[0], ['up', 1]);
    assert.match(body.description, /operational state/);
    assert.equal((await get('/api/v1/mib/objects/1.3.6.1.2.1.1.5')).json().name, 'sysName');
    const t = await get('/api/v1/mib/tree?root=system');
    assert.ok(t.json().children.some((c: { name: string }) => c.name === 'sysUpTime'));
    const top = await get('/api/v1/mib/tree');
    assert.ok(top.json().children.length > 0);
    const e = await get('/api/v1/mib/errors');
    assert.deepEqual(e.json().errors, []);
  });

  it('answers 503 without a dictionary and 401 without a token', async () => {
    const r = await get('/api/v1/mib/search?q=x', bare);
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().error.code, 'VIGIL_UNAVAILABLE');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/mib/search?q=x' })).statusCode, 401);
  });
});
