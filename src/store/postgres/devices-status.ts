/**
 * Device status rows on PostgreSQL: each part of a `DeviceState` (icmp, snmp, facts, reboot) merged into the stored
 * row by the upsert itself, so that several writer processes can merge into one row without losing each other's parts.
 */
import type { DeviceState, SystemFacts } from '../../model/records.ts';
import type { DeviceStatus } from '../../model/stored.ts';
import type { Db } from './db.ts';

export const deviceStatusMigration = `CREATE TABLE device_status (
  device_id text COLLATE "C" PRIMARY KEY,
  icmp_up boolean, icmp_ts bigint, loss_pct double precision, rtt_avg_ms double precision,
  snmp_ok boolean, snmp_error_code text, snmp_error text, snmp_version text, last_poll_ts bigint,
  system jsonb, last_reboot_ts bigint
)`;

/**
 * What one batch says about one device, its states merged in order (as applying them one by one would). `system`
 * is a patch: a key given as undefined (now null) removes the stored fact, as spreading it over the old ones does.
 */
interface Merged {
  icmp?: { ts: number; up: boolean; lossPct: number; rttAvgMs?: number };
  snmp?: { ts: number; ok: boolean; errorCode?: string; error?: string; version: string };
  system?: Record<string, unknown>;
  rebootTs?: number;
}

function mergeBatch(states: readonly DeviceState[]): Map<string, Merged> {
  const byDevice = new Map<string, Merged>();
  for (const s of states) {
    let m = byDevice.get(s.deviceId);
    if (!m) byDevice.set(s.deviceId, (m = {}));
    if (s.icmp) m.icmp = { ts: s.ts, up: s.icmp.up, lossPct: s.icmp.lossPct, rttAvgMs: s.icmp.rttAvgMs };
    if (s.snmp) {
      m.snmp = { ts: s.ts, ok: s.snmp.ok, errorCode: s.snmp.errorCode, error: s.snmp.error, version: s.snmp.version };
      if (s.snmp.system) {
        m.system ??= {};
        for (const [k, v] of Object.entries(s.snmp.system)) m.system[k] = v ?? null;
      }
    }
    if (s.rebooted) m.rebootTs = s.ts;
  }
  return byDevice;
}

/**
 * One statement per batch. A part the state lacks keeps the stored one: icmp_ts (and last_poll_ts) is set exactly
 * when the icmp (snmp) part is, so it tells whether the part's other columns (which may be null) replace the row's.
 */
const UPSERT = `INSERT INTO device_status AS t (device_id, icmp_up, icmp_ts, loss_pct, rtt_avg_ms, snmp_ok, snmp_error_code,
    snmp_error, snmp_version, last_poll_ts, system, last_reboot_ts)
  SELECT * FROM unnest($1::text[], $2::boolean[], $3::bigint[], $4::float8[], $5::float8[], $6::boolean[], $7::text[],
    $8::text[], $9::text[], $10::bigint[], $11::jsonb[], $12::bigint[])
  ON CONFLICT (device_id) DO UPDATE SET
    icmp_up = CASE WHEN EXCLUDED.icmp_ts IS NULL THEN t.icmp_up ELSE EXCLUDED.icmp_up END,
    icmp_ts = COALESCE(EXCLUDED.icmp_ts, t.icmp_ts),
    loss_pct = CASE WHEN EXCLUDED.icmp_ts IS NULL THEN t.loss_pct ELSE EXCLUDED.loss_pct END,
    rtt_avg_ms = CASE WHEN EXCLUDED.icmp_ts IS NULL THEN t.rtt_avg_ms ELSE EXCLUDED.rtt_avg_ms END,
    snmp_ok = CASE WHEN EXCLUDED.last_poll_ts IS NULL THEN t.snmp_ok ELSE EXCLUDED.snmp_ok END,
    snmp_error_code = CASE WHEN EXCLUDED.last_poll_ts IS NULL THEN t.snmp_error_code ELSE EXCLUDED.snmp_error_code END,
    snmp_error = CASE WHEN EXCLUDED.last_poll_ts IS NULL THEN t.snmp_error ELSE EXCLUDED.snmp_error END,
    snmp_version = CASE WHEN EXCLUDED.last_poll_ts IS NULL THEN t.snmp_version ELSE EXCLUDED.snmp_version END,
    last_poll_ts = COALESCE(EXCLUDED.last_poll_ts, t.last_poll_ts),
    system = CASE WHEN EXCLUDED.system IS NULL THEN t.system
      ELSE jsonb_strip_nulls(COALESCE(t.system, '{}'::jsonb) || EXCLUDED.system) END,
    last_reboot_ts = COALESCE(EXCLUDED.last_reboot_ts, t.last_reboot_ts)`;

/** A new row keeps the patch's nulls (there was nothing to remove); they are left out when read. */
const COLUMNS = `device_id, icmp_up, icmp_ts, loss_pct, rtt_avg_ms, snmp_ok, snmp_error_code, snmp_error, snmp_version,
  last_poll_ts, jsonb_strip_nulls(system) AS system, last_reboot_ts`;

interface StatusRow {
  device_id: string;
  icmp_up: boolean | null;
  icmp_ts: number | null;
  loss_pct: number | null;
  rtt_avg_ms: number | null;
  snmp_ok: boolean | null;
  snmp_error_code: string | null;
  snmp_error: string | null;
  snmp_version: string | null;
  last_poll_ts: number | null;
  system: SystemFacts | null;
  last_reboot_ts: number | null;
}

function toStatus(r: StatusRow): DeviceStatus {
  const s: Record<string, unknown> = {
    deviceId: r.device_id,
    icmpUp: r.icmp_up,
    icmpTs: r.icmp_ts,
    lossPct: r.loss_pct,
    rttAvgMs: r.rtt_avg_ms,
    snmpOk: r.snmp_ok,
    snmpErrorCode: r.snmp_error_code,
    snmpError: r.snmp_error,
    snmpVersion: r.snmp_version,
    lastPollTs: r.last_poll_ts,
    system: r.system,
    lastRebootTs: r.last_reboot_ts,
  };
  for (const k of Object.keys(s)) if (s[k] === null || s[k] === undefined) delete s[k];
  return s as unknown as DeviceStatus;
}

export function deviceStatusRepo(db: Db) {
  return {
    async applyDeviceStates(states: DeviceState[]): Promise<void> {
      if (!states.length) return;
      const merged = mergeBatch(states);
      const cols: unknown[][] = Array.from({ length: 12 }, () => []);
      // Rows locked in id order: writers with overlapping batches never deadlock.
      for (const [id, m] of [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const row = [
          id,
          m.icmp?.up ?? null,
          m.icmp?.ts ?? null,
          m.icmp?.lossPct ?? null,
          m.icmp?.rttAvgMs ?? null,
          m.snmp?.ok ?? null,
          m.snmp?.errorCode ?? null,
          m.snmp?.error ?? null,
          m.snmp?.version ?? null,
          m.snmp?.ts ?? null,
          m.system ? JSON.stringify(m.system) : null,
          m.rebootTs ?? null,
        ];
        row.forEach((v, i) => cols[i].push(v));
      }
      await db.run(UPSERT, cols);
    },
    async getStatus(deviceId: string): Promise<DeviceStatus | undefined> {
      const r = await db.one<StatusRow>(`SELECT ${COLUMNS} FROM device_status WHERE device_id = $1`, [deviceId]);
      return r && toStatus(r);
    },
    async listStatuses(): Promise<DeviceStatus[]> {
      return (await db.rows<StatusRow>(`SELECT ${COLUMNS} FROM device_status`)).map(toStatus);
    },
  };
}
