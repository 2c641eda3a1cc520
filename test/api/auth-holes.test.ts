/** The holes reported against d268e4f, each reproduced as it was found; all must stay closed. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/api/auth.ts';
import { hashPassword } from '../../src/api/passwords.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let vigil: TestVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.stop());

/** A request whose path is sent exactly as written. */
function raw(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: () => unknown }> {
  const url = new URL(vigil.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test('a percent-encoded path does not skip authentication (GET /%61pi/v1/devices, POST /%61pi/v1/users)', async () => {
  assert.equal((await raw('GET', '/%61pi/v1/devices')).status, 401);
  const r = await raw('POST', '/%61pi/v1/users', { name: 'evil', role: 'admin', password: 'evil password 1' });
  assert.equal(r.status, 401);
  assert.equal(await vigil.store.getUserByName('evil'), undefined);
});

test("a demoted user's token acts with the user's new role; a deleted user's token dies", async () => {
  const now = Date.now();
  // Another admin, so that this one is not the last (which cannot be demoted).
  await vigil.store.createUser(
    { id: randomUUID(), name: 'other-admin', role: 'admin', createdTs: now, updatedTs: now },
    await hashPassword('some password 1'),
  );
  const user = { id: randomUUID(), name: 'was-admin', role: 'admin' as const, createdTs: now, updatedTs: now };
  await vigil.store.createUser(user, await hashPassword('some password 1'));
  const { token } = await createApiToken(vigil.store, { name: 't', role: 'admin', userId: user.id });
  const bearer = { authorization: `Bearer ${token}` };
  assert.equal((await raw('GET', '/api/v1/users', undefined, bearer)).status, 200);
  assert.equal(
    (await vigil.api(`/api/v1/users/${user.id}`, { method: 'PATCH', json: { role: 'viewer' } })).status,
    200,
  );
  assert.equal((await raw('GET', '/api/v1/users', undefined, bearer)).status, 403);
  assert.equal((await raw('GET', '/api/v1/devices', undefined, bearer)).status, 200);
  assert.equal((await vigil.api(`/api/v1/users/${user.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await raw('GET', '/api/v1/devices', undefined, bearer)).status, 401);
});

test('parallel wrong passwords: the lockout counts them before checking, so most get 429', async () => {
  const now = Date.now();
  await vigil.store.createUser(
    { id: randomUUID(), name: 'target', role: 'viewer', createdTs: now, updatedTs: now },
    await hashPassword('right password 1'),
  );
  const tries = await Promise.all(
    Array.from({ length: 12 }, () => raw('POST', '/api/v1/session', { name: 'target', password: 'wrong password' })),
  );
  const statuses = tries.map((t) => t.status);
  // As when they come one by one: three free failures, the fourth is checked and starts the delay, the rest wait.
  assert.equal(statuses.filter((s) => s === 401).length, 4, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, 8, statuses.join(','));
});

test('one address spraying many user names is throttled too', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++)
    statuses.push(
      (await raw('POST', '/api/v1/session', { name: `spray${i}`, password: 'wrong password' }, { 'x-test': String(i) }))
        .status,
    );
  assert.ok(statuses.includes(429), statuses.join(','));
});

test("an operator cannot send a credential profile's or a device's stored secrets to an address of their choice", async () => {
  const listener = createSocket('udp4');
  const received: string[] = [];
  listener.on('message', (m) => received.push(m.toString('latin1')));
  await new Promise<void>((r) => listener.bind(0, '127.0.0.1', r));
  const port = listener.address().port;
  try {
    assert.equal(
      (
        await vigil.api('/api/v1/credentials/lab', {
          method: 'PUT',
          json: { version: 'v2c', community: 'profile-secret-1', port, timeoutMs: 200, retries: 0 },
        })
      ).status,
      200,
    );
    const probe = { name: 'probe', address: '127.0.0.1', icmp: { enabled: false }, snmpProfile: 'lab' };
    const asOperator = await vigil.api('/api/v1/devices/test', { role: 'operator', method: 'POST', json: probe });
    assert.equal(asOperator.status, 403);
    assert.equal((await vigil.api('/api/v1/devices', { role: 'operator', method: 'POST', json: probe })).status, 403);
    assert.ok(!received.some((m) => m.includes('profile-secret-1')), 'nothing reached the listener');
    // An admin may (and the community does go out: this is what the guard prevents for operators).
    assert.equal((await vigil.api('/api/v1/devices/test', { role: 'admin', method: 'POST', json: probe })).status, 200);
    assert.ok(received.some((m) => m.includes('profile-secret-1')));
    received.length = 0;

    // A device with inline secrets: an operator may edit it in place, not move it with the stored community.
    const created = await vigil.api('/api/v1/devices', {
      role: 'operator',
      method: 'POST',
      json: {
        name: 'inline',
        address: '127.0.0.2',
        icmp: { enabled: false },
        snmp: { version: 'v2c', community: 'inline-secret-1', port },
      },
    });
    assert.equal(created.status, 201);
    const dev = await created.json();
    assert.equal(
      (await vigil.api('/api/v1/devices/inline', { role: 'operator', method: 'PATCH', json: { location: 'rack 9' } }))
        .status,
      200,
    );
    assert.equal(
      (await vigil.api('/api/v1/devices/inline', { role: 'operator', method: 'PATCH', json: { address: '127.0.0.1' } }))
        .status,
      403,
    );
    assert.equal(
      (
        await vigil.api('/api/v1/devices/inline', {
          role: 'operator',
          method: 'PATCH',
          json: { address: '127.0.0.1', snmp: dev.snmp },
        })
      ).status,
      403,
    );
    assert.equal(
      (
        await vigil.api('/api/v1/devices/inline', {
          role: 'operator',
          method: 'PATCH',
          json: { snmpProfile: 'lab', snmp: null },
        })
      ).status,
      403,
    );
    // Typing the secret again in clear is fine: the operator knows it already.
    assert.equal(
      (
        await vigil.api('/api/v1/devices/inline', {
          role: 'operator',
          method: 'PATCH',
          json: { address: '127.0.0.1', snmp: { ...dev.snmp, community: 'inline-secret-1' } },
        })
      ).status,
      200,
    );
  } finally {
    listener.close();
  }
});

test('behind a trusted proxy the client address comes from X-Forwarded-For; otherwise the header is ignored', async () => {
  const proxied = await startTestVigil({ http: { trustProxy: ['127.0.0.1'] } });
  try {
    const spray = async (v: TestVigil, from: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++)
        statuses.push(
          (
            await fetch(`${v.url}/api/v1/session`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
              body: JSON.stringify({ name: `p${i}`, password: 'wrong password' }),
            })
          ).status,
        );
      return statuses;
    };
    // One client through the proxy is throttled after its 20 free failures; another client is not held back by it.
    assert.ok((await spray(proxied, '198.51.100.1')).includes(429));
    const other = await fetch(`${proxied.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' },
      body: JSON.stringify({ name: 'x', password: 'wrong password' }),
    });
    assert.equal(other.status, 401);
    const audit = (await proxied.api('/api/v1/audit?limit=5')).json() as Promise<{
      entries: { details?: { address?: string } }[];
    }>;
    assert.equal((await audit).entries[0].details?.address, '198.51.100.2');
  } finally {
    await proxied.stop();
  }
  // Without trustProxy, a made-up X-Forwarded-For (a new one each time) does not escape the per-address throttle.
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++)
    statuses.push(
      (
        await fetch(`${vigil.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${10 + i}` },
          body: JSON.stringify({ name: `y${i}`, password: 'wrong password' }),
        })
      ).status,
    );
  assert.ok(statuses.includes(429), statuses.join(','));
});
