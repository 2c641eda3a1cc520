/**
 * Layer-3 adjacencies (pure): OSPF neighbours (OSPF-MIB ospfNbrTable), BGP peers (BGP4-MIB bgpPeerTable), the
 * device's own IPv4 addresses (IP-MIB ipAddrTable, ipAddressTable), and the links they give between known routers.
 * An OSPF neighbour shares a subnet with the device, so its link leaves from the interface whose subnet holds the
 * neighbour's address; a BGP session may run between loopbacks several hops apart, so its link is a session.
 */
import type { VarBind } from '../model/records.ts';
import { interfacesFrom } from './device-side.ts';
import type { Iface } from './identity.ts';
import type { Link, LinkEnd, RemoteEnd } from './match.ts';
import { parseIp, scalar, tableRows } from './octets.ts';

export const OSPF_ROUTER_ID = '1.3.6.1.2.1.14.1.1.0';
/** ospfNbrEntry; index ospfNbrIpAddr (4 sub-ids), ospfNbrAddressLessIndex. */
export const OSPF_NBR_ENTRY = '1.3.6.1.2.1.14.10.1';
export const BGP_LOCAL_AS = '1.3.6.1.2.1.15.2.0';
export const BGP_IDENTIFIER = '1.3.6.1.2.1.15.4.0';
/** bgpPeerEntry; index bgpPeerRemoteAddr. */
export const BGP_PEER_ENTRY = '1.3.6.1.2.1.15.3.1';
/** ipAddrEntry; index ipAdEntAddr. */
export const IP_ADDR_ENTRY = '1.3.6.1.2.1.4.20.1';
/** ipAddressEntry; index ipAddressAddrType, length, address. */
export const IP_ADDRESS_ENTRY = '1.3.6.1.2.1.4.34.1';
/** The OID subtrees an L3Side is built from (walk these, and the interface tables for port names). */
export const L3_ROOTS = [
  OSPF_ROUTER_ID,
  OSPF_NBR_ENTRY,
  BGP_LOCAL_AS,
  BGP_IDENTIFIER,
  BGP_PEER_ENTRY,
  IP_ADDR_ENTRY,
  IP_ADDRESS_ENTRY,
];

/** ospfNbrState 1–8. */
export const OSPF_NBR_STATES = [
  'down',
  'attempt',
  'init',
  'twoWay',
  'exchangeStart',
  'exchange',
  'loading',
  'full',
] as const;
export type OspfNbrState = (typeof OSPF_NBR_STATES)[number] | 'unknown';
/** bgpPeerState 1–6. */
export const BGP_PEER_STATES = ['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'] as const;
export type BgpPeerState = (typeof BGP_PEER_STATES)[number] | 'unknown';

export interface OspfNeighbour {
  /** ospfNbrIpAddr: the neighbour's address on the shared subnet. */
  ipAddr: string;
  /** ospfNbrAddressLessIndex: 0 on a numbered interface, else the local ifIndex of the unnumbered link. */
  addressLessIndex: number;
  /** ospfNbrRtrId; absent when 0.0.0.0. */
  routerId?: string;
  options?: number;
  priority?: number;
  state: OspfNbrState;
}

export interface OspfData {
  /** ospfRouterId; absent when 0.0.0.0 (OSPF not running). */
  routerId?: string;
  neighbours: OspfNeighbour[];
}

export interface BgpPeer {
  remoteAddr: string;
  /** bgpPeerIdentifier (the peer's router id); absent while 0.0.0.0, before the session has opened. */
  identifier?: string;
  state: BgpPeerState;
  adminStatus?: 'stop' | 'start';
  /** bgpPeerLocalAddr; absent while 0.0.0.0. */
  localAddr?: string;
  /** bgpPeerRemoteAs; a 4-byte AS shows as 23456 (AS_TRANS) in this MIB. */
  remoteAs?: number;
  /** bgpPeerFsmEstablishedTime: seconds in Established, or since last in it. */
  establishedTimeS?: number;
}

export interface BgpData {
  /** bgpLocalAs; absent when 0 (BGP not running). */
  localAs?: number;
  /** bgpIdentifier; absent when 0.0.0.0. */
  identifier?: string;
  peers: BgpPeer[];
}

export interface Ipv4Address {
  address: string;
  ifIndex?: number;
  /** From ipAdEntNetMask (contiguous masks only) or the ipAddressPrefix pointer; absent when unknown. */
  prefixLength?: number;
}

