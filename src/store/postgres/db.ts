import { createHash } from 'node:crypto';
import pg from 'pg';
import { VigilError } from '../../model/errors.ts';

/**
 * What a PostgreSQL repository queries through: the pool outside transactions, one checked-out client inside one.
 * Every statement is prepared once per connection (named by a hash of its text), so repositories write plain SQL
 * with `$1` parameters and pay the parse and plan once.
 */
export interface Db {
  rows<T = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<T[]>;
  one<T = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; resolves with the rows it changed. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const names = new Map<string, string>();
const statementName = (text: string) => {
  let name = names.get(text);
  if (!name) names.set(text, (name = `v${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return name;
};

export function dbOver(q: Queryable): Db {
  const query = (text: string, values?: readonly unknown[]) =>
    (q as pg.Pool).query({ name: statementName(text), text, values: values as unknown[] | undefined });
  return {
    rows: async <T>(text: string, values?: readonly unknown[]) => (await query(text, values)).rows as T[],
    one: async <T>(text: string, values?: readonly unknown[]) => (await query(text, values)).rows[0] as T | undefined,
    run: async (text, values) => (await query(text, values)).rowCount ?? 0,
  };
}

/** int8 and numeric as numbers: Vigil's ids and millisecond timestamps fit in 2^53. Per pool, not process-wide. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** `postgres://user:password@host:port/db` with the password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Opens a pool and checks it can connect; a refusal or bad credentials become one line naming the setting. */
export async function openPool(url: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: 'vigil' });
  // An idle client's error (server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new VigilError(
      'VIGIL_CONFIG',
      `store.url ${redactUrl(url)}: cannot connect to PostgreSQL: ${(error as Error).message}`,
    );
  }
  return pool;
}

/** A write whose keys must be free: a unique violation (23505) becomes VIGIL_CONFLICT, as on SQLite. */
export async function unlessTaken<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown })?.code === '23505') throw new VigilError('VIGIL_CONFLICT', message);
    throw error;
  }
}
