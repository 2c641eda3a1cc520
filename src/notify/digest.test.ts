import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelSchema } from './config.ts';
import { createDigestBook } from './digest.ts';
import { testEvent as ev } from './test-events.ts';

const MIN = 60_000;
const WINDOW = 10_000;
const channel = channelSchema.parse({ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:1/x', digestM: 5 });
const cleared = (id: string) => ev(id, { state: 'cleared' });
const told = { tell: true, told: true };

test('the first change after a quiet period goes out at the group window, as the ordinary message; the window gathers more', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('a'), 0, WINDOW);
  book.add(channel, 'r', 'opened', ev('b'), 4_000, WINDOW);
  assert.deepEqual(book.take(WINDOW - 1), []);
  const [out, ...rest] = book.take(WINDOW);
  assert.equal(rest.length, 0);
  assert.equal(out.message.kind, 'raise');
  assert.deepEqual(
    out.message.events.map((e) => e.id),
    ['a', 'b'],
  );
  assert.equal(out.message.digest, undefined);
  assert.equal(out.message.events[0].changes, undefined, 'an ordinary message carries no digest fields');
  assert.deepEqual(out.openedIds, ['a', 'b']);
});

test('later changes wait until K minutes after the last message and go out as one digest: at most one per K', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('a'), 0, WINDOW);
  assert.equal(book.take(WINDOW).length, 1); // last message at 10 s
  const sentAt: number[] = [];
  // A change every 30 s for 20 minutes, taking every 10 s.
  for (let t = WINDOW + 10_000, n = 0; t <= 20 * MIN; t += 10_000) {
    if (t % 30_000 === 0) book.add(channel, 'r', 'opened', ev(`e${n++}`), t, WINDOW);
    for (const out of book.take(t)) {
      assert.equal(out.message.kind, 'digest');
      sentAt.push(t);
    }
  }
  assert.deepEqual(sentAt, [5 * MIN + WINDOW, 10 * MIN + WINDOW, 15 * MIN + WINDOW]);
});

test('latest state wins: opened and cleared in one digest is one entry with both facts; counts', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('first'), 0, WINDOW);
  book.take(WINDOW);
  book.add(channel, 'r', 'opened', ev('a', { count: 1 }), MIN, WINDOW);
  book.add(channel, 'r', 'opened', ev('a', { count: 3 }), 2 * MIN, WINDOW); // got worse: one entry, latest snapshot
  book.add(channel, 'r', 'opened', ev('b'), 2 * MIN, WINDOW);
  book.add(channel, 'r', 'opened', ev('c'), 2 * MIN, WINDOW);
  book.clear(channel, 'r', ev('a', { state: 'cleared', count: 3, lastSeen: 99 }), 3 * MIN, WINDOW, {
    tell: true,
    told: false,
  });
  book.clear(channel, 'r', cleared('first'), 3 * MIN, WINDOW, told);
  book.add(channel, 'r', 'renotified', ev('old'), 4 * MIN, WINDOW);
  assert.deepEqual(book.pending(), { digests: 1, events: 5 });
  assert.deepEqual(book.take(5 * MIN), [], 'not before K minutes after the last message');
  const [out] = book.take(5 * MIN + WINDOW);
  const m = out.message;
  assert.equal(m.kind, 'digest');
  assert.deepEqual(m.digest, { since: WINDOW, opened: 3, cleared: 2, stillOpen: 2, renotified: 1, escalated: 0 });
  assert.deepEqual(
    m.events.map((e) => [e.id, e.state, e.changes]),
    [
      ['a', 'cleared', ['opened', 'cleared']],
      ['b', 'open', ['opened']],
      ['c', 'open', ['opened']],
      ['first', 'cleared', ['cleared']],
      ['old', 'open', ['renotified']],
    ],
  );
  assert.deepEqual([m.events[0].count, m.events[0].lastSeen], [3, 99], 'the latest snapshot');
  assert.deepEqual(out.openedIds, ['a', 'b', 'c']);
  assert.deepEqual(book.pending(), { digests: 0, events: 0 });
});

test('cleared then opened again in one digest: open wins, and it is not counted as cleared', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('x'), 0, WINDOW);
  book.take(WINDOW);
  book.clear(channel, 'r', cleared('x'), MIN, WINDOW, told);
  book.add(channel, 'r', 'opened', ev('x'), 2 * MIN, WINDOW);
  const [out] = book.take(5 * MIN + WINDOW);
  assert.deepEqual(out.message.digest, {
    since: WINDOW,
    opened: 1,
    cleared: 0,
    stillOpen: 1,
    renotified: 0,
    escalated: 0,
  });
  assert.deepEqual(out.message.events[0].changes, ['opened']);
});

