/**
 * Links from the LLDP and CDP neighbours devices report (pure). Each neighbour row becomes one observation from its
 * device; observations of one link by LLDP and CDP from the same side merge, observations from the two ends pair up
 * into one link seen from both; the rest stay as links seen from one side, to a known device or an unknown neighbour.
 */
import type { CdpNeighbour } from './cdp.ts';
import { type DeviceSide, DeviceIndex, type Iface, normName } from './identity.ts';
import type { LldpNeighbour } from './lldp.ts';
import { normMac } from './octets.ts';
import { samePort } from './ports.ts';

export type { DeviceSide, Iface } from './identity.ts';

export interface LinkEnd {
  deviceId: string;
  ifIndex?: number;
  /** The port's name: ifName when resolved, else what the protocol said. */
  port: string;
}

export interface RemoteEnd {
  /** Undefined for a neighbour that matches no known device. */
  deviceId?: string;
  ifIndex?: number;
  port: string;
  /** The neighbour's name as reported (LLDP sysName or chassis ID, CDP device ID). */
  name?: string;
  address?: string;
}

export interface Link {
  a: LinkEnd;
  b: RemoteEnd;
  via: ('lldp' | 'cdp' | 'ospf' | 'bgp')[];
  seenFrom: 'both' | 'a';
}

/** One neighbour row, resolved as far as the known devices allow. */
interface Half {
  a: LinkEnd;
  b: RemoteEnd;
  via: ('lldp' | 'cdp')[];
}

const label = (i: Iface | undefined, fallback: string) => i?.ifName || i?.ifDescr || fallback;

/** Which known device an LLDP neighbour is: chassis MAC, then name (sysName, a name-like chassis ID), then address. */
function identifyLldp(idx: DeviceIndex, n: LldpNeighbour): string | undefined {
  const macLike = n.chassisIdSubtype === 'macAddress' || normMac(n.chassisId) !== undefined;
  return (
    (macLike ? idx.byMac(n.chassisId) : undefined) ??
    idx.byName(n.sysName) ??
    (n.chassisIdSubtype === 'networkAddress' ? idx.byAddress(n.chassisId) : undefined) ??
    (['local', 'chassisComponent', 'interfaceName', 'interfaceAlias'].includes(n.chassisIdSubtype)
      ? idx.byName(n.chassisId)
      : undefined) ??
    n.managementAddresses.map((m) => idx.byAddress(m.address)).find((x) => x !== undefined)
  );
}

function lldpHalf(idx: DeviceIndex, d: DeviceSide, n: LldpNeighbour): Half {
  const ports = idx.ports(d);
  const local = ports.byLocalPortNum(n.localPortNum);
  const locEntry = ports.localPort(n.localPortNum);
  const remoteId = identifyLldp(idx, n);
  const remote = remoteId ? idx.byId.get(remoteId) : undefined;
  const rPorts = remote ? idx.ports(remote) : undefined;
  const rIf = rPorts
    ? (rPorts.byOwnPortId(n.portIdSubtype, n.portId) ?? rPorts.byPortId(n.portIdSubtype, n.portId))
    : undefined;
  const address = n.managementAddresses[0]?.address;
  return {
    a: { deviceId: d.deviceId, ifIndex: local?.ifIndex, port: label(local, locEntry?.id ?? `port ${n.localPortNum}`) },
    b: {
      deviceId: remoteId,
      ifIndex: rIf?.ifIndex,
      port: label(rIf, n.portId),
      name: n.sysName ?? n.chassisId,
      ...(address ? { address } : {}),
    },
    via: ['lldp'],
  };
}

function cdpHalf(idx: DeviceIndex, d: DeviceSide, n: CdpNeighbour): Half {
  const local = idx.ports(d).byIndex(n.ifIndex);
  const remoteId = idx.byName(n.deviceId) ?? idx.byName(n.sysName) ?? idx.byMac(n.deviceId) ?? idx.byAddress(n.address);
  const remote = remoteId ? idx.byId.get(remoteId) : undefined;
  const port = n.devicePort ?? '';
  const rPorts = remote && port ? idx.ports(remote) : undefined;
  const rIf = rPorts ? (rPorts.byName(port) ?? (normMac(port) ? rPorts.byMac(port) : undefined)) : undefined;
  return {
    a: { deviceId: d.deviceId, ifIndex: n.ifIndex, port: label(local, `ifIndex ${n.ifIndex}`) },
    b: {
      deviceId: remoteId,
      ifIndex: rIf?.ifIndex,
      port: label(rIf, port),
      name: n.deviceId,
      ...(n.address ? { address: n.address } : {}),
    },
    via: ['cdp'],
  };
}

