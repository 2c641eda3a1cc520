// Walk limits against a real snmpd: the walk stops asking once maxResults varbinds are in hand (requests counted on
// the wire by a UDP relay), and returns what it has once maxTimeMs has passed, even with a request in flight.
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import type { SnmpCredentials } from '../../src/model/device.ts';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let agent: RunningSnmpd;
let relay: { port: number; requests: () => number; close(): void };
let silent: Socket;
let vigil: TestVigil;

/** Forwards datagrams between one client and the agent, counting what the client sends. */
async function startRelay(agentPort: number): Promise<typeof relay> {
  const sock = createSocket('udp4');
  let client: RemoteInfo | undefined;
  let requests = 0;
  sock.on('message', (msg, from) => {
    if (from.port === agentPort) {
      if (client) sock.send(msg, client.port, client.address);
    } else {
      client = from;
      requests++;
      sock.send(msg, agentPort, '127.0.0.1');
    }
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { port: sock.address().port, requests: () => requests, close: () => sock.close() };
}

before(async () => {
  agent = await startSnmpd({ communities: [{ name: 'public' }] });
  relay = await startRelay(agent.port);
  // An "agent" that reads every request and answers none.
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  vigil = await startTestVigil({ snmp: { walk: { maxResults: 50 } } });
});
after(async () => {
  await vigil?.stop();
  relay?.close();
  silent?.close();
  await agent?.stop();
});

const creds = (port: number, extra: Partial<SnmpCredentials> = {}): SnmpCredentials => ({
  version: 'v2c',
  community: 'public',
  port,
  timeoutMs: 2000,
  retries: 0,
  ...extra,
});
async function withSession<T>(
  c: SnmpCredentials,
  fn: (s: ReturnType<typeof openSnmpSession>) => Promise<T>,
): Promise<T> {
  const s = openSnmpSession('127.0.0.1', c);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

test('maxResults 50 over a subtree of thousands: 50 varbinds, the first 50, in 3 GetBulk requests', async () => {
  const full = await withSession(creds(relay.port), (s) => s.walkLimited('1.3.6.1.2.1', { maxRepetitions: 25 }));
  const fullRequests = relay.requests();
  assert.ok(full.varbinds.length > 1000, `the whole subtree has ${full.varbinds.length} varbinds`);
  assert.equal(full.truncated, undefined);
  assert.equal(full.requests, fullRequests);

  const cut = await withSession(creds(relay.port), (s) =>
    s.walkLimited('1.3.6.1.2.1', { maxRepetitions: 25, maxResults: 50 }),
  );
  const cutRequests = relay.requests() - fullRequests;
  assert.equal(cut.varbinds.length, 50);
  assert.equal(cut.truncated, 'maxResults');
  assert.deepEqual(
    cut.varbinds.map((v) => v.oid),
    full.varbinds.slice(0, 50).map((v) => v.oid),
  );
  // 25 + 25 + the one row that shows there is more: the agent was asked for 51 rows, not thousands.
  assert.equal(cut.requests, 3);
  assert.equal(cutRequests, 3, `requests on the wire: ${cutRequests} (the whole walk took ${fullRequests})`);
});

test('a subtree of exactly maxResults rows is complete, one row fewer is truncated', async () => {
  const system = await withSession(creds(agent.port), (s) => s.walk('1.3.6.1.2.1.1'));
  const n = system.length;
  assert.ok(n >= 7);
  const exact = await withSession(creds(agent.port), (s) => s.walkLimited('1.3.6.1.2.1.1', { maxResults: n }));
  assert.equal(exact.varbinds.length, n);
  assert.equal(exact.truncated, undefined);
  const short = await withSession(creds(agent.port), (s) => s.walkLimited('1.3.6.1.2.1.1', { maxResults: n - 1 }));
  assert.equal(short.varbinds.length, n - 1);
  assert.equal(short.truncated, 'maxResults');
});

test('v1 (GetNext): maxResults 10 takes 11 requests', async () => {
  const before = relay.requests();
  const r = await withSession(creds(relay.port, { version: 'v1' }), (s) =>
    s.walkLimited('1.3.6.1.2.1', { maxResults: 10 }),
  );
  assert.equal(r.varbinds.length, 10);
  assert.equal(r.truncated, 'maxResults');
  assert.equal(relay.requests() - before, 11);
});

test('maxTime: a GetNext walk of thousands of rows stops at the deadline with what it has', async () => {
  const started = performance.now();
  const r = await withSession(creds(agent.port, { version: 'v1' }), (s) =>
    s.walkLimited('1.3.6.1.2.1', { maxTimeMs: 100 }),
  );
  const ms = performance.now() - started;
  assert.equal(r.truncated, 'maxTime');
  assert.ok(r.varbinds.length > 0 && r.varbinds.length < 5000, `${r.varbinds.length} varbinds in 100 ms`);
  assert.ok(ms < 1000, `returned after ${Math.round(ms)} ms`);
});

test('maxTime cuts a request in flight short: an agent that never answers costs maxTime, not the request timeout', async () => {
  const port = (silent.address() as { port: number }).port;
  const started = performance.now();
  const r = await withSession(creds(port, { timeoutMs: 10_000 }), (s) =>
    s.walkLimited('1.3.6.1.2.1', { maxTimeMs: 300 }),
  );
  const ms = performance.now() - started;
  assert.deepEqual(r, { varbinds: [], truncated: 'maxTime', requests: 1 });
  assert.ok(ms >= 290 && ms < 2000, `returned after ${Math.round(ms)} ms`);
});

test('the API walk stops at snmp.walk.maxResults and says so; a short subtree is not truncated', async () => {
  const created = await vigil.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'walked',
      address: '127.0.0.1',
      snmp: { version: 'v2c', community: 'public', port: relay.port, timeoutMs: 2000, retries: 0 },
    },
  });
  assert.equal(created.status, 201);
  const before = relay.requests();
  const big = await (await vigil.api('/api/v1/devices/walked/snmp/walk?oid=1.3.6.1.2.1', { role: 'operator' })).json();
  assert.equal(big.varbinds.length, 50);
  assert.equal(big.truncated, 'maxResults');
  assert.deepEqual(big.limits, { maxResults: 50, maxTimeS: 30 });
  assert.equal(relay.requests() - before, 3);
  const small = await (
    await vigil.api('/api/v1/devices/walked/snmp/walk?oid=1.3.6.1.2.1.1', { role: 'operator' })
  ).json();
  assert.equal(small.truncated, false);
  assert.ok(small.varbinds.length >= 7 && small.varbinds.length < 50);
});
