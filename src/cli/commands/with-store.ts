import { loadConfig } from '../../config/load.ts';
import { openSqlite } from '../../store/sqlite/async.ts';
import type { Store } from '../../store/types.ts';

/** Opens the store of the config's data directory for one command, closing it whether `fn` succeeds or not. */
export async function withStore<T>(configFile: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqlite(loadConfig(configFile ?? process.env.VIGIL_CONFIG).dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
