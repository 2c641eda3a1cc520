/**
 * Who a neighbour is and which interface it names (pure): looks a neighbour's chassis ID, system name or management
 * address up among known devices, and resolves a port ID (any LLDP subtype, or a CDP port name) to an ifIndex.
 */
import type { CdpNeighbour } from './cdp.ts';
import type { LldpData, LldpLocalPort, PortIdSubtype } from './lldp.ts';
import { normMac } from './octets.ts';
import { normalisePort } from './ports.ts';

export interface Iface {
  ifIndex: number;
  ifName?: string;
  ifDescr?: string;
  ifAlias?: string;
  /** Any MAC notation. */
  ifPhysAddress?: string;
}

/** One device as matching sees it: its identities, interfaces and the neighbours it reports. */
export interface DeviceSide {
  deviceId: string;
  sysName?: string;
  interfaces: Iface[];
  /** Chassis MACs (e.g. the LLDP local chassis ID when it is a MAC); interface MACs count too. */
  chassisMacs: string[];
  managementAddresses: string[];
  lldp?: LldpData;
  cdp?: CdpNeighbour[];
}

/** A system name for comparison: lowercase, a Cisco `(serial)` suffix dropped; `short` is the part before the domain. */
export function normName(name: string | undefined): { full: string; short: string; hasDomain: boolean } | undefined {
  const full = (name ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s*\([^)]*\)$/, '')
    .replace(/\.$/, '');
  if (!full) return undefined;
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(full) || full.includes(':');
  const dot = full.indexOf('.');
  const hasDomain = !isIp && dot > 0;
  return { full, short: hasDomain ? full.slice(0, dot) : full, hasDomain };
}

