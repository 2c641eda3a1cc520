import type { BatchMeta, Bus, Subscription } from '../bus/types.ts';
import type { EventHistoryEntry, VigilEvent } from '../model/events.ts';
import type { BusRecord, RecordKind } from '../model/records.ts';
import { isVigilError } from '../model/errors.ts';
import type { Store } from './types.ts';
import { chunkBuffers, packChunk, recordWriters, type PackedChunk } from './write-batch.ts';

export interface StoreWriter extends Subscription {
  /** Stops taking records and, with a worker, ends it after its last write. */
  close(): Promise<void>;
  /**
   * Stores event states and history in one transaction, on the writer's thread when it has one, so the event
   * engine's write-behind costs its own thread only the copy. Writes are committed in the order they are called.
   */
  writeEvents(events: VigilEvent[], history: EventHistoryEntry[]): Promise<void>;
  /**
   * From now on, a store that stays unavailable for `ms` more makes pending writes fail (their records lost, reported
   * through onError) instead of being retried for ever: so that stopping Vigil during an outage ends.
   */
  finishWithin(ms: number): void;
}

export interface StoreWriterOptions {
  maxBatch?: number;
  /** Called after each batch (or, with a thread, each transaction) is committed. */
  onWritten?: () => void;
  /** A write the writer thread could not commit (after its retries): its records are lost, and this says so. */
  onError?: (error: unknown) => void;
  /**
   * The store is unavailable (VIGIL_UNAVAILABLE: PostgreSQL down or restarting): the write is tried again, with a
   * growing pause (0.1 s to 5 s), until it succeeds; meanwhile the bus's queue fills and holds TCP inputs back.
   * Called for each failed attempt.
   */
  onRetry?: (error: unknown, attempt: number) => void;
  /**
   * Write through the store's own `BatchWriter` (`store.openWriter()`: for SQLite on disk, a thread with its own
   * connection, so that SQLite's work runs on another core than the sockets and parsers). Without it, or when the
   * store has none, batches are written through `store.writeRecords` here.
   */
  ownWriter?: boolean;
}

/** Records packed and not yet handed to the writer thread, past which the bus's queue is left to fill. */
const MAX_PACKED = 20_000;
/** Records per write to the thread (one transaction), as the bus's batches were before. */
const MAX_WRITE = 5_000;

/**
 * The store writer: takes batches from the bus and writes them in transactions.
 * With a writer thread, each batch is packed the moment the bus hands it over (see `PackedChunk`) and the handler
 * returns: trap records then die young instead of waiting in V8's young generation through a write, to be copied and
 * promoted (in a trap storm, that was most of the receiving thread's collection time). Packed chunks go to the
 * thread whenever it is free, up to MAX_WRITE records per transaction, so a backlog makes full transactions. Past MAX_PACKED
 * packed records the handler waits: the bus's queue fills and holds publishers back, so TCP inputs slow down instead
 * of losing data. `bus.drain()` waits until what was handed over is committed, so what the API reads after it is stored.
 */
