/**
 * Builds a matching DeviceSide from one device's walked varbinds (pure): sysName, ifTable/ifXTable names and MACs,
 * ipAddrTable addresses, and the parsed LLDP and CDP neighbours.
 */
import type { VarBind } from '../model/records.ts';
import { parseCdp } from './cdp.ts';
import type { DeviceSide, Iface } from './identity.ts';
import { parseLldp } from './lldp.ts';
import { parseMac, scalar, tableRows, valueText } from './octets.ts';

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';
const IP_ADDR_ENTRY = '1.3.6.1.2.1.4.20.1';
export const SYS_NAME = '1.3.6.1.2.1.1.5.0';

/** The OID subtrees a DeviceSide is built from (walk these). */
export const DEVICE_SIDE_ROOTS = [
  SYS_NAME,
  IF_ENTRY,
  IFX_ENTRY,
  IP_ADDR_ENTRY,
  '1.0.8802.1.1.2.1',
  '1.3.6.1.4.1.9.9.23.1.2.1.1',
];

const text = (vb: VarBind | undefined) => {
  const t = vb ? valueText(vb.value) : '';
  return t === '' ? undefined : t;
};

/** Interfaces from ifTable (ifDescr 2, ifPhysAddress 6) and ifXTable (ifName 1, ifAlias 18). */
export function interfacesFrom(varbinds: VarBind[]): Iface[] {
  const byIndex = new Map<number, Iface>();
  const get = (i: number) => {
    let e = byIndex.get(i);
    if (!e) byIndex.set(i, (e = { ifIndex: i }));
    return e;
  };
  for (const [index, row] of tableRows(varbinds, IF_ENTRY)) {
    const e = get(Number(index));
    const descr = text(row.get(2));
    const mac = row.get(6) ? parseMac(row.get(6)?.value) : undefined;
    if (descr) e.ifDescr = descr;
    if (mac) e.ifPhysAddress = mac;
  }
  for (const [index, row] of tableRows(varbinds, IFX_ENTRY)) {
    const e = get(Number(index));
    const name = text(row.get(1));
    const alias = text(row.get(18));
    if (name) e.ifName = name;
    if (alias) e.ifAlias = alias;
  }
  return [...byIndex.values()].filter((i) => Number.isInteger(i.ifIndex)).sort((a, b) => a.ifIndex - b.ifIndex);
}

/** A DeviceSide for `deviceId` from its walked varbinds. */
export function deviceSideFrom(deviceId: string, varbinds: VarBind[]): DeviceSide {
  const lldp = parseLldp(varbinds);
  const sysName = text(scalar(varbinds, SYS_NAME));
  const addrs = [...tableRows(varbinds, IP_ADDR_ENTRY).keys()].filter(
    (a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.') && a !== '0.0.0.0',
  );
  const chassis = lldp.local.chassisIdSubtype === 'macAddress' ? parseMac(lldp.local.chassisId) : undefined;
  return {
    deviceId,
    ...(sysName ? { sysName } : lldp.local.sysName ? { sysName: lldp.local.sysName } : {}),
    interfaces: interfacesFrom(varbinds),
    chassisMacs: chassis ? [chassis] : [],
    managementAddresses: addrs,
    lldp,
    cdp: parseCdp(varbinds),
  };
}
