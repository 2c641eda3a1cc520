/** The hostResources (HOST-RESOURCES-MIB) and ucd (UCD-SNMP-MIB) profiles: pure parsers + the reads. */
import type { VarBind } from '../../../model/records.ts';
import { isVigilError } from '../../../model/errors.ts';
import type { SnmpSession } from '../session-types.ts';
import { isExceptionType } from '../varbind.ts';

export const HR_PROCESSOR_LOAD = '1.3.6.1.2.1.25.3.3.1.2';
export const HR_STORAGE_ENTRY = '1.3.6.1.2.1.25.2.3.1';
const HR_STORAGE_TYPES: Record<string, StorageKind> = {
  '1.3.6.1.2.1.25.2.1.2': 'ram',
  '1.3.6.1.2.1.25.2.1.3': 'virtual',
  '1.3.6.1.2.1.25.2.1.4': 'disk',
  '1.3.6.1.2.1.25.2.1.5': 'removable',
  '1.3.6.1.2.1.25.2.1.6': 'floppy',
  '1.3.6.1.2.1.25.2.1.7': 'cd',
  '1.3.6.1.2.1.25.2.1.8': 'ramdisk',
  '1.3.6.1.2.1.25.2.1.9': 'flash',
  '1.3.6.1.2.1.25.2.1.10': 'network',
};
export type StorageKind =
  | 'ram'
  | 'virtual'
  | 'disk'
  | 'removable'
  | 'floppy'
  | 'cd'
  | 'ramdisk'
  | 'flash'
  | 'network'
  | 'other';

export interface StorageRow {
  index: number;
  kind: StorageKind;
  descr: string;
  sizeBytes: number;
  usedBytes: number;
  usedPct?: number;
}

export interface HostResources {
  /** hrProcessorLoad per processor index, %. */
  cpuLoadPct: Map<number, number>;
  storage: StorageRow[];
}

const lastIndex = (oid: string) => Number(oid.slice(oid.lastIndexOf('.') + 1));
const valid = (vb: VarBind) => !isExceptionType(vb.type) && vb.value !== null;

/** HOST-RESOURCES-MIB processor loads and storage rows (pure). */
export function parseHostResources(cpu: readonly VarBind[], storage: readonly VarBind[]): HostResources {
  const cpuLoadPct = new Map<number, number>();
  for (const vb of cpu) if (valid(vb) && typeof vb.value === 'number') cpuLoadPct.set(lastIndex(vb.oid), vb.value);
  const rows = new Map<number, { type?: string; descr?: string; unit?: number; size?: number; used?: number }>();
  for (const vb of storage) {
    if (!valid(vb) || !vb.oid.startsWith(HR_STORAGE_ENTRY + '.')) continue;
    const [column, index] = vb.oid
      .slice(HR_STORAGE_ENTRY.length + 1)
      .split('.')
      .map(Number);
    const r = rows.get(index) ?? {};
    rows.set(index, r);
    if (column === 2) r.type = String(vb.value).replace(/^\./, '');
    else if (column === 3) r.descr = String(vb.value);
    else if (column === 4) r.unit = Number(vb.value);
    else if (column === 5) r.size = Number(vb.value);
    else if (column === 6) r.used = Number(vb.value);
  }
  const out: StorageRow[] = [];
  for (const [index, r] of rows) {
    if (r.size === undefined || r.used === undefined || !r.unit) continue;
    // Sizes are Integer32 and some agents report negative values for big disks: read them as unsigned.
    const size = (r.size < 0 ? r.size + 2 ** 32 : r.size) * r.unit;
    const used = (r.used < 0 ? r.used + 2 ** 32 : r.used) * r.unit;
    out.push({
      index,
      kind: HR_STORAGE_TYPES[r.type ?? ''] ?? 'other',
      descr: r.descr ?? `storage ${index}`,
      sizeBytes: size,
      usedBytes: used,
      ...(size > 0 ? { usedPct: (used / size) * 100 } : {}),
    });
  }
  out.sort((a, b) => a.index - b.index);
  return { cpuLoadPct, storage: out };
}

export async function pollHostResources(
  session: SnmpSession,
  opts: { maxRepetitions?: number; signal?: AbortSignal },
): Promise<HostResources> {
  const cpu = await session.walk(HR_PROCESSOR_LOAD, opts);
  const storage = await session.walk(HR_STORAGE_ENTRY, opts);
  return parseHostResources(cpu, storage);
}

export const UCD_LA_LOAD = '1.3.6.1.4.1.2021.10.1.3';
export const UCD_MEMORY = {
  totalSwapKb: '1.3.6.1.4.1.2021.4.3.0',
  availSwapKb: '1.3.6.1.4.1.2021.4.4.0',
  totalRealKb: '1.3.6.1.4.1.2021.4.5.0',
  availRealKb: '1.3.6.1.4.1.2021.4.6.0',
  bufferKb: '1.3.6.1.4.1.2021.4.14.0',
  cachedKb: '1.3.6.1.4.1.2021.4.15.0',
} as const;

export interface UcdStats {
  /** laLoad 1, 5 and 15 minutes (index 1, 2, 3). */
  load: { load1?: number; load5?: number; load15?: number };
  memory: Partial<Record<keyof typeof UCD_MEMORY, number>>;
  /** (total − avail − buffers − cached) / total, the memory applications hold. */
  memUsedPct?: number;
}

/** UCD-SNMP-MIB load averages and memory (pure). */
export function parseUcd(load: readonly VarBind[], memory: readonly VarBind[]): UcdStats {
  const out: UcdStats = { load: {}, memory: {} };
  const names = { 1: 'load1', 2: 'load5', 3: 'load15' } as const;
  for (const vb of load) {
    const i = lastIndex(vb.oid) as 1 | 2 | 3;
    const n = valid(vb) ? Number(vb.value) : NaN;
    if (names[i] && Number.isFinite(n)) out.load[names[i]] = n;
  }
  const byOid = new Map(memory.filter(valid).map((v) => [v.oid.replace(/^\./, ''), Number(v.value)]));
  for (const [k, oid] of Object.entries(UCD_MEMORY) as [keyof typeof UCD_MEMORY, string][]) {
    const v = byOid.get(oid);
    if (v !== undefined && Number.isFinite(v)) out.memory[k] = v;
  }
  const m = out.memory;
  if (m.totalRealKb && m.availRealKb !== undefined) {
    const used = m.totalRealKb - m.availRealKb - (m.bufferKb ?? 0) - (m.cachedKb ?? 0);
    out.memUsedPct = Math.max(0, (used / m.totalRealKb) * 100);
  }
  return out;
}

export async function pollUcd(
  session: SnmpSession,
  opts: { maxRepetitions?: number; signal?: AbortSignal },
): Promise<UcdStats | undefined> {
  const load = await session.walk(UCD_LA_LOAD, opts);
  let memory: VarBind[] = [];
  try {
    memory = await session.get(Object.values(UCD_MEMORY));
  } catch (e) {
    // v1 agents answer a Get for absent objects with noSuchName: the profile is simply not there.
    if (!isVigilError(e) || e.code !== 'VIGIL_SNMP_ERROR') throw e;
  }
  const stats = parseUcd(load, memory);
  return Object.keys(stats.load).length || Object.keys(stats.memory).length ? stats : undefined;
}