const int = (vb: VarBind | undefined) => {
  const n = typeof vb?.value === 'number' ? vb.value : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
};
/** IPv4 text as a 32-bit unsigned number, else undefined. */
function v4(ip: string | undefined): number | undefined {
  const m = ip ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip) : null;
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : undefined;
}
const ipv4Of = (vb: VarBind | undefined) => {
  const ip = vb ? parseIp(vb.value) : undefined;
  return v4(ip) !== undefined ? ip : undefined;
};
/** An IPv4 value other than 0.0.0.0 (which these MIBs use for "none"). */
const setIp = (vb: VarBind | undefined) => {
  const ip = ipv4Of(vb);
  return ip && ip !== '0.0.0.0' ? ip : undefined;
};
/** The IPv4 address an index starts with (4 sub-identifiers). */
const indexIp = (parts: string[]) => {
  const ip = parts.slice(0, 4).join('.');
  return v4(ip) !== undefined ? ip : undefined;
};
const stateName = <T extends string>(names: readonly T[], vb: VarBind | undefined): T | 'unknown' =>
  names[(int(vb) ?? 0) - 1] ?? 'unknown';
const byAddress = (a: string, b: string) => v4(a)! - v4(b)!;

/** ospfRouterId and every ospfNbrTable row; the address and address-less index come from the row index if missing. */
export function parseOspfNeighbours(varbinds: VarBind[]): OspfData {
  const neighbours: OspfNeighbour[] = [];
  for (const [index, row] of tableRows(varbinds, OSPF_NBR_ENTRY)) {
    const parts = index.split('.');
    const ipAddr = ipv4Of(row.get(1)) ?? indexIp(parts);
    const addressLessIndex = int(row.get(2)) ?? Number(parts[4]);
    if (!ipAddr || !Number.isInteger(addressLessIndex)) continue;
    const routerId = setIp(row.get(3));
    const options = int(row.get(4));
    const priority = int(row.get(5));
    neighbours.push({
      ipAddr,
      addressLessIndex,
      ...(routerId ? { routerId } : {}),
      ...(options !== undefined ? { options } : {}),
      ...(priority !== undefined ? { priority } : {}),
      state: stateName(OSPF_NBR_STATES, row.get(6)),
    });
  }
  neighbours.sort((a, b) => byAddress(a.ipAddr, b.ipAddr) || a.addressLessIndex - b.addressLessIndex);
  const routerId = setIp(scalar(varbinds, OSPF_ROUTER_ID));
  return { ...(routerId ? { routerId } : {}), neighbours };
}

/** bgpLocalAs, bgpIdentifier and every bgpPeerTable row; the remote address comes from the row index if missing. */
export function parseBgpPeers(varbinds: VarBind[]): BgpData {
  const peers: BgpPeer[] = [];
  for (const [index, row] of tableRows(varbinds, BGP_PEER_ENTRY)) {
    const remoteAddr = ipv4Of(row.get(7)) ?? indexIp(index.split('.'));
    if (!remoteAddr) continue;
    const identifier = setIp(row.get(1));
    const admin = int(row.get(3));
    const localAddr = setIp(row.get(5));
    const remoteAs = int(row.get(9));
    const establishedTimeS = int(row.get(16));
    peers.push({
      remoteAddr,
      ...(identifier ? { identifier } : {}),
      state: stateName(BGP_PEER_STATES, row.get(2)),
      ...(admin === 1 || admin === 2 ? { adminStatus: admin === 1 ? ('stop' as const) : ('start' as const) } : {}),
      ...(localAddr ? { localAddr } : {}),
      ...(remoteAs !== undefined ? { remoteAs } : {}),
      ...(establishedTimeS !== undefined ? { establishedTimeS } : {}),
    });
  }
  peers.sort((a, b) => byAddress(a.remoteAddr, b.remoteAddr));
  const localAs = int(scalar(varbinds, BGP_LOCAL_AS));
  const identifier = setIp(scalar(varbinds, BGP_IDENTIFIER));
  return { ...(localAs ? { localAs } : {}), ...(identifier ? { identifier } : {}), peers };
}

/** Prefix length of a contiguous netmask, else undefined. */
function maskLength(mask: string | undefined): number | undefined {
  const m = v4(mask);
  if (m === undefined) return undefined;
  let len = 0;
  while (len < 32 && (m >>> (31 - len)) & 1) len++;
  return len === 32 || (m << len) >>> 0 === 0 ? len : undefined;
}

