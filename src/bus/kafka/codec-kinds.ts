/**
 * The bus codec's field layout of each record kind (see codec.ts): required fields in a fixed order, then a presence
 * bitmask, then the optional fields that are present, in bit order. Strings that repeat (device ids, metrics, label
 * keys and values, hosts, apps, addresses, OIDs) go through the batch's string table; free text goes in place.
 */
import type { VigilEvent } from '../../model/events.ts';
import {
  type DeviceState,
  type EventRecord,
  type InterfaceState,
  type LogRecord,
  type Sample,
  SEVERITIES,
  type SystemFacts,
  type TopologyRecord,
  type WirelessRecord,
  type TrapRecord,
  type VarBind,
  WIRE_VARBINDS,
} from '../../model/records.ts';
import { CodecError, put, type Reader, type Writer } from './codec-io.ts';

const VERSIONS = ['v1', 'v2c', 'v3'] as const;
const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
const PDU_TYPES = ['trap', 'inform', 'trapv1'] as const;
const STATES = ['open', 'acknowledged', 'cleared'] as const;
const SOURCES = ['icmp', 'snmp', 'threshold', 'trap', 'syslog', 'correlation', 'incident'] as const;
const CLEAR_REASONS = ['recovered', 'timeout', 'manual', 'correlation'] as const;
const VARBIND_TYPES = [
  'Integer',
  'OctetString',
  'ObjectIdentifier',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Counter64',
  'Null',
  'Opaque',
  'NsapAddress',
  'UInteger32',
  'NoSuchObject',
  'NoSuchInstance',
  'EndOfMibView',
];

// ---- sample: deviceId, metric, labels, ts, value (no optional fields)

export function writeSample(w: Writer, r: Sample): void {
  w.tstr(r.deviceId);
  w.tstr(r.metric);
  w.labels(r.labels);
  w.ts(r.ts);
  w.num(r.value);
}

export function readSample(r: Reader): Sample {
  return { kind: 'sample', deviceId: r.tstr(), metric: r.tstr(), labels: r.labels(), ts: r.ts(), value: r.num() };
}

// ---- device-state: deviceId, ts, bits, [icmp: lossPct, rttAvgMs], [snmp: version, errorCode, error, system], …

const D = {
  icmp: 1,
  icmpUp: 2,
  rtt: 4,
  snmp: 8,
  snmpOk: 16,
  errorCode: 32,
  error: 64,
  system: 128,
  rebooted: 256,
  rebootedTrue: 512,
} as const;
const SYSTEM_KEYS = [
  'sysDescr',
  'sysObjectID',
  'sysUpTimeCs',
  'sysName',
  'sysLocation',
  'sysContact',
  'vendor',
  'model',
] as const;

export function writeDeviceState(w: Writer, r: DeviceState): void {
  w.tstr(r.deviceId);
  w.ts(r.ts);
  const { icmp, snmp } = r;
  let m = 0;
  if (icmp) m |= D.icmp | (icmp.up ? D.icmpUp : 0) | (icmp.rttAvgMs !== undefined ? D.rtt : 0);
  if (snmp) {
    m |= D.snmp | (snmp.ok ? D.snmpOk : 0) | (snmp.errorCode !== undefined ? D.errorCode : 0);
    m |= (snmp.error !== undefined ? D.error : 0) | (snmp.system ? D.system : 0);
  }
  if (r.rebooted !== undefined) m |= D.rebooted | (r.rebooted ? D.rebootedTrue : 0);
  w.varint(m);
  if (icmp) {
    w.num(icmp.lossPct);
    if (icmp.rttAvgMs !== undefined) w.num(icmp.rttAvgMs);
  }
  if (snmp) {
    w.oneOf(VERSIONS, snmp.version);
    if (snmp.errorCode !== undefined) w.tstr(snmp.errorCode);
    if (snmp.error !== undefined) w.str(snmp.error);
    if (snmp.system) writeSystem(w, snmp.system);
  }
}

function writeSystem(w: Writer, s: SystemFacts): void {
  let m = 0;
  for (let i = 0; i < SYSTEM_KEYS.length; i++) if (s[SYSTEM_KEYS[i]] !== undefined) m |= 1 << i;
  w.varint(m);
  for (const k of SYSTEM_KEYS) {
    const v = s[k];
    if (v === undefined) continue;
    if (typeof v === 'number') w.num(v);
    else w.tstr(v);
  }
}

