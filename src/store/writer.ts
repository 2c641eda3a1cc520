import { Worker } from 'node:worker_threads';
import type { Bus, Subscription } from '../bus/types.ts';
import type { EventHistoryEntry, VigilEvent } from '../events/types.ts';
import type { BusRecord, RecordKind } from '../model/records.ts';
import type { WriteReply } from './sqlite/writer-worker.ts';
import type { Store } from './types.ts';
import { packForTransfer, recordWriters, writeBatch, writeEventBatch, type TransferBatch } from './write-batch.ts';


export interface StoreWriter extends Subscription {
  /** Stops taking records and, with a worker, ends it after its last write. */
  close(): Promise<void>;
  /**
   * Stores event states and history in one transaction, on the writer's thread when it has one, so the event
   * engine's write-behind costs its own thread only the copy. Writes are committed in the order they are called.
   */
  writeEvents(events: VigilEvent[], history: EventHistoryEntry[]): Promise<void>;
}

export interface StoreWriterOptions {
  maxBatch?: number;
  onWritten?: (batch: BusRecord[]) => void;
  /**
   * Write from a worker thread with its own connection to the database in this directory, so that SQLite's
   * work runs on another core than the sockets and parsers. Without it (or for ':memory:'), writes run here.
   */
  workerDataDir?: string;
}

/** A worker thread that writes batches; `write` resolves when the batch is committed. */
export function startWriterThread(dataDir: string) {
  const here = import.meta.url;
  // The thread holds one batch at a time; without a limit V8 lets its heap grow like the main one's.
  const resourceLimits = { maxOldGenerationSizeMb: 128 };
  let worker: Worker;
  if (here.endsWith('.ts')) {
    // Running from source: a worker does not inherit tsx's loader on every Node version, so it registers it first.
    const entry = new URL('./sqlite/writer-worker.ts', here).href;
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    worker = new Worker(code, { eval: true, workerData: { dataDir }, resourceLimits });
  } else worker = new Worker(new URL('./sqlite/writer-worker.js', here), { workerData: { dataDir }, resourceLimits });
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
  const send = (request: { batch: TransferBatch } | { events: VigilEvent[]; history: EventHistoryEntry[] }, transfer: ArrayBuffer[] = []): Promise<void> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request }, transfer);
    });
  };
  return {
    write: (records: BusRecord[]) => {
      const { batch, transfer } = packForTransfer(records);
      return send({ batch }, transfer);
    },
    writeEvents: (events: VigilEvent[], history: EventHistoryEntry[]) => send({ events, history }),
    async close() {
      if (failure) return;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}

/**
 * The store writer: takes batches from the bus and writes each batch in one transaction.
 * The bus hands it the next batch only once this one is committed and holds publishers back while it is behind,
 * so TCP inputs slow down instead of losing data, and what the API reads after a drain is stored.
 */
export function startStoreWriter(bus: Bus, store: Store, opts: StoreWriterOptions = {}): StoreWriter {
  const thread = opts.workerDataDir && opts.workerDataDir !== ':memory:' ? startWriterThread(opts.workerDataDir) : undefined;
  const handler = async (batch: BusRecord[]) => {
    if (thread) await thread.write(batch);
    else writeBatch(store, batch);
    opts.onWritten?.(batch);
  };
  // Two queues, sized for what each costs. Logs come in large transactions: each commit flushes the full-text
  // index, so fewer, larger ones keep ingest up. Everything else goes in smaller ones: records that wait in the
  // queue outlive V8's young-generation collections and are copied and promoted, and a trap storm then spent
  // more on that than the larger transactions saved (at 140k traps/s offered: 12.1-13.6 µs of CPU per stored trap
  // with batches of 1,000 against 13.5-15.7 with 5,000).
  const logs = bus.subscribe('store-writer-logs', handler, { kinds: ['log'], maxBatch: opts.maxBatch ?? 5000 });
  const others = (Object.keys(recordWriters) as RecordKind[]).filter((k) => k !== 'log');
  const rest = bus.subscribe('store-writer', handler, { kinds: others, maxBatch: opts.maxBatch ?? 1000 });
  return {
    name: 'store-writer',
    get pending() {
      return logs.pending + rest.pending;
    },
    unsubscribe() {
      logs.unsubscribe();
      rest.unsubscribe();
    },
    async writeEvents(events: VigilEvent[], history: EventHistoryEntry[]) {
      if (thread) return thread.writeEvents(events, history);
      writeEventBatch(store, events, history);
    },
    async close() {
      logs.unsubscribe();
      rest.unsubscribe();
      await thread?.close();
    },
  };
}
