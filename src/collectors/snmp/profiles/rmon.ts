/**
 * The RMON profile's pure part: RMON-MIB (RFC 2819) and HC-RMON (RFC 3273) walks → plain rows, the rates of
 * etherStats counters, which history samples are new, and the Set PDUs that create or delete alarms and events.
 */
import type { VarBind } from '../../../model/records.ts';
import type {
  EtherHistorySample,
  EtherStatsCounterName,
  EtherStatsRates,
  EtherStatsRow,
  HistoryControlRow,
  RmonAlarmRow,
  RmonAlarmSpec,
  RmonCounter,
  RmonEntryStatus,
  RmonEventRow,
  RmonEventSpec,
  RmonLogEntry,
} from '../../../model/rmon.ts';
import { VigilError } from '../../../model/errors.ts';
import { counterRate, discontinuityChanged } from '../rates.ts';
import { isExceptionType } from '../varbind.ts';

/** The tables to walk; each parser takes the varbinds of all of them (or only of its own). */
export const RMON_ROOTS = {
  etherStatsTable: '1.3.6.1.2.1.16.1.1',
  /** RMON2 etherStats2Table: etherStatsCreateTime tells a re-created row. */
  etherStats2Table: '1.3.6.1.2.1.16.1.4',
  etherStatsHighCapacityTable: '1.3.6.1.2.1.16.1.7',
  historyControlTable: '1.3.6.1.2.1.16.2.1',
  etherHistoryTable: '1.3.6.1.2.1.16.2.2',
  alarmTable: '1.3.6.1.2.1.16.3.1',
  eventTable: '1.3.6.1.2.1.16.9.1',
  logTable: '1.3.6.1.2.1.16.9.2',
} as const;

const entry = (table: keyof typeof RMON_ROOTS) => `${RMON_ROOTS[table]}.1`;
const IF_INDEX_PREFIX = '1.3.6.1.2.1.2.2.1.1.';

const STATUS_CODES: Record<RmonEntryStatus, number> = { valid: 1, createRequest: 2, underCreation: 3, invalid: 4 };
const SAMPLE_TYPES = { absolute: 1, delta: 2 } as const;
const STARTUP_ALARMS = { rising: 1, falling: 2, risingOrFalling: 3 } as const;
const EVENT_TYPES = { none: 1, log: 2, snmptrap: 3, logandtrap: 4 } as const;
const byCode = <K extends string>(codes: Record<K, number>) =>
  new Map(Object.entries(codes).map(([k, v]) => [v as number, k as K]));
const STATUS_NAMES = byCode(STATUS_CODES);
const SAMPLE_TYPE_NAMES = byCode(SAMPLE_TYPES);
const STARTUP_ALARM_NAMES = byCode(STARTUP_ALARMS);
const EVENT_TYPE_NAMES = byCode(EVENT_TYPES);

/** etherStatsEntry columns 3..19, in column order. */
const ETHER_STATS_COUNTERS: readonly EtherStatsCounterName[] = [
  'dropEvents',
  'octets',
  'pkts',
  'broadcastPkts',
  'multicastPkts',
  'crcAlignErrors',
  'undersizePkts',
  'oversizePkts',
  'fragments',
  'jabbers',
  'collisions',
  'pkts64',
  'pkts65to127',
  'pkts128to255',
  'pkts256to511',
  'pkts512to1023',
  'pkts1024to1518',
];
/** etherStatsHighCapacityEntry's Counter64 columns (the odd ones are the Counter32 overflow counts). */
const HC_COLUMNS: ReadonlyMap<number, EtherStatsCounterName> = new Map([
  [2, 'pkts'],
  [4, 'octets'],
  [6, 'pkts64'],
  [8, 'pkts65to127'],
  [10, 'pkts128to255'],
  [12, 'pkts256to511'],
  [14, 'pkts512to1023'],
  [16, 'pkts1024to1518'],
]);
const HC_CAPABLE = new Set(HC_COLUMNS.values());
/** etherHistoryEntry columns 4..14, in column order. */
const HISTORY_COUNTERS = ETHER_STATS_COUNTERS.slice(0, 11) as readonly Extract<
  EtherStatsCounterName,
  keyof EtherHistorySample
