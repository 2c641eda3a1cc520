import type { Store } from '../types.ts';
import { freshRecords } from '../ingest.ts';
import { writeBatch, writeEventBatch } from '../write-batch.ts';
import { openSqliteStore, type SqliteStore } from './index.ts';
import { startWriterThread } from './writer-thread.ts';

/** Methods that are not the domains' and are given their asynchronous meaning below, not wrapped one to one. */
const OWN = new Set(['transaction', 'close', 'db', 'afterRollback']);

/**
 * The SQLite backend as a `Store`. Each call runs at once on this thread's connection and answers with a settled
 * promise (better-sqlite3 is synchronous; nothing waits on I/O here).
 *
 * A transaction spans awaits, so while one is open its connection is not shared: calls on the store itself wait
 * until it ends, and only calls on its `tx` run inside it (as a pool of one connection would behave). Without that,
 * another request's write made between two awaits would join the transaction and be rolled back with it.
 * @example const store = openSqlite('./vigil-data'); await store.putDevice(d);
 */
export function openSqlite(dataDir: string): Store {
  return sqliteAsStore(openSqliteStore(dataDir), dataDir);
}

/** Wraps an open SQLite store; `dataDir` is where its writer thread opens its own connection (none for `:memory:`). */
export function sqliteAsStore(sync: SqliteStore, dataDir: string): Store {
  /** Settles when the open transaction ends; undefined while none is open. */
  let open: Promise<void> | undefined;
  const direct: Record<string, unknown> = {};
  const outer: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sync)) {
    if (OWN.has(name) || typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    const now = (args: unknown[]): Promise<unknown> => {
      try {
        return Promise.resolve(fn(...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    direct[name] = (...args: unknown[]) => now(args);
    const call = (args: unknown[]): Promise<unknown> => (open ? open.then(() => call(args)) : now(args));
    outer[name] = (...args: unknown[]) => call(args);
  }

  const common = {
    writeRecords: async (batch: Parameters<Store['writeRecords']>[0]) => writeBatch(sync, batch),
    writeRecordsOnce: async (...[batch, sources]: Parameters<Store['writeRecordsOnce']>) =>
      sync.transaction(() => {
        const fresh = new Set(
          sync.claimBatches(
            sources.map((s) => s.id),
            Date.now(),
          ),
        );
        writeBatch(sync, freshRecords(batch, sources, fresh));
      }),
    writeEvents: async (...[events, history]: Parameters<Store['writeEvents']>) =>
      writeEventBatch(sync, events, history),
    openWriter: () => (dataDir === ':memory:' ? undefined : startWriterThread(dataDir)),
    close: async () => sync.close(),
    db: sync.db,
  };
  const tx = Object.assign(direct, common, {
    // Inside a transaction, a nested one is part of it.
    transaction: <T>(fn: (t: Store) => Promise<T>) => fn(tx),
  }) as unknown as Store;

  const store = Object.assign(outer, common, {
    async transaction<T>(fn: (t: Store) => Promise<T>): Promise<T> {
      while (open) await open;
      let end!: () => void;
      open = new Promise<void>((r) => (end = r));
      try {
        // IMMEDIATE: take the write lock first (see SqliteStore.transaction).
        sync.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(tx);
          sync.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (sync.db.inTransaction) sync.db.exec('ROLLBACK');
          for (const forget of sync.afterRollback) forget();
          throw error;
        }
      } finally {
        open = undefined;
        end();
      }
    },
  }) as unknown as Store;
  return store;
}
