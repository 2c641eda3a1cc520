/**
 * The rows the migration tests of every backend store at an older version and read back after the upgrade: records,
 * the values of their table rows, and what the repositories answer for them. Only data here; each backend's test
 * writes it with its own SQL and reads it through its own store.
 */
import { logSize } from '../log-rows.ts';
import type { Store } from '../types.ts';
import { DAY, device, event, HOUR, log, MINUTE, T0, trap } from './helpers.ts';

// The stored shapes, as the store's own interface names them.
type VigilEvent = ReturnType<typeof event>;
type LogRecord = ReturnType<typeof log>;
type TrapRecord = ReturnType<typeof trap>;
type StoredRule = Parameters<Store['putRule']>[0];
type MaintenanceWindow = Parameters<Store['putMaintenance']>[0];
type StoredChannel = Parameters<Store['putChannel']>[0];
type StoredRoute = Parameters<Store['putRoute']>[0];
type StoredLog = Awaited<ReturnType<Store['queryLogs']>>['logs'][number];
type TrapRow = Awaited<ReturnType<Store['listTraps']>>['items'][number];

export const sw1 = device('sw1', {
  name: 'core-sw1',
  address: '192.0.2.1',
  group: 'core',
  snmp: { version: 'v2c', community: 'public', port: 161, timeoutMs: 2000, retries: 1 },
});
export const sw1Status = {
  deviceId: 'sw1',
  icmpUp: true,
  icmpTs: T0,
  lossPct: 0,
  rttAvgMs: 1.5,
  snmpOk: true,
  snmpVersion: 'v2c' as const,
  lastPollTs: T0,
  system: { sysName: 'core-sw1', sysUpTimeCs: 4200 },
};
/** Interface `i` as the repository stores its body; 1 is up, 2 went down from up, 3 was never up. */
export const ifBody = (ifIndex: number, operStatus: number) => ({
  deviceId: 'sw1',
  ts: T0,
  ifIndex,
  name: `Gi0/${ifIndex}`,
  operStatus,
  updatedTs: T0,
});
export const statusOf = [0, 1, 2, 2];
/** The values of interface `i`'s row (device_id, if_index, body, oper_status, updated_ts); seen_up is the caller's. */
export const ifValues = (i: number): unknown[] => ['sw1', i, JSON.stringify(ifBody(i, statusOf[i])), statusOf[i], T0];
/** Every interface's status after port 3 came up, as `listInterfaceStatuses` answers it (by ifIndex). */
export const ifStatusesAfter = [1, 2, 3].map((i) => ({
  deviceId: 'sw1',
  ifIndex: i,
  operStatus: i === 3 ? 1 : statusOf[i],
  seenUp: true,
}));

export const samplesLabels = { ifIndex: '1' };
/** The stored samples' series at the raw tier, as `querySeries` answers it. */
export const rawSeries = {
  metric: 'if.in.bps',
  labels: samplesLabels,
  tier: 'raw',
  points: [
    { ts: T0, value: 10 },
    { ts: T0 + MINUTE, value: 30 },
  ],
};
/** A sample of the same series, written after the upgrade. */
export const laterSample = {
  kind: 'sample' as const,
  deviceId: 'sw1',
  metric: 'if.in.bps',
  labels: samplesLabels,
  ts: T0 + 2 * MINUTE,
  value: 50,
};

export const alice = {
  id: 'u1',
  name: 'Alice',
  role: 'admin' as const,
  locale: 'ko',
  theme: 'dark' as const,
  createdTs: T0,
  updatedTs: T0 + 1,
  lastLoginTs: T0 + 2,
};
export const passwordHash = 'scrypt$hash';
/**
 * The values of alice's users row (id, name, role, password_hash, locale, theme, created_ts, updated_ts,
 * last_login_ts).
 */
export const aliceValues = [
  alice.id,
  alice.name,
  alice.role,
  passwordHash,
  alice.locale,
  alice.theme,
  alice.createdTs,
  alice.updatedTs,
  alice.lastLoginTs,
];
export const session = {
  hash: 'session-hash',
  userId: 'u1',
  createdTs: T0,
  expiresTs: T0 + DAY,
  lastSeenTs: T0 + 3,
  address: '192.0.2.50',
};
/** The values of the session's row (hash, user_id, created_ts, expires_ts, last_seen_ts, address). */
export const sessionValues = [
  session.hash,
  session.userId,
  session.createdTs,
  session.expiresTs,
  session.lastSeenTs,
  session.address,
];

/** The stored API token, as the repository answers it. */
export const token = { id: 't1', name: 'ci', role: 'operator', userId: 'u1', createdTs: T0, lastUsedTs: T0 + 5 };
/** The stored audit entry, as the repository answers it. */
export const auditEntry = {
  id: 1,
  ts: T0,
  actor: 'admin',
  action: 'device.create',
  target: 'sw1',
  details: { name: 'core-sw1' },
  result: 'ok',
};

