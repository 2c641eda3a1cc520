/**
 * Links from the LLDP and CDP neighbours devices report (pure). Each neighbour row becomes one observation from its
 * device; observations of one link by LLDP and CDP from the same side merge, observations from the two ends pair up
 * into one link seen from both; the rest stay as links seen from one side, to a known device or an unknown neighbour.
 */
import type { CdpNeighbour } from './cdp.ts';
import {
  type DeviceSide,
  DeviceIndex,
  type Iface,
  ifByLocalPortNum,
  ifByIndex,
  ifByMac,
  ifByName,
  ifByOwnPortId,
  ifByPortId,
  normName,
} from './identity.ts';
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
  via: ('lldp' | 'cdp')[];
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
  const local = ifByLocalPortNum(d, n.localPortNum);
  const locEntry = d.lldp?.local.ports.find((p) => p.portNum === n.localPortNum);
  const remoteId = identifyLldp(idx, n);
  const remote = remoteId ? idx.byId.get(remoteId) : undefined;
  const rIf = remote
    ? (ifByOwnPortId(remote, n.portIdSubtype, n.portId) ?? ifByPortId(remote, n.portIdSubtype, n.portId))
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
  const local = ifByIndex(d, n.ifIndex);
  const remoteId = idx.byName(n.deviceId) ?? idx.byName(n.sysName) ?? idx.byMac(n.deviceId) ?? idx.byAddress(n.address);
  const remote = remoteId ? idx.byId.get(remoteId) : undefined;
  const port = n.devicePort ?? '';
  const rIf =
    remote && port ? (ifByName(remote, port) ?? (normMac(port) ? ifByMac(remote, port) : undefined)) : undefined;
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

/** Same remote: the same known device, or (both unknown) the same normalised name. */
function sameRemote(x: RemoteEnd, y: RemoteEnd): boolean {
  if (x.deviceId || y.deviceId) return x.deviceId === y.deviceId;
  return normName(x.name)?.full === normName(y.name)?.full;
}

/** Merges observations of the same link (same local port, remote and remote port) from one device: LLDP, CDP, repeats. */
function mergeSameSide(halves: Half[]): Half[] {
  const out: Half[] = [];
  for (const h of halves) {
    const twin = out.find(
      (o) => o.a.deviceId === h.a.deviceId && sameEnd(o.a, h.a) && sameRemote(o.b, h.b) && sameEnd(o.b, h.b),
    );
    if (!twin) {
      out.push({ a: { ...h.a }, b: { ...h.b }, via: [...h.via] });
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
  const used = new Set<Half>();
  const links: Link[] = [];
  for (const h of merged) {
    if (used.has(h)) continue;
    used.add(h);
    const other = h.b.deviceId
      ? merged.find(
          (g) =>
            !used.has(g) &&
            g.a.deviceId === h.b.deviceId &&
            g.b.deviceId === h.a.deviceId &&
            sameEnd(g.a, h.b) &&
            sameEnd(g.b, h.a),
        )
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
