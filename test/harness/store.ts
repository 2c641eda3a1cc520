/**
 * A store for tests that build their own pipeline (not a whole Vigil): SQLite by default, or with
 * VIGIL_TEST_STORE=postgres a fresh database on the file's shared throwaway PostgreSQL (postgres-shared.ts), so that
 * the same tests run on both backends. `count(sql)` runs a `SELECT count(*) …` on whichever backend, for checks the
 * Store interface has no call for (duplicates).
 * @example const { store, count, close } = await openTestStore();
 */
import { after } from 'node:test';
import pg from 'pg';
import { openPostgres } from '../../src/store/postgres/index.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';
import type { Store } from '../../src/store/types.ts';

export interface TestStore {
  store: Store;
  backend: 'sqlite' | 'postgres';
  /** The first column of the first row of `sql` (standard SQL that both backends take), as a number. */
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

const onPostgres = process.env.VIGIL_TEST_STORE === 'postgres';
if (onPostgres) after(async () => (await import('./postgres-shared.ts')).stopWhenUnused());

/** `dir`: SQLite's data directory (default in memory); ignored on PostgreSQL. */
export async function openTestStore(dir?: string): Promise<TestStore> {
  if (!onPostgres) {
    const store = openSqlite(dir ?? ':memory:');
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    return {
      store,
      backend: 'sqlite',
      count: async (sql) => Number(Object.values(db.prepare(sql).get() as object)[0]),
      close: () => store.close(),
    };
  }
  const shared = await import('./postgres-shared.ts');
  const url = await (await shared.sharedTestPostgres()).freshDatabase();
  const store = await openPostgres(url, { pool: 4 });
  shared.vigilStarted();
  let closed = false;
  return {
    store,
    backend: 'postgres',
    async count(sql) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return Number(Object.values((await c.query(sql)).rows[0] as object)[0]);
      } finally {
        await c.end();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
      shared.vigilStopped();
    },
  };
}
