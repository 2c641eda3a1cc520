/** End-host search: an IP or a MAC → the switch ports where that MAC is learned (pure). */
import { VigilError } from '../model/errors.ts';
import type { ArpEntry } from './arp.ts';
import { normalizeIp } from './arp.ts';
import type { FdbEntry, FdbStatus } from './fdb.ts';
import { normalizeMac } from './fdb.ts';

export interface SwitchSource {
  deviceId: string;
  name: string;
  fdb: readonly FdbEntry[];
  /** Ports known to lead to other switches (from LLDP/CDP or configuration). */
  uplinkIfIndexes?: ReadonlySet<number>;
}

export interface RouterSource {
  deviceId: string;
  name: string;
  arp: readonly ArpEntry[];
}

export interface LocateSources {
  switches: readonly SwitchSource[];
  routers: readonly RouterSource[];
}

export interface HostLocation {
  deviceId: string;
  name: string;
  /** Unset when the switch does not map its bridge port to an ifIndex. */
  ifIndex?: number;
  bridgePort: number;
  vlan?: number;
  status: FdbStatus;
  /** Distinct MACs learned on this port (any VLAN): 1–few on an access port, many on an uplink. */
  macsOnPort: number;
  /** The port is in the switch's uplinkIfIndexes. */
  uplink: boolean;
}

export interface LocateResult {
  query: string;
  mac: string;
  /** Every IP the routers' ARP/ND tables give for the MAC: IPv4 first, then IPv6, each sorted. */
  ips: string[];
  /** Other MACs the queried IP resolves to (several routers disagreeing, VRRP, a moved host); unset if none. */
  otherMacs?: string[];
  /** Best first (see `locate`). */
  where: HostLocation[];
  best?: HostLocation;
  /** When the tables searched were read. */
  seenAt: string;
}

/** Statuses that place a MAC on a port: 'self' is the switch's own address, 'invalid' is never parsed. */
const PLACING: ReadonlySet<FdbStatus> = new Set<FdbStatus>(['learned', 'mgmt', 'other']);
const STATUS_RANK: Record<FdbStatus, number> = { learned: 0, mgmt: 1, other: 2, self: 3, invalid: 4 };

const portKey = (e: FdbEntry) => (e.ifIndex !== undefined ? `i${e.ifIndex}` : `p${e.bridgePort}`);

function ipOrder(a: string, b: string): number {
  const fa = a.includes(':') ? 6 : 4;
  const fb = b.includes(':') ? 6 : 4;
  if (fa !== fb) return fa - fb;
  if (fa === 4) {
    const na = a.split('.').map(Number);
    const nb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (na[i] !== nb[i]) return na[i] - nb[i];
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Finds an end host. `query` is a MAC (`aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff`, `aabbccddeeff`, any case)
 * or an IPv4/IPv6 address; an IP is first turned into its MAC through the routers' ARP/ND tables.
 *
 * Ranking of the ports where the MAC is learned (every switch that forwards to the host has learned it, so the
 * host's own port has to be told from the ports leading towards it):
 * 1. ports not in the switch's `uplinkIfIndexes` before uplinks;
 * 2. fewer distinct MACs learned on the port first: an access port has one or a few (a PC and a phone), a port
 *    towards another switch has everything behind it;
 * 3. status learned, then mgmt (static), then other;
 * 4. then device id, ifIndex/bridge port and VLAN, so the order is stable.
 * `best` is the first port that is not a known uplink; when every port is an uplink the host sits behind a switch
 * Vigil does not read, and `best` is unset. Entries with bridge port 0 (port not known) and 'self' entries (the
 * switch's own MAC) place nothing and are skipped.
 *
 * Throws VIGIL_VALIDATION when the query is neither a MAC nor an IP, VIGIL_NOT_FOUND when an IP is in no ARP/ND
 * table. A MAC no switch has learned gives an empty `where`.
 */
export function locate(query: string, sources: LocateSources, seenAt: string): LocateResult {
  const mac = normalizeMac(query);
  const ip = mac ? undefined : normalizeIp(query);
  if (!mac && !ip)
    throw new VigilError(
      'VIGIL_VALIDATION',
      `"${query}" is neither a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabbccddeeff) ` +
        'nor an IPv4/IPv6 address',
    );

  let target = mac;
  let otherMacs: string[] | undefined;
  if (!target && ip) {
    // A zone (fe80::1%5) is not compared: ARP/ND tables key by ifIndex, which the zone usually is not.
    const bare = ip.ip.replace(/%.*$/, '');
    const votes = new Map<string, number>();
    for (const r of sources.routers)
      for (const e of r.arp)
        if (e.type !== 'invalid' && e.ip.replace(/%.*$/, '') === bare) votes.set(e.mac, (votes.get(e.mac) ?? 0) + 1);
    if (!votes.size)
      throw new VigilError(
        'VIGIL_NOT_FOUND',
        `${bare}: in no ARP/ND table of ${sources.routers.length} router(s); the host may be silent or not routed here`,
      );
    const learned = (m: string) =>
      sources.switches.some((s) => s.fdb.some((e) => e.mac === m && PLACING.has(e.status)));
    const macs = [...votes.keys()].sort(
      (a, b) =>
        Number(learned(b)) - Number(learned(a)) || (votes.get(b) ?? 0) - (votes.get(a) ?? 0) || (a < b ? -1 : 1),
    );
    target = macs[0];
    if (macs.length > 1) otherMacs = macs.slice(1);
  }
  const found = target as string;

  const ips = new Set<string>();
  for (const r of sources.routers) for (const e of r.arp) if (e.mac === found && e.type !== 'invalid') ips.add(e.ip);

  const where: HostLocation[] = [];
  for (const s of sources.switches) {
    const perPort = new Map<string, Set<string>>();
    for (const e of s.fdb) {
      if (!PLACING.has(e.status) || e.bridgePort <= 0) continue;
      const k = portKey(e);
      let set = perPort.get(k);
      if (!set) perPort.set(k, (set = new Set()));
      set.add(e.mac);
    }
    const seen = new Set<string>();
    for (const e of s.fdb) {
      if (e.mac !== found || !PLACING.has(e.status) || e.bridgePort <= 0) continue;
      const k = `${portKey(e)}/${e.vlan ?? ''}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const loc: HostLocation = {
        deviceId: s.deviceId,
        name: s.name,
        bridgePort: e.bridgePort,
        status: e.status,
        macsOnPort: perPort.get(portKey(e))?.size ?? 1,
        uplink: e.ifIndex !== undefined && (s.uplinkIfIndexes?.has(e.ifIndex) ?? false),
      };
      if (e.ifIndex !== undefined) loc.ifIndex = e.ifIndex;
      if (e.vlan !== undefined) loc.vlan = e.vlan;
      where.push(loc);
    }
  }
  where.sort(
    (a, b) =>
      Number(a.uplink) - Number(b.uplink) ||
      a.macsOnPort - b.macsOnPort ||
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0) ||
      (a.ifIndex ?? a.bridgePort) - (b.ifIndex ?? b.bridgePort) ||
      (a.vlan ?? 0) - (b.vlan ?? 0),
  );

  const result: LocateResult = { query, mac: found, ips: [...ips].sort(ipOrder), where, seenAt };
  if (otherMacs) result.otherMacs = otherMacs;
  const best = where.find((w) => !w.uplink);
  if (best) result.best = best;
  return result;
}
