/**
 * Bridge forwarding tables → "this MAC was learned on that bridge port" (pure).
 *
 * Reads BRIDGE-MIB dot1dTpFdbTable and Q-BRIDGE-MIB dot1qTpFdbTable, maps bridge ports to ifIndexes through
 * dot1dBasePortTable and Q-BRIDGE filtering databases (FdbId) to VLANs through dot1qVlanCurrentTable.
 *
 * Rules, for any agent (not just the recorded ones):
 * - The MAC is taken from the row's index (always exact); dot1dTpFdbAddress is used only when the index is not
 *   six sub-identifiers. Octet strings arrive as text when printable, else `0x…` hex (see collectors/snmp/varbind.ts);
 *   both are decoded, including a printable MAC whose trailing 0x00 the collector dropped.
 * - Rows whose status is invalid(2) are left out. A missing status column gives `status: 'other'`.
 * - bridgePort 0 means "not known" (as the MIB says); a missing port column gives 0 too. ifIndex is set only when
 *   dot1dBasePortIfIndex gives a non-zero value for that port: bridge port numbers are not assumed to be ifIndexes.
 * - VLAN of a Q-BRIDGE row: dot1qVlanFdbId is authoritative when the agent returns it (HP ProCurve maps VLAN 50 to
 *   FdbId 2); if exactly one VLAN uses the FdbId, that is the VLAN; if several share it (shared VLAN learning) or
 *   none does, the VLAN is left unset — except when no VLAN maps to the FdbId but a VLAN with that very number
 *   exists (a dot1qVlanCurrentTable or dot1qVlanStaticTable row): the agent numbers its forwarding databases by
 *   VLAN whatever dot1qVlanFdbId says (D-Link DES-3038 lists FdbIds 602 and 2004 while mapping VLAN 602 to 90).
 *   When the agent returns no dot1qVlanFdbId at all, the FdbId is taken as the VLAN if it is a valid VLAN id
 *   (1–4094), which is what independent-VLAN-learning switches use; larger FdbIds (Juniper uses 131072, …) are
 *   internal numbers and give no VLAN.
 * - A BRIDGE-MIB row is dropped when a Q-BRIDGE row has the same MAC and bridge port: the Q-BRIDGE row carries the
 *   VLAN, and most agents present the same entries through both tables.
 */
import type { VarBind } from '../model/records.ts';

export type FdbStatus = 'learned' | 'self' | 'mgmt' | 'invalid' | 'other';

export interface FdbEntry {
  /** Lowercase, colon-separated: `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  /** From dot1dBasePortIfIndex; unset when the agent does not say (or says 0). */
  ifIndex?: number;
  /** dot1dBasePort; 0 = not known. */
  bridgePort: number;
  vlan?: number;
  /** The Q-BRIDGE filtering database id the row came from (unset for BRIDGE-MIB rows). */
  fdbId?: number;
  status: FdbStatus;
  source: 'dot1d' | 'dot1q';
}

export const DOT1D_TP_FDB = '1.3.6.1.2.1.17.4.3.1';
export const DOT1D_BASE_PORT = '1.3.6.1.2.1.17.1.4.1';
export const DOT1Q_TP_FDB = '1.3.6.1.2.1.17.7.1.2.2.1';
export const DOT1Q_VLAN_CURRENT = '1.3.6.1.2.1.17.7.1.4.2.1';
export const DOT1Q_VLAN_STATIC = '1.3.6.1.2.1.17.7.1.4.3.1';

/** dot1dTpFdbStatus / dot1qTpFdbStatus values. */
const STATUS: Record<number, FdbStatus> = { 1: 'other', 2: 'invalid', 3: 'learned', 4: 'self', 5: 'mgmt' };

/** Rows of one table: index (sub-identifiers after `prefix.column.`) → column → varbind. */
export type TableRows = Map<string, Map<number, VarBind>>;

