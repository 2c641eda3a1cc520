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

/** Connection-level failures: the server is down, restarting, refusing, or the connection broke mid-statement. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 53300: too many
    // connections.
    if (UNREACHABLE.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return true;
  }
  const message = (error as Error)?.message ?? '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/**
 * A failure of the database itself (not of the statement) becomes VIGIL_UNAVAILABLE (503 from the API, retried by the
 * store writer); anything else is passed on as it is.
 */
export function unavailableOr(error: unknown): unknown {
  if (!isUnavailable(error) || (error as { code?: unknown })?.code === 'VIGIL_UNAVAILABLE') return error;
  return new VigilError('VIGIL_UNAVAILABLE', `store: PostgreSQL is unavailable (${(error as Error).message})`);
}

export function dbOver(q: Queryable): Db {
  const query = async (text: string, values?: readonly unknown[]) => {
    try {
      return await (q as pg.Pool).query({ name: statementName(text), text, values: values as unknown[] | undefined });
    } catch (error) {
      throw unavailableOr(error);
    }
  };
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
  // A request waits at most 10 s for a connection (all busy, or the server not answering), then fails with 503.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    application_name: 'vigil',
    connectionTimeoutMillis: 10_000,
  });
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