/** Two ends name the same port: equal ifIndexes when both known, else the same port name. */
function sameEnd(x: { ifIndex?: number; port: string }, y: { ifIndex?: number; port: string }): boolean {
  if (x.ifIndex !== undefined && y.ifIndex !== undefined) return x.ifIndex === y.ifIndex;
  return samePort(x.port, y.port);
}

/** The same remote: the same known device, or (both unknown) the same normalised name. */
const remoteKey = (b: RemoteEnd) => (b.deviceId ? `device ${b.deviceId}` : `name ${normName(b.name)?.full ?? ''}`);

/** A list in a two-level map, created on first use. */
function bucket<T>(m: Map<string, Map<string, T[]>>, k1: string, k2: string): T[] {
  let inner = m.get(k1);
  if (!inner) m.set(k1, (inner = new Map()));
  let list = inner.get(k2);
  if (!list) inner.set(k2, (list = []));
  return list;
}

/**
 * Merges observations of the same link (same local port, remote and remote port) from one device: LLDP, CDP, repeats.
 * Twins can only share a device and a remote, so each observation is compared with those of its own (device, remote)
 * only, in order: the result is that of comparing with all earlier ones, in time linear in the number of observations.
 */
function mergeSameSide(halves: Half[]): Half[] {
  const out: Half[] = [];
  const byRemote = new Map<string, Map<string, Half[]>>();
  for (const h of halves) {
    const same = bucket(byRemote, h.a.deviceId, remoteKey(h.b));
    const twin = same.find((o) => sameEnd(o.a, h.a) && sameEnd(o.b, h.b));
    if (!twin) {
      // Halves are matchLinks' own objects, made for this call: the first of each link is kept and completed in place.
      out.push(h);
      same.push(h);
      continue;
    }
    for (const v of h.via) if (!twin.via.includes(v)) twin.via.push(v);
    twin.b.ifIndex ??= h.b.ifIndex;
    twin.b.address ??= h.b.address;
  }
  return out;
}

/**
 * Turns the neighbours every device reports into links. A link reported by both ends is one link (`seenFrom:
 * 'both'`); parallel links between the same devices stay separate; unknown neighbours are kept with no `b.deviceId`.
 */
export function matchLinks(devices: DeviceSide[]): Link[] {
  const idx = new DeviceIndex(devices);
  const halves: Half[] = [];
  for (const d of devices) {
    for (const n of d.lldp?.neighbours ?? []) halves.push(lldpHalf(idx, d, n));
    for (const n of d.cdp ?? []) halves.push(cdpHalf(idx, d, n));
  }
  const merged = mergeSameSide(halves);
  // The far end's observations of a link are among those from h.b's device about h.a's device, kept in order.
  const byEnds = new Map<string, Map<string, Half[]>>();
  for (const g of merged) if (g.b.deviceId !== undefined) bucket(byEnds, g.a.deviceId, g.b.deviceId).push(g);
  const used = new Set<Half>();
  const links: Link[] = [];
  for (const h of merged) {
    if (used.has(h)) continue;
    used.add(h);
    const other = h.b.deviceId
      ? byEnds
          .get(h.b.deviceId)
          ?.get(h.a.deviceId)
          ?.find((g) => !used.has(g) && sameEnd(g.a, h.b) && sameEnd(g.b, h.a))
      : undefined;
    if (!other) {
      links.push({ a: h.a, b: h.b, via: h.via, seenFrom: 'a' });
      continue;
    }
    used.add(other);
    const via = [...new Set([...h.via, ...other.via])].sort() as Link['via'];
    links.push({
      a: h.a,
      b: { ...h.b, ifIndex: h.b.ifIndex ?? other.a.ifIndex, port: h.b.ifIndex === undefined ? other.a.port : h.b.port },
      via,
      seenFrom: 'both',
    });
  }
  return links;
}
