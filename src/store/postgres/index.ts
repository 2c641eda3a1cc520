import type pg from 'pg';
import type { BusRecord } from '../../model/records.ts';
import { groupByKind, recordWriters } from '../write-batch.ts';
import { freshRecords } from '../ingest.ts';
import type { Store } from '../types.ts';
import { accessPgDomain } from './access.ts';
import { dbOver, openPool, unavailableOr, type Db } from './db.ts';
import { devicesPgDomain } from './devices.ts';
import { migratePg, type PgDomain, type PgShared } from './domain.ts';
import { eventsPgDomain } from './events.ts';
import { ingestPgDomain } from './ingest.ts';
import { logsPgDomain } from './logs.ts';
import { notificationsPgDomain } from './notifications.ts';
import { samplesPgDomain } from './samples.ts';
import { trapsPgDomain } from './traps.ts';
import { usersPgDomain } from './users.ts';
import { pgBatchWriter } from './writer.ts';

/** Every domain of the PostgreSQL store, in migration order (as ../sqlite/index.ts lists SQLite's). */
export const domains = [
  accessPgDomain,
  devicesPgDomain,
  samplesPgDomain,
  trapsPgDomain,
  eventsPgDomain,
  notificationsPgDomain,
  usersPgDomain,
  logsPgDomain,
  ingestPgDomain,
] satisfies PgDomain<object>[];

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  pool?: number;
  /** Store-writer transactions in flight at once (default 2, at most pool - 1). */
  writers?: number;
}

/**
 * Opens the PostgreSQL store at `url` (migrating it first), as a `Store`. Several Vigil processes may use one
 * database at once: ids come from sequences, migrations and partition creation are safe to race.
 * @example const store = await openPostgres('postgres://vigil@db:5432/vigil', { pool: 10 });
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Store> {
  const pool = await openPool(url, opts.pool ?? 10);
  const writers = Math.max(1, Math.min(opts.writers ?? 2, (opts.pool ?? 10) - 1));
  try {
    await migratePg(pool, domains);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const shared: PgShared = { partitions: new Set(), pool: dbOver(pool) };
  let closing: Promise<void> | undefined;
  // Closing twice is harmless (the contract says so); the second waits for the first.
  const close = () => (closing ??= pool.end());

  /** The store's methods over `db`: the pool, or one transaction's client. */
  const build = (db: Db, transaction: Store['transaction']): Store => {
    const repos = Object.assign({}, ...domains.map((d) => d.create(db, shared))) as Store;
    const store: Store = Object.assign(repos, {
      transaction,
      async writeRecords(batch: BusRecord[]) {
        await store.transaction(async (tx) => {
          for (const [kind, list] of groupByKind(batch)) await recordWriters[kind]?.(tx, list as never[]);
        });
      },
      async writeRecordsOnce(batch: BusRecord[], sources: Parameters<Store['writeRecordsOnce']>[1]) {
        await store.transaction(async (tx) => {
          const fresh = new Set(
            await tx.claimBatches(
              sources.map((s) => s.id),
              Date.now(),
            ),
          );
          for (const [kind, list] of groupByKind(freshRecords(batch, sources, fresh)))
            await recordWriters[kind]?.(tx, list as never[]);
        });
      },
      writeEvents: (events: Parameters<Store['writeEvents']>[0], history: Parameters<Store['writeEvents']>[1]) =>
        store.transaction(async (tx) => {
          if (events.length) await tx.saveEvents(events);
          if (history.length) await tx.appendEventHistory(history);
        }),
      // PostgreSQL's work is in its own processes already: no thread, but several writes in flight.
      openWriter: () => pgBatchWriter(store, writers),
      close,
    });
    return store;
  };

  return build(dbOver(pool), async (fn) => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailableOr(error);
    }
    let broken = false;
    // A checked-out client whose connection dies emits 'error' (unhandled, it would end the process); the failure
    // reaches the caller through the query that was running.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN').catch((e) => {
        throw unavailableOr(e);
      });
      const tx: Store = build(dbOver(client), (inner) => inner(tx));
      const result = await fn(tx);
      await client.query('COMMIT').catch((e) => {
        throw unavailableOr(e);
      });
      return result;
    } catch (error) {
      if (!broken) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw unavailableOr(error);
    } finally {
      // A client whose connection failed mid-transaction is discarded, not returned to the pool.
      client.off('error', onError);
      client.release(broken);
    }
  });
}