export function startStoreWriter(bus: Bus, store: Store, opts: StoreWriterOptions = {}): StoreWriter {
  const thread = opts.ownWriter ? store.openWriter() : undefined;
  const packed: PackedChunk[] = [];
  let packedCount = 0;
  let writing: Promise<void> | undefined;
  let failure: unknown;
  /** Handlers waiting for room below MAX_PACKED (not for everything to be written: the thread then ran dry). */
  let roomWaiters: (() => void)[] = [];
  const wakeRoom = () => {
    if (packedCount >= MAX_PACKED || !roomWaiters.length) return;
    const w = roomWaiters;
    roomWaiters = [];
    for (const f of w) f();
  };

  let giveUpAt = Number.POSITIVE_INFINITY;
  /** Runs `write` until it succeeds while the store is only unavailable; other errors pass through at once. */
  const untilStored = async (write: () => Promise<void>): Promise<void> => {
    for (let attempt = 1, pause = 100; ; attempt++, pause = Math.min(pause * 2, 5000)) {
      try {
        return await write();
      } catch (error) {
        if (!isVigilError(error) || error.code !== 'VIGIL_UNAVAILABLE' || Date.now() >= giveUpAt) throw error;
        opts.onRetry?.(error, attempt);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  };

  /** Takes up to MAX_WRITE records of packed chunks and writes them; false when nothing is packed. */
  async function writeNext(): Promise<boolean> {
    if (!packed.length) return false;
    // At most about MAX_WRITE records per transaction: the writer unpacks a whole write at once.
    let take = 0;
    let records = 0;
    while (take < packed.length && (take === 0 || records + packed[take].count <= MAX_WRITE))
      records += packed[take++].count;
    const chunks = packed.splice(0, take);
    const buffers = chunks.flatMap(chunkBuffers);
    packedCount -= records;
    wakeRoom();
    try {
      await untilStored(() => thread!.write(chunks, buffers));
      opts.onWritten?.();
    } catch (e) {
      if (opts.onError) opts.onError(e);
      else failure = e;
    }
    return true;
  }

  /** Lanes writing now; `writing` settles when the last one finds nothing left. */
  let active = 0;
  let written: (() => void) | undefined;
  /**
   * Hands what is packed to the writer until nothing is left, with up to `concurrency` writes in flight (SQLite's
   * thread one, PostgreSQL more): a chunk packed while every lane is busy starts another lane if one is free.
   */
  function flush(): Promise<void> {
    if (!writing && !packed.length) return Promise.resolve();
    writing ??= new Promise<void>((r) => (written = r));
    const lanes = Math.max(1, thread!.concurrency ?? 1);
    while (active < lanes && packed.length) {
      active++;
      void (async () => {
        while (await writeNext());
        active--;
        if (active > 0) return;
        // A chunk packed while this lane was finishing: the next round takes it.
        if (packed.length) return void flush();
        writing = undefined;
        written?.();
        wakeRoom();
      })();
    }
    return writing;
  }

  const handler = async (batch: BusRecord[], meta?: BatchMeta) => {
    // Batches with ids (the Kafka bus) are written here, each in one transaction with its ids, so that one delivered
    // again is stored once; a failure is the handler's (the bus delivers the batch again), not onError's.
    if (meta?.sources.length) {
      await untilStored(() => store.writeRecordsOnce(batch, meta.sources));
      opts.onWritten?.();
      return;
    }
    if (!thread) {
      await untilStored(() => store.writeRecords(batch));
      opts.onWritten?.();
      return;
    }
    const chunk = packChunk(batch);
    packed.push(chunk);
    packedCount += chunk.count;
    void flush();
    // Past MAX_PACKED, wait for room, not for the thread to write everything: it keeps a write in hand meanwhile.
    if (packedCount >= MAX_PACKED) await new Promise<void>((r) => roomWaiters.push(r));
    // Without onError, a failed write is reported through the bus (as this call failing; this batch is packed).
    if (failure !== undefined) {
      const e = failure;
      failure = undefined;
      throw e;
    }
  };
  const settled = async () => {
    while (writing) await writing;
  };
  const kinds = Object.keys(recordWriters) as RecordKind[];
  const sub = bus.subscribe('store-writer', handler, { kinds, maxBatch: opts.maxBatch ?? 5000, settled });
  return Object.assign(sub, {
    async writeEvents(events: VigilEvent[], history: EventHistoryEntry[]) {
      if (thread) return thread.writeEvents(events, history);
      await untilStored(() => store.writeEvents(events, history));
    },
    finishWithin(ms: number) {
      giveUpAt = Math.min(giveUpAt, Date.now() + ms);
    },
    async close() {
      sub.unsubscribe();
      await settled();
      await thread?.close();
    },
  });
}