const BAD_MACS = new Set(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff']);

/** Key → the one device holding it, or null when several do (a Set per key would cost ~100 bytes a MAC). */
type Owners = Map<string, string | null>;
const addOwner = (m: Owners, k: string | undefined, id: string) => {
  if (!k) return;
  const cur = m.get(k);
  if (cur === undefined) m.set(k, id);
  else if (cur !== id) m.set(k, null);
};

/** Lookup tables from identities to device ids; a key shared by several devices is ambiguous and never matches. */
export class DeviceIndex {
  private macs: Owners = new Map();
  private names: Owners = new Map();
  private shorts = new Map<string, Set<string>>();
  private addrs: Owners = new Map();
  readonly byId = new Map<string, DeviceSide>();
  private lookups = new Map<DeviceSide, PortLookup>();

  constructor(devices: DeviceSide[]) {
    const addMac = (m: string | undefined, id: string) => {
      const mac = normMac(m);
      if (mac && !BAD_MACS.has(mac)) addOwner(this.macs, mac, id);
    };
    for (const d of devices) {
      this.byId.set(d.deviceId, d);
      for (const m of d.chassisMacs) addMac(m, d.deviceId);
      for (const i of d.interfaces) addMac(i.ifPhysAddress, d.deviceId);
      const n = normName(d.sysName);
      if (n) {
        addOwner(this.names, n.full, d.deviceId);
        const s = this.shorts.get(n.short) ?? new Set();
        this.shorts.set(n.short, s.add(d.deviceId));
      }
      for (const a of d.managementAddresses) addOwner(this.addrs, a.toLowerCase(), d.deviceId);
    }
  }

  private static one(owner: string | null | undefined): string | undefined {
    return owner ?? undefined;
  }

  byMac(mac: string | undefined): string | undefined {
    const m = normMac(mac);
    return m && !BAD_MACS.has(m) ? DeviceIndex.one(this.macs.get(m)) : undefined;
  }

  /** By name: equal full names, or equal host parts when either side has no domain. */
  byName(name: string | undefined): string | undefined {
    const n = normName(name);
    if (!n) return undefined;
    const full = DeviceIndex.one(this.names.get(n.full));
    if (full) return full;
    const cands = [...(this.shorts.get(n.short) ?? [])].filter(
      (id) => !n.hasDomain || !normName(this.byId.get(id)?.sysName)?.hasDomain,
    );
    return cands.length === 1 ? cands[0] : undefined;
  }

  byAddress(addr: string | undefined): string | undefined {
    return addr ? DeviceIndex.one(this.addrs.get(addr.toLowerCase())) : undefined;
  }

  /** The interface lookups of `d`, built once for this index's lifetime. */
  ports(d: DeviceSide): PortLookup {
    let p = this.lookups.get(d);
    if (!p) this.lookups.set(d, (p = new PortLookup(d)));
    return p;
  }
}

type NameKey = 'ifName' | 'ifDescr' | 'ifAlias';
const NAME_KEYS: readonly NameKey[] = ['ifName', 'ifDescr', 'ifAlias'];

/**
 * The two forms samePort compares a port name by: normalised, and normalised after a MikroTik `bridge…/` prefix is
 * dropped (samePort's bridgeMember). Two names are the same port when either form is equal.
 */
function portKeys(name: string): [string, string] {
  return [
    normalisePort(name),
    normalisePort(
      name
        .toLowerCase()
        .trim()
        .replace(/^bridge[^/]*\//, ''),
    ),
  ];
}

/** Name key → the position of the one interface with it, or -1 when several have it. */
type Positions = Map<string, number>;
const addPosition = (m: Positions, k: string, pos: number) => m.set(k, m.has(k) ? -1 : pos);

/** The one distinct position `a` and `b` name together, else undefined (none, or several). */
function single(a: number | undefined, b: number | undefined): number | undefined {
  if (a === -1 || b === -1) return undefined;
  if (a === undefined || b === undefined) return a ?? b;
  return a === b ? a : undefined;
}

/**
 * Interface lookups on one device, each index built on first use, so that resolving every neighbour of a large
 * network costs a map lookup instead of a scan of the device's interfaces (with port-name normalisation) each time.
 * It reads the DeviceSide as it is when an index is built: use one per computation, not across changes.
 */
export class PortLookup {
  private ifIndexes?: Map<number, Iface>;
  private names = new Map<NameKey, [Positions, Positions]>();
  /** MAC → positions: one number, or an array when several interfaces share the MAC. */
  private macs?: Map<string, number | number[]>;
  private localByNum?: Map<number, LldpLocalPort>;
  private localById?: Map<string, LldpLocalPort>;

  constructor(readonly device: DeviceSide) {}

  /** The interface with exactly this ifIndex (the first, if listed twice). */
  byIndex(ifIndex: number): Iface | undefined {
    if (!this.ifIndexes) {
      this.ifIndexes = new Map();
      for (const i of this.device.interfaces) if (!this.ifIndexes.has(i.ifIndex)) this.ifIndexes.set(i.ifIndex, i);
    }
    return this.ifIndexes.get(ifIndex);
  }

  /** The interface whose ifName, else ifDescr, else ifAlias is the same port as `name`, when exactly one is. */
  byName(name: string): Iface | undefined {
    if (!name) return undefined;
    const [exact, member] = portKeys(name);
    for (const key of NAME_KEYS) {
      let maps = this.names.get(key);
      if (!maps) {
        maps = [new Map(), new Map()];
        for (const [pos, i] of this.device.interfaces.entries()) {
          const v = i[key];
          if (!v) continue;
          const [e, m] = portKeys(v);
          addPosition(maps[0], e, pos);
          addPosition(maps[1], m, pos);
        }
        this.names.set(key, maps);
      }
      const hit = single(maps[0].get(exact), maps[1].get(member));
      if (hit !== undefined) return this.device.interfaces[hit];
    }
    return undefined;
  }

  /** The interface with this MAC; when several share it, the one with ifIndex `prefer` if given. */
  byMac(mac: string, prefer?: number): Iface | undefined {
    const m = normMac(mac);
    if (!m) return undefined;
    if (!this.macs) {
      this.macs = new Map();
      for (const [pos, i] of this.device.interfaces.entries()) {
        const im = normMac(i.ifPhysAddress);
        if (!im) continue;
        const cur = this.macs.get(im);
        if (cur === undefined) this.macs.set(im, pos);
        else if (typeof cur === 'number') this.macs.set(im, [cur, pos]);
        else cur.push(pos);
      }
    }
    const hits = this.macs.get(m);
    if (typeof hits === 'number') return this.device.interfaces[hits];
    if (!hits || prefer === undefined) return undefined;
    return hits.map((pos) => this.device.interfaces[pos]).find((i) => i.ifIndex === prefer);
  }

  /** See ifByPortId. */
  byPortId(subtype: PortIdSubtype, id: string, prefer?: number): Iface | undefined {
    if (subtype === 'macAddress' || (subtype === 'unknown' && normMac(id))) return this.byMac(id, prefer);
    if (subtype === 'networkAddress') return undefined;
    const byName = this.byName(id);
    if (byName) return byName;
    if (/^\d+$/.test(id) && (subtype === 'local' || subtype === 'portComponent')) return this.byIndex(Number(id));
    return undefined;
  }

  /** The lldpLocPortTable entry with this port number (the first, if listed twice). */
  localPort(portNum: number): LldpLocalPort | undefined {
    if (!this.localByNum) {
      this.localByNum = new Map();
      for (const p of this.device.lldp?.local.ports ?? [])
        if (!this.localByNum.has(p.portNum)) this.localByNum.set(p.portNum, p);
    }
    return this.localByNum.get(portNum);
  }

  /** See ifByLocalPortNum. */
  byLocalPortNum(portNum: number): Iface | undefined {
    const entry = this.localPort(portNum);
    if (entry) {
      const hit = this.byPortId(entry.idSubtype, entry.id, portNum);
      if (hit) return hit;
      if (entry.desc) {
        const byDesc = this.byName(entry.desc);
        if (byDesc) return byDesc;
      }
    }
    return this.byIndex(portNum);
  }

  /** See ifByOwnPortId. */
  byOwnPortId(subtype: PortIdSubtype, id: string): Iface | undefined {
    if (!this.localById) {
      this.localById = new Map();
      for (const p of this.device.lldp?.local.ports ?? []) {
        const k = `${p.idSubtype}\u0000${p.id}`;
        if (!this.localById.has(k)) this.localById.set(k, p);
      }
    }
    const entry = this.localById.get(`${subtype}\u0000${id}`);
    return entry ? this.byLocalPortNum(entry.portNum) : undefined;
  }
}

/** The interface with exactly this ifIndex. */
export const ifByIndex = (d: DeviceSide, ifIndex: number) => d.interfaces.find((i) => i.ifIndex === ifIndex);

/** Interfaces whose ifName, ifDescr or ifAlias is the same port as `name` (ifName first, then ifDescr, then ifAlias). */
export const ifByName = (d: DeviceSide, name: string): Iface | undefined => new PortLookup(d).byName(name);

/** The interface with this MAC; when several share it, the one with ifIndex `prefer` if given. */
export const ifByMac = (d: DeviceSide, mac: string, prefer?: number): Iface | undefined =>
  new PortLookup(d).byMac(mac, prefer);

/**
 * Resolves an LLDP port ID on device `d` to an interface: a MAC by ifPhysAddress; a name (alias, interface name,
 * local, component, circuit id) by ifName/ifDescr/ifAlias; a bare number under subtype local by ifIndex.
 */
export const ifByPortId = (d: DeviceSide, subtype: PortIdSubtype, id: string, prefer?: number): Iface | undefined =>
  new PortLookup(d).byPortId(subtype, id, prefer);

/** LLDP local port number → interface, through lldpLocPortTable; else lldpLocPortNum taken as the ifIndex. */
export const ifByLocalPortNum = (d: DeviceSide, portNum: number): Iface | undefined =>
  new PortLookup(d).byLocalPortNum(portNum);

/** The device's own lldpLocPortTable entry whose port ID equals `id` (how a neighbour names this device's port). */
export const ifByOwnPortId = (d: DeviceSide, subtype: PortIdSubtype, id: string): Iface | undefined =>
  new PortLookup(d).byOwnPortId(subtype, id);
