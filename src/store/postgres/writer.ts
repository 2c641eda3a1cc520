import { randomUUID } from 'node:crypto';
import type { BatchWriter, Store } from '../types.ts';
import type { PackedChunk } from '../write-batch.ts';

/**
 * PostgreSQL's `BatchWriter`: one PostgreSQL backend process does one statement at a time, and a batch of log lines
 * keeps it busy (tsvector and GIN), so several writes run at once on connections of the pool. Only lines and traps
 * (appended, each its own row) go in parallel; a write holding other records (samples, device and interface states,
 * whose later values must win) or events waits for the previous such write to commit, so those keep their order.
 */
export function pgBatchWriter(store: Store, concurrency: number): BatchWriter {
  let ordered: Promise<unknown> = Promise.resolve();
  /** Runs `write` after the ordered writes before it, and makes the next ordered write wait for it. */
  const inOrder = <T>(write: () => Promise<T>): Promise<T> => {
    const run = ordered.then(write, write);
    ordered = run.catch(() => {});
    return run;
  };
  /**
   * Each write's id, the same for every attempt of it (the store writer passes the same array again): a connection
   * that breaks during COMMIT leaves it unknown whether the write committed, and the attempt after it then finds its
   * id taken and writes nothing, instead of storing the records twice.
   */
  const ids = new WeakMap<PackedChunk[], string>();
  const writeChunks = (chunks: PackedChunk[]) =>
    store.transaction(async (tx) => {
      let id = ids.get(chunks);
      if (!id) ids.set(chunks, (id = `writer/${randomUUID()}`));
      if (!(await tx.claimBatches([id], Date.now())).length) return;
      const others = chunks.flatMap((c) => c.others ?? []);
      if (others.length) await tx.writeRecords(others);
      for (const c of chunks) if (c.traps) await tx.writeTrapColumns(c.traps);
      const logs = chunks.flatMap((c) => (c.logs ? [c.logs] : []));
      if (logs.length) await tx.writeLogColumns(logs);
    });
  return {
    concurrency,
    write: (chunks) =>
      chunks.some((c) => c.others?.length) ? inOrder(() => writeChunks(chunks)) : writeChunks(chunks),
    writeEvents: (events, history) => inOrder(() => store.writeEvents(events, history)),
    close: async () => {
      await ordered;
    },
  };
}
