/**
 * The trap and SNMP Set routes through the real API (buildApi, in-memory store): traps listed, filtered and
 * translated; receiver stats; SNMP Set against a real snmpd with admin only, every attempt audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { MibBrowser, MibDictionary } from '../../src/mib/types.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { TrapRecord } from '../../src/model/records.ts';
import type { Store } from '../../src/store/types.ts';
import { openTestStore, type TestStore } from '../harness/store.ts';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';

const dictionary: MibDictionary = {
  translate: (oid) =>
    oid === '1.3.6.1.6.3.1.1.5.3'
      ? { oid, full: 'IF-MIB::linkDown', module: 'IF-MIB', name: 'linkDown' }
      : oid.startsWith('1.3.6.1.2.1.2.2.1.8.')
        ? { oid, full: `IF-MIB::ifOperStatus.${oid.slice(20)}`, name: 'ifOperStatus', instance: oid.slice(20) }
        : { oid, full: oid },
  resolve: (name) =>
    name === 'IF-MIB::linkDown'
      ? '1.3.6.1.6.3.1.1.5.3'
      : name === 'SNMPv2-MIB::sysName.0'
        ? '1.3.6.1.2.1.1.5.0'
        : undefined,
  formatValue: (oid, value) =>
    oid.startsWith('1.3.6.1.2.1.2.2.1.8.') ? (value === 2 ? 'down(2)' : `up(${value})`) : String(value),
};

const trap = (i: number, over: Partial<TrapRecord> = {}): TrapRecord => ({
  kind: 'trap',
  receivedTs: 1_000_000 + i,
  sourceAddress: '127.0.0.5',
  agentAddress: '127.0.0.5',
  version: 'v2c',
  pduType: 'trap',
  community: 'topsecret',
  trapOid: i % 2 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.4.1.9.9.41.2.0.1',
  varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.8.4', type: 'Integer', value: 2 }],
  ...over,
});

describe('trap and SNMP Set API', () => {
  let store: Store;
  let testStore: TestStore;
  let app: FastifyInstance;
  let agent: RunningSnmpd;
  const tokens = {} as Record<'admin' | 'operator' | 'viewer', string>;
  const call = (role: keyof typeof tokens, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[role]}` },
      ...(payload ? { payload: payload as object } : {}),
    });

  before(async () => {
    agent = await startSnmpd({ communities: [{ name: 'public' }, { name: 'rw-secret', write: true }] });
    testStore = await openTestStore();
    store = testStore.store;
    for (const role of ['admin', 'operator', 'viewer'] as const)
      tokens[role] = (await createApiToken(store, { name: `t-${role}`, role })).token;
    await store.putDevice({
      id: 'agent1',
      name: 'agent1',
      address: '127.0.0.1',
      tags: [],
      icmp: { enabled: false },
      pollIntervalS: 60,
      origin: 'api',
      snmp: { version: 'v2c', community: 'rw-secret', port: agent.port, timeoutMs: 2000, retries: 1 },
    });
    await store.writeTraps(Array.from({ length: 5 }, (_, i) => trap(i, i === 3 ? { deviceId: 'agent1' } : {})));
    const rx = { stats: () => ({ received: 9, accepted: 5, dropped: 4, dropReasons: { 'bad-community': 4 } }) };
    app = await buildApi({
      store,
      bus: createMemoryBus(),
      config: configSchema.parse({ dataDir: ':memory:' }),
      clock: { now: () => Date.now() },
      log: silentLogger,
      runtimeStats: () => ({ trap: rx.stats() }),
      // The trap routes only translate and resolve; the browsing half of the dictionary is not reached.
      services: { mib: dictionary as MibBrowser },
    });
  });
  after(async () => {
    await app?.close();
    await testStore?.close();
    await agent?.stop();
  });

  it('lists traps newest first with a translated display and no community', async () => {
    const res = await call('viewer', 'GET', '/api/v1/traps?limit=2');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.items.length, 2);
    assert.equal(body.items[0].receivedTs, 1_000_004);
    assert.ok(body.nextCursor);
    assert.ok(!JSON.stringify(body).includes('topsecret'));
    const next = (await call('viewer', 'GET', `/api/v1/traps?limit=10&cursor=${body.nextCursor}`)).json();
    assert.equal(next.items.length, 3);
    const named = (await call('viewer', 'GET', '/api/v1/traps?trap=IF-MIB::linkDown')).json();
    assert.equal(named.items.length, 2);
    assert.equal(named.items[0].display.trap, 'IF-MIB::linkDown');
    assert.deepEqual(named.items[0].display.varbinds[0], {
      oid: '1.3.6.1.2.1.2.2.1.8.4',
      name: 'IF-MIB::ifOperStatus.4',
      value: 'down(2)',
    });
    assert.equal((await call('viewer', 'GET', '/api/v1/traps?device=agent1')).json().items.length, 1);
    assert.equal((await call('viewer', 'GET', '/api/v1/traps?from=1000002&to=1000003')).json().items.length, 2);
    assert.equal((await call('viewer', 'GET', '/api/v1/traps?trap=NO-MIB::x')).statusCode, 400);
  });

  it('shows the receiver counters', async () => {
    const s = (await call('viewer', 'GET', '/api/v1/traps/stats')).json();
    assert.equal(s.dropped, 4);
    assert.equal(s.stored, 5);
  });

  it('sets sysName on a real snmpd for an admin, refuses operators and viewers, and audits every attempt', async () => {
    const body = { varbinds: [{ oid: 'SNMPv2-MIB::sysName.0', type: 'OctetString', value: 'set-by-vigil' }] };
    assert.equal((await call('viewer', 'POST', '/api/v1/devices/agent1/snmp/set', body)).statusCode, 403);
    assert.equal((await call('operator', 'POST', '/api/v1/devices/agent1/snmp/set', body)).statusCode, 403);
    const ok = await call('admin', 'POST', '/api/v1/devices/agent1/snmp/set', body);
    assert.equal(ok.statusCode, 200, ok.body);
    const session = openSnmpSession('127.0.0.1', {
      version: 'v2c',
      community: 'public',
      port: agent.port,
      timeoutMs: 2000,
      retries: 1,
    });
    const [readBack] = await session.get(['1.3.6.1.2.1.1.5.0']);
    session.close();
    assert.equal(readBack.value, 'set-by-vigil');
    // sysContact comes from snmpd.conf here, so the agent refuses it: the failure is audited too.
    const refused = await call('admin', 'POST', '/api/v1/devices/agent1/snmp/set', {
      varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: 'noc@example.invalid' }],
    });
    assert.ok(refused.statusCode >= 400, refused.body);
    const audit = (await store.listAudit({ limit: 10 })).filter((a) => a.action === 'snmp.set');
    assert.equal(audit.length, 2);
    const [failed, done] = audit;
    assert.equal(done.result, 'ok');
    assert.equal(done.target, 'agent1');
    assert.match(done.actor, /t-admin/);
    assert.deepEqual((done.details as { varbinds: unknown[] }).varbinds[0], {
      oid: '1.3.6.1.2.1.1.5.0',
      type: 'OctetString',
      value: 'set-by-vigil',
    });
    assert.match(failed.result ?? '', /^error: VIGIL_SNMP/);
    assert.ok(!JSON.stringify(audit).includes('rw-secret'), 'no credentials in the audit log');
  });
});
