/**
 * Records: the plain, JSON-serialisable data that flows from collectors over the bus
 * to consumers. Never class instances: the Kafka bus must be able to carry them as JSON.
 * Timestamps are milliseconds since the Unix epoch (UTC).
 */
import type { WirelessSnapshot } from './wireless.ts';

/** One measured value of one metric. `labels` identify the component, e.g. `{ ifIndex: "3" }`. */
export interface Sample {
  kind: 'sample';
  deviceId: string;
  /** Dotted metric name from the catalogue in README.md, e.g. `icmp.rtt.avg`, `if.in.bps`. */
  metric: string;
  labels: Record<string, string>;
  ts: number;
  value: number;
}

export type SnmpVersion = 'v1' | 'v2c' | 'v3';

/** Facts read from the SNMPv2-MIB system group. */
export interface SystemFacts {
  sysDescr?: string;
  sysObjectID?: string;
  sysUpTimeCs?: number;
  sysName?: string;
  sysLocation?: string;
  sysContact?: string;
  vendor?: string;
  /** The product MIB's name for the sysObjectID (e.g. `cisco5500Wlc`), when the MIB dictionary has one. */
  model?: string;
}

/** A partial update of a device's state, as seen by one collector at `ts`. */
export interface DeviceState {
  kind: 'device-state';
  deviceId: string;
  ts: number;
  icmp?: { up: boolean; lossPct: number; rttAvgMs?: number };
  snmp?: {
    ok: boolean;
    /** Stable error code (VIGIL_SNMP_TIMEOUT, VIGIL_SNMP_AUTH, …) when not ok. */
    errorCode?: string;
    error?: string;
    version: SnmpVersion;
    system?: SystemFacts;
  };
  /** True when sysUpTime went backwards since the last poll: the device rebooted. */
  rebooted?: boolean;
}

/** One interface's state and identity, from ifTable/ifXTable. */
export interface InterfaceState {
  kind: 'interface-state';
  deviceId: string;
  ts: number;
  ifIndex: number;
  name: string;
  descr?: string;
  alias?: string;
  type?: number;
  speedBps?: number;
  adminStatus?: number;
  operStatus?: number;
  /** Set when operStatus changed since the previous poll. */
  previousOperStatus?: number;
  lastChangeTs?: number;
  /** Latest computed rates (undefined when a gap: first poll, wrap ambiguity or reset). */
  inBps?: number;
  outBps?: number;
  inUtilPct?: number;
  outUtilPct?: number;
  inErrorsPerSec?: number;
  outErrorsPerSec?: number;
}

export interface LogRecord {
  kind: 'log';
  receivedTs: number;
  sourceAddress: string;
  /** Inventory device whose address sent it, when known. */
  deviceId?: string;
  transport: 'udp' | 'tcp' | 'tls';
  facility: number;
  severity: number;
  /** Timestamp from the message, when it had one; else the received time. */
  ts: number;
  hostname?: string;
  app?: string;
  procid?: string;
  msgid?: string;
  /** RFC 5424 structured data: element id → params. */
  structuredData?: Record<string, Record<string, string>>;
  message: string;
  /** Base64 of the raw bytes, kept when the message could not be parsed or was not valid UTF-8. */
  rawBase64?: string;
  /** Flags such as 'unparsed', 'truncated', 'invalid-utf8', 'no-pri'. */
  flags?: string[];
}

export interface VarBind {
  oid: string;
  /** net-snmp type name: Integer, OctetString, ObjectIdentifier, IpAddress, Counter32, Gauge32, TimeTicks, Opaque, Counter64, Null, … */
  type: string;
  /** Numbers as numbers, Counter64 as a decimal string, octet strings as text when printable else hex. */
  value: string | number | null;
}

/**
 * Where a receiver may keep, beside a TrapRecord, its varbind list exactly as it arrived (the PDU's BER, with
 * sysUpTime.0 and snmpTrapOID.0 still in it), so that the store keeps those bytes rather than encoding the varbinds
 * again. It is not part of the record's data: JSON and structured clone skip symbol keys, so a copy of the record
 * comes without it, and a store then encodes `varbinds` itself.
 */
export const WIRE_VARBINDS: unique symbol = Symbol('vigil.trap.wireVarbinds');

export interface TrapRecord {
  kind: 'trap';
  receivedTs: number;
  sourceAddress: string;
  /** Real originator: snmpTrapAddress or the v1 agent-addr when present, else the UDP source. */
  agentAddress: string;
  deviceId?: string;
  version: SnmpVersion;
  pduType: 'trap' | 'inform' | 'trapv1';
  community?: string;
  user?: string;
  trapOid: string;
  uptimeCs?: number;
  varbinds: VarBind[];
  [WIRE_VARBINDS]?: Uint8Array;
}

export type Severity = 'critical' | 'major' | 'minor' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];
export type EventState = 'open' | 'acknowledged' | 'cleared';
export type EventSource = 'icmp' | 'snmp' | 'threshold' | 'trap' | 'syslog' | 'correlation' | 'incident';

export interface EventRecord {
  kind: 'event';
  id: string;
  dedupKey: string;
  source: EventSource;
  deviceId?: string;
  component?: string;
  severity: Severity;
  state: EventState;
  firstSeen: number;
  lastSeen: number;
  count: number;
  summary: string;
  details?: Record<string, unknown>;
  /** Ids of the events this one was derived from (correlation). */
  causes?: string[];
  clearedTs?: number;
}

/**
 * One device's neighbour tables as last polled: LLDP/CDP neighbours, forwarding and ARP/ND tables, LAG membership.
 * `snapshot` is plain data whose shape src/topology/snapshot.ts owns (TopologySnapshot); the store keeps the latest
 * per device, and the topology service turns them into links.
 */
export interface TopologyRecord {
  kind: 'topology';
  deviceId: string;
  ts: number;
  snapshot: unknown;
}

/** A wireless controller's (or standalone AP's) access points, radios and clients as last polled. */
export interface WirelessRecord {
  kind: 'wireless';
  deviceId: string;
  ts: number;
  snapshot: WirelessSnapshot;
}

/** Everything the bus carries. */
export type BusRecord =
  | Sample
  | DeviceState
  | InterfaceState
  | LogRecord
  | TrapRecord
  | EventRecord
  | TopologyRecord
  | WirelessRecord;
export type RecordKind = BusRecord['kind'];