test('raised and cleared inside the first group window, never told: dropped, nothing sent; once told, the clear is kept', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('q'), 0, WINDOW);
  book.clear(channel, 'r', cleared('q'), 1_000, WINDOW, { tell: true, told: false });
  assert.deepEqual(book.take(WINDOW), []);
  book.add(channel, 'r', 'opened', ev('q2'), 2 * MIN, WINDOW);
  book.clear(channel, 'r', cleared('q2'), 2 * MIN + 1_000, WINDOW, told);
  const [out] = book.take(2 * MIN + WINDOW);
  assert.equal(out.message.kind, 'digest', 'two facts are not one ordinary message');
  assert.deepEqual(out.message.events[0].changes, ['opened', 'cleared']);
});

test('a route without notifyClear adds no clear, but the state of a waiting event is updated', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('first'), 0, WINDOW);
  book.take(WINDOW);
  book.add(channel, 'r', 'opened', ev('a'), MIN, WINDOW);
  book.clear(channel, 'r', cleared('a'), 2 * MIN, WINDOW, { tell: false, told: false });
  book.clear(channel, 'r', cleared('first'), 2 * MIN, WINDOW, { tell: false, told: true });
  const [out] = book.take(5 * MIN + WINDOW);
  assert.deepEqual(
    out.message.events.map((e) => [e.id, e.state, e.changes]),
    [['a', 'cleared', ['opened']]],
  );
  assert.deepEqual(out.message.digest, {
    since: WINDOW,
    opened: 1,
    cleared: 0,
    stillOpen: 0,
    renotified: 0,
    escalated: 0,
  });
});

test('a dropped (suppressed) event leaves the digest; a digest left empty sends nothing', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('first'), 0, WINDOW);
  book.take(WINDOW);
  book.add(channel, 'r', 'opened', ev('a'), MIN, WINDOW);
  book.add(channel, 'r', 'opened', ev('b'), MIN, WINDOW);
  book.drop('a');
  const [out] = book.take(5 * MIN + WINDOW);
  assert.deepEqual(
    out.message.events.map((e) => e.id),
    ['b'],
  );
  book.add(channel, 'r', 'opened', ev('c'), 6 * MIN, WINDOW);
  book.drop('c');
  assert.deepEqual(book.take(10 * MIN + WINDOW), []);
  assert.deepEqual(book.pending(), { digests: 0, events: 0 });
});

test('after a quiet period of K minutes the next change is quick again', () => {
  const book = createDigestBook();
  book.add(channel, 'r', 'opened', ev('a'), 0, WINDOW);
  book.take(WINDOW);
  assert.deepEqual(book.take(5 * MIN + WINDOW), [], 'nothing waited');
  book.add(channel, 'r', 'opened', ev('b'), 7 * MIN, WINDOW);
  const [out] = book.take(7 * MIN + WINDOW);
  assert.equal(out.message.kind, 'raise');
  // Changed just inside K of the last message: waits for the period.
  book.add(channel, 'r', 'renotified', ev('b'), 11 * MIN, WINDOW);
  assert.deepEqual(book.take(11 * MIN + WINDOW), []);
  assert.equal(book.take(12 * MIN + WINDOW)[0].message.kind, 'digest');
});

test('each (channel, route) has its own period; a zero window sends at once; force (flush) takes everything', () => {
  const book = createDigestBook();
  book.add(channel, 'r1', 'opened', ev('a'), 0, 0);
  book.add(channel, 'r2', 'escalated', ev('a'), 0, WINDOW);
  const now = book.take(0);
  assert.equal(now.length, 1);
  assert.equal(now[0].message.kind, 'raise');
  book.add(channel, 'r1', 'opened', ev('b'), MIN, 0);
  assert.deepEqual(
    book.take(MIN).map((o) => o.message.kind),
    ['escalation'],
    'r2 after its window; r1 is inside its period',
  );
  book.add(channel, 'r2', 'renotified', ev('a'), 2 * MIN, WINDOW);
  const flushed = book.take(2 * MIN, true);
  assert.deepEqual(
    flushed.map((o) => o.message.kind),
    ['digest', 'digest'],
  );
  assert.deepEqual(book.pending(), { digests: 0, events: 0 });
});
