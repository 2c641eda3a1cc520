import type { EventHistoryEntry, VigilEvent } from '../model/events.ts';
import type { BusRecord, LogRecord, RecordKind, TopologyRecord, TrapRecord, WirelessRecord } from '../model/records.ts';
import { wirelessKey } from '../model/wireless.ts';
import { topologyHostsKey, topologySnapshotKey } from '../model/topology.ts';
import { logColumnBuffers, packLogs, type LogColumns } from '../model/log-columns.ts';
import { packTraps, trapColumnBuffers, type TrapColumns } from './trap-columns.ts';
import type { Store, SyncStore } from './types.ts';

type RecordMethods =
  | 'writeSamples'
  | 'applyDeviceStates'
  | 'applyInterfaceStates'
  | 'writeLogs'
  | 'writeTraps'
  | 'setKv';
/** A store of either face: SQLite's synchronous one or the asynchronous `Store` (the writer then awaits the call). */
type RecordSink = Pick<SyncStore, RecordMethods> | Pick<Store, RecordMethods>;
type Writer = (store: RecordSink, records: never[]) => unknown;

/**
 * How each record kind is persisted, on every backend. Kinds without an entry (events: the engine persists them) are
 * ignored. Add an entry when a new record kind must be stored.
 */
export const recordWriters: Partial<Record<RecordKind, Writer>> = {
  sample: (store, records) => store.writeSamples(records),
  'device-state': (store, records) => store.applyDeviceStates(records),
  'interface-state': (store, records) => store.applyInterfaceStates(records),
  log: (store, records) => store.writeLogs(records),
  trap: (store, records) => store.writeTraps(records),
  // The latest neighbour tables of each device: identity and neighbours under topologySnapshotKey, the large forwarding
  // and ARP/ND tables apart under topologyHostsKey (link computation reads every device's snapshot, never those). A
  // synchronous store writes them at once inside its transaction; an asynchronous one queues them on its connection.
  topology: (store, records: TopologyRecord[]) => {
    const latest = new Map<string, TopologyRecord>();
    for (const r of records) if ((latest.get(r.deviceId)?.ts ?? -Infinity) <= r.ts) latest.set(r.deviceId, r);
    const writes: unknown[] = [];
    for (const r of latest.values()) {
      const { fdb, arp, ...snapshot } = (r.snapshot ?? {}) as Record<string, unknown>;
      writes.push(store.setKv(topologySnapshotKey(r.deviceId), { ts: r.ts, snapshot }));
      writes.push(store.setKv(topologyHostsKey(r.deviceId), { ts: r.ts, fdb: fdb ?? [], arp: arp ?? [] }));
    }
    return Promise.all(writes);
  },
  // The latest wireless snapshot of each controller (APs, radios, clients), for the Wireless page and AP events.
  wireless: (store, records: WirelessRecord[]) => {
    const latest = new Map<string, WirelessRecord>();
    for (const r of records) if ((latest.get(r.deviceId)?.ts ?? -Infinity) <= r.ts) latest.set(r.deviceId, r);
    return Promise.all(
      [...latest.values()].map((r) => store.setKv(wirelessKey(r.deviceId), { ts: r.ts, snapshot: r.snapshot })),
    );
  },
};

/**
 * A batch packed for the writer thread as soon as the bus hands it over: traps in columns (see trap-columns.ts),
 * typed arrays outside the JS heap, so that the trap records die young; the other records as they are, copied when
 * posted. (Serializing those at once too was tried: the serialized buffers, moved to the writer thread, are memory V8
 * collects there only every few tens of MB, and polling 2,000 devices then peaked 45 MB higher.)
 */
export interface PackedChunk {
  count: number;
  traps?: TrapColumns;
  logs?: LogColumns;
  others?: BusRecord[];
}

/** Packs a batch. */
export function packChunk(batch: BusRecord[]): PackedChunk {
  const traps: TrapRecord[] = [];
  const logs: LogRecord[] = [];
  const others: BusRecord[] = [];
  for (const r of batch) {
    if (r.kind === 'trap') traps.push(r);
    else if (r.kind === 'log') logs.push(r);
    else others.push(r);
  }
  const chunk: PackedChunk = { count: batch.length };
  if (traps.length) chunk.traps = packTraps(traps);
  if (logs.length) chunk.logs = packLogs(logs);
  if (others.length) chunk.others = others;
  return chunk;
}

/** A chunk's buffers, to move (not copy) with `postMessage`. */
export const chunkBuffers = (c: PackedChunk): ArrayBuffer[] => [
  ...(c.traps ? trapColumnBuffers(c.traps) : []),
  ...(c.logs ? logColumnBuffers(c.logs) : []),
];

/** Writes packed chunks in one transaction. */
export function writeChunks(store: SyncStore, chunks: PackedChunk[]): void {
  // The other records of every chunk as one batch: one insert pass per kind (and one full-text pass for logs).
  const others: BusRecord[] = [];
  for (const c of chunks) if (c.others) for (const r of c.others) others.push(r);
  store.transaction(() => {
    if (others.length) writeBatch(store, others);
    for (const c of chunks) if (c.traps) store.writeTrapColumns(c.traps);
    const logs = chunks.flatMap((c) => (c.logs ? [c.logs] : []));
    if (logs.length) store.writeLogColumns(logs);
  });
}

/** Writes the event engine's event states and history in one transaction. */
export function writeEventBatch(store: SyncStore, events: VigilEvent[], history: EventHistoryEntry[]): void {
  store.transaction(() => {
    if (events.length) store.saveEvents(events);
    if (history.length) store.appendEventHistory(history);
  });
}

/** A batch's records by kind, in their order within each kind. */
export function groupByKind(batch: readonly BusRecord[]): Map<RecordKind, BusRecord[]> {
  const byKind = new Map<RecordKind, BusRecord[]>();
  for (const r of batch) {
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = []));
    list.push(r);
  }
  return byKind;
}

/** Writes one batch of mixed records in one transaction, grouped by kind. */
export function writeBatch(store: SyncStore, batch: BusRecord[]): void {
  const byKind = groupByKind(batch);
  store.transaction(() => {
    for (const [kind, list] of byKind) recordWriters[kind]?.(store, list as never[]);
  });
}