function readSystem(r: Reader): SystemFacts {
  const m = r.varint();
  const s: SystemFacts = {};
  for (let i = 0; i < SYSTEM_KEYS.length; i++) {
    if (!(m & (1 << i))) continue;
    const k = SYSTEM_KEYS[i];
    if (k === 'sysUpTimeCs') s[k] = r.num();
    else s[k] = r.tstr();
  }
  if (m >= 1 << SYSTEM_KEYS.length) throw new CodecError('corrupt', `system facts bits ${m}`);
  return s;
}

export function readDeviceState(r: Reader): DeviceState {
  const o: DeviceState = { kind: 'device-state', deviceId: r.tstr(), ts: r.ts() };
  const m = r.varint();
  if (m >= 1024) throw new CodecError('corrupt', `device-state bits ${m}`);
  if (m & D.icmp) {
    o.icmp = { up: (m & D.icmpUp) !== 0, lossPct: r.num() };
    if (m & D.rtt) o.icmp.rttAvgMs = r.num();
  }
  if (m & D.snmp) {
    const snmp: NonNullable<DeviceState['snmp']> = { ok: (m & D.snmpOk) !== 0, version: r.oneOf(VERSIONS) };
    if (m & D.errorCode) snmp.errorCode = r.tstr();
    if (m & D.error) snmp.error = r.str();
    if (m & D.system) snmp.system = readSystem(r);
    o.snmp = snmp;
  }
  if (m & D.rebooted) o.rebooted = (m & D.rebootedTrue) !== 0;
  return o;
}

// ---- interface-state: deviceId, ts, ifIndex, name, bits, then the optional fields in bit order

export function writeInterfaceState(w: Writer, r: InterfaceState): void {
  w.tstr(r.deviceId);
  w.ts(r.ts);
  w.num(r.ifIndex);
  w.tstr(r.name);
  const m =
    (r.descr !== undefined ? 1 : 0) |
    (r.alias !== undefined ? 2 : 0) |
    (r.type !== undefined ? 4 : 0) |
    (r.speedBps !== undefined ? 8 : 0) |
    (r.adminStatus !== undefined ? 16 : 0) |
    (r.operStatus !== undefined ? 32 : 0) |
    (r.previousOperStatus !== undefined ? 64 : 0) |
    (r.lastChangeTs !== undefined ? 128 : 0) |
    (r.inBps !== undefined ? 256 : 0) |
    (r.outBps !== undefined ? 512 : 0) |
    (r.inUtilPct !== undefined ? 1024 : 0) |
    (r.outUtilPct !== undefined ? 2048 : 0) |
    (r.inErrorsPerSec !== undefined ? 4096 : 0) |
    (r.outErrorsPerSec !== undefined ? 8192 : 0);
  w.varint(m);
  if (m & 1) w.tstr(r.descr!);
  if (m & 2) w.tstr(r.alias!);
  if (m & 4) w.num(r.type!);
  if (m & 8) w.num(r.speedBps!);
  if (m & 16) w.num(r.adminStatus!);
  if (m & 32) w.num(r.operStatus!);
  if (m & 64) w.num(r.previousOperStatus!);
  if (m & 128) w.ts(r.lastChangeTs!);
  if (m & 256) w.num(r.inBps!);
  if (m & 512) w.num(r.outBps!);
  if (m & 1024) w.num(r.inUtilPct!);
  if (m & 2048) w.num(r.outUtilPct!);
  if (m & 4096) w.num(r.inErrorsPerSec!);
  if (m & 8192) w.num(r.outErrorsPerSec!);
}

export function readInterfaceState(r: Reader): InterfaceState {
  const o: InterfaceState = {
    kind: 'interface-state',
    deviceId: r.tstr(),
    ts: r.ts(),
    ifIndex: r.num(),
    name: r.tstr(),
  };
  const m = r.varint();
  if (m >= 16384) throw new CodecError('corrupt', `interface-state bits ${m}`);
  if (m & 1) o.descr = r.tstr();
  if (m & 2) o.alias = r.tstr();
  if (m & 4) o.type = r.num();
  if (m & 8) o.speedBps = r.num();
  if (m & 16) o.adminStatus = r.num();
  if (m & 32) o.operStatus = r.num();
  if (m & 64) o.previousOperStatus = r.num();
  if (m & 128) o.lastChangeTs = r.ts();
  if (m & 256) o.inBps = r.num();
  if (m & 512) o.outBps = r.num();
  if (m & 1024) o.inUtilPct = r.num();
  if (m & 2048) o.outUtilPct = r.num();
  if (m & 4096) o.inErrorsPerSec = r.num();
  if (m & 8192) o.outErrorsPerSec = r.num();
  return o;
}