/**
 * The device's own IPv4 addresses: ipAddrTable rows (ipAdEntAddr, ipAdEntIfIndex, ipAdEntNetMask), then the IPv4
 * unicast and anycast rows of ipAddressTable whose address ipAddrTable lacks (prefix length from ipAddressPrefix).
 */
export function parseIpv4Addresses(varbinds: VarBind[]): Ipv4Address[] {
  const out = new Map<string, Ipv4Address>();
  for (const [index, row] of tableRows(varbinds, IP_ADDR_ENTRY)) {
    const address = ipv4Of(row.get(1)) ?? indexIp(index.split('.'));
    if (!address || out.has(address)) continue;
    const ifIndex = int(row.get(2));
    const prefixLength = maskLength(ipv4Of(row.get(3)));
    out.set(address, {
      address,
      ...(ifIndex !== undefined ? { ifIndex } : {}),
      ...(prefixLength !== undefined ? { prefixLength } : {}),
    });
  }
  for (const [index, row] of tableRows(varbinds, IP_ADDRESS_ENTRY)) {
    const parts = index.split('.');
    // ipv4(1), 4 bytes; ipAddressType broadcast(3) is not an address of the device.
    if (parts.length !== 6 || parts[0] !== '1' || parts[1] !== '4' || int(row.get(4)) === 3) continue;
    const address = indexIp(parts.slice(2));
    if (!address || out.has(address)) continue;
    const ifIndex = int(row.get(3));
    // ipAddressPrefix points at an ipAddressPrefixEntry whose index ends with the prefix length; `0.0` is unknown.
    const pointer = String(row.get(5)?.value ?? '').split('.');
    const prefix = Number(pointer.at(-1));
    const hasPrefix = pointer.length > 2 && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32;
    out.set(address, {
      address,
      ...(ifIndex !== undefined ? { ifIndex } : {}),
      ...(hasPrefix ? { prefixLength: prefix } : {}),
    });
  }
  return [...out.values()].sort((a, b) => byAddress(a.address, b.address));
}

/** One router as L3 matching sees it. */
export interface L3Side {
  deviceId: string;
  /** Its own IPv4 addresses (parseIpv4Addresses). */
  addresses: Ipv4Address[];
  /** For port names (ifName, else ifDescr). */
  interfaces?: Iface[];
  ospf?: OspfData;
  bgp?: BgpData;
}

/** An L3Side for `deviceId` from its walked varbinds (L3_ROOTS and, for port names, ifTable/ifXTable). */
export function l3SideFrom(deviceId: string, varbinds: VarBind[]): L3Side {
  const ospf = parseOspfNeighbours(varbinds);
  const bgp = parseBgpPeers(varbinds);
  return {
    deviceId,
    addresses: parseIpv4Addresses(varbinds),
    interfaces: interfacesFrom(varbinds),
    ...(ospf.routerId || ospf.neighbours.length ? { ospf } : {}),
    ...(bgp.localAs || bgp.identifier || bgp.peers.length ? { bgp } : {}),
  };
}

/** One OSPF neighbour or BGP peer as its device reports it, resolved against the known devices. */
export interface L3Adjacency {
  via: 'ospf' | 'bgp';
  /**
   * The reporting device; the interface (when found) is the one on the neighbour's subnet, the OSPF address-less
   * index, or the BGP session's source address. `port` is its name, else the local address, else empty.
   */
  a: LinkEnd;
  /** `address` is the neighbour's (ospfNbrIpAddr, bgpPeerRemoteAddr), `name` its router id when known. */
  b: RemoteEnd;
  state: OspfNbrState | BgpPeerState;
  /** BGP: the peer's AS. */
  remoteAs?: number;
}

/** A link from a full OSPF adjacency or an established BGP session. */
export interface L3Link extends Link {
  via: ['ospf'] | ['bgp'];
  /** BGP: the AS of `b`, as `a` reports it. */
  remoteAs?: number;
}

export interface L3Links {
  links: L3Link[];
  /** Adjacencies not full (OSPF, twoWay included: DROther neighbours stay there) or not established (BGP). */
  inactive: L3Adjacency[];
}

interface Half extends L3Adjacency {
  /** This device's address on the adjacency, when known: for pairing with the far side's report. */
  localAddr?: string;
}

/** Lookups over all sides: router ids and addresses → devices (a key shared by several devices matches none). */
class L3Index {
  private rids = new Map<string, Set<string>>();
  private addrs = new Map<string, Set<string>>();
  private own = new Map<string, Map<string, Ipv4Address>>();
  private ifs = new Map<string, Map<number, Iface>>();