>[];

interface RawRow {
  index: number[];
  cols: Map<number, VarBind>;
}

/** Varbinds under `entryOid` grouped by instance of `indexLength` sub-identifiers; exceptions and bad instances skipped. */
function rowsOf(varbinds: readonly VarBind[], entryOid: string, indexLength: number): RawRow[] {
  const prefix = entryOid + '.';
  const rows = new Map<string, RawRow>();
  for (const vb of varbinds) {
    const oid = vb.oid.startsWith('.') ? vb.oid.slice(1) : vb.oid;
    if (!oid.startsWith(prefix) || isExceptionType(vb.type)) continue;
    const parts = oid.slice(prefix.length).split('.');
    if (parts.length !== indexLength + 1 || !parts.every((p) => /^\d{1,10}$/.test(p))) continue;
    const key = parts.slice(1).join('.');
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { index: parts.slice(1).map(Number), cols: new Map() }));
    row.cols.set(Number(parts[0]), vb);
  }
  return [...rows.values()].sort((a, b) => a.index[0] - b.index[0] || (a.index[1] ?? 0) - (b.index[1] ?? 0));
}

const int = (vb: VarBind | undefined): number | undefined => {
  const v = vb?.value;
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
};
/** A counter as RmonCounter: a number while exact, else the decimal string. */
const counter = (vb: VarBind | undefined): RmonCounter | undefined => {
  const v = vb?.value;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) return undefined;
  const digits = v.trim().replace(/^0+(?=\d)/, '');
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : digits;
};
const text = (vb: VarBind | undefined) => (vb === undefined || vb.value === null ? undefined : String(vb.value));
const oidText = (vb: VarBind | undefined) => text(vb)?.replace(/^\./, '');
const named = <K>(names: Map<number, K>, vb: VarBind | undefined) => {
  const n = int(vb);
  return n === undefined ? undefined : names.get(n);
};
/** N when a data source is ifIndex.N. */
const ifIndexOf = (dataSource: string | undefined) =>
  dataSource?.startsWith(IF_INDEX_PREFIX) && /^\d+$/.test(dataSource.slice(IF_INDEX_PREFIX.length))
    ? Number(dataSource.slice(IF_INDEX_PREFIX.length))
    : undefined;
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * etherStats rows (pure): the rows are etherStatsTable's; etherStatsHighCapacityTable (HC-RMON) replaces octets,
 * pkts and the size buckets with its Counter64 values and sets `hc`; etherStats2Table adds the create time.
 * @example parseEtherStats(walk).find((r) => r.ifIndex === 3)?.octets
 */
export function parseEtherStats(varbinds: readonly VarBind[]): EtherStatsRow[] {
  const hcRows = new Map(rowsOf(varbinds, entry('etherStatsHighCapacityTable'), 1).map((r) => [r.index[0], r]));
  const rows2 = new Map(rowsOf(varbinds, entry('etherStats2Table'), 1).map((r) => [r.index[0], r]));
  return rowsOf(varbinds, entry('etherStatsTable'), 1).map(({ index: [index], cols }) => {
    const dataSource = oidText(cols.get(2));
    const row: EtherStatsRow = { index, dataSource, ifIndex: ifIndexOf(dataSource), hc: false };
    ETHER_STATS_COUNTERS.forEach((name, i) => {
      row[name] = counter(cols.get(3 + i));
    });
    row.owner = text(cols.get(20));
    row.status = named(STATUS_NAMES, cols.get(21));
    for (const [column, name] of HC_COLUMNS) {
      const v = counter(hcRows.get(index)?.cols.get(column));
      if (v === undefined) continue;
      row[name] = v;
      row.hc = true;
    }
    row.createTimeCs = int(rows2.get(index)?.cols.get(2));
    return compact(row);
  });
}

/** historyControlTable rows (pure). */
export function parseHistoryControl(varbinds: readonly VarBind[]): HistoryControlRow[] {
  return rowsOf(varbinds, entry('historyControlTable'), 1).map(({ index: [index], cols }) => {
    const dataSource = oidText(cols.get(2));
    return compact({
      index,
      dataSource,
      ifIndex: ifIndexOf(dataSource),
      bucketsRequested: int(cols.get(3)),
      bucketsGranted: int(cols.get(4)),
      intervalS: int(cols.get(5)),
      owner: text(cols.get(6)),
      status: named(STATUS_NAMES, cols.get(7)),
    });
  });
}

