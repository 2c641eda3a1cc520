import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from './index.ts';

const mode = (p: string) => statSync(p).mode & 0o777;

test('a new data directory is 0700, the database and its WAL and shared-memory files 0600', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-modes-'));
  const prev = process.umask(0o022);
  try {
    const dir = join(root, 'nested', 'data');
    const store = openSqliteStore(dir);
    store.putDevice({
      id: 'd',
      name: 'd',
      address: '127.0.0.1',
      tags: [],
      icmp: { enabled: true },
      pollIntervalS: 60,
      origin: 'api',
      snmp: { version: 'v2c', community: 'c', port: 161, timeoutMs: 1000, retries: 1 },
    });
    assert.equal(mode(dir), 0o700);
    for (const f of ['vigil.db', 'vigil.db-wal', 'vigil.db-shm']) {
      assert.ok(existsSync(join(dir, f)), f);
      assert.equal(mode(join(dir, f)), 0o600, f);
    }
    store.close();
  } finally {
    process.umask(prev);
    rmSync(root, { recursive: true, force: true });
  }
});

test('a database an older version left world-readable is made 0600 when opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-modes-'));
  try {
    writeFileSync(join(dir, 'vigil.db'), '');
    chmodSync(join(dir, 'vigil.db'), 0o644);
    openSqliteStore(dir).close();
    assert.equal(mode(join(dir, 'vigil.db')), 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
