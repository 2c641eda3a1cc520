import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createMemoryBus } from '../../bus/memory.ts';
import { validateConfig } from '../../config/load.ts';
import { manualClock } from '../../model/clock.ts';
import { silentLogger } from '../../model/logger.ts';
import { openSqlite } from '../../store/sqlite/async.ts';
import type { Store } from '../../store/types.ts';
import { buildApi } from '../server.ts';
import { sessionResolver } from '../sessions.ts';

let app: FastifyInstance;
let store: Store;
const clock = manualClock(Date.parse('2026-11-25T10:00:00Z'));

before(async () => {
  store = openSqlite(':memory:');
  const deps = {
    store,
    bus: createMemoryBus(),
    config: validateConfig({}),
    clock,
    log: silentLogger,
    runtimeStats: () => ({}),
    services: {},
  };
  app = await buildApi(deps, { resolvers: [sessionResolver(store, clock)] });
});
after(async () => {
  await app.close();
  await store.close();
});

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0];
const req = (method: string, url: string, body?: unknown, cookie?: string) =>
  app.inject({ method: method as 'GET', url, payload: body as object, headers: cookie ? { cookie } : {} });

test('first admin: setup only while no user exists, then login, roles, lockout, logout', async () => {
  assert.deepEqual((await req('GET', '/api/v1/setup')).json(), { needed: true, codeRequired: false });
  assert.equal((await req('POST', '/api/v1/setup', { name: 'root', password: 'short' })).statusCode, 400);
  const setup = await req('POST', '/api/v1/setup', { name: 'root', password: 'correct horse' });
  assert.equal(setup.statusCode, 201);
  const setCookie = String(setup.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP: no Secure flag');
  const adminCookie = cookieOf(setup);
  assert.equal((await req('POST', '/api/v1/setup', { name: 'evil', password: 'correct horse' })).statusCode, 409);
  assert.deepEqual((await req('GET', '/api/v1/setup')).json(), { needed: false, codeRequired: false });

  const me = await req('GET', '/api/v1/session', undefined, adminCookie);
  assert.equal(me.json().role, 'admin');
  assert.equal(me.json().user.name, 'root');
  assert.equal(me.json().user.passwordHash, undefined);

  // Admin creates a viewer; the viewer can read but not write, and cannot list users.
  const created = await req(
    'POST',
    '/api/v1/users',
    { name: 'vera', role: 'viewer', password: 'viewer-pass' },
    adminCookie,
  );
  assert.equal(created.statusCode, 201);
  const login = await req('POST', '/api/v1/session', { name: 'VERA', password: 'viewer-pass' });
  assert.equal(login.statusCode, 200, 'names are case-insensitive');
  const viewerCookie = cookieOf(login);
  assert.equal((await req('GET', '/api/v1/users', undefined, viewerCookie)).statusCode, 403);
  assert.equal((await req('PUT', '/api/v1/topology/layout', { positions: {} }, viewerCookie)).statusCode, 403);
  assert.equal((await req('GET', '/api/v1/topology', undefined, viewerCookie)).statusCode, 200);
  assert.equal((await req('PATCH', '/api/v1/me', { locale: 'ko' }, viewerCookie)).json().user.locale, 'ko');

  // Own tokens: a viewer may create one (never above viewer) and revoke it.
  assert.equal((await req('POST', '/api/v1/me/tokens', { name: 'x', role: 'admin' }, viewerCookie)).statusCode, 403);
  const tok = await req('POST', '/api/v1/me/tokens', { name: 'script' }, viewerCookie);
  assert.equal(tok.statusCode, 201);
  const { token, info } = tok.json();
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } })).json()
      .name,
    'script',
  );
  assert.equal((await req('GET', '/api/v1/me/tokens', undefined, viewerCookie)).json().tokens.length, 1);
  assert.equal((await req('DELETE', `/api/v1/me/tokens/${info.id}`, undefined, viewerCookie)).statusCode, 204);

  // Wrong passwords: 401 three times, then 429 with a growing delay, per user and address.
  for (let i = 0; i < 3; i++)
    assert.equal((await req('POST', '/api/v1/session', { name: 'vera', password: 'nope-nope' })).statusCode, 401);
  assert.equal(
    (await req('POST', '/api/v1/session', { name: 'vera', password: 'nope-nope' })).statusCode,
    401,
    'the 4th failure sets the first delay',
  );
  const locked = await req('POST', '/api/v1/session', { name: 'vera', password: 'viewer-pass' });
  assert.equal(locked.statusCode, 429);
  assert.equal(locked.json().error.code, 'VIGIL_TOO_MANY_REQUESTS');
  clock.advance(1500);
  assert.equal((await req('POST', '/api/v1/session', { name: 'vera', password: 'viewer-pass' })).statusCode, 200);
  assert.equal(
    (await req('POST', '/api/v1/session', { name: 'ghost', password: 'whatever1' })).json().error.message,
    'wrong user name or password',
  );

  // The last admin cannot be demoted; logout ends the session.
  const rootId = me.json().user.id;
  assert.equal((await req('PATCH', `/api/v1/users/${rootId}`, { role: 'viewer' }, adminCookie)).statusCode, 409);
  assert.equal((await req('DELETE', '/api/v1/session', undefined, viewerCookie)).statusCode, 204);
  assert.equal((await req('GET', '/api/v1/session', undefined, viewerCookie)).statusCode, 401);

  const audit = (await req('GET', '/api/v1/audit', undefined, adminCookie)).json().entries as {
    action: string;
    result?: string;
  }[];
  const actions = audit.map((e) => `${e.action}:${e.result}`);
  for (const want of [
    'user.create:ok',
    'session.login:ok',
    'session.login:failed',
    'token.create:ok',
    'token.revoke:ok',
  ])
    assert.ok(actions.includes(want), want);
});

