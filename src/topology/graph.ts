/**
 * From matched links to what Vigil keeps and shows (pure): the stored TopologyLink list with stable ids and first/last
 * seen times, each device's neighbours per local port and their changes between two reads (link history and link
 * events), and parents derived from the links (the path from a root) for event dependencies.
 */
import { createHash } from 'node:crypto';
import type { LinkHistoryEntry, TopologyLink } from '../model/topology.ts';
import { type DeviceSide, ifByIndex, ifByLocalPortNum, normName } from './identity.ts';
import type { LagLink } from './lag.ts';

const hash = (s: string) => createHash('sha1').update(s).digest('base64url').slice(0, 16);

/** A port's key on one device: its ifIndex when resolved, else its normalised name. */
const portKey = (ifIndex: number | undefined, port: string) =>
  ifIndex !== undefined ? `#${ifIndex}` : port.trim().toLowerCase();

/** One end's identity: a known device and port, or an unknown neighbour's name and port. */
function endKey(deviceId: string | undefined, name: string | undefined, ifIndex: number | undefined, port: string) {
  return `${deviceId ?? `?${normName(name)?.full ?? ''}`}/${portKey(ifIndex, port)}`;
}

/**
 * The stored form of matched links. A link keeps its id from one computation to the next (derived from its ends,
 * the same whichever end reported it), and its firstSeen from `previous`; lastSeen is `now`.
 */
export function toTopologyLinks(links: LagLink[], previous: readonly TopologyLink[], now: number): TopologyLink[] {
  const before = new Map(previous.map((l) => [l.id, l]));
  const out: TopologyLink[] = [];
  const ids = new Set<string>();
  for (const l of links) {
    const ka = endKey(l.a.deviceId, undefined, l.a.ifIndex, l.a.port);
    const kb = endKey(l.b.deviceId, l.b.name, l.b.ifIndex, l.b.port);
    let id = `lk-${hash([ka, kb].sort().join('\n'))}`;
    // Two links with the same ends (a port with two neighbours of one name) stay two.
    for (let n = 2; ids.has(id); n++) id = `lk-${hash(`${[ka, kb].sort().join('\n')}\n${n}`)}`;
    ids.add(id);
    const link: TopologyLink = {
      id,
      a: l.a.deviceId,
      ...(l.b.deviceId !== undefined ? { b: l.b.deviceId } : {}),
      ...(l.a.ifIndex !== undefined ? { aIfIndex: l.a.ifIndex } : {}),
      ...(l.b.ifIndex !== undefined ? { bIfIndex: l.b.ifIndex } : {}),
      aPort: l.a.port,
      ...(l.b.port ? { bPort: l.b.port } : {}),
      ...(l.b.name !== undefined || l.b.address !== undefined
        ? { remote: { ...(l.b.name ? { name: l.b.name } : {}), ...(l.b.address ? { address: l.b.address } : {}) } }
        : {}),
      origin: 'discovered',
      via: [...l.via],
      seenFrom: l.seenFrom,
      ...(l.a.aggregateIfIndex !== undefined || l.b.aggregateIfIndex !== undefined
        ? {
            aggregate: {
              ...(l.a.aggregateIfIndex !== undefined ? { aIfIndex: l.a.aggregateIfIndex } : {}),
              ...(l.b.aggregateIfIndex !== undefined ? { bIfIndex: l.b.aggregateIfIndex } : {}),
            },
          }
        : {}),
      firstSeen: before.get(id)?.firstSeen ?? now,
      lastSeen: now,
    };
    out.push(link);
  }
  return out;
}

/** A neighbour as one device reports it on one of its ports. */
export interface PortNeighbour {
  name: string;
  port?: string;
}

/** One device's neighbours by local port (LLDP and CDP rows merged; a port may have several). */
export interface PortNeighbours {
  port: string;
  ifIndex?: number;
  neighbours: PortNeighbour[];
}

