/**
 * Who a neighbour is and which interface it names (pure): looks a neighbour's chassis ID, system name or management
 * address up among known devices, and resolves a port ID (any LLDP subtype, or a CDP port name) to an ifIndex.
 */
import type { CdpNeighbour } from './cdp.ts';
import type { LldpData, PortIdSubtype } from './lldp.ts';
import { normMac } from './octets.ts';
import { samePort } from './ports.ts';

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

/** Lookup tables from identities to device ids; a key shared by several devices is ambiguous and never matches. */
export class DeviceIndex {
  private macs = new Map<string, Set<string>>();
  private names = new Map<string, Set<string>>();
  private shorts = new Map<string, Set<string>>();
  private addrs = new Map<string, Set<string>>();
  readonly byId = new Map<string, DeviceSide>();

  constructor(devices: DeviceSide[]) {
    const add = (m: Map<string, Set<string>>, k: string | undefined, id: string) => {
      if (!k) return;
      const s = m.get(k) ?? new Set();
      s.add(id);
      m.set(k, s);
    };
    for (const d of devices) {
      this.byId.set(d.deviceId, d);
      for (const m of [...d.chassisMacs, ...d.interfaces.map((i) => i.ifPhysAddress)]) {
        const mac = normMac(m);
        if (mac && !BAD_MACS.has(mac)) add(this.macs, mac, d.deviceId);
      }
      const n = normName(d.sysName);
      if (n) {
        add(this.names, n.full, d.deviceId);
        add(this.shorts, n.short, d.deviceId);
      }
      for (const a of d.managementAddresses) add(this.addrs, a.toLowerCase(), d.deviceId);
    }
  }

  private static one(s: Set<string> | undefined): string | undefined {
    return s && s.size === 1 ? [...s][0] : undefined;
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
}

/** The interface with exactly this ifIndex. */
export const ifByIndex = (d: DeviceSide, ifIndex: number) => d.interfaces.find((i) => i.ifIndex === ifIndex);

/** Interfaces whose ifName, ifDescr or ifAlias is the same port as `name` (ifName first, then ifDescr, then ifAlias). */
export function ifByName(d: DeviceSide, name: string): Iface | undefined {
  for (const key of ['ifName', 'ifDescr', 'ifAlias'] as const) {
    const hits = d.interfaces.filter((i) => samePort(i[key], name));
    if (hits.length === 1) return hits[0];
  }
  return undefined;
}

/** The interface with this MAC; when several share it, the one with ifIndex `prefer` if given. */
export function ifByMac(d: DeviceSide, mac: string, prefer?: number): Iface | undefined {
  const m = normMac(mac);
  if (!m) return undefined;
  const hits = d.interfaces.filter((i) => normMac(i.ifPhysAddress) === m);
  if (hits.length === 1) return hits[0];
  return prefer !== undefined ? hits.find((i) => i.ifIndex === prefer) : undefined;
}

/**
 * Resolves an LLDP port ID on device `d` to an interface: a MAC by ifPhysAddress; a name (alias, interface name,
 * local, component, circuit id) by ifName/ifDescr/ifAlias; a bare number under subtype local by ifIndex.
 */
export function ifByPortId(d: DeviceSide, subtype: PortIdSubtype, id: string, prefer?: number): Iface | undefined {
  if (subtype === 'macAddress' || (subtype === 'unknown' && normMac(id))) return ifByMac(d, id, prefer);
  if (subtype === 'networkAddress') return undefined;
  const byName = ifByName(d, id);
  if (byName) return byName;
  if (/^\d+$/.test(id) && (subtype === 'local' || subtype === 'portComponent')) return ifByIndex(d, Number(id));
  return undefined;
}

/** LLDP local port number → interface, through lldpLocPortTable; else lldpLocPortNum taken as the ifIndex. */
export function ifByLocalPortNum(d: DeviceSide, portNum: number): Iface | undefined {
  const entry = d.lldp?.local.ports.find((p) => p.portNum === portNum);
  if (entry) {
    const hit = ifByPortId(d, entry.idSubtype, entry.id, portNum);
    if (hit) return hit;
    if (entry.desc) {
      const byDesc = ifByName(d, entry.desc);
      if (byDesc) return byDesc;
    }
  }
  return ifByIndex(d, portNum);
}

/** The device's own lldpLocPortTable entry whose port ID equals `id` (how a neighbour names this device's port). */
export function ifByOwnPortId(d: DeviceSide, subtype: PortIdSubtype, id: string): Iface | undefined {
  const entry = d.lldp?.local.ports.find((p) => p.idSubtype === subtype && p.id === id);
  return entry ? ifByLocalPortNum(d, entry.portNum) : undefined;
}
