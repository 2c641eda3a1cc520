/**
 * What the store answers and the API shows (the web UI reads these shapes too): a device's status, its interfaces,
 * metric series and stored logs.
 */
import type { InterfaceState, LogRecord, SnmpVersion, SystemFacts } from './records.ts';

export interface DeviceStatus {
  deviceId: string;
  icmpUp?: boolean;
  icmpTs?: number;
  lossPct?: number;
  rttAvgMs?: number;
  snmpOk?: boolean;
  snmpErrorCode?: string;
  snmpError?: string;
  snmpVersion?: SnmpVersion;
  lastPollTs?: number;
  system?: SystemFacts;
  lastRebootTs?: number;
}

export interface InterfaceRow extends Omit<InterfaceState, 'kind' | 'previousOperStatus'> {
  updatedTs: number;
  /** Seen with operStatus up at some poll since Vigil first saw it. */
  seenUp?: boolean;
}

export type Tier = 'raw' | '5m' | '1h';
export interface SeriesPoint {
  ts: number;
  value: number;
  min?: number;
  max?: number;
}
export interface Series {
  metric: string;
  labels: Record<string, string>;
  tier: Tier;
  points: SeriesPoint[];
}

export interface StoredLog extends Omit<LogRecord, 'kind'> {
  id: number;
}