/** Groups the varbinds under `prefix` by row index; exception values (NoSuchObject, …) are skipped. */
export function tableRows(varbinds: readonly VarBind[], prefix: string): TableRows {
  const rows: TableRows = new Map();
  const p = `${prefix}.`;
  for (const vb of varbinds) {
    const oid = vb.oid.startsWith('.') ? vb.oid.slice(1) : vb.oid;
    if (!oid.startsWith(p) || vb.value === null) continue;
    const rest = oid.slice(p.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const column = Number(rest.slice(0, dot));
    const index = rest.slice(dot + 1);
    let row = rows.get(index);
    if (!row) rows.set(index, (row = new Map()));
    row.set(column, vb);
  }
  return rows;
}

/** An integer column value, or undefined when missing / not a number. */
export function intValue(vb: VarBind | undefined): number | undefined {
  if (!vb || vb.value === null || vb.value === '') return undefined;
  const n = typeof vb.value === 'number' ? vb.value : Number(vb.value);
  return Number.isInteger(n) ? n : undefined;
}

/** Index sub-identifiers as numbers; undefined when any is not a non-negative integer. */
export function subIds(index: string): number[] | undefined {
  const parts = index.split('.').map(Number);
  return parts.every((n) => Number.isInteger(n) && n >= 0) ? parts : undefined;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
/** Bytes → `aa:bb:…`. */
export const formatMac = (bytes: ArrayLike<number>) => Array.from(bytes, hex2).join(':');

/** Six index sub-ids (each 0–255) → MAC, else undefined. */
export function macFromSubIds(ids: readonly number[]): string | undefined {
  return ids.length === 6 && ids.every((n) => n <= 255) ? formatMac(ids) : undefined;
}

/**
 * Octet string value as the collector gives it → bytes: `0x…` hex when it is valid hex of `want` bytes (or any
 * length when `want` is unset), else the text's UTF-8 bytes, with a trailing 0x00 put back when the text is one
 * byte short of `want` (the collector strips one trailing NUL from printable strings).
 */
export function octetsFromValue(value: VarBind['value'], want?: number): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^0x([0-9a-f]{2})*$/i.test(value)) {
    const bytes = Buffer.from(value.slice(2), 'hex');
    if (want === undefined || bytes.length === want) return bytes;
  }
  const text = Buffer.from(value, 'utf8');
  if (want !== undefined && text.length === want - 1) return Buffer.concat([text, Buffer.from([0])]);
  return text;
}

/**
 * A MAC written by a person or a tool → `aa:bb:cc:dd:ee:ff`: `aa:bb:cc:dd:ee:ff`, `a:b:c:d:e:f`, `aa-bb-…`,
 * `aabb.ccdd.eeff`, `aabbccddeeff`, any case. Undefined when it is none of these.
 */
export function normalizeMac(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  let groups: string[] | undefined;
  if (/^[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}$/.test(t) && !(t.includes(':') && t.includes('-')))
    groups = t.split(/[:-]/);
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(t)) groups = t.replaceAll('.', '').match(/../g) ?? undefined;
  else if (/^[0-9a-f]{12}$/.test(t)) groups = t.match(/../g) ?? undefined;
  return groups?.map((g) => g.padStart(2, '0')).join(':');
}

/** A MAC column value (raw octets, or already-formatted text) → `aa:bb:…`, else undefined. */
export function macFromValue(value: VarBind['value']): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = octetsFromValue(value, 6);
  if (bytes?.length === 6) return formatMac(bytes);
  return normalizeMac(value);
}

/** dot1dBasePort → ifIndex (0 and missing values are left out). */
export function basePortIfIndexes(varbinds: readonly VarBind[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [index, row] of tableRows(varbinds, DOT1D_BASE_PORT)) {
    const port = Number(index);
    const ifIndex = intValue(row.get(2));
    if (Number.isInteger(port) && ifIndex !== undefined && ifIndex > 0) out.set(port, ifIndex);
  }
  return out;
}

