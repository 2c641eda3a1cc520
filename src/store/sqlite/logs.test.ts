// How the SQLite log store does it (query plans, the scan budget of a phrase page, migrations). What a log search
// means, on any backend, is in the store contract (../contract/logs.ts, ../contract/log-search.ts).
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
  return {
    kind: 'log',
    receivedTs: T0 + i * 1000,
    sourceAddress: `10.0.0.${i % 3}`,
    transport: 'udp',
    facility: i % 2 ? 4 : 23,
    severity: i % 8,
    ts: T0 + i * 1000,
    hostname: `host${i % 3}`,
    app: i % 2 ? 'sshd' : '%LINK-3-UPDOWN',
    message: i % 2 ? `Failed password for user${i} from 203.0.113.${i}` : `Interface Gi0/${i}, changed state to down`,
    ...over,
  };
}

test('ftsQuery quotes every term', () => {
  assert.equal(ftsQuery('a "b c" d* -e'), '"a" AND "b c" AND "d"* NOT "e"');
  assert.equal(ftsQuery('say "hi'), '"say" AND "hi"');
  assert.equal(ftsQuery(' - * '), undefined);
});

test('a full-text page walks the index backwards instead of sorting every match', () => {
  const store = openSqliteStore(':memory:') as ReturnType<typeof openSqliteStore> & {
    db: import('better-sqlite3').Database;
  };
  const plan = store.db
    .prepare(
      "EXPLAIN QUERY PLAN SELECT l.* FROM logs_fts f JOIN logs l ON l.id = f.rowid WHERE logs_fts MATCH 'x' ORDER BY f.rowid DESC LIMIT 10",
    )
    .all() as { detail: string }[];
  assert.ok(!plan.some((p) => p.detail.includes('TEMP B-TREE')), JSON.stringify(plan));
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
  assert.deepEqual(
    second.logs.map((l) => l.id),
    [1],
  );
  assert.equal(second.nextCursor, undefined);
  store.close();
});

test('a database from before the position-less index is rebuilt by its migration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logs-migrate-'));
  try {
    const db = new Database(join(dir, 'vigil.db'));
    migrate(db, [{ ...logsDomain, migrations: logsDomain.migrations.slice(0, 2) }]);
    const add = db.prepare(
      "INSERT INTO logs (received_ts, ts, source, transport, facility, severity, message, size) VALUES (1, 1, '10.0.0.1', 'udp', 1, 1, ?, 10)",
    );
    for (const m of ['old line: link down', 'old line: down link'])
      db.prepare('INSERT INTO logs_fts (rowid, message) VALUES (?, ?)').run(add.run(m).lastInsertRowid, m);
    db.close();
    const store = openSqliteStore(dir) as ReturnType<typeof openSqliteStore> & {
      db: import('better-sqlite3').Database;
    };
    assert.deepEqual(
      store.queryLogs({ q: '"link down"' }).logs.map((l) => l.message),
      ['old line: link down'],
    );
    store.writeLogs([rec(1, { message: 'new line: link down' })]);
    assert.equal(store.queryLogs({ q: 'link down' }).logs.length, 3);
    assert.equal(
      store.maintainLogs(T0 + 5_000, { maxAgeDays: 1, maxBytes: 1e12 }).deletedByAge,
      2,
      'the old lines, by age',
    );
    store.db.exec("INSERT INTO logs_fts (logs_fts) VALUES ('integrity-check')");
    assert.deepEqual(
      store.queryLogs({ q: 'line' }).logs.map((l) => l.message),
      ['new line: link down'],
    );
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
