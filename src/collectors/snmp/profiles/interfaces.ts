/** The interfaces profile: IF-MIB ifTable + ifXTable rows (pure parser + the walks). */
import type { VarBind } from '../../../model/records.ts';
import type { SnmpSession } from '../session-types.ts';
import { isExceptionType } from '../varbind.ts';
import type { CounterValue } from '../rates.ts';

export const IF_TABLE = '1.3.6.1.2.1.2.2.1';
export const IF_X_TABLE = '1.3.6.1.2.1.31.1.1.1';

/** Counters an interface row can carry; HC = 64-bit (ifXTable), others 32-bit. */
export const IF_COUNTERS = {
  inOctets: { table: IF_TABLE, column: 10, bits: 32 },
  inUcastPkts: { table: IF_TABLE, column: 11, bits: 32 },
  inNUcastPkts: { table: IF_TABLE, column: 12, bits: 32 },
  inDiscards: { table: IF_TABLE, column: 13, bits: 32 },
  inErrors: { table: IF_TABLE, column: 14, bits: 32 },
  outOctets: { table: IF_TABLE, column: 16, bits: 32 },
  outUcastPkts: { table: IF_TABLE, column: 17, bits: 32 },
  outNUcastPkts: { table: IF_TABLE, column: 18, bits: 32 },
  outDiscards: { table: IF_TABLE, column: 19, bits: 32 },
  outErrors: { table: IF_TABLE, column: 20, bits: 32 },
  inMulticastPkts: { table: IF_X_TABLE, column: 2, bits: 32 },
  inBroadcastPkts: { table: IF_X_TABLE, column: 3, bits: 32 },
  outMulticastPkts: { table: IF_X_TABLE, column: 4, bits: 32 },
  outBroadcastPkts: { table: IF_X_TABLE, column: 5, bits: 32 },
  hcInOctets: { table: IF_X_TABLE, column: 6, bits: 64 },
  hcInUcastPkts: { table: IF_X_TABLE, column: 7, bits: 64 },
  hcInMulticastPkts: { table: IF_X_TABLE, column: 8, bits: 64 },
  hcInBroadcastPkts: { table: IF_X_TABLE, column: 9, bits: 64 },
  hcOutOctets: { table: IF_X_TABLE, column: 10, bits: 64 },
  hcOutUcastPkts: { table: IF_X_TABLE, column: 11, bits: 64 },
  hcOutMulticastPkts: { table: IF_X_TABLE, column: 12, bits: 64 },
  hcOutBroadcastPkts: { table: IF_X_TABLE, column: 13, bits: 64 },
} as const;
export type IfCounterName = keyof typeof IF_COUNTERS;

export interface InterfaceRow {
  ifIndex: number;
  descr?: string;
  name?: string;
  alias?: string;
  type?: number;
  mtu?: number;
  /** ifSpeed, bits/s (saturates at 4,294,967,295). */
  speed?: number;
  /** ifHighSpeed, Mbit/s. */
  highSpeedMbps?: number;
  adminStatus?: number;
  operStatus?: number;
  /** ifLastChange, sysUpTime centiseconds. */
  lastChangeCs?: number;
  /** ifCounterDiscontinuityTime, sysUpTime centiseconds. */
  discontinuityCs?: number;
  counters: Partial<Record<IfCounterName, CounterValue>>;
}

const byColumn = new Map<string, IfCounterName>(
  Object.entries(IF_COUNTERS).map(([k, v]) => [`${v.table}.${v.column}`, k as IfCounterName]),
);

/** Splits `table.column.index` (index = one sub-identifier for IF-MIB). */
function split(oid: string, table: string): { column: number; index: number } | undefined {
  if (!oid.startsWith(table + '.')) return undefined;
  const rest = oid.slice(table.length + 1).split('.');
  if (rest.length !== 2) return undefined;
  const column = Number(rest[0]);
  const index = Number(rest[1]);
  return Number.isInteger(column) && Number.isInteger(index) ? { column, index } : undefined;
}

const num = (v: VarBind['value']) =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
const text = (v: VarBind['value']) => (v === null ? undefined : String(v));

/**
 * Interface rows from walks of ifTable and ifXTable (pure). The interfaces are the indexes ifTable
 * has; ifXTable rows without an ifTable row are used only when ifTable is empty.
 */
export function parseInterfaces(ifTable: readonly VarBind[], ifXTable: readonly VarBind[]): InterfaceRow[] {
  const rows = new Map<number, InterfaceRow>();
  const row = (i: number) => {
    let r = rows.get(i);
    if (!r) rows.set(i, (r = { ifIndex: i, counters: {} }));
    return r;
  };
  for (const vb of ifTable) {
    if (isExceptionType(vb.type)) continue;
    const p = split(vb.oid, IF_TABLE);
    if (!p) continue;
    const r = row(p.index);
    const counter = byColumn.get(`${IF_TABLE}.${p.column}`);
    if (counter) {
      if (vb.value !== null) r.counters[counter] = vb.value;
      continue;
    }
    switch (p.column) {
      case 2:
        r.descr = text(vb.value);
        break;
      case 3:
        r.type = num(vb.value);
        break;
      case 4:
        r.mtu = num(vb.value);
        break;
      case 5:
        r.speed = num(vb.value);
        break;
      case 7:
        r.adminStatus = num(vb.value);
        break;
      case 8:
        r.operStatus = num(vb.value);
        break;
      case 9:
        r.lastChangeCs = num(vb.value);
        break;
    }
  }
  const onlyX = rows.size === 0;
  for (const vb of ifXTable) {
    if (isExceptionType(vb.type)) continue;
    const p = split(vb.oid, IF_X_TABLE);
    if (!p) continue;
    if (!onlyX && !rows.has(p.index)) continue;
    const r = row(p.index);
    const counter = byColumn.get(`${IF_X_TABLE}.${p.column}`);
    if (counter) {
      if (vb.value !== null) r.counters[counter] = vb.value;
      continue;
    }
    switch (p.column) {
      case 1:
        r.name = text(vb.value);
        break;
      case 15:
        r.highSpeedMbps = num(vb.value);
        break;
      case 18:
        r.alias = text(vb.value);
        break;
      case 19:
        r.discontinuityCs = num(vb.value);
        break;
    }
  }
  return [...rows.values()].sort((a, b) => a.ifIndex - b.ifIndex);
}

/** The name Vigil shows: ifName, else ifDescr, else "ifIndex N". */
export const interfaceName = (r: Pick<InterfaceRow, 'ifIndex' | 'name' | 'descr'>) =>
  r.name?.trim() ? r.name : r.descr?.trim() ? r.descr : `ifIndex ${r.ifIndex}`;

/** Link speed in bits/s: ifHighSpeed when ifSpeed is saturated or absent, else ifSpeed. */
export function speedBps(r: Pick<InterfaceRow, 'speed' | 'highSpeedMbps'>): number | undefined {
  if (r.highSpeedMbps && (r.speed === undefined || r.speed >= 4_294_967_295 || r.highSpeedMbps * 1e6 > r.speed))
    return r.highSpeedMbps * 1e6;
  return r.speed || (r.highSpeedMbps ? r.highSpeedMbps * 1e6 : undefined);
}

/** Walks ifTable and ifXTable (GetBulk where the version allows). */
export async function pollInterfaces(
  session: SnmpSession,
  opts: { maxRepetitions?: number; signal?: AbortSignal },
): Promise<InterfaceRow[]> {
  const ifTable = await session.walk(IF_TABLE, opts);
  const ifXTable = await session.walk(IF_X_TABLE, opts);
  return parseInterfaces(ifTable, ifXTable);
}
