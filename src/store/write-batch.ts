import type { EventHistoryEntry, VigilEvent } from '../events/types.ts';
import type { BusRecord, RecordKind, TrapRecord } from '../model/records.ts';
import { packTraps, trapColumnBuffers, type TrapColumns } from './trap-columns.ts';
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

/** A batch as it crosses to the writer thread: traps in columns (see trap-columns.ts), the other records as they are. */
export interface TransferBatch {
  records: BusRecord[];
  traps?: TrapColumns;
}

/** Packs a batch for the writer thread; `transfer` lists the buffers to move with it rather than copy. */
export function packForTransfer(batch: BusRecord[]): { batch: TransferBatch; transfer: ArrayBuffer[] } {
  const traps: TrapRecord[] = [];
  const records: BusRecord[] = [];
  for (const r of batch) {
    if (r.kind === 'trap') traps.push(r);
    else records.push(r);
  }
  if (!traps.length) return { batch: { records }, transfer: [] };
  const columns = packTraps(traps);
  return { batch: { records, traps: columns }, transfer: trapColumnBuffers(columns) };
}

/** Writes the event engine's event states and history in one transaction. */
export function writeEventBatch(store: Store, events: VigilEvent[], history: EventHistoryEntry[]): void {
  store.transaction(() => {
    if (events.length) store.saveEvents(events);
    if (history.length) store.appendEventHistory(history);
  });
}

/** Writes one batch of mixed records (as published, or packed for transfer) in one transaction, grouped by kind. */
export function writeBatch(store: Store, batch: BusRecord[] | TransferBatch): void {
  const { records, traps } = Array.isArray(batch) ? { records: batch, traps: undefined } : batch;
  const byKind = new Map<RecordKind, BusRecord[]>();
  for (const r of records) {
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = []));
    list.push(r);
  }
  store.transaction(() => {
    for (const [kind, list] of byKind) recordWriters[kind]?.(store, list as never[]);
    if (traps) store.writeTrapColumns(traps);
  });
}
