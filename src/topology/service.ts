/**
 * The topology service (the one stateful part of this folder): consumes each device's neighbour tables from the bus,
 * turns a port's neighbour lost, back or replaced into link history and events, and recomputes the link list a short
 * while after tables arrive. Runs where the event engine runs (processors).
 */
import type { Bus, Subscription } from '../bus/types.ts';
import type { Clock } from '../model/clock.ts';
import type { Device } from '../model/device.ts';
import type { Logger } from '../model/logger.ts';
import type { BusRecord, Severity, TopologyRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import {
  type LinkHistoryEntry,
  TOPOLOGY_LINKS_KEY,
  TOPOLOGY_SNAPSHOT_PREFIX,
  type TopologyLink,
  topologyHistoryKey,
} from '../model/topology.ts';
import type { Store } from '../store/types.ts';
import {
  derivedParents,
  diffNeighbours,
  mostConnected,
  neighboursByPort,
  type PortNeighbours,
  toTopologyLinks,
} from './graph.ts';
import type { DeviceSide } from './identity.ts';
import { type L3Side, matchL3Links } from './l3.ts';
import { groupLinks } from './lag.ts';
import { matchLinks } from './match.ts';
import type { TopologySnapshot } from './snapshot.ts';

/** Where derived parents are kept (child device id → parent device id), for the API. */
export const TOPOLOGY_PARENTS_KEY = 'topology.parents';

export interface TopologyServiceOptions {
  store: Pick<Store, 'getKv' | 'setKv' | 'listKv' | 'transaction'>;
  bus: Bus;
  clock: Clock;
  log: Logger;
  devices: () => Device[];
  /** Raises or clears a link event (the event engine's `raise`). */
  raise: (signal: EventSignal & { clearAfterS?: number }) => Promise<unknown>;
  lostSeverity: Severity;
  changedSeverity: Severity;
  /** The device parents are derived from (the path from the Vigil host); default: the local host's device, else the most connected. */
  root?: string;
  /** How long after neighbour tables arrive the links are recomputed (the store has them by then). */
  recomputeDelayMs?: number;
  /** Link history entries kept per device. */
  historyMax?: number;
}

export interface TopologyService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handles neighbour tables directly (what the bus subscription does). */
  process(records: TopologyRecord[]): Promise<void>;
  /** Recomputes and stores the links now; resolves with them (manual ones included). */
  recompute(): Promise<TopologyLink[]>;
  /** Parents derived from the links at the last computation. */
  parents(): ReadonlyMap<string, string>;
  stats(): { snapshots: number; recomputes: number; links: number; changes: number };
}

const LOCAL = new Set(['127.0.0.1', '::1', 'localhost']);

