import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VigilEvent } from '../model/events.ts';
import { manualClock } from '../model/clock.ts';
import { silentLogger } from '../model/logger.ts';
import { notifyConfigSchema } from './config.ts';
import { createNotifier, type NotifierStore } from './notifier.ts';
import type { DeliveryAttempt } from '../model/notify-store.ts';
import type { NotificationMessage } from './types.ts';
import { testEvent as ev } from './test-events.ts';

const MIN = 60_000;

/** A notifier on a manual clock whose channels record what they are sent (no network). */
async function setup(notify: Record<string, unknown>) {
  const deliveries: DeliveryAttempt[] = [];
  const store: NotifierStore = {
    listChannels: async () => [],
    listRoutes: async () => [],
    logDelivery: async (d) => void deliveries.push(d),
  };
  const sent: { channel: string; message: NotificationMessage }[] = [];
  const clock = manualClock(Date.parse('2026-11-25T10:00:00Z'));
  const config = notifyConfigSchema.parse({ groupWindowS: 10, ...notify });
  const events = new Map<string, VigilEvent>();
  const notifier = await createNotifier({
    store,
    clock,
    log: silentLogger,
    config,
    device: () => undefined,
    driverFor: () => ({
      type: 'fake',
      send: async (c, message) => (sent.push({ channel: c.id, message }), { status: 204 }),
      secrets: () => [],
    }),
  });
  notifier.setEventLookup((id) => events.get(id));
  const raise = (e: VigilEvent) => (events.set(e.id, e), notifier.notify(e, 'raise'));
  const clear = (id: string) => {
    const e = { ...events.get(id)!, state: 'cleared' as const };
    events.set(id, e);
    notifier.notify(e, 'clear');
  };
  /** Moves the clock by `ms`, ticking every 10 s like the engine. */
  const run = async (ms: number) => {
    for (let left = ms; left > 0; left -= 10_000) {
      clock.advance(Math.min(10_000, left));
      notifier.tick();
    }
    await notifier.idle();
  };
  return { notifier, clock, sent, deliveries, raise, clear, run };
}

const hook = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'webhook',
  url: `http://127.0.0.1:1/${id}`,
  ...extra,
});

test('a digest channel: quick first message, then one digest per K minutes; a channel without digestM is unchanged', async () => {
  const t = await setup({
    channels: [hook('dig', { digestM: 5 }), hook('plain')],
    routes: [{ id: 'r', channels: ['dig', 'plain'] }],
  });
  t.raise(ev('a'));
  await t.run(10_000);
  assert.deepEqual(t.sent.map((s) => [s.channel, s.message.kind]).sort(), [
    ['dig', 'raise'],
    ['plain', 'raise'],
  ]);
  t.sent.length = 0;
  t.raise(ev('b'));
  await t.run(MIN);
  t.clear('a');
  await t.run(MIN);
  t.raise(ev('c'));
  await t.run(MIN);
  assert.deepEqual(
    t.sent.map((s) => [s.channel, s.message.kind]),
    [
      ['plain', 'raise'],
      ['plain', 'clear'],
      ['plain', 'raise'],
    ],
  );
  assert.deepEqual(t.notifier.stats().digestsPending, 1);
  assert.deepEqual(t.notifier.stats().digestEventsPending, 3);
  t.sent.length = 0;
  await t.run(2 * MIN); // 5 min 10 s after the first message
  assert.deepEqual(
    t.sent.map((s) => [s.channel, s.message.kind]),
    [['dig', 'digest']],
  );
  assert.deepEqual(t.sent[0].message.digest, {
    since: Date.parse('2026-11-25T10:00:10Z'),
    opened: 2,
    cleared: 1,
    stillOpen: 2,
    renotified: 0,
    escalated: 0,
  });
  assert.deepEqual(t.deliveries.at(-1)!.eventIds.sort(), ['a', 'b', 'c']);
  assert.equal(t.deliveries.at(-1)!.kind, 'digest');
  assert.equal(t.notifier.stats().digestsPending, 0);
});

test('re-notification and escalation on digest channels are gathered into the digest', async () => {
  const t = await setup({
    channels: [hook('oncall', { digestM: 30 }), hook('boss', { digestM: 30 })],
    routes: [{ id: 'r', channels: ['oncall'], renotifyAfterM: 10, escalateTo: ['boss'] }],
  });
  t.raise(ev('a'));
  await t.run(10_000);
  t.raise(ev('b'));
  await t.run(25 * MIN);
  assert.deepEqual(
    t.sent.map((s) => [s.channel, s.message.kind]),
    [
      ['oncall', 'raise'],
      ['boss', 'escalation'],
    ],
    'boss: first message after quiet, at the window',
  );
  await t.run(6 * MIN);
  const digest = t.sent.find((s) => s.channel === 'oncall' && s.message.kind === 'digest')!.message;
  assert.deepEqual(
    digest.events.map((e) => [e.id, e.changes]),
    [
      ['b', ['opened']],
      ['a', ['renotified']],
    ],
    'a re-notified twice in the period appears once',
  );
  assert.equal(digest.digest!.renotified, 1);
});

test('suppression takes an event out of a waiting digest; flush sends what waits', async () => {
  const t = await setup({ channels: [hook('dig', { digestM: 15 })], routes: [{ id: 'r', channels: ['dig'] }] });
  t.raise(ev('a'));
  await t.run(10_000);
  t.raise(ev('b'));
  t.raise(ev('child'));
  t.notifier.suppress('child');
  await t.run(MIN);
  assert.equal(t.sent.length, 1);
  assert.equal(t.notifier.stats().digestEventsPending, 1);
  t.notifier.flush();
  await t.notifier.idle();
  assert.equal(t.sent.length, 2);
  assert.deepEqual(
    t.sent[1].message.events.map((e) => e.id),
    ['b'],
  );
  assert.equal(t.sent[1].message.kind, 'digest');
  // The flush was a message: the next change waits for the period again.
  t.raise(ev('c'));
  await t.run(MIN);
  assert.equal(t.sent.length, 2);
});

test('raised and cleared inside the first window sends nothing; raised and cleared inside a digest period is told once, as cleared', async () => {
  const t = await setup({ channels: [hook('dig', { digestM: 5 })], routes: [{ id: 'r', channels: ['dig'] }] });
  t.raise(ev('blip'));
  t.clear('blip');
  await t.run(6 * MIN);
  assert.equal(t.sent.length, 0);
  t.raise(ev('a'));
  await t.run(10_000);
  t.raise(ev('flap'));
  await t.run(MIN);
  t.clear('flap');
  await t.run(5 * MIN);
  assert.deepEqual(
    t.sent.map((s) => s.message.kind),
    ['raise', 'digest'],
  );
  const d = t.sent[1].message;
  assert.deepEqual(
    d.events.map((e) => [e.id, e.state, e.changes]),
    [['flap', 'cleared', ['opened', 'cleared']]],
  );
  assert.deepEqual(d.digest, {
    since: d.digest!.since,
    opened: 1,
    cleared: 1,
    stillOpen: 0,
    renotified: 0,
    escalated: 0,
  });
});
