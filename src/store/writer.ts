import type { Bus, Subscription } from '../bus/types.ts';
import type { BusRecord, RecordKind } from '../model/records.ts';
import type { Store } from './types.ts';

type Writer = (store: Store, records: never[]) => void;

/**
 * How each record kind is persisted. Kinds without an entry (events: the engine persists them) are ignored.
 * Add an entry when a new record kind must be stored.
 */
export const recordWriters: Partial<Record<RecordKind, Writer>> = {
  sample: (store, records) => store.writeSamples(records),
  'device-state': (store, records) => store.applyDeviceStates(records),
  'interface-state': (store, records) => store.applyInterfaceStates(records),
  log: (store, records) => store.writeLogs(records),
  trap: (store, records) => store.writeTraps(records),
};

/**
 * The store writer: takes batches from the bus and writes each batch in one transaction.
 * Because the bus holds publishers back while this subscriber is behind, TCP inputs slow down instead of losing data.
 */
export function startStoreWriter(bus: Bus, store: Store, opts: { maxBatch?: number; onWritten?: (batch: BusRecord[]) => void } = {}): Subscription {
  const kinds = Object.keys(recordWriters) as RecordKind[];
  return bus.subscribe(
    'store-writer',
    (batch) => {
      const byKind = new Map<RecordKind, BusRecord[]>();
      for (const r of batch) {
        let list = byKind.get(r.kind);
        if (!list) byKind.set(r.kind, (list = []));
        list.push(r);
      }
      store.transaction(() => {
        for (const [kind, records] of byKind) recordWriters[kind]?.(store, records as never[]);
      });
      opts.onWritten?.(batch);
    },
    { kinds, maxBatch: opts.maxBatch ?? 5000 },
  );
}