/** The VLAN ids the agent lists in dot1qVlanCurrentTable (index timeMark.vlan) or dot1qVlanStaticTable (index vlan). */
export function knownVlans(varbinds: readonly VarBind[]): Set<number> {
  const out = new Set<number>();
  for (const index of tableRows(varbinds, DOT1Q_VLAN_CURRENT).keys()) {
    const ids = subIds(index);
    if (ids?.length === 2) out.add(ids[1]);
  }
  for (const index of tableRows(varbinds, DOT1Q_VLAN_STATIC).keys()) {
    const ids = subIds(index);
    if (ids?.length === 1) out.add(ids[0]);
  }
  return out;
}

/** FdbId → the VLANs using it, from dot1qVlanFdbId (index dot1qVlanTimeMark.dot1qVlanIndex). */
export function fdbIdVlans(varbinds: readonly VarBind[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const [index, row] of tableRows(varbinds, DOT1Q_VLAN_CURRENT)) {
    const ids = subIds(index);
    const fdbId = intValue(row.get(3));
    if (ids?.length !== 2 || fdbId === undefined || fdbId <= 0) continue;
    let vlans = out.get(fdbId);
    if (!vlans) out.set(fdbId, (vlans = new Set()));
    vlans.add(ids[1]);
  }
  return out;
}

const statusOf = (vb: VarBind | undefined): FdbStatus => {
  const n = intValue(vb);
  return n === undefined ? 'other' : (STATUS[n] ?? 'other');
};

/** The BRIDGE-MIB rows (invalid left out), before de-duplication against Q-BRIDGE. */
export function parseDot1dFdb(varbinds: readonly VarBind[], ports = basePortIfIndexes(varbinds)): FdbEntry[] {
  const out: FdbEntry[] = [];
  for (const [index, row] of tableRows(varbinds, DOT1D_TP_FDB)) {
    const ids = subIds(index);
    const mac = (ids && macFromSubIds(ids)) ?? macFromValue(row.get(1)?.value ?? null);
    const status = statusOf(row.get(3));
    if (!mac || status === 'invalid') continue;
    const bridgePort = Math.max(0, intValue(row.get(2)) ?? 0);
    const e: FdbEntry = { mac, bridgePort, status, source: 'dot1d' };
    const ifIndex = ports.get(bridgePort);
    if (ifIndex !== undefined) e.ifIndex = ifIndex;
    out.push(e);
  }
  return out;
}

/** The Q-BRIDGE-MIB rows (invalid left out), with VLANs per the rules at the top of this file. */
export function parseDot1qFdb(varbinds: readonly VarBind[], ports = basePortIfIndexes(varbinds)): FdbEntry[] {
  const mapping = fdbIdVlans(varbinds);
  const vlanIds = knownVlans(varbinds);
  const out: FdbEntry[] = [];
  for (const [index, row] of tableRows(varbinds, DOT1Q_TP_FDB)) {
    const ids = subIds(index);
    if (!ids || ids.length < 1) continue;
    const fdbId = ids[0];
    const mac = macFromSubIds(ids.slice(1)) ?? macFromValue(row.get(1)?.value ?? null);
    const status = statusOf(row.get(3));
    if (!mac || status === 'invalid') continue;
    const bridgePort = Math.max(0, intValue(row.get(2)) ?? 0);
    const e: FdbEntry = { mac, bridgePort, fdbId, status, source: 'dot1q' };
    const ifIndex = ports.get(bridgePort);
    if (ifIndex !== undefined) e.ifIndex = ifIndex;
    if (mapping.size) {
      const vlans = mapping.get(fdbId);
      if (vlans?.size === 1) e.vlan = [...vlans][0];
      else if (!vlans && vlanIds.has(fdbId)) e.vlan = fdbId;
    } else if (fdbId >= 1 && fdbId <= 4094) e.vlan = fdbId;
    out.push(e);
  }
  return out;
}

/** Both forwarding tables → one list of entries (see the rules at the top of this file). */
export function parseFdb(varbinds: readonly VarBind[]): FdbEntry[] {
  const ports = basePortIfIndexes(varbinds);
  const q = parseDot1qFdb(varbinds, ports);
  const seen = new Set(q.map((e) => `${e.mac}/${e.bridgePort}`));
  return [...q, ...parseDot1dFdb(varbinds, ports).filter((e) => !seen.has(`${e.mac}/${e.bridgePort}`))];
}
