/** Events: replace by id, the console's list (filters, order, cursor), replays, history, pruning. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventQuery, VigilEvent } from '../../model/events.ts';
import { isVigilError } from '../../model/errors.ts';
import type { Store } from '../types.ts';
import { event, eventPage, sorted, T0, walk, type ContractSuite } from './helpers.ts';

const ids = (events: VigilEvent[]) => events.map((e) => e.id);
const listed = async (s: Store, q: EventQuery = {}) => ids((await s.listEvents({ limit: 1000, ...q })).events);

/** A small console: open, acknowledged and cleared events of two devices, an incident with two children. */
async function consoleStore(fresh: () => Promise<Store>): Promise<Store> {
  const s = await fresh();
  await s.saveEvents([
    event('a', { deviceId: 'sw1', source: 'icmp', severity: 'critical', firstSeen: T0, lastSeen: T0 + 50 }),
    event('b', {
      deviceId: 'sw1',
      source: 'snmp',
      severity: 'minor',
      state: 'acknowledged',
      firstSeen: T0 + 10,
      lastSeen: T0 + 40,
      incidentId: 'inc',
    }),
    event('c', {
      deviceId: 'sw2',
      source: 'snmp',
      severity: 'warning',
      state: 'cleared',
      clearedTs: T0 + 31,
      firstSeen: T0 + 20,
      lastSeen: T0 + 30,
      incidentId: 'inc',
    }),
    event('d', { source: 'syslog', severity: 'info', firstSeen: T0 + 5, lastSeen: T0 + 20 }),
    event('inc', { source: 'incident', severity: 'major', firstSeen: T0 + 10, lastSeen: T0 + 45 }),
  ]);
  return s;
}

