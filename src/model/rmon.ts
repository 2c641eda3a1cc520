/**
 * RMON rows as plain, JSON-safe data: RMON-MIB (RFC 2819) statistics, history, alarms, events and log, with the
 * HC-RMON (RFC 3273) 64-bit counters. src/collectors/snmp/profiles/rmon.ts fills them; the web UI shows them.
 * Units are in the names (`Cs` = centiseconds of the agent's sysUpTime, `Ts` = wall-clock ms since the epoch).
 */

/**
 * A counter's value: a number while it is exact (up to 2^53 − 1), else its decimal string (a Counter64 beyond
 * 2^53). Never a bigint, so rows stay JSON-safe; the counter maths (collectors/snmp/rates.ts) takes either form.
 */
export type RmonCounter = number | string;

/** RMON's EntryStatus (RFC 2819: valid 1, createRequest 2, underCreation 3, invalid 4); not SMIv2 RowStatus. */
export type RmonEntryStatus = 'valid' | 'createRequest' | 'underCreation' | 'invalid';

/** The counters of an etherStatsEntry, by the MIB's names without the `etherStats` prefix. */
export type EtherStatsCounterName =
  | 'dropEvents'
  | 'octets'
  | 'pkts'
  | 'broadcastPkts'
  | 'multicastPkts'
  | 'crcAlignErrors'
  | 'undersizePkts'
  | 'oversizePkts'
  | 'fragments'
  | 'jabbers'
  | 'collisions'
  | 'pkts64'
  | 'pkts65to127'
  | 'pkts128to255'
  | 'pkts256to511'
  | 'pkts512to1023'
  | 'pkts1024to1518';

/**
 * One etherStatsEntry (1.3.6.1.2.1.16.1.1.1): cumulative counters since the row was created. Every field but the
 * index is optional: agents leave columns out (one recording has rows with nothing but etherStatsIndex).
 */
export interface EtherStatsRow extends Partial<Record<EtherStatsCounterName, RmonCounter>> {
  /** etherStatsIndex. */
  index: number;
  /** etherStatsDataSource, a numeric OID (usually ifIndex.N). */
  dataSource?: string;
  /** N when dataSource is ifIndex.N (1.3.6.1.2.1.2.2.1.1.N). */
  ifIndex?: number;
  owner?: string;
  /** undefined when the agent left it out or returned a value outside 1..4. */
  status?: RmonEntryStatus;
  /**
   * True when etherStatsHighCapacityTable had 64-bit values for this row: `octets`, `pkts` and the six `pktsNN`
   * size buckets are then Counter64 (wrap at 2^64); every other counter is Counter32 in both MIBs.
   */
  hc: boolean;
  /** etherStatsCreateTime (RMON2 etherStats2Table), sysUpTime cs: a change means the row was created again. */
  createTimeCs?: number;
}

/** Per-second rates of one etherStats row between two polls; a field is absent where the interval is a gap. */
export interface EtherStatsRates {
  /** Octets as bits per second. */
  bps?: number;
  pps?: number;
  broadcastPps?: number;
  multicastPps?: number;
  dropEventsPerSec?: number;
  crcAlignErrorsPerSec?: number;
  undersizePerSec?: number;
  oversizePerSec?: number;
  fragmentsPerSec?: number;
  jabbersPerSec?: number;
  collisionsPerSec?: number;
  /** crcAlign + undersize + oversize + fragments + jabbers, when all five are known. */
  errorsPerSec?: number;
  pkts64Pps?: number;
  pkts65to127Pps?: number;
  pkts128to255Pps?: number;
  pkts256to511Pps?: number;
  pkts512to1023Pps?: number;
  pkts1024to1518Pps?: number;
  /** RFC 2819's utilisation, (pkts × 20 × 8 + octets × 8) / (seconds × speed) × 100, when the speed is known. */
  utilPct?: number;
}

/** One historyControlEntry (1.3.6.1.2.1.16.2.1.1). */
export interface HistoryControlRow {
  index: number;
  dataSource?: string;
  /** N when dataSource is ifIndex.N. */
  ifIndex?: number;
  bucketsRequested?: number;
  bucketsGranted?: number;
  /** historyControlInterval: the length of each sample. */
  intervalS?: number;
  owner?: string;
  status?: RmonEntryStatus;
}

/** One etherHistoryEntry (1.3.6.1.2.1.16.2.2.1): the counts of one sampling interval (deltas, Counter32). */
export interface EtherHistorySample {
  /** etherHistoryIndex: the historyControlIndex this sample belongs to. */
  index: number;
  /** etherHistorySampleIndex: 1, 2, … in sampling order (1..2^31 − 1). */
  sampleIndex: number;
  /** sysUpTime at the start of the interval. */
  intervalStartCs?: number;
  /** Wall-clock time of the interval start, when computed (historySamplesAfter). */
  intervalStartTs?: number;
  dropEvents?: number;
  octets?: number;
  pkts?: number;
  broadcastPkts?: number;
  multicastPkts?: number;
  crcAlignErrors?: number;
  undersizePkts?: number;
  oversizePkts?: number;
  fragments?: number;
  jabbers?: number;
  collisions?: number;
  /** etherHistoryUtilization, in hundredths of a percent (0..10000). */
  utilizationHundredthsPct?: number;
}

export type RmonSampleType = 'absolute' | 'delta';
export type RmonStartupAlarm = 'rising' | 'falling' | 'risingOrFalling';

/** What a manager writes to create an alarmEntry (alarmRowSets). */
export interface RmonAlarmSpec {
  /** alarmIndex, 1..65535. */
  index: number;
  intervalS: number;
  /** The sampled variable, a numeric OID of an integer-valued instance. */
  variable: string;
  sampleType: RmonSampleType;
  /** Default on the agent: risingOrFalling. */
  startupAlarm?: RmonStartupAlarm;
  risingThreshold: number;
  fallingThreshold: number;
  /** eventIndex to fire on a rising crossing; 0 or absent = none. */
  risingEventIndex?: number;
  fallingEventIndex?: number;
  owner?: string;
}

/** One alarmEntry (1.3.6.1.2.1.16.3.1.1) as read back. */
export interface RmonAlarmRow extends Partial<Omit<RmonAlarmSpec, 'index'>> {
  index: number;
  /** alarmValue: the value compared with the thresholds at the last sample. */
  value?: number;
  status?: RmonEntryStatus;
}

export type RmonEventType = 'none' | 'log' | 'snmptrap' | 'logandtrap';

/** What a manager writes to create an eventEntry (eventRowSets). */
export interface RmonEventSpec {
  /** eventIndex, 1..65535. */
  index: number;
  /** Up to 127 octets. */
  description?: string;
  type: RmonEventType;
  /** Community of the trap (snmptrap, logandtrap), up to 127 octets. */
  community?: string;
  owner?: string;
}

/** One eventEntry (1.3.6.1.2.1.16.9.1.1) as read back. */
export interface RmonEventRow extends Partial<Omit<RmonEventSpec, 'index'>> {
  index: number;
  /** eventLastTimeSent, sysUpTime cs (0 = never). */
  lastTimeSentCs?: number;
  status?: RmonEntryStatus;
}

/** One logEntry (1.3.6.1.2.1.16.9.2.1): an event the agent logged. */
export interface RmonLogEntry {
  eventIndex: number;
  logIndex: number;
  /** logTime, sysUpTime cs. */
  timeCs?: number;
  description?: string;
}