  constructor(sides: L3Side[]) {
    const add = (m: Map<string, Set<string>>, k: string | undefined, id: string) => {
      if (!k) return;
      const s = m.get(k) ?? new Set();
      m.set(k, s.add(id));
    };
    for (const d of sides) {
      add(this.rids, d.ospf?.routerId, d.deviceId);
      add(this.rids, d.bgp?.identifier, d.deviceId);
      const own = new Map<string, Ipv4Address>();
      for (const a of d.addresses) {
        if (!own.has(a.address)) own.set(a.address, a);
        if (a.address !== '0.0.0.0' && !a.address.startsWith('127.')) add(this.addrs, a.address, d.deviceId);
      }
      this.own.set(d.deviceId, own);
      this.ifs.set(d.deviceId, new Map((d.interfaces ?? []).map((i) => [i.ifIndex, i])));
    }
  }

  /** The one device other than `self` holding `key`. */
  private static pick(s: Set<string> | undefined, self: string): string | undefined {
    const c = s ? [...s].filter((id) => id !== self) : [];
    return c.length === 1 ? c[0] : undefined;
  }

  byRouterId = (rid: string | undefined, self: string) => (rid ? L3Index.pick(this.rids.get(rid), self) : undefined);
  byAddress = (addr: string | undefined, self: string) => (addr ? L3Index.pick(this.addrs.get(addr), self) : undefined);
  ownAddress = (deviceId: string, addr: string | undefined) => (addr ? this.own.get(deviceId)?.get(addr) : undefined);
  iface = (deviceId: string, ifIndex: number | undefined) =>
    ifIndex !== undefined ? this.ifs.get(deviceId)?.get(ifIndex) : undefined;
}

/** The device's address whose subnet holds `ip` (longest prefix; /0 and unknown masks never count). */
function onSubnet(d: L3Side, ip: string): Ipv4Address | undefined {
  const n = v4(ip);
  let best: Ipv4Address | undefined;
  for (const a of d.addresses) {
    const len = a.prefixLength ?? 0;
    const own = v4(a.address);
    if (n === undefined || own === undefined || len === 0 || a.address === ip) continue;
    const mask = len === 32 ? 0xffffffff : ~(0xffffffff >>> len) >>> 0;
    if (((own ^ n) & mask) >>> 0 === 0 && len > (best?.prefixLength ?? 0)) best = a;
  }
  return best;
}

/** Builds one side's report of an adjacency: local interface and address, remote device and interface. */
function half(
  idx: L3Index,
  d: L3Side,
  via: 'ospf' | 'bgp',
  remote: { addr: string; rid?: string; remoteId?: string },
  local: { ifIndex?: number; addr?: string },
  state: L3Adjacency['state'],
): Half {
  const label = (deviceId: string | undefined, ifIndex: number | undefined) => {
    const i = deviceId ? idx.iface(deviceId, ifIndex) : undefined;
    return i?.ifName || i?.ifDescr || (ifIndex !== undefined ? `ifIndex ${ifIndex}` : undefined);
  };
  const rIfIndex = remote.remoteId ? idx.ownAddress(remote.remoteId, remote.addr)?.ifIndex : undefined;
  return {
    via,
    a: { deviceId: d.deviceId, ifIndex: local.ifIndex, port: label(d.deviceId, local.ifIndex) ?? local.addr ?? '' },
    b: {
      deviceId: remote.remoteId,
      ifIndex: rIfIndex,
      port: label(remote.remoteId, rIfIndex) ?? remote.addr,
      ...(remote.rid ? { name: remote.rid } : {}),
      address: remote.addr,
    },
    state,
    ...(local.addr ? { localAddr: local.addr } : {}),
  };
}

function ospfHalf(idx: L3Index, d: L3Side, n: OspfNeighbour): Half {
  const remoteId = idx.byRouterId(n.routerId, d.deviceId) ?? idx.byAddress(n.ipAddr, d.deviceId);
  const subnet = onSubnet(d, n.ipAddr);
  // An unnumbered link has no subnet: the address-less index is the local ifIndex.
  const ifIndex = n.addressLessIndex > 0 ? n.addressLessIndex : subnet?.ifIndex;
  return half(
    idx,
    d,
    'ospf',
    { addr: n.ipAddr, rid: n.routerId, remoteId },
    { ifIndex, addr: subnet?.address },
    n.state,
  );
}