/** etherHistoryTable samples (pure), by history index then sampleIndex (numeric order; see historySamplesAfter). */
export function parseEtherHistory(varbinds: readonly VarBind[]): EtherHistorySample[] {
  return rowsOf(varbinds, entry('etherHistoryTable'), 2).map(({ index: [index, sampleIndex], cols }) => {
    const s: EtherHistorySample = { index, sampleIndex, intervalStartCs: int(cols.get(3)) };
    HISTORY_COUNTERS.forEach((name, i) => {
      s[name] = int(cols.get(4 + i));
    });
    s.utilizationHundredthsPct = int(cols.get(15));
    return compact(s);
  });
}

/** alarmTable rows (pure). */
export function parseAlarms(varbinds: readonly VarBind[]): RmonAlarmRow[] {
  return rowsOf(varbinds, entry('alarmTable'), 1).map(({ index: [index], cols }) =>
    compact({
      index,
      intervalS: int(cols.get(2)),
      variable: oidText(cols.get(3)),
      sampleType: named(SAMPLE_TYPE_NAMES, cols.get(4)),
      value: int(cols.get(5)),
      startupAlarm: named(STARTUP_ALARM_NAMES, cols.get(6)),
      risingThreshold: int(cols.get(7)),
      fallingThreshold: int(cols.get(8)),
      risingEventIndex: int(cols.get(9)),
      fallingEventIndex: int(cols.get(10)),
      owner: text(cols.get(11)),
      status: named(STATUS_NAMES, cols.get(12)),
    }),
  );
}

/** eventTable rows (pure). */
export function parseEvents(varbinds: readonly VarBind[]): RmonEventRow[] {
  return rowsOf(varbinds, entry('eventTable'), 1).map(({ index: [index], cols }) =>
    compact({
      index,
      description: text(cols.get(2)),
      type: named(EVENT_TYPE_NAMES, cols.get(3)),
      community: text(cols.get(4)),
      lastTimeSentCs: int(cols.get(5)),
      owner: text(cols.get(6)),
      status: named(STATUS_NAMES, cols.get(7)),
    }),
  );
}

/** logTable entries (pure), by eventIndex then logIndex. */
export function parseLog(varbinds: readonly VarBind[]): RmonLogEntry[] {
  return rowsOf(varbinds, entry('logTable'), 2).map(({ index: [eventIndex, logIndex], cols }) =>
    compact({ eventIndex, logIndex, timeCs: int(cols.get(3)), description: text(cols.get(4)) }),
  );
}

/** Smallest Ethernet frame on the wire: 64 octets + 8 preamble + 12 inter-frame gap. */
const MIN_WIRE_FRAME_OCTETS = 84;

/**
 * Per-second rates of one etherStats row over `seconds` (pure). Counter32 wraps once; a Counter64 that went down,
 * a row whose index, data source, create time, status (not valid) or HC-ness changed, or `reset` (the agent
 * restarted), is a gap: the rate is absent, never a spike. With the link speed, a 32-bit "wrap" faster than twice
 * line rate is a gap too (an unnoticed reset), and utilPct is RFC 2819's (pkts × 20 × 8 + octets × 8) / (s × speed).
 * @example etherStatsRates(prevRow, curRow, 60, 1e9).bps
 */
