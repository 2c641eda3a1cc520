/** Stored logs without the text search: round trip, arrival order, filters, cursor pages, histogram, retention. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import type { LogRecord } from '../../model/records.ts';
import { packLogs } from '../../model/log-columns.ts';
import type { LogQuery, Store } from '../types.ts';
import type { StoredLog } from '../../model/stored.ts';
import { DAY, log, logPage, MINUTE, T0, walk, type ContractSuite } from './helpers.ts';

const messages = (logs: StoredLog[]) => logs.map((l) => l.message);
const all = (s: Store, q: LogQuery = {}, limit = 1000) =>
  walk(async (cursor) => logPage(await s.queryLogs({ ...q, limit, cursor })), limit);
const withoutId = ({ id: _id, ...rest }: StoredLog) => rest;
const histogram = async (s: Store, q: LogQuery, bucketMs: number) =>
  (await s.logHistogram(q, bucketMs)).filter((b) => b.count > 0);

const FULL: LogRecord[] = [
  {
    kind: 'log',
    receivedTs: T0 + 1,
    sourceAddress: '10.0.0.1',
    transport: 'udp',
    facility: 4,
    severity: 6,
    ts: T0 + 2,
    message: 'plain',
  },
  {
    kind: 'log',
    receivedTs: T0 + 3,
    sourceAddress: '10.0.0.1',
    deviceId: 'sw1',
    transport: 'tls',
    facility: 23,
    severity: 0,
    ts: T0 + 4,
    hostname: 'sw1',
    app: 'sshd',
    procid: '42',
    msgid: 'ID7',
    structuredData: { meta: { sequenceId: '9' }, 'origin@1': { ip: '10.0.0.1' } },
    message: 'Störung: 장애 "quoted"',
    rawBase64: 'AAE=',
    flags: ['invalid-utf8', 'truncated'],
  },
  {
    kind: 'log',
    receivedTs: T0 + 5,
    sourceAddress: '::1',
    transport: 'tcp',
    facility: 1,
    severity: 3,
    ts: T0 + 5,
    hostname: '',
    message: '',
  },
];

export const logsContract: ContractSuite = (fresh) => {
  test('logs: every field comes back as written, absent stays absent; each stored line gets its own id', async () => {
    const s = await fresh();
    await s.writeLogs(FULL);
    const got = (await s.queryLogs({})).logs;
    assert.deepEqual(got.map(withoutId), FULL.map(({ kind: _k, ...rest }) => rest).reverse());
    assert.equal(new Set(got.map((l) => l.id)).size, 3);
    assert.ok(got.every((l) => !('kind' in l)));
  });

  test('logs: written in columns, they are stored and found as the records are', async () => {
    const a = await fresh();
    const b = await fresh();
    await a.writeLogs(FULL);
    await b.writeLogColumns([packLogs(FULL.slice(0, 2)), packLogs(FULL.slice(2))]);
    assert.deepEqual((await b.queryLogs({})).logs.map(withoutId), (await a.queryLogs({})).logs.map(withoutId));
    assert.deepEqual(
      (await b.queryLogs({ q: 'storung' })).logs.map(withoutId),
      (await a.queryLogs({ q: 'storung' })).logs.map(withoutId),
    );
    assert.equal((await b.queryLogs({ q: '장애' })).logs.length, 1);
    await b.writeLogColumns([]);
    await b.writeLogs([]);
    assert.equal((await b.logStats()).count, 3);
  });

  test('logs: newest first by arrival, not by message time; the same line written twice is two lines', async () => {
    const s = await fresh();
    await s.writeLogs([log(1, { message: 'first' }), log(2, { message: 'second' })]);
    await s.writeLogs([log(0, { message: 'late, with an old time' }), log(0, { message: 'late, with an old time' })]);
    assert.deepEqual(messages((await s.queryLogs({})).logs), [
      'late, with an old time',
      'late, with an old time',
      'second',
      'first',
    ]);
    assert.equal((await s.logStats()).count, 4);
  });

  test('logs filters: host (hostname or sender), device, severity at or above, facility, app, message time [from, to)', async () => {
    const s = await fresh();
    await s.writeLogs([
      log(0, {
        hostname: 'sw1',
        sourceAddress: '10.0.0.1',
        severity: 3,
        facility: 4,
        app: 'sshd',
        deviceId: 'd1',
        message: 'a',
      }),
      log(1, {
        hostname: 'sw2',
        sourceAddress: '10.0.0.2',
        severity: 4,
        facility: 4,
        app: '%LINK-3-UPDOWN',
        message: 'b',
      }),
      log(2, { sourceAddress: 'sw1', severity: 5, facility: 23, app: 'sshd', message: 'c' }),
      log(3, { hostname: 'sw3', sourceAddress: '10.0.0.3', severity: 0, facility: 23, message: 'd' }),
    ]);
    const m = async (q: LogQuery) =>
      messages((await s.queryLogs(q)).logs)
        .sort()
        .join('');
    assert.equal(await m({ host: 'sw1' }), 'ac');
    assert.equal(await m({ host: '10.0.0.2' }), 'b');
    assert.equal(await m({ host: 'SW1' }), '', 'exact');
    assert.equal(await m({ deviceId: 'd1' }), 'a');
    assert.equal(await m({ minSeverity: 4 }), 'abd');
    assert.equal(await m({ minSeverity: 0 }), 'd');
    assert.equal(await m({ facility: 23 }), 'cd');
    assert.equal(await m({ app: '%LINK-3-UPDOWN' }), 'b');
    assert.equal(await m({ app: 'sshd', facility: 4 }), 'a', 'every filter given must hold');
    assert.equal(await m({ from: T0 + 1000, to: T0 + 3000 }), 'bc', 'from inclusive, to exclusive');
    assert.equal(await m({ from: T0 + 1001 }), 'cd');
    assert.equal(await m({ to: T0 + 1 }), 'a');
    assert.equal(await m({ host: 'nope' }), '');
  });

  test('logs pages: every line exactly once, newest first; pages of filters are full; a cursor carries on past lines written meanwhile', async () => {
    const s = await fresh();
    await s.writeLogs(Array.from({ length: 50 }, (_, i) => log(i, { message: `line ${i}`, severity: i % 2 ? 3 : 6 })));
    const want = Array.from({ length: 50 }, (_, i) => `line ${49 - i}`);
    const first = await s.queryLogs({ limit: 7 });
    assert.equal(first.logs.length, 7);
    assert.ok(first.nextCursor);
    let written = 0;
    const seen = await walk(async (cursor) => {
      // Newer lines arrive between pages: they are not on later (older) pages, and nothing repeats or goes missing.
      if (cursor) await s.writeLogs([log(100 + written, { message: `new ${written++}` })]);
      const p = await s.queryLogs({ limit: 7, cursor });
      if (p.nextCursor) assert.equal(p.logs.length, 7);
      return logPage(p);
    }, 7);
    assert.deepEqual(messages(seen), want);
    assert.deepEqual(
      messages(await all(s, { minSeverity: 3 }, 4)),
      want.filter((m) => Number(m.slice(5)) % 2),
    );
    const last = await s.queryLogs({ limit: 1000 });
    assert.equal(last.nextCursor, undefined, 'no cursor on the last page');
  });

  test('logs pages: 100 lines by default, at most 1000; a cursor this store did not hand out is a bad request', async () => {
    const s = await fresh();
    await s.writeLogs(Array.from({ length: 1001 }, (_, i) => log(i)));
    assert.equal((await s.queryLogs({})).logs.length, 100);
    const big = await s.queryLogs({ limit: 5000 });
    assert.equal(big.logs.length, 1000);
    assert.equal((await s.queryLogs({ cursor: big.nextCursor })).logs.length, 1);
    await assert.rejects(
      () => s.queryLogs({ cursor: 'garbage' }),
      (e: unknown) => isVigilError(e) && e.code === 'VIGIL_BAD_REQUEST',
    );
  });

  test('histogram: counts per bucket of message time, buckets start on multiples of the bucket since the epoch, oldest first, same filters', async () => {
    const s = await fresh();
    await s.writeLogs([
      log(0, { ts: T0, message: 'link down' }),
      log(1, { ts: T0 + MINUTE - 1, message: 'link down', severity: 2 }),
      log(2, { ts: T0 + MINUTE, message: 'link up' }),
      log(3, { ts: T0 + 3 * MINUTE + 5, message: 'link down' }),
      log(4, { ts: T0 - 1, receivedTs: T0 + 10 * MINUTE, message: 'down link' }),
    ]);
    assert.deepEqual(await histogram(s, {}, MINUTE), [
      { ts: T0 - MINUTE, count: 1 },
      { ts: T0, count: 2 },
      { ts: T0 + MINUTE, count: 1 },
      { ts: T0 + 3 * MINUTE, count: 1 },
    ]);
    assert.deepEqual(await histogram(s, { q: '"link down"' }, MINUTE), [
      { ts: T0, count: 2 },
      { ts: T0 + 3 * MINUTE, count: 1 },
    ]);
    assert.deepEqual(await histogram(s, { from: T0, to: T0 + 3 * MINUTE + 5 }, 2 * MINUTE), [{ ts: T0, count: 3 }]);
    assert.deepEqual(await histogram(s, { minSeverity: 2 }, DAY), [{ ts: T0, count: 1 }]);
    assert.deepEqual(await histogram(s, { q: 'nothing' }, MINUTE), []);
  });

  test('stats: count, bytes and oldest received time; an empty store has none', async () => {
    const s = await fresh();
    assert.deepEqual(await s.logStats(), { count: 0, bytes: 0 });
    await s.writeLogs([log(5), log(2), log(9)]);
    const st = await s.logStats();
    assert.equal(st.count, 3);
    assert.ok(st.bytes > 0);
    assert.equal(st.oldestReceivedTs, T0 + 2000);
  });

  test('retention by age: by received time; a line received exactly at now minus the age is kept, one ms older is removed', async () => {
    const s = await fresh();
    const now = T0 + 10 * DAY;
    const cutoff = now - 3 * DAY;
    // Message times say nothing about age: a device with a wrong clock must not lose or keep lines by it.
    await s.writeLogs([
      log(0, { receivedTs: cutoff - DAY, ts: now, message: 'old one' }),
      log(0, { receivedTs: cutoff - 1, ts: now, message: 'old two' }),
      log(0, { receivedTs: cutoff, ts: T0 - 100 * DAY, message: 'kept one' }),
      log(0, { receivedTs: cutoff + 1, ts: T0, message: 'kept two' }),
    ]);
    assert.deepEqual(await s.maintainLogs(now, { maxAgeDays: 3, maxBytes: 1e12 }), {
      deletedByAge: 2,
      deletedBySize: 0,
    });
    assert.deepEqual(messages((await s.queryLogs({})).logs), ['kept two', 'kept one']);
    assert.deepEqual(messages((await s.queryLogs({ q: 'old' })).logs), [], 'the search forgets removed lines');
    assert.deepEqual(await histogram(s, { q: 'old' }, DAY), []);
    assert.equal((await s.logStats()).count, 2);
    assert.equal((await s.logStats()).oldestReceivedTs, cutoff);
    assert.deepEqual(await s.maintainLogs(now, { maxAgeDays: 3, maxBytes: 1e12 }), {
      deletedByAge: 0,
      deletedBySize: 0,
    });
  });

  test('retention by size: the oldest lines go, only as many as needed to get under the budget', async () => {
    const s = await fresh();
    // Lines of one size, so that each one weighs the same whatever a backend counts.
    await s.writeLogs(
      Array.from({ length: 40 }, (_, i) => log(i, { message: `size test ${String(i).padStart(3, '0')}` })),
    );
    const before = await s.logStats();
    const per = before.bytes / before.count;
    const budget = Math.floor(per * 15.5);
    const r = await s.maintainLogs(T0 + 40_000, { maxAgeDays: 1, maxBytes: budget });
    assert.deepEqual(r, { deletedByAge: 0, deletedBySize: 25 });
    const after = await s.logStats();
    assert.equal(after.count, 15);
    assert.ok(after.bytes <= budget);
    assert.equal(after.oldestReceivedTs, T0 + 25_000);
    assert.deepEqual(messages((await s.queryLogs({ q: 'size' })).logs).at(-1), 'size test 025');
    assert.equal((await s.queryLogs({ q: '"test 024"' })).logs.length, 0);
    await s.maintainLogs(T0 + 40_000, { maxAgeDays: 1, maxBytes: 0 });
    assert.deepEqual(await s.logStats(), { count: 0, bytes: 0 });
  });
};
