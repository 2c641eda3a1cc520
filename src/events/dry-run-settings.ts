/**
 * Dry-run of the noise settings (which ports are watched, incidents, flapping): replays stored history through the
 * current and a proposed events config and says what each would have opened and told. The history is every
 * interface's oper-status changes (re-judged by the port rules) and the other stored events as the opens and
 * clears they were (grouped and flap-counted again). No store writes, no notifications.
 */
import type { InterfaceState } from '../model/records.ts';
import type { Store } from '../store/types.ts';
import type { EngineSignal } from './book.ts';
import type { EventsConfig } from './config.ts';
import { type CoreChange, EventCore, FLAPPING_RULE } from './core.ts';
import type { Topology } from './topology.ts';

export interface NoiseSummary {
  /** Events opened, incidents and flapping events included. */
  opened: number;
  interfaceDown: number;
  incidents: number;
  /** Events that ended up as children of an incident. */
  grouped: number;
  flapping: number;
  /** Raise notifications that would have gone out (before routing and digests). */
  notifications: number;
}

export interface SettingsDryRunResult {
  from: number;
  to: number;
  replayed: { interfaceChanges: number; events: number };
  current: NoiseSummary;
  proposed: NoiseSummary;
  truncated: boolean;
}

type Item = { ts: number; iface?: InterfaceState; signal?: EngineSignal };

const MAX_ITEMS = 500_000;

/** The stored history of [from, to] as a timeline of interface states and event signals, oldest first. */
async function timeline(
  store: Store,
  from: number,
  to: number,
): Promise<{ items: Item[]; replayed: SettingsDryRunResult['replayed']; truncated: boolean }> {
  const items: Item[] = [];
  const rows = new Map<string, Map<number, { name: string; alias?: string; descr?: string; adminStatus?: number }>>();
  const row = async (deviceId: string, ifIndex: number) => {
    let m = rows.get(deviceId);
    if (!m) rows.set(deviceId, (m = new Map((await store.listInterfaces(deviceId)).map((r) => [r.ifIndex, r]))));
    return m.get(ifIndex);
  };
  const changes = await store.interfaceChangesBetween(from, to, MAX_ITEMS);
  for (const c of changes) {
    const r = await row(c.deviceId, c.ifIndex);
    items.push({
      ts: c.ts,
      iface: {
        kind: 'interface-state',
        deviceId: c.deviceId,
        ts: c.ts,
        ifIndex: c.ifIndex,
        name: r?.name ?? String(c.ifIndex),
        ...(r?.alias !== undefined ? { alias: r.alias } : {}),
        ...(r?.descr !== undefined ? { descr: r.descr } : {}),
        // Only oper-status changes are kept: the admin status is today's.
        adminStatus: r?.adminStatus ?? 1,
        operStatus: c.to,
        ...(c.from !== undefined ? { previousOperStatus: c.from } : {}),
      },
    });
  }
  let events = 0;
  for (const e of await store.eventsBetween(from, to, MAX_ITEMS)) {
    // Interface downs are judged again from the changes; incidents and flapping are what is being tried.
    if (
      e.source === 'incident' ||
      e.ruleId === FLAPPING_RULE ||
      e.ruleId === 'builtin.interface-down' ||
      e.source === 'correlation'
    )
      continue;
    if (e.firstSeen < from) continue;
    events++;
    const base = {
      dedupKey: e.dedupKey,
      source: e.source,
      deviceId: e.deviceId,
      component: e.component,
      severity: e.severity,
      summary: e.summary,
      ruleId: e.ruleId,
    } as const;
    items.push({ ts: e.firstSeen, signal: { ...base, action: 'raise', ts: e.firstSeen } });
    if (e.clearedTs !== undefined && e.clearedTs <= to)
      items.push({ ts: e.clearedTs, signal: { ...base, action: 'clear', ts: e.clearedTs } });
  }
  items.sort((a, b) => a.ts - b.ts);
  const truncated = changes.length >= MAX_ITEMS || items.length > MAX_ITEMS;
  return { items: items.slice(0, MAX_ITEMS), replayed: { interfaceChanges: changes.length, events }, truncated };
}

function simulate(config: EventsConfig, topology: Topology, items: Item[], from: number, to: number): NoiseSummary {
  let n = 0;
  const cfg: EventsConfig = { ...config, thresholds: [], correlations: [] };
  const core = new EventCore({
    config: cfg,
    topology: () => topology,
    maintenance: () => config.maintenance,
    newId: () => `dry-${++n}`,
  });
  const changes: CoreChange[] = [];
  let nextTick = from + 60_000;
  for (const it of items) {
    while (it.ts >= nextTick) {
      core.tick(nextTick, changes);
      nextTick += 60_000;
    }
    if (it.iface) core.process(it.iface, changes);
    else if (it.signal) core.apply(it.signal, changes);
  }
  core.tick(to + config.flapping.settleM * 60_000, changes);
  const s: NoiseSummary = { opened: 0, interfaceDown: 0, incidents: 0, grouped: 0, flapping: 0, notifications: 0 };
  const grouped = new Set<string>();
  // A raise silenced soon after (joined an incident, started flapping) is dropped by the notifier within its group
  // window (10 s by default) and never told.
  const raisedAt = new Map<string, number>();
  for (const c of changes) {
    const e = c.event;
    if (c.change === 'opened') {
      s.opened++;
      if (e.source === 'incident') s.incidents++;
      else if (e.ruleId === FLAPPING_RULE) s.flapping++;
      else if (e.ruleId === 'builtin.interface-down') s.interfaceDown++;
    }
    if (e.incidentId) grouped.add(e.id);
    if (c.notify === 'raise') {
      s.notifications++;
      raisedAt.set(e.id, c.ts);
    } else if (c.change === 'suppressed') {
      const at = raisedAt.get(e.id);
      if (at !== undefined && c.ts - at <= 10_000) s.notifications--;
      raisedAt.delete(e.id);
    }
  }
  s.grouped = grouped.size;
  return s;
}

/**
 * @example await dryRunSettings(current, proposed, { store, topology, from: now - 24 * 3_600_000, to: now })
 */
export async function dryRunSettings(
  current: EventsConfig,
  proposed: EventsConfig,
  ctx: { store: Store; topology: Topology; from: number; to: number },
): Promise<SettingsDryRunResult> {
  const { items, replayed, truncated } = await timeline(ctx.store, ctx.from, ctx.to);
  return {
    from: ctx.from,
    to: ctx.to,
    replayed,
    current: simulate(current, ctx.topology, items, ctx.from, ctx.to),
    proposed: simulate(proposed, ctx.topology, items, ctx.from, ctx.to),
    truncated,
  };
}
