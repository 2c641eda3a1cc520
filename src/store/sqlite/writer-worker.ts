/**
 * The store writer's thread: its own connection to the data directory's database, writing the batches the
 * main thread posts and answering each once it is committed. See `startStoreWriter`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BusRecord } from '../../model/records.ts';
import { writeBatch } from '../write-batch.ts';
import { openSqliteStore } from './index.ts';

export interface WriteRequest {
  id: number;
  batch: BusRecord[];
}
export interface WriteReply {
  id: number;
  error?: string;
}

const store = openSqliteStore((workerData as { dataDir: string }).dataDir);
parentPort!.on('message', (msg: WriteRequest | 'close') => {
  if (msg === 'close') {
    store.close();
    parentPort!.close();
    return;
  }
  try {
    writeBatch(store, msg.batch);
    parentPort!.postMessage({ id: msg.id } satisfies WriteReply);
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error)?.message ?? String(error) } satisfies WriteReply);
  }
});
