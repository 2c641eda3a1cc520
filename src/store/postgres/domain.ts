import type pg from 'pg';
import type { Db } from './db.ts';

/**
 * One slice of the PostgreSQL store, as `sqlite/domain.ts` is for SQLite: its migrations (applied in order, tracked
 * per domain) and the repository built over a `Db` (the pool, or a transaction's client). `create` runs once per
 * transaction too, so it only builds closures.
 */
export interface PgDomain<T extends object> {
  name: string;
  migrations: string[];
  create(db: Db, shared: PgShared): T;
}

/** What repositories share across transactions of one process (caches that a rollback does not undo). */
export interface PgShared {
  /** Partitions known to exist, by table name; see `ensurePartitions`. */
  partitions: Set<string>;
  /** The pool itself (autocommit), for DDL that must not wait inside a caller's transaction. */
  pool: Db;
}

export const definePgDomain = <T extends object>(d: PgDomain<T>) => d;

/** Any number of Vigil processes may start at once against one database: one of them migrates, the others wait. */
const MIGRATION_LOCK = 0x76_69_67_69; // 'vigi'

/** Applies each domain's pending migrations, each in its own transaction, under an advisory lock. */
export async function migratePg(pool: pg.Pool, domains: PgDomain<object>[]): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (domain text NOT NULL, version integer NOT NULL, applied_ts bigint NOT NULL, PRIMARY KEY (domain, version))',
    );
    for (const domain of domains) {
      const r = await c.query('SELECT MAX(version) AS v FROM schema_migrations WHERE domain = $1', [domain.name]);
      const current = Number(r.rows[0]?.v ?? 0);
      for (let i = current; i < domain.migrations.length; i++) {
        await c.query('BEGIN');
        try {
          await c.query(domain.migrations[i]);
          await c.query('INSERT INTO schema_migrations (domain, version, applied_ts) VALUES ($1, $2, $3)', [
            domain.name,
            i + 1,
            Date.now(),
          ]);
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK');
          throw new Error(`PostgreSQL migration ${domain.name} ${i + 1} failed: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    c.release();
  }
}

const DAY = 86_400_000;

/** How a table's day partitions are made beyond `PARTITION OF` (see `setPartitionOptions`). */
export interface PartitionOptions {
  /** Storage parameters (a partitioned parent cannot hold them itself), e.g. `fillfactor = 70`. */
  storage?: string;
  /** A statement run on each partition this process first makes sure of: settings partitions do not inherit. */
  prepare?: (partition: string) => string;
}
const partitionOptions = new Map<string, PartitionOptions>();
/** @example setPartitionOptions('rollup_5m', { storage: 'fillfactor = 70' }) */
export function setPartitionOptions(table: string, options: PartitionOptions): void {
  partitionOptions.set(table, options);
}

/**
 * Makes sure the daily partitions of `table` (range-partitioned on a millisecond column) exist for every given time,
 * creating the missing ones as `<table>_d<day number>`. They are created on the pool, outside any transaction of the
 * caller's (creating a partition locks its parent until commit). Another process may create the same one at the
 * same moment: "already exists" is then not an error.
 */
export async function ensurePartitions(shared: PgShared, table: string, times: Iterable<number>) {
  const days = new Set<number>();
  for (const t of times) days.add(Math.floor(t / DAY));
  for (const day of days) {
    const name = `${table}_d${day}`;
    if (shared.partitions.has(name)) continue;
    const options = partitionOptions.get(table) ?? {};
    const storage = options.storage ? ` WITH (${options.storage})` : '';
    try {
      // Creating a partition locks its parent exclusively: a transaction of the caller's own that already wrote the
      // parent would wait on it forever. The lock timeout turns that into an error that names the cause.
      await shared.pool.run(
        `DO $$ BEGIN SET LOCAL lock_timeout = '10s'; CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM (${day * DAY}) TO (${(day + 1) * DAY})${storage}; END $$`,
      );
    } catch (error) {
      // 23505 / 42P07: the other process won the race; the partition exists.
      if (code(error) !== '23505' && code(error) !== '42P07') {
        if (code(error) === '55P03')
          throw new Error(
            `creating partition ${name} waited over 10 s for a lock on ${table}: ${(error as Error).message}`,
          );
        throw error;
      }
    }
    if (options.prepare) await shared.pool.run(options.prepare(name));
    shared.partitions.add(name);
  }
}

const code = (error: unknown) => (error as { code?: unknown })?.code;

/**
 * Runs `write` once the day partitions of `table`s for their `times` exist. A partition this process saw can be
 * dropped by another one's retention: a write into it then fails (23514, no partition for the row), and is tried once
 * more after forgetting it and creating it again. Inside a transaction the failed statement has aborted it: the first
 * error is rethrown, and the caller's next attempt finds the partition.
 */
export async function intoPartitions<T>(
  shared: PgShared,
  tables: readonly (readonly [string, readonly number[]])[],
  write: () => Promise<T>,
): Promise<T> {
  for (const [table, times] of tables) await ensurePartitions(shared, table, times);
  try {
    return await write();
  } catch (error) {
    if (code(error) !== '23514' || !/no partition/.test((error as Error).message)) throw error;
    for (const [table, times] of tables) {
      for (const t of times) shared.partitions.delete(`${table}_d${Math.floor(t / DAY)}`);
      await ensurePartitions(shared, table, times);
    }
    try {
      return await write();
    } catch {
      throw error;
    }
  }
}

/**
 * Drops `table`'s daily partitions that end at or before `before`; returns the rows they held. Another process may be
 * dropping the same ones: a partition it dropped first (42P01) is skipped.
 */
export async function dropPartitionsBefore(shared: PgShared, table: string, before: number): Promise<number> {
  const db = shared.pool;
  const parts = await db.rows<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1`,
    [table],
  );
  let dropped = 0;
  for (const { name } of parts) {
    const m = new RegExp(`^${table}_d(\\d+)$`).exec(name);
    if (!m || (Number(m[1]) + 1) * DAY > before) continue;
    shared.partitions.delete(name);
    try {
      const n = await db.one<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${name}`);
      await db.run(`DROP TABLE IF EXISTS ${name}`);
      dropped += n?.n ?? 0;
    } catch (error) {
      if (code(error) !== '42P01') throw error;
    }
  }
  return dropped;
}