// ---- log: receivedTs, sourceAddress, transport, facility, severity, ts (from receivedTs), message, bits, optionals

export function writeLog(w: Writer, r: LogRecord): void {
  w.ts(r.receivedTs);
  w.tstr(r.sourceAddress);
  w.oneOf(TRANSPORTS, r.transport);
  w.num(r.facility);
  w.num(r.severity);
  w.ts(r.ts, Number.isSafeInteger(r.receivedTs) ? r.receivedTs : 0);
  w.str(r.message);
  const m =
    (r.deviceId !== undefined ? 1 : 0) |
    (r.hostname !== undefined ? 2 : 0) |
    (r.app !== undefined ? 4 : 0) |
    (r.procid !== undefined ? 8 : 0) |
    (r.msgid !== undefined ? 16 : 0) |
    (r.structuredData !== undefined ? 32 : 0) |
    (r.rawBase64 !== undefined ? 64 : 0) |
    (r.flags !== undefined ? 128 : 0);
  w.varint(m);
  if (m & 1) w.tstr(r.deviceId!);
  if (m & 2) w.tstr(r.hostname!);
  if (m & 4) w.tstr(r.app!);
  if (m & 8) w.tstr(r.procid!);
  if (m & 16) w.tstr(r.msgid!);
  if (m & 32) {
    const sd = r.structuredData!;
    const ids = Object.keys(sd);
    w.varint(ids.length);
    for (const id of ids) {
      w.tstr(id);
      w.strMap(sd[id]);
    }
  }
  if (m & 64) w.str(r.rawBase64!);
  if (m & 128) w.strList(r.flags!, true);
}

export function readLog(r: Reader): LogRecord {
  const receivedTs = r.ts();
  const o: LogRecord = {
    kind: 'log',
    receivedTs,
    sourceAddress: r.tstr(),
    transport: r.oneOf(TRANSPORTS),
    facility: r.num(),
    severity: r.num(),
    ts: r.ts(Number.isSafeInteger(receivedTs) ? receivedTs : 0),
    message: r.str(),
  };
  const m = r.varint();
  if (m >= 256) throw new CodecError('corrupt', `log bits ${m}`);
  if (m & 1) o.deviceId = r.tstr();
  if (m & 2) o.hostname = r.tstr();
  if (m & 4) o.app = r.tstr();
  if (m & 8) o.procid = r.tstr();
  if (m & 16) o.msgid = r.tstr();
  if (m & 32) {
    const n = r.count(2);
    const sd: Record<string, Record<string, string>> = {};
    for (let i = 0; i < n; i++) {
      const id = r.tstr();
      put(sd, id, r.strMap());
    }
    o.structuredData = sd;
  }
  if (m & 64) o.rawBase64 = r.str();
  if (m & 128) o.flags = r.strList(true);
  return o;
}

// ---- trap: receivedTs, sourceAddress, agentAddress, version, pduType, trapOid, varbinds, bits, optionals

/** Varbind value tags: strings up to 32 characters (interface names, addresses) go through the table. */
const VB = { null: 0, tstring: 1, string: 2, number: 3 } as const;

export function writeTrap(w: Writer, r: TrapRecord): void {
  w.ts(r.receivedTs);
  w.tstr(r.sourceAddress);
  w.tstr(r.agentAddress);
  w.oneOf(VERSIONS, r.version);
  w.oneOf(PDU_TYPES, r.pduType);
  w.tstr(r.trapOid);
  w.varint(r.varbinds.length);
  for (const vb of r.varbinds) {
    w.oid(vb.oid);
    w.oneOf(VARBIND_TYPES, vb.type);
    const v = vb.value;
    if (v === null) w.byte(VB.null);
    else if (typeof v === 'number') {
      w.byte(VB.number);
      w.num(v);
    } else if (v.length <= 32) {
      w.byte(VB.tstring);
      w.tstr(v);
    } else {
      w.byte(VB.string);
      w.str(v);
    }
  }
  const wire = r[WIRE_VARBINDS];
  const m =
    (r.deviceId !== undefined ? 1 : 0) |
    (r.community !== undefined ? 2 : 0) |
    (r.user !== undefined ? 4 : 0) |
    (r.uptimeCs !== undefined ? 8 : 0) |
    (wire !== undefined ? 16 : 0);
  w.varint(m);
  if (m & 1) w.tstr(r.deviceId!);
  if (m & 2) w.tstr(r.community!);
  if (m & 4) w.tstr(r.user!);
  if (m & 8) w.num(r.uptimeCs!);
  if (wire !== undefined) w.bytes(wire);
}

