import { storeBackend } from './config.ts';
import { openPostgres } from './postgres/index.ts';
import { openSqlite } from './sqlite/async.ts';
import type { Store } from './types.ts';

/**
 * Opens the store the config selects: SQLite in `dataDir` (the default), or PostgreSQL at `store.url`.
 * @example const store = await openStore(config);
 */
export async function openStore(config: {
  dataDir: string;
  store: { backend?: 'sqlite' | 'postgres'; url?: string; pool: number };
}): Promise<Store> {
  if (storeBackend(config.store) === 'postgres') return openPostgres(config.store.url!, { pool: config.store.pool });
  return openSqlite(config.dataDir);
}
