/**
 * LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2) parsing (pure): the local chassis and port table and the remote
 * neighbours with their management addresses, every chassis-ID and port-ID subtype decoded to comparable text.
 */
import type { VarBind } from '../model/records.ts';
import {
  decodeBits,
  formatIp,
  formatMac,
  parseFamilyAddress,
  parseMac,
  scalar,
  tableRows,
  valueText,
} from './octets.ts';

export const LLDP_ROOT = '1.0.8802.1.1.2.1';
const LOC = `${LLDP_ROOT}.3`;
/** lldpRemTable entry: index lldpRemTimeMark, lldpRemLocalPortNum, lldpRemIndex. */
export const LLDP_REM_ENTRY = `${LLDP_ROOT}.4.1.1`;
/** lldpRemManAddrTable entry: index as lldpRemTable, then lldpRemManAddrSubtype and the length-prefixed address. */
export const LLDP_REM_MAN_ADDR_ENTRY = `${LLDP_ROOT}.4.2.1`;
/** lldpLocPortTable entry: index lldpLocPortNum. */
export const LLDP_LOC_PORT_ENTRY = `${LOC}.7.1`;

/** LldpChassisIdSubtype 1–7. */
export const CHASSIS_SUBTYPES = [
  'chassisComponent',
  'interfaceAlias',
  'portComponent',
  'macAddress',
  'networkAddress',
  'interfaceName',
  'local',
] as const;
export type ChassisIdSubtype = (typeof CHASSIS_SUBTYPES)[number] | 'unknown';

/** LldpPortIdSubtype 1–7. */
export const PORT_SUBTYPES = [
  'interfaceAlias',
  'portComponent',
  'macAddress',
  'networkAddress',
  'interfaceName',
  'agentCircuitId',
  'local',
] as const;
export type PortIdSubtype = (typeof PORT_SUBTYPES)[number] | 'unknown';

/** LldpSystemCapabilitiesMap bit names (802.1AB-2009 adds the last three). */
export const LLDP_CAPABILITIES = [
  'other',
  'repeater',
  'bridge',
  'wlanAccessPoint',
  'router',
  'telephone',
  'docsisCableDevice',
  'stationOnly',
  'cVlanComponent',
  'sVlanComponent',
  'twoPortMacRelay',
] as const;

export interface LldpManAddr {
  /** IANA address family name: ipv4, ipv6, mac (all802), or `family N`. */
  family: string;
  address: string;
  ifSubtype?: number;
  ifId?: number;
}

export interface LldpNeighbour {
  /** lldpRemLocalPortNum: the local port, an index into lldpLocPortTable (often the ifIndex). */
  localPortNum: number;
  remIndex: number;
  chassisIdSubtype: ChassisIdSubtype;
  /** Decoded per subtype: MAC `aa:bb:cc:dd:ee:ff`, IP text, names as text, else `0x…`. */
  chassisId: string;
  portIdSubtype: PortIdSubtype;
  portId: string;
  portDesc?: string;
  sysName?: string;
  sysDesc?: string;
  capSupported: string[];
  capEnabled: string[];
  managementAddresses: LldpManAddr[];
}

export interface LldpLocalPort {
  portNum: number;
  idSubtype: PortIdSubtype;
  id: string;
  desc?: string;
}

export interface LldpLocal {
  chassisIdSubtype: ChassisIdSubtype;
  chassisId: string;
  sysName?: string;
  ports: LldpLocalPort[];
}

export interface LldpData {
  local: LldpLocal;
  neighbours: LldpNeighbour[];
}

const subtypeName = <T extends string>(names: readonly T[], n: VarBind | undefined): T | 'unknown' =>
  names[Number(n?.value) - 1] ?? 'unknown';

/** Decodes a chassis ID by its subtype name: MAC, network address, or text. */
export function decodeChassisId(subtype: ChassisIdSubtype, value: VarBind['value'] | undefined): string {
  if (subtype === 'macAddress') return parseMac(value) ?? valueText(value);
  if (subtype === 'networkAddress') return parseFamilyAddress(value) ?? valueText(value);
  return valueText(value);
}

/** Decodes a port ID by its subtype name: MAC, network address, or text. */
export function decodePortId(subtype: PortIdSubtype, value: VarBind['value'] | undefined): string {
  if (subtype === 'macAddress') return parseMac(value) ?? valueText(value);
  if (subtype === 'networkAddress') return parseFamilyAddress(value) ?? valueText(value);
  return valueText(value);
}

const optText = (vb: VarBind | undefined) => {
  const t = vb ? valueText(vb.value) : '';
  return t === '' ? undefined : t;
};

