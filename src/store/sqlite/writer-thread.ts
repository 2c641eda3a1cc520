import type { EventHistoryEntry, VigilEvent } from '../../model/events.ts';
import { siblingModule, startModuleWorker } from '../../model/module-worker.ts';
import type { BatchWriter } from '../types.ts';
import type { PackedChunk } from '../write-batch.ts';
import type { WriteReply } from './writer-worker.ts';

/**
 * The SQLite store's `BatchWriter`: a worker thread with its own connection to the database in `dataDir`, so that
 * SQLite's work runs on another core than the sockets and parsers. Each write resolves when it is committed.
 */
export function startWriterThread(dataDir: string): BatchWriter {
  // The thread holds one batch at a time; without a limit V8 lets its heap grow like the main one's.
  const worker = startModuleWorker(
    siblingModule(import.meta.url, 'writer-worker'),
    { dataDir },
    { maxOldGenerationSizeMb: 128 },
  );
  let nextId = 1;
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  worker.on('message', (reply: WriteReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) w?.reject(new Error(`store write failed: ${reply.error}`));
    else w?.resolve();
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('error', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`store writer thread exited (${code})`)));
  const send = (
    request: { chunks: PackedChunk[] } | { events: VigilEvent[]; history: EventHistoryEntry[] },
    transfer: ArrayBuffer[] = [],
  ): Promise<void> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request }, transfer);
    });
  };
  return {
    write: (chunks, transfer) => send({ chunks }, transfer),
    writeEvents: (events, history) => send({ events, history }),
    async close() {
      if (failure) return;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}