test('HTTPS requests get a Secure cookie', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { name: 'root', password: 'correct horse' },
    headers: { 'x-forwarded-proto': 'https' },
  });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['set-cookie']), /; Secure/);
});

/** A fresh API around its own in-memory store, for tests that need no user yet. */
async function freshApi() {
  const own = openSqlite(':memory:');
  const api = await buildApi(
    {
      store: own,
      bus: createMemoryBus(),
      config: validateConfig({}),
      clock,
      log: silentLogger,
      runtimeStats: () => ({}),
      services: {},
    },
    { resolvers: [sessionResolver(own, clock)] },
  );
  const call = (method: string, url: string, body?: unknown, cookie?: string) =>
    api.inject({ method: method as 'GET', url, payload: body as object, headers: cookie ? { cookie } : {} });
  return { own, api, call };
}

test('racing first-run setups: exactly one creates the admin, the others get 409', async () => {
  const { own, api, call } = await freshApi();
  try {
    const answers = await Promise.all(
      ['ann', 'bob', 'cid', 'dee'].map((name) => call('POST', '/api/v1/setup', { name, password: 'correct horse' })),
    );
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
    assert.equal(await own.countUsers(), 1);
  } finally {
    await api.close();
    await own.close();
  }
});

test('two admins demoting each other at once: one of them stays admin', async () => {
  const { own, api, call } = await freshApi();
  try {
    const first = cookieOf(await call('POST', '/api/v1/setup', { name: 'ann', password: 'correct horse' }));
    const made = await call('POST', '/api/v1/users', { name: 'bob', role: 'admin', password: 'battery staple' }, first);
    assert.equal(made.statusCode, 201);
    const second = cookieOf(await call('POST', '/api/v1/session', { name: 'bob', password: 'battery staple' }));
    const ann = (await own.getUserByName('ann'))!;
    const bob = (await own.getUserByName('bob'))!;
    // A new password too: hashing it keeps both requests between their first check and their write at once.
    const demote = { role: 'viewer', password: 'another password' };
    const answers = await Promise.all([
      call('PATCH', `/api/v1/users/${bob.id}`, demote, first),
      call('PATCH', `/api/v1/users/${ann.id}`, demote, second),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal((await own.listUsers()).filter((u) => u.role === 'admin').length, 1);
  } finally {
    await api.close();
    await own.close();
  }
});
