/**
 * The route-by-role matrix: every registered route (from the server's own route table) is called by every kind of
 * caller, under many spellings of its path. Each answer must be what the route's declared role allows and nothing more.
 * A route added without a declared role cannot even be registered (server.ts), so it fails every test here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { createApiToken, roleAllows } from '../../src/api/auth.ts';
import { hashPassword } from '../../src/api/passwords.ts';
import type { RouteAccess } from '../../src/api/server.ts';
import type { Role } from '../../src/store/types.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

type Caller = { label: string; headers: Record<string, string>; role?: Role };

let vigil: TestVigil;
let routes: RouteAccess[];
const callers: Caller[] = [];
const PASSWORD = 'matrix password 1';

async function userWithToken(name: string, role: Role, tokenRole: Role = role) {
  const now = Date.now();
  const user = { id: randomUUID(), name, role, createdTs: now, updatedTs: now };
  await vigil.store.createUser(user, await hashPassword(PASSWORD));
  const { token, info } = await createApiToken(vigil.store, {
    name: `${name}-token`,
    role: tokenRole,
    userId: user.id,
  });
  return { user, token, tokenId: info.id };
}

async function sessionCookie(name: string): Promise<string> {
  const r = await fetch(`${vigil.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: PASSWORD }),
  });
  assert.equal(r.status, 200, `login of ${name}`);
  return String(r.headers.get('set-cookie')).split(';')[0];
}

before(async () => {
  vigil = await startTestVigil();
  routes = vigil.app.routeTable.filter((r) => r.url.startsWith('/api/'));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const u = await userWithToken(`user-${role}`, role);
    callers.push({ label: `${role} user's token`, headers: bearer(u.token), role });
    callers.push({ label: `${role} session`, headers: { cookie: await sessionCookie(u.user.name) }, role });
    callers.push({ label: `${role} CLI token`, headers: bearer(vigil.tokens[role]), role });
  }
  callers.push({ label: 'nobody', headers: {} });
  callers.push({ label: 'a made-up token', headers: bearer('vgl_not-a-real-token') });
  callers.push({ label: 'an empty bearer', headers: { authorization: 'Bearer ' } });
  callers.push({ label: 'a made-up cookie', headers: { cookie: 'vigil_session=forged' } });
  // Revoked: made, then deleted.
  const revoked = await userWithToken('revoked', 'admin');
  await vigil.store.deleteToken(revoked.tokenId);
  callers.push({ label: 'a revoked token', headers: bearer(revoked.token) });
  // Demoted: an admin's admin token after the admin became a viewer acts as a viewer.
  const demoted = await userWithToken('demoted', 'admin');
  const demotedCookie = await sessionCookie('demoted');
  const admin = callers.find((c) => c.label === 'admin CLI token')!;
  const patch = await fetch(`${vigil.url}/api/v1/users/${demoted.user.id}`, {
    method: 'PATCH',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'viewer' }),
  });
  assert.equal(patch.status, 200);
  callers.push({ label: "a demoted admin's admin token", headers: bearer(demoted.token), role: 'viewer' });
  callers.push({ label: "a demoted admin's old session", headers: { cookie: demotedCookie } });
  // Disabled: neither the token nor the session works any more.
  const disabled = await userWithToken('disabled', 'operator');
  const disabledCookie = await sessionCookie('disabled');
  assert.equal(
    (
      await fetch(`${vigil.url}/api/v1/users/${disabled.user.id}`, {
        method: 'PATCH',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ disabled: true }),
      })
    ).status,
    200,
  );
  callers.push({ label: "a disabled user's token", headers: bearer(disabled.token) });
  callers.push({ label: "a disabled user's session", headers: { cookie: disabledCookie } });
  // Deleted: the token dies with its owner.
  const deleted = await userWithToken('deleted', 'admin');
  await vigil.store.deleteUser(deleted.user.id);
  callers.push({ label: "a deleted user's token", headers: bearer(deleted.token) });
});
after(() => vigil.stop());

/** A concrete path for a route pattern: every parameter and wildcard becomes a harmless id. */
const concrete = (url: string) => url.replace(/:[A-Za-z_]+/g, 'no-such-id').replace(/\*/g, 'no-such-file');

/**
 * Sends the path exactly as written (fetch would normalise dot segments, backslashes and case) and returns the status,
 * content type and the start of the body; an SSE stream is cut as soon as its headers arrive.
 */
function call(
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(vigil.url);
  const hasBody = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(method);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const type = String(res.headers['content-type'] ?? '');
        const status = res.statusCode ?? 0;
        if (type.startsWith('text/event-stream')) {
          req.destroy();
          return resolve({ status, type, body: '' });
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status, type, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    // A request line the HTTP parser refuses ends in a closed connection: refused, and nothing was read.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code?.startsWith('HPE_')
        ? resolve({ status: 0, type: '', body: `connection closed (${e.code})` })
        : reject(e),
    );
    req.end(hasBody ? '{}' : undefined);
  });
}

test('the route table is complete: every route declares public or a role, and only the expected ones are public', () => {
  assert.ok(routes.length > 60, `only ${routes.length} routes found`);
  for (const r of routes) assert.ok(r.public || r.role, `${r.method} ${r.url}`);
  const open = routes
    .filter((r) => r.public)
    .map((r) => `${r.method} ${r.url}`)
    .sort();
  assert.deepEqual(open, [
    'DELETE /api/v1/session',
    'GET /api/v1/health',
    'GET /api/v1/openapi.json',
    'GET /api/v1/setup',
    'HEAD /api/v1/health',
    'HEAD /api/v1/openapi.json',
    'HEAD /api/v1/setup',
    'POST /api/v1/session',
    'POST /api/v1/setup',
  ]);
});

