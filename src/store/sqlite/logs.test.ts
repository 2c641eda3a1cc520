import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../model/records.ts';
import { openSqliteStore } from './index.ts';
import { ftsQuery } from './logs.ts';

const T0 = Date.UTC(2026, 10, 25, 10);
function rec(i: number, over: Partial<LogRecord> = {}): LogRecord {
  return { kind: 'log', receivedTs: T0 + i * 1000, sourceAddress: `10.0.0.${i % 3}`, transport: 'udp', facility: i % 2 ? 4 : 23, severity: i % 8, ts: T0 + i * 1000, hostname: `host${i % 3}`, app: i % 2 ? 'sshd' : '%LINK-3-UPDOWN', message: i % 2 ? `Failed password for user${i} from 203.0.113.${i}` : `Interface Gi0/${i}, changed state to down`, ...over };
}

test('full-text, filters, newest first and cursor pages', () => {
  const store = openSqliteStore(':memory:');
  store.writeLogs(Array.from({ length: 50 }, (_, i) => rec(i)));
  store.writeLogs([rec(50, { message: 'Störung am Übergang 10.9.8.7', structuredData: { meta: { sequenceId: '7' } }, flags: ['no-pri'], deviceId: 'd1' })]);
  const all = store.queryLogs({ q: 'failed password', limit: 10 });
  assert.equal(all.logs.length, 10);
  assert.deepEqual(all.logs.map((l) => l.id), [50, 48, 46, 44, 42, 40, 38, 36, 34, 32]);
  const next = store.queryLogs({ q: 'failed password', limit: 10, cursor: all.nextCursor });
  assert.equal(next.logs[0].id, 30);
  const seen: number[] = [];
  let c: string | undefined;
  do {
    const p = store.queryLogs({ q: 'failed', limit: 7, cursor: c });
    seen.push(...p.logs.map((l) => l.id));
    c = p.nextCursor;
  } while (c);
  assert.equal(seen.length, 25);
  assert.equal(new Set(seen).size, 25);
  assert.equal(store.queryLogs({ q: 'stoerung' }).logs.length, 0);
  assert.equal(store.queryLogs({ q: 'storung' }).logs.length, 1, 'diacritics folded');
  const hit = store.queryLogs({ q: '10.9.8.7' }).logs[0];
  assert.deepEqual(hit.structuredData, { meta: { sequenceId: '7' } });
  assert.deepEqual(hit.flags, ['no-pri']);
  assert.equal(hit.deviceId, 'd1');
  assert.equal(store.queryLogs({ q: 'user1*' }).logs.length, 6, 'prefix: user1, user11, user13 … user19');
  assert.equal(store.queryLogs({ q: 'failed -user1' }).logs.length, 24);
  assert.equal(store.queryLogs({ q: '%LINK-3-UPDOWN' }).logs.length, 0, 'the tag is not message text');
  assert.equal(store.queryLogs({ app: '%LINK-3-UPDOWN' }).logs.length, 26);
  assert.equal(store.queryLogs({ host: 'host1' }).logs.length, 17);
  assert.equal(store.queryLogs({ host: '10.0.0.2' }).logs.length, 17);
  assert.equal(store.queryLogs({ minSeverity: 1 }).logs.every((l) => l.severity <= 1), true);
  assert.equal(store.queryLogs({ facility: 4, q: 'interface' }).logs.length, 0);
  assert.equal(store.queryLogs({ from: T0 + 10_000, to: T0 + 20_000 }).logs.length, 10);
  assert.equal(store.queryLogs({ deviceId: 'd1' }).logs.length, 1);
  assert.throws(() => store.queryLogs({ cursor: 'garbage' }), /cursor/);
  for (const q of ['"', 'AND OR NOT', '(', '*', 'a"b', 'NEAR(x y)', '-', '""']) store.queryLogs({ q });
  store.close();
});

test('histogram counts per bucket for the same filters', () => {
  const store = openSqliteStore(':memory:');
  store.writeLogs(Array.from({ length: 120 }, (_, i) => rec(i)));
  const h = store.logHistogram({ q: 'failed' }, 60_000);
  assert.deepEqual(h, [{ ts: T0, count: 30 }, { ts: T0 + 60_000, count: 30 }]);
  store.close();
});

test('retention by age, then by size; the index forgets deleted rows', () => {
  const store = openSqliteStore(':memory:');
  const day = 86_400_000;
  store.writeLogs(Array.from({ length: 100 }, (_, i) => rec(i, { receivedTs: T0 + i * day / 10 })));
  const now = T0 + 10 * day;
  const r = store.maintainLogs(now, { maxAgeDays: 5, maxBytes: 1e12 });
  assert.equal(r.deletedByAge, 50);
  assert.equal(store.logStats().count, 50);
  assert.equal(store.queryLogs({ q: 'failed', limit: 1000 }).logs.length, 25);
  const before = store.logStats().bytes;
  const r2 = store.maintainLogs(now, { maxAgeDays: 5, maxBytes: Math.floor(before / 2) });
  assert.ok(r2.deletedBySize >= 24 && r2.deletedBySize <= 26, String(r2.deletedBySize));
  assert.ok(store.logStats().bytes <= before / 2);
  const left = store.logStats().count;
  assert.equal(store.queryLogs({ q: 'failed OR interface', limit: 1000 }).logs.length, 0);
  assert.equal(store.queryLogs({ limit: 1000 }).logs.length, left);
  assert.equal(store.queryLogs({ q: 'interface', limit: 1000 }).logs.length + store.queryLogs({ q: 'failed', limit: 1000 }).logs.length, left);
  store.close();
});

test('ftsQuery quotes every term', () => {
  assert.equal(ftsQuery('a "b c" d* -e'), '"a" AND "b c" AND "d"* NOT "e"');
  assert.equal(ftsQuery('say "hi'), '"say" AND "hi"');
  assert.equal(ftsQuery(' - * '), undefined);
});

test('a full-text page walks the index backwards instead of sorting every match', () => {
  const store = openSqliteStore(':memory:') as ReturnType<typeof openSqliteStore> & { db: import('better-sqlite3').Database };
  const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT l.* FROM logs_fts f JOIN logs l ON l.id = f.rowid WHERE logs_fts MATCH 'x' ORDER BY f.rowid DESC LIMIT 10").all() as { detail: string }[];
  assert.ok(!plan.some((p) => p.detail.includes('TEMP B-TREE')), JSON.stringify(plan));
  store.close();
});
