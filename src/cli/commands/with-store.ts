import { loadConfig } from '../../config/load.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/types.ts';

/** Opens the config's store (SQLite in its data directory, or PostgreSQL) for one command, closing it whether `fn` succeeds or not. */
export async function withStore<T>(configFile: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(configFile ?? process.env.VIGIL_CONFIG));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