export function etherStatsRates(
  prev: EtherStatsRow | undefined,
  cur: EtherStatsRow,
  seconds: number,
  ifSpeedBps?: number,
  reset = false,
): EtherStatsRates {
  const notValid = (r: EtherStatsRow) => r.status !== undefined && r.status !== 'valid';
  if (
    !prev ||
    reset ||
    !(seconds > 0) ||
    prev.index !== cur.index ||
    prev.dataSource !== cur.dataSource ||
    discontinuityChanged(prev.createTimeCs, cur.createTimeCs) ||
    notValid(prev) ||
    notValid(cur)
  )
    return {};
  const speed = ifSpeedBps !== undefined && ifSpeedBps > 0 ? ifSpeedBps : undefined;
  const maxOctets = speed ? (speed / 8) * 2 : undefined;
  const maxPkts = speed ? (speed / 8 / MIN_WIRE_FRAME_OCTETS) * 2 : undefined;
  const rate = (name: EtherStatsCounterName) => {
    const p = prev[name];
    const c = cur[name];
    if (p === undefined || c === undefined) return undefined;
    const hcField = HC_CAPABLE.has(name);
    // A 32-bit low half and a 64-bit value are different counters: not comparable.
    if (hcField && prev.hc !== cur.hc) return undefined;
    const bits = hcField && cur.hc ? 64 : 32;
    const max = name === 'octets' ? maxOctets : maxPkts;
    return counterRate({ value: p, timeS: 0 }, { value: c, timeS: seconds }, bits, max);
  };
  const octets = rate('octets');
  const r: EtherStatsRates = {
    bps: octets === undefined ? undefined : octets * 8,
    pps: rate('pkts'),
    broadcastPps: rate('broadcastPkts'),
    multicastPps: rate('multicastPkts'),
    dropEventsPerSec: rate('dropEvents'),
    crcAlignErrorsPerSec: rate('crcAlignErrors'),
    undersizePerSec: rate('undersizePkts'),
    oversizePerSec: rate('oversizePkts'),
    fragmentsPerSec: rate('fragments'),
    jabbersPerSec: rate('jabbers'),
    collisionsPerSec: rate('collisions'),
    pkts64Pps: rate('pkts64'),
    pkts65to127Pps: rate('pkts65to127'),
    pkts128to255Pps: rate('pkts128to255'),
    pkts256to511Pps: rate('pkts256to511'),
    pkts512to1023Pps: rate('pkts512to1023'),
    pkts1024to1518Pps: rate('pkts1024to1518'),
  };
  const errors = [r.crcAlignErrorsPerSec, r.undersizePerSec, r.oversizePerSec, r.fragmentsPerSec, r.jabbersPerSec];
  if (errors.every((e) => e !== undefined)) r.errorsPerSec = errors.reduce((a, b) => a + b, 0);
  if (speed && r.pps !== undefined && r.bps !== undefined) r.utilPct = ((r.pps * 20 * 8 + r.bps) / speed) * 100;
  return compact(r);
}

/** etherHistorySampleIndex runs 1..2^31 − 1 and then starts again at 1. */
const SAMPLE_INDEX_RING = 2 ** 31 - 1;
const TIMETICKS_RING = 2 ** 32;
/** How far `to` is after `from` on the sampleIndex ring. */
const ahead = (from: number, to: number) => (((to - from) % SAMPLE_INDEX_RING) + SAMPLE_INDEX_RING) % SAMPLE_INDEX_RING;

/** One history's samples oldest first, without duplicates: the oldest is the one after the widest gap on the ring. */
function inSamplingOrder(samples: EtherHistorySample[]): EtherHistorySample[] {
  const unique = [...new Map(samples.map((s) => [s.sampleIndex, s])).values()].sort(
    (a, b) => a.sampleIndex - b.sampleIndex,
  );
  let start = 0;
  let widest = -1;
  for (let i = 0; i < unique.length; i++) {
    const gap = ahead(unique[i].sampleIndex, unique[(i + 1) % unique.length].sampleIndex);
    if (gap > widest) [widest, start] = [gap, (i + 1) % unique.length];
  }
  return [...unique.slice(start), ...unique.slice(0, start)];
}

/**
 * The samples not imported yet (pure): per history index, oldest first, those after `lastImported`'s sampleIndex
 * for it (all of them for a history not in the map), across the sampleIndex wrap at 2^31 − 1. A history whose
 * newest sample is behind the last imported one was started again (sampleIndex restarted): all of its samples are
 * new. Clear an index from the map yourself when the agent restarted or the history control entry changed.
 * With `clock` (sysUpTime and wall time read in the same poll), each sample gets its interval start's wall time.
 * @example historySamplesAfter(parseEtherHistory(walk), new Map([[1, 1347560]]), { sysUpTimeCs, wallMs: Date.now() })
 */
