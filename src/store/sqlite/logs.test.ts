import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from './driver.ts';
import type { LogRecord } from '../../model/records.ts';
import { migrate } from './domain.ts';
import { openSqliteStore } from './index.ts';
import { ftsQuery, logsDomain } from './logs.ts';

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

test('phrases and multi-token terms are exact although the index keeps no positions', () => {
  const store = openSqliteStore(':memory:');
  const lines = [
    'Interface Gi0/1, link down', // 1
    'down link on Gi0/2', // 2: both words, wrong order
    'link is down on Gi0/3', // 3: both words, not adjacent
    'LINK DOWN on Gi0/4', // 4: case folded
    'Störung am Übergang 10.9.8.7', // 5
    'address 10.9.7.8 and 8.7 and 10.9', // 6: the IP's tokens, not in order
    'path /var/log/messages rotated', // 7
    'link-down event', // 8: punctuation between the tokens is not a token
  ];
  store.writeLogs(lines.map((message, i) => rec(i, { message })));
  const ids = (q: string) => store.queryLogs({ q, limit: 1000 }).logs.map((l) => l.id).sort((a, b) => a - b);
  assert.deepEqual(ids('"link down"'), [1, 4, 8]);
  assert.deepEqual(ids('link down'), [1, 2, 3, 4, 8], 'words without quotes are ANDed, in any order');
  assert.deepEqual(ids('"STORUNG am"'), [5], 'case and diacritics folded as the index folds them');
  assert.deepEqual(ids('10.9.8.7'), [5], 'an address is a phrase of its numbers');
  assert.deepEqual(ids('10.9.*'), [5, 6], 'prefix on the last token');
  assert.deepEqual(ids('"8.7 and"'), [6]);
  assert.deepEqual(ids('/var/log/messages'), [7]);
  assert.deepEqual(ids('link -"link down"'), [2, 3], 'an excluded phrase drops only rows holding the phrase');
  assert.deepEqual(ids('link -down'), []);
  assert.deepEqual(ids('"down link" -gi0'), []);
  assert.deepEqual(ids('"link down" gi0'), [1, 4], 'phrase AND word');
  const h = store.logHistogram({ q: '"link down"' }, 1000);
  assert.deepEqual(h.map((b) => b.count), [1, 1, 1]);
  store.close();
});

test('phrase pages stay complete and in order when most candidates fail the exact check', () => {
  const store = openSqliteStore(':memory:');
  const batch: LogRecord[] = [];
  for (let i = 0; i < 3000; i++) batch.push(rec(i, { message: i % 300 === 7 ? `port ${i} link down` : `down link on port ${i}` }));
  store.writeLogs(batch);
  const want = batch.map((l, i) => (l.message.endsWith('link down') ? i + 1 : 0)).filter(Boolean).reverse();
  const seen: number[] = [];
  let cursor: string | undefined;
  do {
    const p = store.queryLogs({ q: '"link down"', limit: 3, cursor });
    assert.ok(p.logs.length <= 3);
    seen.push(...p.logs.map((l) => l.id));
    cursor = p.nextCursor;
  } while (cursor);
  assert.deepEqual(seen, want);
  store.close();
});

test('a phrase page reads a bounded number of candidates, then hands on a cursor', () => {
  const store = openSqliteStore(':memory:');
  store.writeLogs([rec(0, { message: 'link down at the start' })]);
  store.writeLogs(Array.from({ length: 25_000 }, (_, i) => rec(i + 1, { message: 'down link' })));
  const first = store.queryLogs({ q: '"link down"', limit: 10 });
  assert.equal(first.logs.length, 0);
  assert.ok(first.nextCursor, 'more candidates remain');
  const second = store.queryLogs({ q: '"link down"', limit: 10, cursor: first.nextCursor });
  assert.deepEqual(second.logs.map((l) => l.id), [1]);
  assert.equal(second.nextCursor, undefined);
  store.close();
});

test('a database from before the position-less index is rebuilt by its migration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logs-migrate-'));
  try {
    const db = new Database(join(dir, 'vigil.db'));
    migrate(db, [{ ...logsDomain, migrations: logsDomain.migrations.slice(0, 2) }]);
    const add = db.prepare("INSERT INTO logs (received_ts, ts, source, transport, facility, severity, message, size) VALUES (1, 1, '10.0.0.1', 'udp', 1, 1, ?, 10)");
    for (const m of ['old line: link down', 'old line: down link']) db.prepare('INSERT INTO logs_fts (rowid, message) VALUES (?, ?)').run(add.run(m).lastInsertRowid, m);
    db.close();
    const store = openSqliteStore(dir) as ReturnType<typeof openSqliteStore> & { db: import('better-sqlite3').Database };
    assert.deepEqual(store.queryLogs({ q: '"link down"' }).logs.map((l) => l.message), ['old line: link down']);
    store.writeLogs([rec(1, { message: 'new line: link down' })]);
    assert.equal(store.queryLogs({ q: 'link down' }).logs.length, 3);
    assert.equal(store.maintainLogs(T0 + 5_000, { maxAgeDays: 1, maxBytes: 1e12 }).deletedByAge, 2, 'the old lines, by age');
    store.db.exec("INSERT INTO logs_fts (logs_fts) VALUES ('integrity-check')");
    assert.deepEqual(store.queryLogs({ q: 'line' }).logs.map((l) => l.message), ['new line: link down']);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