export function createTopologyService(opts: TopologyServiceOptions): TopologyService {
  const { store, bus, clock, log } = opts;
  const views = new Map<string, Map<string, PortNeighbours>>();
  let parentMap: ReadonlyMap<string, string> = new Map();
  let sub: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let computing: Promise<TopologyLink[]> | undefined;
  let again = false;
  const stats = { snapshots: 0, recomputes: 0, links: 0, changes: 0 };

  /** Each device's neighbours as last stored: the baseline the next read is compared with. */
  async function loadViews(): Promise<void> {
    views.clear();
    for (const { key, value } of await store.listKv(TOPOLOGY_SNAPSHOT_PREFIX)) {
      const snap = (value as { snapshot?: TopologySnapshot } | undefined)?.snapshot;
      if (snap) views.set(key.slice(TOPOLOGY_SNAPSHOT_PREFIX.length), neighboursByPort(snap));
    }
  }

  async function appendHistory(deviceId: string, entries: LinkHistoryEntry[]): Promise<void> {
    const max = opts.historyMax ?? 200;
    await store.transaction(async (tx) => {
      const key = topologyHistoryKey(deviceId);
      const list = [...((await tx.getKv<LinkHistoryEntry[]>(key)) ?? []), ...entries];
      await tx.setKv(key, list.slice(-max));
    });
  }

  function signalsFor(e: LinkHistoryEntry): (EventSignal & { clearAfterS?: number })[] {
    const port = e.ifIndex !== undefined ? String(e.ifIndex) : e.port.toLowerCase();
    const lostKey = `link-lost:${e.deviceId}:${port}`;
    const changedKey = `link-changed:${e.deviceId}:${port}`;
    const who = (n: LinkHistoryEntry['before']) => (n ? `${n.name ?? '?'}${n.port ? ` ${n.port}` : ''}` : '?');
    const base = { source: 'snmp' as const, ts: e.ts, deviceId: e.deviceId, component: e.port, details: { ...e } };
    switch (e.change) {
      case 'lost':
        return [
          {
            ...base,
            action: 'raise',
            dedupKey: lostKey,
            severity: opts.lostSeverity,
            summary: `Neighbour lost on ${e.port} (was ${who(e.before)})`,
          },
        ];
      case 'appeared':
        return [
          {
            ...base,
            action: 'clear',
            dedupKey: lostKey,
            severity: 'info',
            summary: `Neighbour on ${e.port}: ${who(e.after)}`,
          },
        ];
      case 'changed':
        return [
          {
            ...base,
            action: 'clear',
            dedupKey: lostKey,
            severity: 'info',
            summary: `Neighbour on ${e.port}: ${who(e.after)}`,
          },
          {
            ...base,
            action: 'raise',
            dedupKey: changedKey,
            severity: opts.changedSeverity,
            summary: `Neighbour changed on ${e.port}: ${who(e.before)} → ${who(e.after)}`,
            clearAfterS: 86_400,
          },
        ];
    }
  }

  async function process(records: TopologyRecord[]): Promise<void> {
    const known = new Set(opts.devices().map((d) => d.id));
    for (const r of records) {
      stats.snapshots++;
      const snap = r.snapshot as TopologySnapshot;
      if (!snap || !known.has(r.deviceId)) continue;
      const after = neighboursByPort(snap);
      const before = views.get(r.deviceId);
      views.set(r.deviceId, after);
      if (!before) continue;
      const changes = diffNeighbours(r.deviceId, before, after, r.ts);
      if (!changes.length) continue;
      stats.changes += changes.length;
      try {
        await appendHistory(r.deviceId, changes);
        for (const c of changes) for (const s of signalsFor(c)) await opts.raise(s);
      } catch (e) {
        log.warn({ device: r.deviceId, err: (e as Error).message }, 'link changes could not be recorded');
      }
    }
    schedule();
  }

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void recompute().catch((e) => log.warn({ err: (e as Error).message }, 'topology recompute failed'));
    }, opts.recomputeDelayMs ?? 15_000);
    timer.unref();
  }

  function rootOf(devices: Device[], links: TopologyLink[]): string[] {
    const roots: string[] = [];
    if (opts.root) roots.push(opts.root);
    const local = devices.find((d) => d.id === 'localhost' || LOCAL.has(d.address.toLowerCase()));
    if (local) roots.push(local.id);
    const core = mostConnected(links);
    if (core) roots.push(core);
    return roots;
  }

  async function computeOnce(): Promise<TopologyLink[]> {
    const devices = opts.devices();
    const byId = new Map(devices.map((d) => [d.id, d]));
    const sides: DeviceSide[] = [];
    const l3: L3Side[] = [];
    const lags = new Map<string, Map<number, number>>();
    for (const { key, value } of await store.listKv(TOPOLOGY_SNAPSHOT_PREFIX)) {
      const id = key.slice(TOPOLOGY_SNAPSHOT_PREFIX.length);
      const device = byId.get(id);
      const snap = (value as { snapshot?: TopologySnapshot } | undefined)?.snapshot;
      if (!device || !snap) continue;
      const addrs = new Set([...(snap.managementAddresses ?? []), device.address.toLowerCase()]);
      sides.push({ ...snap, deviceId: id, managementAddresses: [...addrs] });
      if (snap.lags?.length) lags.set(id, new Map(snap.lags));
      if (snap.l3) l3.push({ ...snap.l3, deviceId: id, interfaces: snap.interfaces });
    }
    // OSPF and BGP adjacencies in full/established state are links too (their own edges beside LLDP/CDP ones).
    const grouped = groupLinks([...matchLinks(sides), ...matchL3Links(l3).links], lags);
    const now = clock.now();
    const all = await store.transaction(async (tx) => {
      const stored = (await tx.getKv<TopologyLink[]>(TOPOLOGY_LINKS_KEY)) ?? [];
      const manual = stored.filter((l) => l.origin !== 'discovered');
      const discovered = toTopologyLinks(
        grouped.links,
        stored.filter((l) => l.origin === 'discovered'),
        now,
      );
      const next = [...manual, ...discovered];
      await tx.setKv(TOPOLOGY_LINKS_KEY, next);
      return next;
    });
    const parents = derivedParents(all, rootOf(devices, all));
    parentMap = parents;
    await store.setKv(TOPOLOGY_PARENTS_KEY, Object.fromEntries(parents));
    stats.recomputes++;
    stats.links = all.length;
    return all;
  }

  /** One computation at a time; a request during one runs once more after it. */
  async function recompute(): Promise<TopologyLink[]> {
    if (computing) {
      again = true;
      return computing;
    }
    computing = computeOnce();
    try {
      return await computing;
    } finally {
      computing = undefined;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  return {
    async start() {
      await loadViews();
      const stored = await store.getKv<Record<string, string>>(TOPOLOGY_PARENTS_KEY);
      if (stored) parentMap = new Map(Object.entries(stored));
      sub = bus.subscribe('vigil-topology', (batch: BusRecord[]) => process(batch as TopologyRecord[]), {
        kinds: ['topology'],
        maxBatch: 50,
        onAssign: loadViews,
      });
    },
    async stop() {
      sub?.unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await computing?.catch(() => {});
    },
    process,
    recompute,
    parents: () => parentMap,
    stats: () => ({ ...stats }),
  };
}
