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
function writeEverything(s: Store, tag: string): void {
  s.putDevice(device(`dev-${tag}`));
  s.applyDeviceStates([{ kind: 'device-state', deviceId: `dev-${tag}`, ts: T0, icmp: { up: true, lossPct: 0 } }]);
  s.applyInterfaceStates([
    { kind: 'interface-state', deviceId: `dev-${tag}`, ts: T0, ifIndex: 1, name: 'Gi0/1', operStatus: 1 },
  ]);
  s.applyInterfaceStates([
    { kind: 'interface-state', deviceId: `dev-${tag}`, ts: T0 + 1, ifIndex: 1, name: 'Gi0/1', operStatus: 2 },
  ]);
  s.writeSamples([{ kind: 'sample', deviceId: `dev-${tag}`, metric: 'm', labels: { i: '1' }, ts: T0, value: 42 }]);
  s.writeLogs([log(1, { message: `written by ${tag}` })]);
  s.writeTraps([trap(1, { deviceId: `dev-${tag}` })]);
  s.saveEvents([event(`ev-${tag}`, { deviceId: `dev-${tag}` })]);
  s.appendEventHistory([{ eventId: `ev-${tag}`, ts: T0, actor: 'system', action: 'opened' }]);
  s.putRule({ id: `rule-${tag}`, kind: 'syslog', match: 'x' }, T0);
  s.putMaintenance({ id: `mw-${tag}`, devices: {}, start: T0, end: T0 + 1 });
  s.putChannel({ id: `ch-${tag}`, type: 'webhook', url: 'https://example.net' });
  s.putRoute({ id: `route-${tag}`, channels: [`ch-${tag}`] });
  s.logDelivery({
    ts: T0,
    channelId: `ch-${tag}`,
    channelType: 'webhook',
    kind: 'raise',
    eventIds: [`ev-${tag}`],
    attempt: 1,
    ok: true,
    durationMs: 1,
  });
  s.createUser({ id: `user-${tag}`, name: `user-${tag}`, role: 'viewer', createdTs: T0, updatedTs: T0 }, `pw-${tag}`);
  s.createSession({ hash: `session-${tag}`, userId: `user-${tag}`, createdTs: T0, expiresTs: T0 + 1, lastSeenTs: T0 });
  s.createToken({ id: `token-${tag}`, name: tag, role: 'viewer', createdTs: T0 }, `token-hash-${tag}`);
  s.audit({ ts: T0, actor: tag, action: 'test' });
  s.setKv(`kv-${tag}`, { tag });
}

/** Whether `s` sees every write `writeEverything(…, tag)` made. */
function seesEverything(s: Store, tag: string): void {
  assert.equal(s.getDevice(`dev-${tag}`)?.id, `dev-${tag}`);
  assert.equal(s.getStatus(`dev-${tag}`)?.icmpUp, true);
  assert.equal(s.listInterfaces(`dev-${tag}`)[0]?.operStatus, 2);
  assert.equal(s.listInterfaceChanges(`dev-${tag}`).length, 1);
  assert.ok(s.listInterfaceStatuses().some((r) => r.deviceId === `dev-${tag}` && r.seenUp));
  assert.equal(s.latest('m', `dev-${tag}`)[0]?.value, 42);
  assert.equal(
    s.querySeries({ deviceId: `dev-${tag}`, metric: 'm', from: T0, to: T0 + 1, tier: '5m' })[0]?.points.length,
    1,
  );
  assert.equal(s.queryLogs({ q: `"by ${tag}"` }).logs.length, 1, 'found by search');
  assert.equal(s.listTraps({ deviceId: `dev-${tag}` }).items.length, 1);
  assert.equal(s.getEvent(`ev-${tag}`)?.deviceId, `dev-${tag}`);
  assert.equal(s.eventHistory(`ev-${tag}`).length, 1);
  assert.ok(s.listActiveEvents().some((e) => e.id === `ev-${tag}`));
  assert.equal(s.getRule(`rule-${tag}`)?.kind, 'syslog');
  assert.equal(s.getMaintenance(`mw-${tag}`)?.id, `mw-${tag}`);
  assert.equal(s.getChannel(`ch-${tag}`)?.type, 'webhook');
  assert.equal(s.getRoute(`route-${tag}`)?.id, `route-${tag}`);
  assert.equal(s.listDeliveries({ channelId: `ch-${tag}` }).length, 1);
  assert.equal(s.getPasswordHash(`user-${tag}`), `pw-${tag}`);
  assert.equal(s.getSession(`session-${tag}`)?.userId, `user-${tag}`);
  assert.equal(s.findTokenByHash(`token-hash-${tag}`)?.id, `token-${tag}`);
  assert.ok(s.listAudit().some((e) => e.actor === tag));
  assert.deepEqual(s.getKv(`kv-${tag}`), { tag });
}

