/**
 * What outlives one Store object: data across a restart, two stores open on the same directory at once (each sees
 * what the other wrote, as several Vigil processes sharing one database will), cursors that work on any of them,
 * and transactions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../types.ts';
import { device, event, eventPage, log, logPage, T0, trap, walk, type ContractSuite } from './helpers.ts';

/** One write in every domain. */
async function writeEverything(s: Store, tag: string): Promise<void> {
  await s.putDevice(device(`dev-${tag}`));
  await s.applyDeviceStates([{ kind: 'device-state', deviceId: `dev-${tag}`, ts: T0, icmp: { up: true, lossPct: 0 } }]);
  await s.applyInterfaceStates([
    { kind: 'interface-state', deviceId: `dev-${tag}`, ts: T0, ifIndex: 1, name: 'Gi0/1', operStatus: 1 },
  ]);
  await s.applyInterfaceStates([
    { kind: 'interface-state', deviceId: `dev-${tag}`, ts: T0 + 1, ifIndex: 1, name: 'Gi0/1', operStatus: 2 },
  ]);
  await s.writeSamples([
    { kind: 'sample', deviceId: `dev-${tag}`, metric: 'm', labels: { i: '1' }, ts: T0, value: 42 },
  ]);
  await s.writeLogs([log(1, { message: `written by ${tag}` })]);
  await s.writeTraps([trap(1, { deviceId: `dev-${tag}` })]);
  await s.saveEvents([event(`ev-${tag}`, { deviceId: `dev-${tag}` })]);
  await s.appendEventHistory([{ eventId: `ev-${tag}`, ts: T0, actor: 'system', action: 'opened' }]);
  await s.putRule({ id: `rule-${tag}`, kind: 'syslog', match: 'x' }, T0);
  await s.putMaintenance({ id: `mw-${tag}`, devices: {}, start: T0, end: T0 + 1 });
  await s.putChannel({ id: `ch-${tag}`, type: 'webhook', url: 'https://example.net' });
  await s.putRoute({ id: `route-${tag}`, channels: [`ch-${tag}`] });
  await s.logDelivery({
    ts: T0,
    channelId: `ch-${tag}`,
    channelType: 'webhook',
    kind: 'raise',
    eventIds: [`ev-${tag}`],
    attempt: 1,
    ok: true,
    durationMs: 1,
  });
  await s.createUser(
    { id: `user-${tag}`, name: `user-${tag}`, role: 'viewer', createdTs: T0, updatedTs: T0 },
    `pw-${tag}`,
  );
  await s.createSession({
    hash: `session-${tag}`,
    userId: `user-${tag}`,
    createdTs: T0,
    expiresTs: T0 + 1,
    lastSeenTs: T0,
  });
  await s.createToken({ id: `token-${tag}`, name: tag, role: 'viewer', createdTs: T0 }, `token-hash-${tag}`);
  await s.audit({ ts: T0, actor: tag, action: 'test' });
  await s.setKv(`kv-${tag}`, { tag });
}

/** Whether `s` sees every write `writeEverything(…, tag)` made. */
async function seesEverything(s: Store, tag: string): Promise<void> {
  assert.equal((await s.getDevice(`dev-${tag}`))?.id, `dev-${tag}`);
  assert.equal((await s.getStatus(`dev-${tag}`))?.icmpUp, true);
  assert.equal((await s.listInterfaces(`dev-${tag}`))[0]?.operStatus, 2);
  assert.equal((await s.listInterfaceChanges(`dev-${tag}`)).length, 1);
  assert.ok((await s.listInterfaceStatuses()).some((r) => r.deviceId === `dev-${tag}` && r.seenUp));
  assert.equal((await s.latest('m', `dev-${tag}`))[0]?.value, 42);
  assert.equal(
    (await s.querySeries({ deviceId: `dev-${tag}`, metric: 'm', from: T0, to: T0 + 1, tier: '5m' }))[0]?.points.length,
    1,
  );
  assert.equal((await s.queryLogs({ q: `"by ${tag}"` })).logs.length, 1, 'found by search');
  assert.equal((await s.listTraps({ deviceId: `dev-${tag}` })).items.length, 1);
  assert.equal((await s.getEvent(`ev-${tag}`))?.deviceId, `dev-${tag}`);
  assert.equal((await s.eventHistory(`ev-${tag}`)).length, 1);
  assert.ok((await s.listActiveEvents()).some((e) => e.id === `ev-${tag}`));
  assert.equal((await s.getRule(`rule-${tag}`))?.kind, 'syslog');
  assert.equal((await s.getMaintenance(`mw-${tag}`))?.id, `mw-${tag}`);
  assert.equal((await s.getChannel(`ch-${tag}`))?.type, 'webhook');
  assert.equal((await s.getRoute(`route-${tag}`))?.id, `route-${tag}`);
  assert.equal((await s.listDeliveries({ channelId: `ch-${tag}` })).length, 1);
  assert.equal(await s.getPasswordHash(`user-${tag}`), `pw-${tag}`);
  assert.equal((await s.getSession(`session-${tag}`))?.userId, `user-${tag}`);
  assert.equal((await s.findTokenByHash(`token-hash-${tag}`))?.id, `token-${tag}`);
  assert.ok((await s.listAudit()).some((e) => e.actor === tag));
  assert.deepEqual(await s.getKv(`kv-${tag}`), { tag });
}