test('every route × every caller: allowed exactly as the declared role says', async () => {
  const failures: string[] = [];
  for (const route of routes.filter((r) => !r.public)) {
    const path = concrete(route.url);
    for (const c of callers) {
      const { status, body } = await call(route.method, path, c.headers);
      const allowed = !!c.role && roleAllows(c.role, route.role!);
      const expected = !c.role ? [401] : allowed ? undefined : [403];
      const ok = expected ? expected.includes(status) : status !== 401 && status !== 403;
      if (!ok) failures.push(`${route.method} ${path} as ${c.label}: ${status} ${body.slice(0, 120)}`);
      // Whatever the caller, no route answers a request it cannot parse with a server error.
      if (status >= 500 && status !== 503)
        failures.push(`${route.method} ${path} as ${c.label}: ${status} ${body.slice(0, 200)}`);
    }
  }
  if (failures.length) console.log(failures.join('\n'));
  assert.deepEqual(failures, []);
});

/** Ways of writing the same path that routers, proxies and decoders disagree about. */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length);
  const encodeAll = (s: string) =>
    [...s].map((ch) => (ch === '/' ? ch : `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  return [
    path,
    `/%61pi${rest}`,
    `/%41PI${rest}`,
    `/%2561pi${rest}`,
    encodeAll(path),
    path.replaceAll('/', '%2F'),
    `/api${rest.replace('/', '%2F')}`,
    `/api${rest.replace('/', '%2f')}`,
    `//api${rest}`,
    `/api//${rest.slice(1)}`,
    `/./api${rest}`,
    `/api/./${rest.slice(1)}`,
    `/x/../api${rest}`,
    `/api/x/..${rest}`,
    `/api/v1/%2e%2e/v1${rest.slice(3)}`,
    `/api/v1/.%2e/v1${rest.slice(3)}`,
    `${path}/`,
    `${path}//`,
    `${path}?`,
    `${path}?x=1`,
    `${path}#frag`,
    `${path}%00`,
    `${path};x=1`,
    `/api;x=1${rest}`,
    `${path}%20`,
    `${path}.json`,
    path.toUpperCase(),
    `/API${rest}`,
    `/Api${rest}`,
    `\\api${rest.replaceAll('/', '\\')}`,
    `/api\\${rest.slice(1)}`,
    `/%ef%bc%8fapi${rest}`,
    `/api/v1/../v1${rest.slice(3)}`,
  ];
}

test('no spelling of a protected path reaches its data without credentials, whatever the method', async () => {
  const failures: string[] = [];
  const unauth = callers.filter((c) => !c.role);
  const seen = new Set<string>();
  for (const route of routes.filter((r) => !r.public)) {
    const path = concrete(route.url);
    for (const spelled of spellings(path)) {
      for (const method of new Set([route.method, 'HEAD', 'OPTIONS', 'GET'])) {
        const key = `${method} ${spelled}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const c of [unauth[0], unauth[unauth.length - 1]]) {
          const { status, type, body } = await call(method, spelled, c.headers);
          // Refused, not found, malformed, or the web UI's own page (the single-page app, no data): all fine.
          const refused =
            [0, 400, 401, 403, 404, 405].includes(status) ||
            (status === 200 && type.startsWith('text/html')) ||
            (status === 304 && method !== 'POST');
          if (!refused) failures.push(`${method} ${spelled} as ${c.label}: ${status} ${type} ${body.slice(0, 100)}`);
        }
      }
    }
  }
  if (failures.length) console.log(failures.slice(0, 60).join('\n'));
  assert.equal(failures.length, 0);
});

test('a viewer never reaches an operator or admin route under any spelling', async () => {
  const failures: string[] = [];
  const viewer = callers.find((c) => c.label === "viewer user's token")!;
  for (const route of routes.filter((r) => r.role && r.role !== 'viewer')) {
    const path = concrete(route.url);
    for (const spelled of spellings(path)) {
      const { status, type, body } = await call(route.method, spelled, viewer.headers);
      if (![0, 400, 403, 404, 405].includes(status) && !(status === 200 && type.startsWith('text/html')))
        failures.push(`${route.method} ${spelled}: ${status} ${body.slice(0, 100)}`);
    }
  }
  if (failures.length) console.log(failures.slice(0, 60).join('\n'));
  assert.equal(failures.length, 0);
});

test('cookie-authenticated writes from another site are refused; same-site and non-browser ones pass', async () => {
  const operator = callers.find((c) => c.label === 'operator session')!;
  const write = (headers: Record<string, string>) =>
    call('POST', '/api/v1/rules/validate', { ...operator.headers, ...headers });
  assert.equal((await write({ origin: 'https://evil.example' })).status, 403);
  assert.equal((await write({ 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await write({ 'sec-fetch-site': 'same-site' })).status, 403);
  assert.equal((await write({ origin: 'null' })).status, 403);
  assert.notEqual((await write({ origin: vigil.url })).status, 403);
  assert.notEqual((await write({ 'sec-fetch-site': 'same-origin' })).status, 403);
  assert.notEqual((await write({})).status, 403);
  // Bearer tokens are not sent by browsers on their own, so Origin does not matter for them.
  const token = callers.find((c) => c.label === "operator user's token")!;
  assert.notEqual(
    (await call('POST', '/api/v1/rules/validate', { ...token.headers, origin: 'https://evil.example' })).status,
    403,
  );
});
