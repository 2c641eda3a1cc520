import type { EventHistoryEntry, VigilEvent } from '../events/types.ts';
import type { BusRecord, RecordKind } from '../model/records.ts';
import type { PackedTrap, Store } from './types.ts';

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

/** What crosses to the writer thread: a record, or a cheaper-to-copy form of it that its store writer takes too. */
export type TransferRecord = BusRecord | (PackedTrap & { kind: 'trap' });

/** The batch as it is posted to the writer thread (see `PackedTrap`). */
export function packForTransfer(batch: BusRecord[]): TransferRecord[] {
  return batch.map((r) => {
    if (r.kind !== 'trap') return r;
    const { varbinds, community: _secret, ...rest } = r;
    return { ...rest, varbindsJson: JSON.stringify(varbinds) };
  });
}

/** Writes the event engine's event states and history in one transaction. */
export function writeEventBatch(store: Store, events: VigilEvent[], history: EventHistoryEntry[]): void {
  store.transaction(() => {
    if (events.length) store.saveEvents(events);
    if (history.length) store.appendEventHistory(history);
  });
}

/** Writes one batch of mixed records in one transaction, grouped by kind. */
export function writeBatch(store: Store, batch: TransferRecord[]): void {
  const byKind = new Map<RecordKind, TransferRecord[]>();
  for (const r of batch) {
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = []));
    list.push(r);
  }
  store.transaction(() => {
    for (const [kind, records] of byKind) recordWriters[kind]?.(store, records as never[]);
  });
}