/** The neighbours a device reports, by local port key (see portKey). */
export function neighboursByPort(side: DeviceSide): Map<string, PortNeighbours> {
  const out = new Map<string, PortNeighbours>();
  const add = (ifIndex: number | undefined, port: string, n: PortNeighbour) => {
    const key = portKey(ifIndex, port);
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = { port, ...(ifIndex !== undefined ? { ifIndex } : {}), neighbours: [] }));
    const name = normName(n.name)?.short ?? n.name.toLowerCase();
    if (!entry.neighbours.some((m) => (normName(m.name)?.short ?? m.name.toLowerCase()) === name))
      entry.neighbours.push(n);
  };
  for (const n of side.lldp?.neighbours ?? []) {
    const local = ifByLocalPortNum(side, n.localPortNum);
    const loc = side.lldp?.local.ports.find((p) => p.portNum === n.localPortNum);
    const port = local?.ifName || local?.ifDescr || loc?.id || `port ${n.localPortNum}`;
    add(local?.ifIndex, port, { name: n.sysName || n.chassisId, ...(n.portId ? { port: n.portId } : {}) });
  }
  for (const n of side.cdp ?? []) {
    const local = ifByIndex(side, n.ifIndex);
    const port = local?.ifName || local?.ifDescr || `ifIndex ${n.ifIndex}`;
    add(n.ifIndex, port, { name: n.deviceId, ...(n.devicePort ? { port: n.devicePort } : {}) });
  }
  return out;
}

const sameNeighbours = (x: PortNeighbour[], y: PortNeighbour[]) => {
  const names = (l: PortNeighbour[]) =>
    l
      .map((n) => normName(n.name)?.short ?? n.name.toLowerCase())
      .sort()
      .join('\n');
  return names(x) === names(y);
};

/** What changed between two reads of one device's neighbours: a port's neighbours lost, appeared, or replaced. */
export function diffNeighbours(
  deviceId: string,
  before: Map<string, PortNeighbours>,
  after: Map<string, PortNeighbours>,
  ts: number,
): LinkHistoryEntry[] {
  const out: LinkHistoryEntry[] = [];
  const view = (n: PortNeighbour | undefined) =>
    n ? { name: n.name, ...(n.port ? { port: n.port } : {}) } : undefined;
  for (const [key, b] of before) {
    const a = after.get(key);
    const base = { ts, deviceId, port: b.port, ...(b.ifIndex !== undefined ? { ifIndex: b.ifIndex } : {}) };
    if (!a || a.neighbours.length === 0) out.push({ ...base, change: 'lost', before: view(b.neighbours[0]) });
    else if (!sameNeighbours(a.neighbours, b.neighbours))
      out.push({ ...base, change: 'changed', before: view(b.neighbours[0]), after: view(a.neighbours[0]) });
  }
  for (const [key, a] of after) {
    if (before.has(key) || a.neighbours.length === 0) continue;
    out.push({
      ts,
      deviceId,
      port: a.port,
      ...(a.ifIndex !== undefined ? { ifIndex: a.ifIndex } : {}),
      change: 'appeared',
      after: view(a.neighbours[0]),
    });
  }
  return out;
}

/**
 * Parents from the links: a breadth-first walk from the roots over links between known devices (manual and
 * discovered, either direction); each device reached gets the device it was reached from. Devices not connected to a
 * root get none. Roots are tried in order, so the first root's tree wins where trees would meet.
 */
export function derivedParents(links: readonly TopologyLink[], roots: readonly string[]): Map<string, string> {
  const adj = new Map<string, Set<string>>();
  const edge = (x: string, y: string) => {
    let s = adj.get(x);
    if (!s) adj.set(x, (s = new Set()));
    s.add(y);
  };
  for (const l of links) {
    if (!l.b || l.a === l.b) continue;
    edge(l.a, l.b);
    edge(l.b, l.a);
  }
  const parent = new Map<string, string>();
  const seen = new Set<string>();
  for (const root of roots) {
    if (seen.has(root) || !adj.has(root)) continue;
    seen.add(root);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const cur = queue[i];
      for (const next of [...(adj.get(cur) ?? [])].sort()) {
        if (seen.has(next)) continue;
        seen.add(next);
        parent.set(next, cur);
        queue.push(next);
      }
    }
  }
  return parent;
}

/** The device with the most links to other known devices (ties: the smallest id): a map's default core. */
export function mostConnected(links: readonly TopologyLink[]): string | undefined {
  const degree = new Map<string, number>();
  for (const l of links) {
    if (!l.b || l.a === l.b) continue;
    degree.set(l.a, (degree.get(l.a) ?? 0) + 1);
    degree.set(l.b, (degree.get(l.b) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, n] of degree)
    if (best === undefined || n > degree.get(best)! || (n === degree.get(best) && id < best)) best = id;
  return best;
}
