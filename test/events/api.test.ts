import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { validateConfig } from '../../src/config/load.ts';
import { createEventEngine } from '../../src/events/engine.ts';
import { manualClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { createNotifier } from '../../src/notify/notifier.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';

test('rules, maintenance, channels and events through the API: roles, validation errors, dry-run, secrets masked, cursor pages', async () => {
  const store = openSqlite(':memory:');
  const bus = createMemoryBus();
  const clock = manualClock(Date.parse('2026-11-25T10:00:00Z'));
  const config = validateConfig({ events: { persistIntervalMs: 0 } });
  const notifier = await createNotifier({
    store,
    clock,
    log: silentLogger,
    config: config.notify,
    device: () => undefined,
  });
  const engine = await createEventEngine({ store, bus, clock, log: silentLogger, config, devices: () => [], notifier });
  const api = await buildApi({
    store,
    bus,
    config,
    clock,
    log: silentLogger,
    runtimeStats: () => ({}),
    services: { events: engine, notifier },
  });
  const auth = async (role: 'admin' | 'operator' | 'viewer') => ({
    authorization: `Bearer ${(await createApiToken(store, { name: role, role })).token}`,
  });
  const [admin, oper, viewer] = [await auth('admin'), await auth('operator'), await auth('viewer')];
  try {
    const bad = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: oper,
      payload: {
        id: 'x',
        kind: 'correlation',
        windowS: 60,
        conditions: { A: { event: {} } },
        expression: 'A OR',
        raise: { summary: 's', severity: 'major' },
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VIGIL_RULE_INVALID');
    assert.match(bad.json().error.message, /expression: expected a condition name/);
    const rule = { id: 'cpu', kind: 'threshold', metric: 'cpu.load.pct', levels: [{ severity: 'warning', value: 80 }] };
    assert.equal(
      (await api.inject({ method: 'POST', url: '/api/v1/rules', headers: viewer, payload: rule })).statusCode,
      403,
    );
    assert.equal(
      (await api.inject({ method: 'POST', url: '/api/v1/rules', headers: oper, payload: rule })).statusCode,
      201,
    );
    // Creating the same id at once from several requests: one is created, the others are told it exists.
    const racing = { ...rule, id: 'raced' };
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.inject({ method: 'POST', url: '/api/v1/rules', headers: oper, payload: racing }),
      ),
    );
    assert.deepEqual(statuses.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409]);
    assert.match(statuses.find((r) => r.statusCode === 409)!.json().error.message, /rule "raced" exists/);
    const window = { id: 'mw', devices: { ids: ['r1'] }, cron: '0 2 * * 0', durationM: 60 };
    const windows = await Promise.all(
      Array.from({ length: 3 }, () =>
        api.inject({ method: 'POST', url: '/api/v1/maintenance', headers: oper, payload: window }),
      ),
    );
    assert.deepEqual(windows.map((r) => r.statusCode).sort(), [201, 409, 409]);
    await store.writeSamples([
      { kind: 'sample', deviceId: 'r1', metric: 'cpu.load.pct', labels: {}, ts: clock.now() - 60_000, value: 90 },
    ]);
    const dry = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/cpu/dry-run',
      headers: oper,
      payload: { hours: 1 },
    });
    assert.equal(dry.json().events.length, 1);
    assert.ok(
      (await api.inject({ method: 'GET', url: '/api/v1/rules', headers: viewer }))
        .json()
        .rules.some((r: { id: string }) => r.id === 'cpu'),
    );

    const mw = await api.inject({
      method: 'POST',
      url: '/api/v1/maintenance',
      headers: oper,
      payload: { id: 'm', devices: { ids: ['r1'] }, cron: 'not a cron', durationM: 5 },
    });
    assert.equal(mw.statusCode, 400);
    assert.match(mw.json().error.message, /cron/);

    const ch = {
      id: 'hook',
      type: 'webhook',
      url: 'https://hooks.example.com/T1/secret-token',
      hmacSecret: 'hmac-xyz',
      headers: { Authorization: 'Bearer abc' },
    };
    assert.equal(
      (await api.inject({ method: 'POST', url: '/api/v1/notifications/channels', headers: oper, payload: ch }))
        .statusCode,
      403,
      'channels need admin',
    );
    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/notifications/channels',
      headers: admin,
      payload: ch,
    });
    assert.equal(created.statusCode, 201);
    const listed = (await api.inject({ method: 'GET', url: '/api/v1/notifications/channels', headers: admin })).body;
    assert.ok(
      !listed.includes('secret-token') && !listed.includes('hmac-xyz') && !listed.includes('Bearer abc'),
      listed,
    );
    // Editing with the masks sent back keeps the secrets.
    const shown = JSON.parse(listed).channels[0];
    assert.equal(
      (
        await api.inject({
          method: 'PUT',
          url: '/api/v1/notifications/channels/hook',
          headers: admin,
          payload: { ...shown, origin: undefined, name: 'renamed' },
        })
      ).statusCode,
      200,
    );
    assert.equal((await store.getChannel('hook'))!.url, ch.url);
    assert.equal((await store.getChannel('hook'))!.name, 'renamed');

    for (let i = 0; i < 5; i++)
      await engine.raise({
        action: 'raise',
        dedupKey: `k${i}`,
        source: 'threshold',
        ts: clock.now() + i,
        severity: 'minor',
        summary: `e${i}`,
      });
    const p1 = (
      await api.inject({ method: 'GET', url: '/api/v1/events?limit=2&state=active', headers: viewer })
    ).json();
    const p2 = (
      await api.inject({
        method: 'GET',
        url: `/api/v1/events?limit=2&state=active&cursor=${p1.nextCursor}`,
        headers: viewer,
      })
    ).json();
    assert.deepEqual(
      [...p1.events, ...p2.events].map((e: { summary: string }) => e.summary),
      ['e4', 'e3', 'e2', 'e1'],
    );
    assert.equal(
      (await api.inject({ method: 'POST', url: `/api/v1/events/${p1.events[0].id}/ack`, headers: viewer, payload: {} }))
        .statusCode,
      403,
    );
    assert.equal(
      (await api.inject({ method: 'POST', url: '/api/v1/events/nope/close', headers: oper, payload: {} })).statusCode,
      404,
    );
  } finally {
    await engine.stop();
    await api.close();
    await store.close();
  }
});