function bgpHalf(idx: L3Index, d: L3Side, p: BgpPeer): Half {
  const remoteId = idx.byAddress(p.remoteAddr, d.deviceId) ?? idx.byRouterId(p.identifier, d.deviceId);
  const source = idx.ownAddress(d.deviceId, p.localAddr) ?? onSubnet(d, p.remoteAddr);
  const h = half(
    idx,
    d,
    'bgp',
    { addr: p.remoteAddr, rid: p.identifier, remoteId },
    { ifIndex: source?.ifIndex, addr: p.localAddr ?? source?.address },
    p.state,
  );
  return p.remoteAs !== undefined ? { ...h, remoteAs: p.remoteAs } : h;
}

/** Two reports of one end agree: equal addresses when both known, else equal ifIndexes when both known. */
function sameEnd(x: { ifIndex?: number; addr?: string }, y: { ifIndex?: number; addr?: string }): boolean {
  if (x.addr && y.addr) return x.addr === y.addr;
  if (x.ifIndex !== undefined && y.ifIndex !== undefined) return x.ifIndex === y.ifIndex;
  return true;
}

/** `g` (reported by h's far end) is the same adjacency as `h`. */
const samePair = (h: Half, g: Half) =>
  sameEnd({ ifIndex: h.a.ifIndex, addr: h.localAddr }, { ifIndex: g.b.ifIndex, addr: g.b.address }) &&
  sameEnd({ ifIndex: g.a.ifIndex, addr: g.localAddr }, { ifIndex: h.b.ifIndex, addr: h.b.address });

/**
 * L3 links between routers from their OSPF neighbours and BGP peers. An OSPF neighbour is the device with its router
 * id (ospfNbrRtrId), else the one owning its address; a BGP peer the device owning bgpPeerRemoteAddr, else the one
 * whose router id is bgpPeerIdentifier. Full OSPF adjacencies and established BGP sessions become links, one per
 * adjacency (`seenFrom: 'both'` when both routers report it, else `'a'`; unknown neighbours have no `b.deviceId`);
 * the others are returned in `inactive` with their state. OSPF and BGP between the same routers stay separate links.
 * @example
 * const { links, inactive } = matchL3Links(walks.map(([id, vbs]) => l3SideFrom(id, vbs)));
 */
export function matchL3Links(devices: L3Side[]): L3Links {
  const idx = new L3Index(devices);
  const up: Half[] = [];
  const inactive: L3Adjacency[] = [];
  for (const d of devices) {
    for (const n of d.ospf?.neighbours ?? []) {
      const h = ospfHalf(idx, d, n);
      if (n.state === 'full') up.push(h);
      else inactive.push(adjacency(h));
    }
    for (const p of d.bgp?.peers ?? []) {
      const h = bgpHalf(idx, d, p);
      if (p.state === 'established') up.push(h);
      else inactive.push(adjacency(h));
    }
  }
  // Reports by protocol, reporting device and far device, in input order, for pairing in linear time.
  const byPair = new Map<string, Map<string, Half[]>>();
  for (const h of up) {
    if (!h.b.deviceId) continue;
    const key = `${h.via} ${h.a.deviceId}`;
    let inner = byPair.get(key);
    if (!inner) byPair.set(key, (inner = new Map()));
    let list = inner.get(h.b.deviceId);
    if (!list) inner.set(h.b.deviceId, (list = []));
    list.push(h);
  }
  const used = new Set<Half>();
  const links: L3Link[] = [];
  for (const h of up) {
    if (used.has(h)) continue;
    used.add(h);
    const other = h.b.deviceId
      ? byPair
          .get(`${h.via} ${h.b.deviceId}`)
          ?.get(h.a.deviceId)
          ?.find((g) => !used.has(g) && samePair(h, g))
      : undefined;
    const { b } = h;
    if (other) used.add(other);
    const link: L3Link = {
      a:
        other && h.a.ifIndex === undefined && other.b.ifIndex !== undefined
          ? { ...h.a, ifIndex: other.b.ifIndex, port: other.b.port }
          : h.a,
      b:
        other && b.ifIndex === undefined && other.a.ifIndex !== undefined
          ? { ...b, ifIndex: other.a.ifIndex, port: other.a.port }
          : b,
      via: [h.via] as L3Link['via'],
      seenFrom: other ? 'both' : 'a',
    };
    if (h.remoteAs !== undefined) link.remoteAs = h.remoteAs;
    links.push(link);
  }
  return { links, inactive };
}

function adjacency(h: Half): L3Adjacency {
  const { localAddr: _, ...rest } = h;
  return rest;
}
