import type { BusRecord, LogRecord, RecordKind, Sample, TrapRecord } from '../../model/records.ts';
import type { DeviceState, InterfaceState } from '../../model/records.ts';
import { unpackLogs } from '../log-columns.ts';
import type { Store } from '../types.ts';
import { accessPgDomain } from './access.ts';
import { dbOver, openPool, type Db } from './db.ts';
import { devicesPgDomain } from './devices.ts';
import { migratePg, type PgDomain, type PgShared } from './domain.ts';
import { eventsPgDomain } from './events.ts';
import { logsPgDomain } from './logs.ts';
import { notificationsPgDomain } from './notifications.ts';
import { samplesPgDomain } from './samples.ts';
import { trapsPgDomain } from './traps.ts';
import { usersPgDomain } from './users.ts';

/** Every domain of the PostgreSQL store, in migration order (as ../sqlite/index.ts lists SQLite's). */
const domains = [
  accessPgDomain,
  devicesPgDomain,
  samplesPgDomain,
  trapsPgDomain,
  eventsPgDomain,
  notificationsPgDomain,
  usersPgDomain,
  logsPgDomain,
] satisfies PgDomain<object>[];

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  pool?: number;
}

/** How each bus record kind is stored, as `recordWriters` in ../write-batch.ts says for SQLite. */
const kindWriters: Partial<Record<RecordKind, (tx: Store, records: never[]) => Promise<unknown>>> = {
  sample: (tx, r: Sample[]) => tx.writeSamples(r),
  'device-state': (tx, r: DeviceState[]) => tx.applyDeviceStates(r),
  'interface-state': (tx, r: InterfaceState[]) => tx.applyInterfaceStates(r),
  log: (tx, r: LogRecord[]) => tx.writeLogs(r),
  trap: (tx, r: TrapRecord[]) => tx.writeTraps(r),
};

/**
 * Opens the PostgreSQL store at `url` (migrating it first), as a `Store`. Several Vigil processes may use one
 * database at once: ids come from sequences, migrations and partition creation are safe to race.
 * @example const store = await openPostgres('postgres://vigil@db:5432/vigil', { pool: 10 });
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Store> {
  const pool = await openPool(url, opts.pool ?? 10);
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
      async writeLogColumns(batches: Parameters<Store['writeLogColumns']>[0]) {
        await store.writeLogs(batches.flatMap(unpackLogs));
      },
      async writeRecords(batch: BusRecord[]) {
        const byKind = new Map<RecordKind, BusRecord[]>();
        for (const r of batch) {
          let list = byKind.get(r.kind);
          if (!list) byKind.set(r.kind, (list = []));
          list.push(r);
        }
        await store.transaction(async (tx) => {
          for (const [kind, list] of byKind) await kindWriters[kind]?.(tx, list as never[]);
        });
      },
      writeEvents: (events: Parameters<Store['writeEvents']>[0], history: Parameters<Store['writeEvents']>[1]) =>
        store.transaction(async (tx) => {
          if (events.length) await tx.saveEvents(events);
          if (history.length) await tx.appendEventHistory(history);
        }),
      // Batches are written through writeRecords on the pool (PostgreSQL's work is in its own processes already).
      openWriter: () => undefined,
      close,
    });
    return store;
  };

  return build(dbOver(pool), async (fn) => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx: Store = build(dbOver(client), (inner) => inner(tx));
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      // A client whose connection failed mid-transaction is discarded, not returned to the pool.
      client.release(broken);
    }
  });
}