export const sharingContract: ContractSuite = (fresh, open, tempDir) => {
  test('what was stored survives a restart', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await a.putDevice(device('keep'));
    await a.writeSamples([{ kind: 'sample', deviceId: 'keep', metric: 'm', labels: {}, ts: T0, value: 42 }]);
    await a.close();
    const b = await open(dir);
    assert.equal((await b.getDevice('keep'))?.id, 'keep');
    assert.equal((await b.latest('m'))[0].value, 42);
  });

  test('every domain survives a restart', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await writeEverything(a, 'a');
    await a.close();
    await seesEverything(await open(dir), 'a');
  });

  test('two stores on one directory: each sees, at once, every kind of write the other made', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir);
    await writeEverything(a, 'a');
    await seesEverything(b, 'a');
    await writeEverything(b, 'b');
    await seesEverything(a, 'b');
    assert.equal(await a.countUsers(), 2);
    assert.equal((await b.listDevices()).length, 2);
  });

  test('two stores writing by turns: one series per labels (no duplicate series), every line in arrival order, ids never shared', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir);
    for (let i = 0; i < 10; i++) {
      const s = i % 2 ? b : a;
      await s.writeSamples([
        { kind: 'sample', deviceId: 'd', metric: 'm', labels: { ifIndex: '1' }, ts: T0 + i * 60_000, value: i },
      ]);
      await s.writeLogs([log(i, { message: `turn ${i}` })]);
      await s.writeTraps([trap(i)]);
      await s.audit({ ts: T0 + i, actor: `turn ${i}`, action: 'x' });
      await s.logDelivery({
        ts: T0 + i,
        channelId: 'c',
        channelType: 'webhook',
        kind: 'raise',
        eventIds: [`turn ${i}`],
        attempt: 1,
        ok: true,
        durationMs: 1,
      });
    }
    for (const s of [a, b]) {
      const series = await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 3_600_000, tier: 'raw' });
      assert.equal(series.length, 1);
      assert.deepEqual(
        series[0].points.map((p) => p.value),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.deepEqual(
        (await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 3_600_000, tier: '5m' }))[0].points.map(
          (p) => p.max,
        ),
        [4, 9],
      );
      assert.equal((await s.latest('m')).length, 1);
      const turns = Array.from({ length: 10 }, (_, i) => `turn ${9 - i}`);
      const logs = (await s.queryLogs({ q: 'turn' })).logs;
      assert.deepEqual(
        logs.map((l) => l.message),
        turns,
      );
      assert.equal(new Set(logs.map((l) => l.id)).size, 10);
      assert.deepEqual(
        (await s.listTraps()).items.map((t) => t.varbinds[0].value),
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
      );
      assert.deepEqual(
        (await s.listAudit()).map((e) => e.actor),
        turns,
      );
      assert.deepEqual(
        (await s.listDeliveries()).map((d) => d.eventIds[0]),
        turns,
      );
      assert.equal((await s.logStats()).count, 10);
    }
  });

  test('a cursor handed out by one store carries on in another open on the same data, and after a restart', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir);
    await a.writeLogs(Array.from({ length: 9 }, (_, i) => log(i, { message: `line ${i}` })));
    await a.writeTraps(Array.from({ length: 9 }, (_, i) => trap(i)));
    await a.saveEvents(Array.from({ length: 9 }, (_, i) => event(`e${i}`, { lastSeen: T0 + i })));
    const stores = [a, b];
    let turn = 0;
    const next = () => stores[turn++ % 2];
    const logs = await walk(async (cursor) => logPage(await next().queryLogs({ limit: 2, cursor })), 2);
    assert.deepEqual(
      logs.map((l) => l.message),
      Array.from({ length: 9 }, (_, i) => `line ${8 - i}`),
    );
    const traps = await walk((cursor) => next().listTraps({ limit: 2, cursor }), 2);
    assert.deepEqual(
      traps.map((t) => t.varbinds[0].value),
      [8, 7, 6, 5, 4, 3, 2, 1, 0],
    );
    const events = await walk(async (cursor) => eventPage(await next().listEvents({ limit: 2, cursor })), 2);
    assert.deepEqual(
      events.map((e) => e.id),
      ['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0'],
    );
    const cursor = (await a.queryLogs({ limit: 4 })).nextCursor;
    await a.close();
    await b.close();
    const rest = (await (await open(dir)).queryLogs({ limit: 100, cursor })).logs;
    assert.deepEqual(
      rest.map((l) => l.message),
      ['line 4', 'line 3', 'line 2', 'line 1', 'line 0'],
    );
  });

  test('transactions: the result is handed back; a throw undoes every write inside, in every domain, and is rethrown', async () => {
    const s = await fresh();
    assert.equal(await s.transaction(async () => 7), 7);
    await assert.rejects(
      s.transaction(async (tx) => {
        await writeEverything(tx, 'x');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.getDevice('dev-x'), undefined);
    assert.deepEqual((await s.queryLogs({})).logs, []);
    assert.equal((await s.queryLogs({ q: 'written' })).logs.length, 0);
    assert.equal(await s.countTraps(), 0);
    assert.deepEqual(await s.latest('m'), []);
    assert.equal(await s.getEvent('ev-x'), undefined);
    assert.equal(await s.countUsers(), 0);
    assert.deepEqual(await s.listAudit(), []);
    assert.equal(await s.getKv('kv-x'), undefined);
    assert.deepEqual(await s.logStats(), { count: 0, bytes: 0 });
    await writeEverything(s, 'x');
    await seesEverything(s, 'x');
  });

  test('transactions: inside one, its own writes are seen through it, in every domain', async () => {
    const s = await fresh();
    await s.transaction(async (tx) => {
      await writeEverything(tx, 'x');
      await seesEverything(tx, 'x');
    });
    await seesEverything(s, 'x');
  });

  test('transactions: what an undone transaction read or cached does not outlive it (series, search)', async () => {
    const s = await fresh();
    await s.writeLogs([log(1, { message: 'link down on Gi0/1' })]);
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '1' }, ts: T0, value: 1 }]);
        assert.equal((await tx.queryLogs({ q: '"link down"' })).logs.length, 1);
        throw new Error('undone');
      }),
      /undone/,
    );
    // A new series after the undone one must not share its id, nor the undone one's samples go missing.
    await s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '2' }, ts: T0, value: 2 }]);
    await s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '1' }, ts: T0, value: 1 }]);
    const series = await s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0, tier: 'raw' });
    assert.deepEqual(series.map((x) => [x.labels.a, x.points.map((p) => p.value)]).sort(), [
      ['1', [1]],
      ['2', [2]],
    ]);
    assert.equal((await s.latest('m')).length, 2);
    assert.equal((await s.queryLogs({ q: '"link down"' })).logs.length, 1);
  });

  test('transactions: one inside another joins it: commits with it, and is undone with it', async () => {
    const s = await fresh();
    await s.transaction(async (tx) => {
      await tx.setKv('outer', 1);
      await tx.transaction((inner) => inner.setKv('inner', 1));
    });
    assert.deepEqual([await s.getKv('outer'), await s.getKv('inner')], [1, 1]);
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.transaction((inner) => inner.setKv('inner', 2));
        assert.equal(await tx.getKv('inner'), 2, 'the outer one sees what the inner one wrote');
        throw new Error('after the inner one');
      }),
      /after the inner one/,
    );
    assert.equal(await s.getKv('inner'), 1);
  });

  // Whether the outer call waits (SQLite: one connection, so it must) or runs beside on another connection
  // (PostgreSQL's pool) is the backend's; either way it is not part of the transaction and survives its rollback.
  test('transactions: a call on the store while one is open is not part of it and survives its rollback', async () => {
    const s = await fresh();
    let outside: Promise<void> | undefined;
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.setKv('inside', 1);
        outside = s.setKv('outside', 1);
        // Give the outer call every chance to run (timers, I/O) while the transaction is open and awaiting.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('undone');
      }),
      /undone/,
    );
    await outside;
    assert.equal(await s.getKv('inside'), undefined, 'the transaction was undone');
    assert.equal(await s.getKv('outside'), 1, 'the outer write was not part of it, so it stays');
  });

  test('transactions: another store on the same data sees the writes when they commit, not before', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir);
    await a.transaction(async (tx) => {
      await tx.putDevice(device('pending'));
      await tx.writeLogs([log(1, { message: 'pending line' })]);
      assert.equal(await b.getDevice('pending'), undefined);
      assert.equal((await b.queryLogs({ q: 'pending' })).logs.length, 0);
    });
    assert.equal((await b.getDevice('pending'))?.id, 'pending');
    assert.equal((await b.queryLogs({ q: 'pending' })).logs.length, 1);
  });

  test('closing a store twice is harmless', async () => {
    const s = await fresh();
    await s.close();
    await s.close();
  });
};
