import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/api/auth.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

// /events/stream and /logs/stream share one limiter: http.sse.maxPerUser per user (or token without a user), and
// http.sse.maxTotal in all. Over a cap the answer is 429 VIGIL_TOO_MANY_REQUESTS; a client that goes frees its slot.
let vigil: TestVigil;
const aborts: AbortController[] = [];
before(async () => {
  vigil = await startTestVigil({ http: { sse: { maxPerUser: 3, maxTotal: 5 } } });
});
after(async () => {
  for (const a of aborts) a.abort();
  vigil.app.server.closeAllConnections();
  await vigil?.stop();
});

const PATHS = ['/api/v1/events/stream', '/api/v1/logs/stream'];

/** Opens a stream with a raw token; returns the status and, when it is open, a way to close it. */
async function stream(
  token: string,
  path = PATHS[0],
): Promise<{ status: number; body?: { error: { code: string; message: string } }; close(): void }> {
  const ctrl = new AbortController();
  aborts.push(ctrl);
  const res = await fetch(vigil.url + path, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  if (res.status !== 200) return { status: res.status, body: await res.json(), close: () => ctrl.abort() };
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  // The first chunk (the comment) proves the stream is open before the next request is made.
  const reader = res.body!.getReader();
  await reader.read();
  return { status: 200, close: () => ctrl.abort() };
}

const sse = async () => (await (await vigil.api('/api/v1/stats/runtime', { role: 'viewer' })).json()).sse;

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('per user across both routes, then in total; 429 with the stable error shape; slots freed on disconnect', async () => {
  const { viewer, operator, admin } = vigil.tokens;
  const v = [await stream(viewer, PATHS[0]), await stream(viewer, PATHS[1]), await stream(viewer, PATHS[0])];
  assert.deepEqual(
    v.map((s) => s.status),
    [200, 200, 200],
  );
  const over = await stream(viewer, PATHS[1]);
  assert.equal(over.status, 429);
  assert.equal(over.body!.error.code, 'VIGIL_TOO_MANY_REQUESTS');
  assert.match(over.body!.error.message, /http\.sse\.maxPerUser/);

  const o = [await stream(operator), await stream(operator)];
  assert.deepEqual(
    o.map((s) => s.status),
    [200, 200],
  );
  const full = await stream(admin, PATHS[1]);
  assert.equal(full.status, 429);
  assert.match(full.body!.error.message, /http\.sse\.maxTotal/);
  assert.deepEqual(await sse(), { maxPerUser: 3, maxTotal: 5, open: 5, opened: 5, refusedPerUser: 1, refusedTotal: 1 });

  // The viewer's client goes away: its slot is the admin's to take.
  v[0].close();
  await until('the slot freed', async () => (await sse()).open === 4);
  assert.equal((await stream(admin)).status, 200);
  for (const s of [...v, ...o]) s.close();
  await until('every stream closed but the admin one', async () => (await sse()).open === 1);
});

test("a user's tokens share the user's cap", async () => {
  const user = {
    id: randomUUID(),
    name: `sse-${Date.now()}`,
    role: 'viewer' as const,
    createdTs: Date.now(),
    updatedTs: Date.now(),
  };
  await vigil.store.createUser(user, 'not-a-password-hash');
  const t1 = (await createApiToken(vigil.store, { name: 'a', role: 'viewer', userId: user.id })).token;
  const t2 = (await createApiToken(vigil.store, { name: 'b', role: 'viewer', userId: user.id })).token;
  const before = await sse();
  const opened = [await stream(t1), await stream(t2), await stream(t1)];
  assert.deepEqual(
    opened.map((s) => s.status),
    [200, 200, 200],
  );
  const over = await stream(t2);
  assert.equal(over.status, 429);
  assert.match(over.body!.error.message, /maxPerUser/);
  assert.equal((await sse()).refusedPerUser, before.refusedPerUser + 1);
  for (const s of opened) s.close();
});

test('HEAD on a stream answers the headers at once and holds no slot', async () => {
  await until('the earlier streams closed', async () => (await sse()).open === 1);
  const before = await sse();
  const res = await vigil.api('/api/v1/logs/stream', {
    method: 'HEAD',
    role: 'viewer',
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  await until('the HEAD slot freed', async () => (await sse()).open === before.open);
  assert.equal((await sse()).opened, before.opened + 1);
});