export function historySamplesAfter(
  samples: readonly EtherHistorySample[],
  lastImported: ReadonlyMap<number, number>,
  clock?: { sysUpTimeCs: number; wallMs: number },
): EtherHistorySample[] {
  const byHistory = new Map<number, EtherHistorySample[]>();
  for (const s of samples) {
    if (!(s.sampleIndex >= 1 && s.sampleIndex <= SAMPLE_INDEX_RING)) continue;
    const list = byHistory.get(s.index);
    if (list) list.push(s);
    else byHistory.set(s.index, [s]);
  }
  const out: EtherHistorySample[] = [];
  for (const index of [...byHistory.keys()].sort((a, b) => a - b)) {
    const ordered = inSamplingOrder(byHistory.get(index) ?? []);
    const last = lastImported.get(index);
    const isNew = (s: EtherHistorySample) => {
      const d = ahead(last ?? 0, s.sampleIndex);
      return d > 0 && d < SAMPLE_INDEX_RING / 2;
    };
    const newest = ordered[ordered.length - 1].sampleIndex;
    const restarted = last !== undefined && ahead(last, newest) >= SAMPLE_INDEX_RING / 2;
    for (const s of last === undefined || restarted ? ordered : ordered.filter(isNew)) {
      if (!clock || s.intervalStartCs === undefined) {
        out.push({ ...s });
        continue;
      }
      // sysUpTime is TimeTicks: it may have wrapped at 2^32 since the interval started.
      const agoCs = (((clock.sysUpTimeCs - s.intervalStartCs) % TIMETICKS_RING) + TIMETICKS_RING) % TIMETICKS_RING;
      out.push({ ...s, intervalStartTs: clock.wallMs - agoCs * 10 });
    }
  }
  return out;
}

/** Per history index, the sampleIndex of its last sample in `samples` (as historySamplesAfter orders them). */
export function lastSampleIndexes(
  samples: readonly EtherHistorySample[],
  previous: ReadonlyMap<number, number> = new Map(),
): Map<number, number> {
  const out = new Map(previous);
  for (const s of samples) out.set(s.index, s.sampleIndex);
  return out;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const bad = (what: string, why: string) => new VigilError('VIGIL_VALIDATION', `${what}: ${why}`);
function checkInt(what: string, v: number | undefined, min: number, max: number) {
  if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max))
    throw bad(what, `expected an integer in ${min}..${max}, got ${v}`);
}
function checkText(what: string, v: string | undefined) {
  if (v !== undefined && Buffer.byteLength(v, 'utf8') > 127) throw bad(what, 'longer than 127 octets');
}
/** Text for an OctetString VarBind: text that looks like 0x-hex is sent as the hex of its own bytes, so it stays text. */
const octets = (s: string) => (/^0x([0-9a-f]{2})*$/i.test(s) ? '0x' + Buffer.from(s, 'utf8').toString('hex') : s);
const column = (table: 'alarmTable' | 'eventTable', col: number, index: number) => `${entry(table)}.${col}.${index}`;
/** The RMON way to create a row: createRequest(2), then the columns, then valid(1); one Set PDU each. */
function createSets(status: string, columns: VarBind[]): VarBind[][] {
  return [
    [{ oid: status, type: 'Integer', value: STATUS_CODES.createRequest }],
    columns,
    [{ oid: status, type: 'Integer', value: STATUS_CODES.valid }],
  ];
}

/**
 * The Set PDUs that create an alarmEntry (pure): alarmStatus createRequest(2), the columns, alarmStatus valid(1).
 * Throws VIGIL_VALIDATION on a value the MIB does not allow.
 * @example alarmRowSets({ index: 7, intervalS: 60, variable: '1.3.6.1.2.1.16.1.1.1.8.1', sampleType: 'delta', risingThreshold: 10, fallingThreshold: 0, risingEventIndex: 7 })
 */