export const e1: VigilEvent = event('e1', {
  deviceId: 'sw1',
  source: 'icmp',
  severity: 'critical',
  firstSeen: T0,
  lastSeen: T0 + 10,
  summary: 'core-sw1 is down',
  details: { lossPct: 100 },
});
/**
 * The values of `e1`'s row (id, dedup_key, state, severity as its rank, source, device_id, first_seen, last_seen,
 * cleared_ts, body).
 */
export const e1Values = [
  e1.id,
  e1.dedupKey,
  e1.state,
  4 /* critical */,
  e1.source,
  e1.deviceId,
  e1.firstSeen,
  e1.lastSeen,
  null,
  JSON.stringify(e1),
];
/** The stored history of `e1`, as the repository answers it. */
export const e1History = [
  { eventId: 'e1', ts: T0, actor: 'system', action: 'opened', details: { rule: 'icmp-down' } },
  { eventId: 'e1', ts: T0 + 5, actor: 'alice', action: 'acknowledged', comment: 'on it' },
];
export const rule: StoredRule = { id: 'r1', kind: 'threshold', metric: 'if.in.util', above: 90, severity: 'major' };
export const maintenanceWindow: MaintenanceWindow = {
  id: 'mw1',
  name: 'night',
  devices: { tags: ['core'] },
  start: T0,
  end: T0 + HOUR,
};

export const channel: StoredChannel = { id: 'ops', type: 'webhook', url: 'https://hooks.example.net/vigil' };
export const route: StoredRoute = { id: 'all', channels: ['ops'], minSeverity: 'major' };
/** The stored delivery, as the repository answers it. */
export const delivery = {
  id: 1,
  ts: T0,
  channelId: 'ops',
  channelType: 'webhook',
  kind: 'raise',
  eventIds: ['e1'],
  attempt: 1,
  ok: false,
  status: 503,
  error: 'HTTP 503',
  durationMs: 35,
  willRetry: true,
};

export const traps: TrapRecord[] = [
  trap(1, { deviceId: 'sw1', varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: 2 }] }),
  trap(2, {
    sourceAddress: '198.51.100.7',
    agentAddress: '198.51.100.7',
    version: 'v3',
    pduType: 'inform',
    community: undefined,
    user: 'monitor',
    trapOid: '1.3.6.1.4.1.9.9.41.2.0.1',
    uptimeCs: undefined,
    varbinds: [{ oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.5.1', type: 'OctetString', value: 'LINK-3-UPDOWN' }],
  }),
];
/**
 * The values of a trap's row at version 1, in the order of the columns (received_ts, source, agent, device_id,
 * version, pdu_type, the user, trap_oid, uptime_cs, varbinds as JSON).
 */
export const trapValues = (t: TrapRecord): unknown[] => [
  t.receivedTs,
  t.sourceAddress,
  t.agentAddress,
  t.deviceId ?? null,
  t.version,
  t.pduType,
  t.user ?? null,
  t.trapOid,
  t.uptimeCs ?? null,
  JSON.stringify(t.varbinds),
];
/** Trap `t` stored with `id`, as the repository answers it. */
export const trapRow = (id: number, t: TrapRecord): TrapRow => {
  const { kind: _kind, community: _community, ...rest } = t;
  return { id, ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as typeof rest) };
};

export const logs: LogRecord[] = [
  log(1, {
    deviceId: 'sw1',
    facility: 23,
    severity: 3,
    hostname: 'core-sw1',
    app: '%LINK-3-UPDOWN',
    structuredData: { 'meta@32473': { sequenceId: '17' } },
    message: 'Interface Gi0/2, changed state to down',
  }),
  log(2, {
    sourceAddress: '203.0.113.9',
    transport: 'tcp',
    facility: 4,
    severity: 5,
    hostname: 'bastion',
    app: 'sshd',
    procid: '4242',
    msgid: 'AUTH',
    message: 'Failed password for admin from 203.0.113.9',
    rawBase64: 'PDM0PkZhaWxlZA==',
    flags: ['no-pri'],
  }),
];
/** A log's structured data as the logs table stores it. */
export const sdOf = (l: LogRecord) => (l.structuredData ? JSON.stringify(l.structuredData) : null);
/**
 * The values of a log's row at version 1, in the order of the columns (received_ts, ts, source, device_id,
 * transport, facility, severity, hostname, app, procid, msgid, sd, message, raw, flags, size).
 */
export const logValues = (l: LogRecord): unknown[] => [
  l.receivedTs,
  l.ts,
  l.sourceAddress,
  l.deviceId ?? null,
  l.transport,
  l.facility,
  l.severity,
  l.hostname ?? null,
  l.app ?? null,
  l.procid ?? null,
  l.msgid ?? null,
  sdOf(l),
  l.message,
  l.rawBase64 ?? null,
  l.flags ? JSON.stringify(l.flags) : null,
  logSize(l, sdOf(l)),
];
/** What the stored logs weigh together. */
export const logBytes = logs.reduce((sum, l) => sum + logSize(l, sdOf(l)), 0);
/** Log `l` stored with `id`, as the repository answers it. */
export const storedLog = (id: number, l: LogRecord): StoredLog => {
  const { kind: _kind, ...rest } = l;
  return { id, ...rest };
};
