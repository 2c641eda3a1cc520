/**
 * The store writer's thread: its own connection to the data directory's database, writing the batches the
 * main thread posts and answering each once it is committed. See `startStoreWriter`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventHistoryEntry, VigilEvent } from '../../model/events.ts';
import { writeChunks, writeEventBatch, type PackedChunk } from '../write-batch.ts';
import { openSqliteStore } from './index.ts';

/** A batch of bus records, or the event engine's write-behind of event states and history. */
export type WriteRequest =
  | { id: number; chunks: PackedChunk[] }
  | { id: number; events: VigilEvent[]; history: EventHistoryEntry[] };
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
  // Nothing accepted may be lost: a batch that meets a lock held past the busy timeout is tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      if ('chunks' in msg) writeChunks(store, msg.chunks);
      else writeEventBatch(store, msg.events, msg.history);
      parentPort!.postMessage({ id: msg.id } satisfies WriteReply);
      return;
    } catch (error) {
      const code = (error as { code?: string })?.code ?? '';
      if (code.startsWith('SQLITE_BUSY') && attempt < 20) continue;
      parentPort!.postMessage({ id: msg.id, error: (error as Error)?.message ?? String(error) } satisfies WriteReply);
      return;
    }
  }
});