export function readTrap(r: Reader): TrapRecord {
  const o: TrapRecord = {
    kind: 'trap',
    receivedTs: r.ts(),
    sourceAddress: r.tstr(),
    agentAddress: r.tstr(),
    version: r.oneOf(VERSIONS),
    pduType: r.oneOf(PDU_TYPES),
    trapOid: r.tstr(),
    varbinds: [],
  };
  const n = r.count(4);
  for (let i = 0; i < n; i++) {
    const vb: VarBind = { oid: r.oid(), type: r.oneOf(VARBIND_TYPES), value: null };
    const tag = r.byte();
    if (tag === VB.number) vb.value = r.num();
    else if (tag === VB.tstring) vb.value = r.tstr();
    else if (tag === VB.string) vb.value = r.str();
    else if (tag !== VB.null) throw new CodecError('corrupt', `varbind value tag ${tag}`);
    o.varbinds.push(vb);
  }
  const m = r.varint();
  if (m >= 32) throw new CodecError('corrupt', `trap bits ${m}`);
  if (m & 1) o.deviceId = r.tstr();
  if (m & 2) o.community = r.tstr();
  if (m & 4) o.user = r.tstr();
  if (m & 8) o.uptimeCs = r.num();
  if (m & 16) o[WIRE_VARBINDS] = r.bytes();
  return o;
}

// ---- event: id, dedupKey, source, severity, state, firstSeen, lastSeen, count, summary, bits, optionals.
// The engine publishes its VigilEvents: their own fields have bits too, and any other field goes in `extras`.

const EVENT_KEYS = new Set([
  'kind',
  'id',
  'dedupKey',
  'source',
  'deviceId',
  'component',
  'severity',
  'state',
  'firstSeen',
  'lastSeen',
  'count',
  'summary',
  'details',
  'causes',
  'clearedTs',
  'ruleId',
  'inMaintenance',
  'suppressed',
  'dependsOn',
  'acknowledgedBy',
  'acknowledgedTs',
  'expiresTs',
  'clearReason',
  'partOf',
  'incidentId',
]);

/** Fields outside VigilEvent, if any: `known` of the record's keys are VigilEvent's (and not undefined). */
function extrasOf(r: object, known: number): Record<string, unknown> | undefined {
  const keys = Object.keys(r);
  if (keys.length === known) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of keys) {
    const v = (r as Record<string, unknown>)[k];
    if (!EVENT_KEYS.has(k) && v !== undefined) put((out ??= {}), k, v);
  }
  return out;
}

/** Set bits of a presence mask. */
function bits(m: number): number {
  let n = 0;
  for (; m; m &= m - 1) n++;
  return n;
}