export function alarmRowSets(alarm: RmonAlarmSpec): VarBind[][] {
  const what = `alarm ${alarm.index}`;
  checkInt(`${what}: index`, alarm.index, 1, 65535);
  checkInt(`${what}: intervalS`, alarm.intervalS, 1, INT32_MAX);
  if (!/^\.?\d+(\.\d+)+$/.test(alarm.variable))
    throw bad(`${what}: variable`, `"${alarm.variable}" is not a numeric OID`);
  if (!(alarm.sampleType in SAMPLE_TYPES)) throw bad(`${what}: sampleType`, 'expected absolute or delta');
  if (alarm.startupAlarm !== undefined && !(alarm.startupAlarm in STARTUP_ALARMS))
    throw bad(`${what}: startupAlarm`, 'expected rising, falling or risingOrFalling');
  checkInt(`${what}: risingThreshold`, alarm.risingThreshold, INT32_MIN, INT32_MAX);
  checkInt(`${what}: fallingThreshold`, alarm.fallingThreshold, INT32_MIN, INT32_MAX);
  checkInt(`${what}: risingEventIndex`, alarm.risingEventIndex, 0, 65535);
  checkInt(`${what}: fallingEventIndex`, alarm.fallingEventIndex, 0, 65535);
  checkText(`${what}: owner`, alarm.owner);
  const col = (c: number) => column('alarmTable', c, alarm.index);
  const columns: (VarBind | undefined)[] = [
    { oid: col(2), type: 'Integer', value: alarm.intervalS },
    { oid: col(3), type: 'ObjectIdentifier', value: alarm.variable.replace(/^\./, '') },
    { oid: col(4), type: 'Integer', value: SAMPLE_TYPES[alarm.sampleType] },
    alarm.startupAlarm && { oid: col(6), type: 'Integer', value: STARTUP_ALARMS[alarm.startupAlarm] },
    { oid: col(7), type: 'Integer', value: alarm.risingThreshold },
    { oid: col(8), type: 'Integer', value: alarm.fallingThreshold },
    alarm.risingEventIndex === undefined ? undefined : { oid: col(9), type: 'Integer', value: alarm.risingEventIndex },
    alarm.fallingEventIndex === undefined
      ? undefined
      : { oid: col(10), type: 'Integer', value: alarm.fallingEventIndex },
    alarm.owner === undefined ? undefined : { oid: col(11), type: 'OctetString', value: octets(alarm.owner) },
  ];
  return createSets(
    col(12),
    columns.filter((c) => c !== undefined),
  );
}

/** The Set PDU that deletes an alarmEntry: alarmStatus invalid(4). */
export function alarmRowDeleteSets(index: number): VarBind[][] {
  checkInt('alarm: index', index, 1, 65535);
  return [[{ oid: column('alarmTable', 12, index), type: 'Integer', value: STATUS_CODES.invalid }]];
}

/**
 * The Set PDUs that create an eventEntry (pure): eventStatus createRequest(2), the columns, eventStatus valid(1).
 * Throws VIGIL_VALIDATION on a value the MIB does not allow.
 * @example eventRowSets({ index: 7, type: 'logandtrap', description: 'CRC errors', community: 'public' })
 */
export function eventRowSets(event: RmonEventSpec): VarBind[][] {
  const what = `event ${event.index}`;
  checkInt(`${what}: index`, event.index, 1, 65535);
  if (!(event.type in EVENT_TYPES)) throw bad(`${what}: type`, 'expected none, log, snmptrap or logandtrap');
  checkText(`${what}: description`, event.description);
  checkText(`${what}: community`, event.community);
  checkText(`${what}: owner`, event.owner);
  const col = (c: number) => column('eventTable', c, event.index);
  const str = (c: number, v: string | undefined): VarBind | undefined =>
    v === undefined ? undefined : { oid: col(c), type: 'OctetString', value: octets(v) };
  const columns = [
    str(2, event.description),
    { oid: col(3), type: 'Integer', value: EVENT_TYPES[event.type] },
    str(4, event.community),
    str(6, event.owner),
  ];
  return createSets(
    col(7),
    columns.filter((c) => c !== undefined),
  );
}

/** The Set PDU that deletes an eventEntry: eventStatus invalid(4) (the agent then drops its log entries). */
export function eventRowDeleteSets(index: number): VarBind[][] {
  checkInt('event: index', index, 1, 65535);
  return [[{ oid: column('eventTable', 7, index), type: 'Integer', value: STATUS_CODES.invalid }]];
}