/** Management addresses by neighbour key (`localPortNum.remIndex`), decoded from lldpRemManAddrTable's index. */
function manAddrs(varbinds: VarBind[]): Map<string, LldpManAddr[]> {
  const out = new Map<string, LldpManAddr[]>();
  for (const [index, row] of tableRows(varbinds, LLDP_REM_MAN_ADDR_ENTRY)) {
    const parts = index.split('.').map(Number);
    if (parts.length < 5) continue;
    const [, port, rem, family, len] = parts;
    const bytes = Buffer.from(parts.slice(5, 5 + len));
    const address =
      (family === 1 || family === 2
        ? formatIp(bytes)
        : family === 6 && bytes.length === 6
          ? formatMac(bytes)
          : undefined) ?? '0x' + bytes.toString('hex');
    const key = `${port}.${rem}`;
    const list = out.get(key) ?? [];
    if (!list.some((m) => m.address === address)) {
      const ifSubtype = row.get(3)?.value;
      const ifId = row.get(4)?.value;
      list.push({
        family: family === 1 ? 'ipv4' : family === 2 ? 'ipv6' : family === 6 ? 'mac' : `family ${family}`,
        address,
        ...(typeof ifSubtype === 'number' ? { ifSubtype } : {}),
        ...(typeof ifId === 'number' ? { ifId } : {}),
      });
    }
    out.set(key, list);
  }
  return out;
}

/** lldpLocPortTable rows. */
function localPorts(varbinds: VarBind[]): LldpLocalPort[] {
  const ports: LldpLocalPort[] = [];
  for (const [index, row] of tableRows(varbinds, LLDP_LOC_PORT_ENTRY)) {
    const portNum = Number(index);
    if (!Number.isInteger(portNum)) continue;
    const idSubtype = subtypeName(PORT_SUBTYPES, row.get(2));
    const desc = optText(row.get(4));
    ports.push({ portNum, idSubtype, id: decodePortId(idSubtype, row.get(3)?.value), ...(desc ? { desc } : {}) });
  }
  return ports.sort((a, b) => a.portNum - b.portNum);
}

/**
 * Parses a walk of LLDP-MIB (any subset of 1.0.8802.1.1.2.1) into the local side and the neighbours. A neighbour is
 * one lldpRemTable row; rows seen under several time marks (a walk crossing a change) are kept once, the latest.
 */
export function parseLldp(varbinds: VarBind[]): LldpData {
  const chassisIdSubtype = subtypeName(CHASSIS_SUBTYPES, scalar(varbinds, `${LOC}.1.0`));
  const sysName = optText(scalar(varbinds, `${LOC}.3.0`));
  const local: LldpLocal = {
    chassisIdSubtype,
    chassisId: decodeChassisId(chassisIdSubtype, scalar(varbinds, `${LOC}.2.0`)?.value),
    ...(sysName ? { sysName } : {}),
    ports: localPorts(varbinds),
  };
  const addrs = manAddrs(varbinds);
  const byKey = new Map<string, { timeMark: number; n: LldpNeighbour }>();
  for (const [index, row] of tableRows(varbinds, LLDP_REM_ENTRY)) {
    const parts = index.split('.').map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x))) continue;
    const [timeMark, localPortNum, remIndex] = parts;
    const key = `${localPortNum}.${remIndex}`;
    const prev = byKey.get(key);
    if (prev && prev.timeMark > timeMark) continue;
    const cs = subtypeName(CHASSIS_SUBTYPES, row.get(4));
    const ps = subtypeName(PORT_SUBTYPES, row.get(6));
    const portDesc = optText(row.get(8));
    const rSysName = optText(row.get(9));
    const sysDesc = optText(row.get(10));
    const n: LldpNeighbour = {
      localPortNum,
      remIndex,
      chassisIdSubtype: cs,
      chassisId: decodeChassisId(cs, row.get(5)?.value),
      portIdSubtype: ps,
      portId: decodePortId(ps, row.get(7)?.value),
      ...(portDesc ? { portDesc } : {}),
      ...(rSysName ? { sysName: rSysName } : {}),
      ...(sysDesc ? { sysDesc } : {}),
      capSupported: decodeBits(row.get(11)?.value, LLDP_CAPABILITIES),
      capEnabled: decodeBits(row.get(12)?.value, LLDP_CAPABILITIES),
      managementAddresses: addrs.get(key) ?? [],
    };
    byKey.set(key, { timeMark, n });
  }
  const neighbours = [...byKey.values()].map((e) => e.n);
  neighbours.sort((a, b) => a.localPortNum - b.localPortNum || a.remIndex - b.remIndex);
  return { local, neighbours };
}