export function writeEvent(w: Writer, r: EventRecord): void {
  const e = r as VigilEvent;
  w.str(e.id);
  w.str(e.dedupKey);
  w.oneOf(SOURCES, e.source);
  w.oneOf(SEVERITIES, e.severity);
  w.oneOf(STATES, e.state);
  w.ts(e.firstSeen);
  w.ts(e.lastSeen);
  w.num(e.count);
  w.str(e.summary);
  const m =
    (e.deviceId !== undefined ? 1 : 0) |
    (e.component !== undefined ? 2 : 0) |
    (e.details !== undefined ? 4 : 0) |
    (e.causes !== undefined ? 8 : 0) |
    (e.clearedTs !== undefined ? 16 : 0) |
    (e.ruleId !== undefined ? 32 : 0) |
    (e.inMaintenance !== undefined ? 64 | (e.inMaintenance ? 128 : 0) : 0) |
    (e.suppressed !== undefined ? 256 : 0) |
    (e.dependsOn !== undefined ? 512 : 0) |
    (e.acknowledgedBy !== undefined ? 1024 : 0) |
    (e.acknowledgedTs !== undefined ? 2048 : 0) |
    (e.expiresTs !== undefined ? 4096 : 0) |
    (e.clearReason !== undefined ? 8192 : 0) |
    (e.partOf !== undefined ? 16384 : 0) |
    (e.incidentId !== undefined ? 32768 : 0);
  // kind, the nine required fields and the optional ones set (bit 128 is inMaintenance's value, not a field).
  const extras = extrasOf(e, 10 + bits(m & ~128));
  w.varint(extras ? m | 65536 : m);
  if (m & 1) w.tstr(e.deviceId!);
  if (m & 2) w.tstr(e.component!);
  if (m & 4) w.value(e.details);
  if (m & 8) w.strList(e.causes!, false);
  if (m & 16) w.ts(e.clearedTs!);
  if (m & 32) w.tstr(e.ruleId!);
  if (m & 256) w.str(e.suppressed!);
  if (m & 512) w.tstr(e.dependsOn!);
  if (m & 1024) w.tstr(e.acknowledgedBy!);
  if (m & 2048) w.ts(e.acknowledgedTs!);
  if (m & 4096) w.ts(e.expiresTs!);
  if (m & 8192) w.oneOf(CLEAR_REASONS, e.clearReason!);
  if (m & 16384) w.strList(e.partOf!, false);
  if (m & 32768) w.str(e.incidentId!);
  if (extras) w.value(extras);
}

export function readEvent(r: Reader): EventRecord {
  const o: VigilEvent = {
    kind: 'event',
    id: r.str(),
    dedupKey: r.str(),
    source: r.oneOf(SOURCES),
    severity: r.oneOf(SEVERITIES),
    state: r.oneOf(STATES),
    firstSeen: r.ts(),
    lastSeen: r.ts(),
    count: r.num(),
    summary: r.str(),
  };
  const m = r.varint();
  if (m >= 131072) throw new CodecError('corrupt', `event bits ${m}`);
  if (m & 1) o.deviceId = r.tstr();
  if (m & 2) o.component = r.tstr();
  if (m & 4) o.details = object(r.value(), 'details');
  if (m & 8) o.causes = r.strList(false);
  if (m & 16) o.clearedTs = r.ts();
  if (m & 32) o.ruleId = r.tstr();
  if (m & 64) o.inMaintenance = (m & 128) !== 0;
  if (m & 256) o.suppressed = r.str();
  if (m & 512) o.dependsOn = r.tstr();
  if (m & 1024) o.acknowledgedBy = r.tstr();
  if (m & 2048) o.acknowledgedTs = r.ts();
  if (m & 4096) o.expiresTs = r.ts();
  if (m & 8192) o.clearReason = r.oneOf(CLEAR_REASONS);
  if (m & 16384) o.partOf = r.strList(false);
  if (m & 32768) o.incidentId = r.str();
  if (m & 65536) {
    const extras = object(r.value(), 'extras');
    for (const k of Object.keys(extras)) {
      if (EVENT_KEYS.has(k)) throw new CodecError('corrupt', `event extra field ${k}`);
      put(o as unknown as Record<string, unknown>, k, extras[k]);
    }
  }
  return o;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CodecError('corrupt', `${what} not an object`);
  return v as Record<string, unknown>;
}

// ---- topology: deviceId, ts, snapshot (a plain value; its shape is src/topology/snapshot.ts's)

export function writeTopology(w: Writer, r: TopologyRecord): void {
  w.tstr(r.deviceId);
  w.ts(r.ts);
  w.value(r.snapshot);
}

export function readTopology(r: Reader): TopologyRecord {
  return { kind: 'topology', deviceId: r.tstr(), ts: r.ts(), snapshot: r.value() };
}

// ---- wireless: deviceId, ts, snapshot (a plain value: src/model/wireless.ts WirelessSnapshot)

export function writeWireless(w: Writer, r: WirelessRecord): void {
  w.tstr(r.deviceId);
  w.ts(r.ts);
  w.value(r.snapshot);
}

export function readWireless(r: Reader): WirelessRecord {
  return { kind: 'wireless', deviceId: r.tstr(), ts: r.ts(), snapshot: r.value() as WirelessRecord['snapshot'] };
}
