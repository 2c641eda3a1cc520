/** Controller-wide figures derived from a parsed AP list (pure), shared by every wireless parser. */
import type {
  AccessPoint,
  RogueAp,
  RogueSummary,
  WirelessSnapshot,
  WirelessVendor,
} from '../../../../model/wireless.ts';

/** How many rogue APs a snapshot lists (strongest first); the count covers them all. */
export const ROGUE_LIST_CAP = 50;

/**
 * Counts by key, turned into a plain record at the end. A Map until then, and Object.fromEntries to finish, so that
 * an SSID named `__proto__` or `constructor` is an ordinary key.
 */
export class Tally {
  private readonly m = new Map<string, number>();
  add(key: string | undefined, n: number | undefined): void {
    if (key === undefined || n === undefined || !Number.isFinite(n)) return;
    this.m.set(key, (this.m.get(key) ?? 0) + n);
  }
  get size(): number {
    return this.m.size;
  }
  total(): number {
    let t = 0;
    for (const v of this.m.values()) t += v;
    return t;
  }
  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** Rogue summary: total count, list capped to the strongest `cap`. */
export function rogueSummary(all: readonly RogueAp[], cap = ROGUE_LIST_CAP): RogueSummary {
  const list = [...all]
    .sort((a, b) => (b.rssiDbm ?? -Infinity) - (a.rssiDbm ?? -Infinity) || (a.bssid < b.bssid ? -1 : 1))
    .slice(0, cap);
  return { count: all.length, list, listCap: cap };
}

export interface SnapshotExtras {
  /** Controller-level clients per SSID, used when no AP carries a per-SSID breakdown. */
  clientsBySsid?: Record<string, number>;
  rogueAps?: RogueSummary;
}

/**
 * The snapshot of a parsed AP list: APs sorted by id, radios by slot, and the controller's totals summed from them.
 * @example snapshotOf('aruba', ['WLSX-WLAN-MIB'], aps).controller.apsUp
 */
export function snapshotOf(
  vendor: WirelessVendor,
  sourceMibs: string[],
  aps: AccessPoint[],
  extras: SnapshotExtras = {},
): WirelessSnapshot {
  const sorted = [...aps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const ap of sorted) ap.radios.sort((a, b) => a.slot - b.slot);
  const bySsid = new Tally();
  const byGroup = new Tally();
  let clients = 0;
  let apsUp = 0;
  for (const ap of sorted) {
    if (ap.state === 'up') apsUp++;
    clients += ap.clients ?? 0;
    byGroup.add(ap.group, ap.clients);
    for (const [ssid, n] of Object.entries(ap.ssidClients)) bySsid.add(ssid, n);
  }
  const controller = {
    vendor,
    sourceMibs,
    apsTotal: sorted.length,
    apsUp,
    apsDown: sorted.length - apsUp,
    clients,
    clientsBySsid: bySsid.size ? bySsid.toRecord() : (extras.clientsBySsid ?? {}),
    clientsByApGroup: byGroup.toRecord(),
    ...(extras.rogueAps ? { rogueAps: extras.rogueAps } : {}),
  };
  return { controller, aps: sorted };
}