export const sharingContract: ContractSuite = (fresh, open, tempDir) => {
  test('what was stored survives a restart', () => {
    const dir = tempDir();
    const a = open(dir);
    a.putDevice(device('keep'));
    a.writeSamples([{ kind: 'sample', deviceId: 'keep', metric: 'm', labels: {}, ts: T0, value: 42 }]);
    a.close();
    const b = open(dir);
    assert.equal(b.getDevice('keep')?.id, 'keep');
    assert.equal(b.latest('m')[0].value, 42);
  });

  test('every domain survives a restart', () => {
    const dir = tempDir();
    const a = open(dir);
    writeEverything(a, 'a');
    a.close();
    seesEverything(open(dir), 'a');
  });

  test('two stores on one directory: each sees, at once, every kind of write the other made', () => {
    const dir = tempDir();
    const a = open(dir);
    const b = open(dir);
    writeEverything(a, 'a');
    seesEverything(b, 'a');
    writeEverything(b, 'b');
    seesEverything(a, 'b');
    assert.equal(a.countUsers(), 2);
    assert.equal(b.listDevices().length, 2);
  });

  test('two stores writing by turns: one series per labels (no duplicate series), every line in arrival order, ids never shared', () => {
    const dir = tempDir();
    const a = open(dir);
    const b = open(dir);
    for (let i = 0; i < 10; i++) {
      const s = i % 2 ? b : a;
      s.writeSamples([
        { kind: 'sample', deviceId: 'd', metric: 'm', labels: { ifIndex: '1' }, ts: T0 + i * 60_000, value: i },
      ]);
      s.writeLogs([log(i, { message: `turn ${i}` })]);
      s.writeTraps([trap(i)]);
      s.audit({ ts: T0 + i, actor: `turn ${i}`, action: 'x' });
      s.logDelivery({
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
      const series = s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 3_600_000, tier: 'raw' });
      assert.equal(series.length, 1);
      assert.deepEqual(
        series[0].points.map((p) => p.value),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.deepEqual(
        s
          .querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0 + 3_600_000, tier: '5m' })[0]
          .points.map((p) => p.max),
        [4, 9],
      );
      assert.equal(s.latest('m').length, 1);
      const turns = Array.from({ length: 10 }, (_, i) => `turn ${9 - i}`);
      const logs = s.queryLogs({ q: 'turn' }).logs;
      assert.deepEqual(
        logs.map((l) => l.message),
        turns,
      );
      assert.equal(new Set(logs.map((l) => l.id)).size, 10);
      assert.deepEqual(
        s.listTraps().items.map((t) => t.varbinds[0].value),
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
      );
      assert.deepEqual(
        s.listAudit().map((e) => e.actor),
        turns,
      );
      assert.deepEqual(
        s.listDeliveries().map((d) => d.eventIds[0]),
        turns,
      );
      assert.equal(s.logStats().count, 10);
    }
  });

  test('a cursor handed out by one store carries on in another open on the same data, and after a restart', () => {
    const dir = tempDir();
    const a = open(dir);
    const b = open(dir);
    a.writeLogs(Array.from({ length: 9 }, (_, i) => log(i, { message: `line ${i}` })));
    a.writeTraps(Array.from({ length: 9 }, (_, i) => trap(i)));
    a.saveEvents(Array.from({ length: 9 }, (_, i) => event(`e${i}`, { lastSeen: T0 + i })));
    const stores = [a, b];
    let turn = 0;
    const next = () => stores[turn++ % 2];
    const logs = walk((cursor) => logPage(next().queryLogs({ limit: 2, cursor })), 2);
    assert.deepEqual(
      logs.map((l) => l.message),
      Array.from({ length: 9 }, (_, i) => `line ${8 - i}`),
    );
    const traps = walk((cursor) => next().listTraps({ limit: 2, cursor }), 2);
    assert.deepEqual(
      traps.map((t) => t.varbinds[0].value),
      [8, 7, 6, 5, 4, 3, 2, 1, 0],
    );
    const events = walk((cursor) => eventPage(next().listEvents({ limit: 2, cursor })), 2);
    assert.deepEqual(
      events.map((e) => e.id),
      ['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0'],
    );
    const cursor = a.queryLogs({ limit: 4 }).nextCursor;
    a.close();
    b.close();
    const rest = open(dir).queryLogs({ limit: 100, cursor }).logs;
    assert.deepEqual(
      rest.map((l) => l.message),
      ['line 4', 'line 3', 'line 2', 'line 1', 'line 0'],
    );
  });

  test('transactions: the result is handed back; a throw undoes every write inside, in every domain, and is rethrown', () => {
    const s = fresh();
    assert.equal(
      s.transaction(() => 7),
      7,
    );
    assert.throws(
      () =>
        s.transaction(() => {
          writeEverything(s, 'x');
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(s.getDevice('dev-x'), undefined);
    assert.deepEqual(s.queryLogs({}).logs, []);
    assert.equal(s.queryLogs({ q: 'written' }).logs.length, 0);
    assert.equal(s.countTraps(), 0);
    assert.deepEqual(s.latest('m'), []);
    assert.equal(s.getEvent('ev-x'), undefined);
    assert.equal(s.countUsers(), 0);
    assert.deepEqual(s.listAudit(), []);
    assert.equal(s.getKv('kv-x'), undefined);
    assert.deepEqual(s.logStats(), { count: 0, bytes: 0 });
    writeEverything(s, 'x');
    seesEverything(s, 'x');
  });

  test('transactions: what an undone transaction read or cached does not outlive it (series, search)', () => {
    const s = fresh();
    s.writeLogs([log(1, { message: 'link down on Gi0/1' })]);
    assert.throws(() =>
      s.transaction(() => {
        s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '1' }, ts: T0, value: 1 }]);
        assert.equal(s.queryLogs({ q: '"link down"' }).logs.length, 1);
        throw new Error('undone');
      }),
    );
    // A new series after the undone one must not share its id, nor the undone one's samples go missing.
    s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '2' }, ts: T0, value: 2 }]);
    s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: { a: '1' }, ts: T0, value: 1 }]);
    const series = s.querySeries({ deviceId: 'd', metric: 'm', from: T0, to: T0, tier: 'raw' });
    assert.deepEqual(series.map((x) => [x.labels.a, x.points.map((p) => p.value)]).sort(), [
      ['1', [1]],
      ['2', [2]],
    ]);
    assert.equal(s.latest('m').length, 2);
    assert.equal(s.queryLogs({ q: '"link down"' }).logs.length, 1);
  });

  test('transactions: one inside another commits with it, and is undone with it', () => {
    const s = fresh();
    s.transaction(() => {
      s.setKv('outer', 1);
      s.transaction(() => s.setKv('inner', 1));
    });
    assert.deepEqual([s.getKv('outer'), s.getKv('inner')], [1, 1]);
    assert.throws(() =>
      s.transaction(() => {
        s.transaction(() => s.setKv('inner', 2));
        throw new Error('after the inner one');
      }),
    );
    assert.equal(s.getKv('inner'), 1);
  });

  test('transactions: another store on the same data sees the writes when they commit, not before', () => {
    const dir = tempDir();
    const a = open(dir);
    const b = open(dir);
    a.transaction(() => {
      a.putDevice(device('pending'));
      a.writeLogs([log(1, { message: 'pending line' })]);
      assert.equal(b.getDevice('pending'), undefined);
      assert.equal(b.queryLogs({ q: 'pending' }).logs.length, 0);
    });
    assert.equal(b.getDevice('pending')?.id, 'pending');
    assert.equal(b.queryLogs({ q: 'pending' }).logs.length, 1);
  });

  test('closing a store twice is harmless', () => {
    const s = fresh();
    s.close();
    s.close();
  });
};
