import { join } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../../model/private-fs.ts';
import { Database } from './driver.ts';
import type { SyncStore } from '../types.ts';
import { accessDomain } from './access.ts';
import { devicesDomain } from './devices.ts';
import { migrate, type SqliteDomain } from './domain.ts';
import { eventsDomain } from './events.ts';
import { notificationsDomain } from './notifications.ts';
import { logsDomain } from './logs.ts';
import { samplesDomain } from './samples.ts';
import { trapsDomain } from './traps.ts';
import { ingestDomain } from './ingest.ts';
import { usersDomain } from './users.ts';

/** The SQLite store as its own threads use it: synchronous, with the connection for backend-specific tools. */
export interface SqliteStore extends SyncStore {
  /** The underlying handle, for backend-specific tools (benchmarks, maintenance). */
  readonly db: InstanceType<typeof Database>;
  /** Forgets what the repositories cached inside a transaction that was rolled back. */
  readonly afterRollback: readonly (() => void)[];
}

/** Every domain of the SQLite store, in migration order. Add a domain here and its interface to `Store`. */
export const domains = [
  devicesDomain,
  samplesDomain,
  accessDomain,
  usersDomain,
  eventsDomain,
  notificationsDomain,
  trapsDomain,
  logsDomain,
  ingestDomain,
] satisfies SqliteDomain<object>[];

/**
 * Opens (creating when needed) the SQLite store in `dataDir` (or in memory for `:memory:`), applies migrations.
 * Synchronous: for this backend's own threads and tools. Modules use `openSqlite` (the asynchronous `Store`).
 * @example const store = openSqliteStore('./vigil-data');
 */
export function openSqliteStore(dataDir: string): SqliteStore {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    ensurePrivateDir(dataDir);
    file = join(dataDir, 'vigil.db');
    // It holds communities, v3 keys and session hashes: owner-only, also when an older Vigil made it 0644.
    ensurePrivateFile(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: pages rewritten by consecutive log batches (index segments,
  // b-tree edges) reach the database file once, not ten times; measured +25% log-store writes on 500k lines.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, domains);
  const repos = domains.map((d) => d.create(db));
  const afterRollback = repos.flatMap((r) => (r.afterRollback ? [r.afterRollback] : []));
  return Object.assign({}, ...repos.map(({ afterRollback: _hook, ...repo }) => repo), {
    // IMMEDIATE: take the write lock first. A deferred transaction that reads before it writes fails at once with
    // SQLITE_BUSY_SNAPSHOT (no busy wait) when the other connection (the writer thread) committed in between.
    transaction: <T>(fn: () => T): T => {
      try {
        return db.transaction(fn).immediate();
      } catch (error) {
        for (const forget of afterRollback) forget();
        throw error;
      }
    },
    close: () => db.close(),
    db,
    afterRollback,
  }) as SqliteStore;
}