export const eventsContract: ContractSuite = (fresh) => {
  test('events: every field comes back as saved; getEvents skips unknown ids', async () => {
    const s = await fresh();
    const full = event('e1', {
      deviceId: 'sw1',
      component: 'Gi0/1',
      source: 'correlation',
      severity: 'critical',
      state: 'acknowledged',
      count: 7,
      details: { nested: { list: [1, 'two', null] }, 장애: 'ü' },
      causes: ['x', 'y'],
      partOf: ['z'],
      incidentId: 'inc-1',
      ruleId: 'r1',
      inMaintenance: true,
      suppressed: 'dependency:e0',
      dependsOn: 'core',
      acknowledgedBy: 'alice',
      acknowledgedTs: T0 + 5,
      expiresTs: T0 + 60_000,
    });
    const cleared = event('e2', { state: 'cleared', clearedTs: T0 + 9, clearReason: 'timeout' });
    await s.saveEvents([full, cleared]);
    assert.deepEqual(await s.getEvent('e1'), full);
    assert.deepEqual(await s.getEvent('e2'), cleared);
    assert.equal(await s.getEvent('nope'), undefined);
    assert.deepEqual(sorted(ids(await s.getEvents(['e2', 'nope', 'e1']))), ['e1', 'e2']);
    assert.deepEqual(await s.getEvents([]), []);
    await s.saveEvents([]);
  });

  test('events: saving an id again replaces the event, and the filters follow what it says now', async () => {
    const s = await fresh();
    const first = event('e', {
      deviceId: 'old',
      source: 'snmp',
      severity: 'minor',
      firstSeen: T0 + 100,
      lastSeen: T0 + 100,
      incidentId: 'inc',
      details: { a: 1 },
    });
    await s.saveEvents([first]);
    await s.saveEvents([first]);
    const { incidentId: _i, details: _d, ...rest } = first;
    const next: VigilEvent = {
      ...rest,
      dedupKey: 'k2',
      deviceId: 'new',
      source: 'trap',
      severity: 'critical',
      state: 'cleared',
      clearedTs: T0 + 300,
      firstSeen: T0 + 50,
      lastSeen: T0 + 200,
      count: 2,
    };
    await s.saveEvents([next]);
    assert.deepEqual(await s.getEvent('e'), next, 'fields the new one leaves out are gone');
    assert.deepEqual(await listed(s), ['e']);
    assert.deepEqual(await listed(s, { deviceId: 'new' }), ['e']);
    assert.deepEqual(await listed(s, { deviceId: 'old' }), []);
    assert.deepEqual(await listed(s, { source: 'trap', severity: 'critical', state: 'cleared' }), ['e']);
    assert.deepEqual(await listed(s, { incidentId: 'inc' }), []);
    assert.deepEqual(await listed(s, { topLevel: true }), ['e']);
    assert.deepEqual(await listed(s, { to: T0 + 60 }), ['e'], 'firstSeen moved earlier');
    assert.deepEqual(ids(await s.eventsBetween(T0, T0 + 60)), ['e']);
    assert.deepEqual(await listed(s, { from: T0 + 150 }), ['e']);
    assert.equal(await s.pruneEvents(T0 + 301), 1, 'the cleared time counts');
  });

  test('listEvents: newest first by last seen, ties by id (highest first); 100 by default, at most 1000', async () => {
    const s = await fresh();
    await s.saveEvents([
      event('b', { lastSeen: T0 + 1 }),
      event('a', { lastSeen: T0 + 2 }),
      event('c', { lastSeen: T0 + 1 }),
      event('d', { lastSeen: T0 }),
    ]);
    assert.deepEqual(await listed(s), ['a', 'c', 'b', 'd']);
    await s.saveEvents(
      Array.from({ length: 1001 }, (_, i) => event(`bulk-${String(i).padStart(4, '0')}`, { lastSeen: T0 - 1 - i })),
    );
    assert.equal((await s.listEvents()).events.length, 100);
    const big = await s.listEvents({ limit: 5000 });
    assert.equal(big.events.length, 1000);
    assert.ok(big.nextCursor);
    assert.deepEqual(ids((await s.listEvents({ cursor: big.nextCursor, limit: 1000 })).events), [
      'bulk-0996',
      'bulk-0997',
      'bulk-0998',
      'bulk-0999',
      'bulk-1000',
    ]);
  });

  test('listEvents filters: states, severity and worse, source, device, incident children, top level, last seen from, first seen to', async () => {
    const s = await consoleStore(fresh);
    assert.deepEqual(await listed(s), ['a', 'inc', 'b', 'c', 'd']);
    assert.deepEqual(await listed(s, { state: 'open' }), ['a', 'inc', 'd']);
    assert.deepEqual(await listed(s, { state: ['open', 'acknowledged'] }), ['a', 'inc', 'b', 'd']);
    assert.deepEqual(await listed(s, { state: [] }), ['a', 'inc', 'b', 'c', 'd'], 'no state given: every state');
    assert.deepEqual(await listed(s, { severity: 'major' }), ['a', 'inc']);
    assert.deepEqual(await listed(s, { severity: 'info' }), ['a', 'inc', 'b', 'c', 'd']);
    assert.deepEqual(await listed(s, { source: 'snmp' }), ['b', 'c']);
    assert.deepEqual(await listed(s, { deviceId: 'sw1' }), ['a', 'b']);
    assert.deepEqual(await listed(s, { incidentId: 'inc' }), ['b', 'c']);
    assert.deepEqual(await listed(s, { topLevel: true }), ['a', 'inc', 'd']);
    assert.deepEqual(await listed(s, { topLevel: true, state: 'open', severity: 'major' }), ['a', 'inc']);
    assert.deepEqual(await listed(s, { from: T0 + 40 }), ['a', 'inc', 'b'], 'last seen at or after');
    assert.deepEqual(await listed(s, { to: T0 + 10 }), ['a', 'inc', 'b', 'd'], 'first seen at or before');
    assert.deepEqual(await listed(s, { from: T0 + 21, to: T0 + 19 }), ['a', 'inc', 'b'], 'overlapping [from, to]');
    assert.deepEqual(await listed(s, { deviceId: 'sw2', state: 'open' }), []);
  });

  test('listEvents pages: every event exactly once (ties included), also with filters; a cursor carries on past events raised meanwhile', async () => {
    const s = await fresh();
    // Groups of three events with the same last-seen time, so that pages break inside ties.
    await s.saveEvents(
      Array.from({ length: 30 }, (_, i) =>
        event(`e${String(i).padStart(2, '0')}`, {
          lastSeen: T0 + Math.floor(i / 3),
          severity: i % 2 ? 'critical' : 'info',
        }),
      ),
    );
    const want = ids((await s.listEvents({ limit: 1000 })).events);
    assert.equal(want.length, 30);
    let n = 0;
    const seen = await walk(async (cursor) => {
      if (cursor) await s.saveEvents([event(`new${n++}`, { lastSeen: T0 + 1000 })]);
      const p = await s.listEvents({ limit: 4, cursor });
      if (p.nextCursor) assert.equal(p.events.length, 4);
      return eventPage(p);
    }, 4);
    assert.deepEqual(ids(seen), want);
    const critical = await walk(
      async (cursor) => eventPage(await s.listEvents({ severity: 'critical', limit: 2, cursor })),
      2,
    );
    assert.deepEqual(
      ids(critical),
      want.filter((id) => Number(id.slice(1)) % 2),
    );
  });

  test('listEvents: a cursor this store did not hand out is a bad request', async () => {
    const s = await consoleStore(fresh);
    await assert.rejects(
      () => s.listEvents({ cursor: 'garbage' }),
      (e: unknown) => isVigilError(e) && e.code === 'VIGIL_BAD_REQUEST',
    );
  });

  test('listActiveEvents: open and acknowledged, never cleared', async () => {
    const s = await consoleStore(fresh);
    assert.deepEqual(sorted(ids(await s.listActiveEvents())), ['a', 'b', 'd', 'inc']);
  });

  test('eventsBetween: events seen in [from, to] (both ends inclusive), oldest first by first seen, limited', async () => {
    const s = await consoleStore(fresh);
    const between = await s.eventsBetween(T0, T0 + 100);
    // b and inc were first seen at the same time: their order is left open.
    assert.deepEqual(
      between.map((e) => e.firstSeen),
      [T0, T0 + 5, T0 + 10, T0 + 10, T0 + 20],
    );
    assert.deepEqual(sorted(ids(between)), ['a', 'b', 'c', 'd', 'inc']);
    assert.deepEqual(
      sorted(ids(await s.eventsBetween(T0 + 30, T0 + 30))),
      ['a', 'b', 'c', 'inc'],
      'c ends at 30, a b inc span it',
    );
    assert.deepEqual(sorted(ids(await s.eventsBetween(T0 + 46, T0 + 49))), ['a']);
    assert.deepEqual(ids(await s.eventsBetween(T0 - 10, T0 - 1)), []);
    assert.deepEqual(ids(await s.eventsBetween(T0 + 51, T0 + 99)), []);
    assert.deepEqual(ids(await s.eventsBetween(T0, T0 + 100, 2)), ['a', 'd']);
  });

  test('history: in the order appended (not by time), each event its own; details and comments kept', async () => {
    const s = await fresh();
    await s.saveEvents([event('e1'), event('e2')]);
    await s.appendEventHistory([
      { eventId: 'e1', ts: T0 + 5, actor: 'system', action: 'opened' },
      { eventId: 'e2', ts: T0 + 1, actor: 'system', action: 'opened' },
      {
        eventId: 'e1',
        ts: T0 + 5,
        actor: 'alice',
        action: 'acknowledged',
        comment: 'on it',
        details: { via: 'api', 장애: [1] },
      },
    ]);
    await s.appendEventHistory([{ eventId: 'e1', ts: T0 + 2, actor: 'system', action: 'notified' }]);
    await s.appendEventHistory([]);
    assert.deepEqual(await s.eventHistory('e1'), [
      { eventId: 'e1', ts: T0 + 5, actor: 'system', action: 'opened' },
      {
        eventId: 'e1',
        ts: T0 + 5,
        actor: 'alice',
        action: 'acknowledged',
        comment: 'on it',
        details: { via: 'api', 장애: [1] },
      },
      { eventId: 'e1', ts: T0 + 2, actor: 'system', action: 'notified' },
    ]);
    assert.deepEqual(
      (await s.eventHistory('e2')).map((h) => h.action),
      ['opened'],
    );
    assert.deepEqual(await s.eventHistory('nope'), []);
  });

  test('pruneEvents: removes cleared events cleared before the time, with their history; one cleared exactly then, and active ones, stay', async () => {
    const s = await fresh();
    await s.saveEvents([
      event('old', { state: 'cleared', firstSeen: T0 - 1000, lastSeen: T0 - 900, clearedTs: T0 - 1 }),
      event('edge', { state: 'cleared', firstSeen: T0 - 1000, lastSeen: T0 - 900, clearedTs: T0 }),
      event('ancient-open', { firstSeen: T0 - 10_000, lastSeen: T0 - 10_000 }),
      event('ancient-ack', { state: 'acknowledged', firstSeen: T0 - 10_000, lastSeen: T0 - 10_000 }),
    ]);
    await s.appendEventHistory([
      { eventId: 'old', ts: T0 - 1000, actor: 'system', action: 'opened' },
      { eventId: 'edge', ts: T0 - 1000, actor: 'system', action: 'opened' },
    ]);
    assert.equal(await s.pruneEvents(T0), 1);
    assert.equal(await s.getEvent('old'), undefined);
    assert.deepEqual(await s.eventHistory('old'), []);
    assert.deepEqual(sorted(await listed(s)), ['ancient-ack', 'ancient-open', 'edge']);
    assert.equal((await s.eventHistory('edge')).length, 1);
    assert.equal(await s.pruneEvents(T0), 0);
    assert.equal(await s.pruneEvents(T0 + 1), 1);
  });
};
