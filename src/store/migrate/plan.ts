/**
 * What `vigil store migrate` copies from a SQLite store into a PostgreSQL one: every table that holds data, in an
 * order that satisfies the target's foreign keys, and how a row changes on the way where the two schemas differ.
 * Where they do not, a source column goes to the target column of the same name, converted by the target's type
 * (see `copy.ts`). Tables that hold only derived data are not copied: SQLite's full-text index (`logs_fts*`) and size
 * counter (`logs_meta`) are rebuilt by PostgreSQL's own (`words`, `logs_volume`, kept by `withBatch`).
 */

/** A source row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

export interface TableCopy {
  /** The table's name, the same on both sides. */
  table: string;
  /** Turns a source row into the target's columns; without it the row goes as it is. */
  map?: (row: Row) => Row;
  /** The target's day-partitioned tables: the column whose days need a partition before a batch goes in. */
  partitionBy?: string;
  /**
   * A statement that goes in with each batch (one statement: a data-modifying CTE beside the insert, so it does not
   * see the batch's rows), its `$n` parameters taken from the batch's mapped rows: counters the store keeps beside them.
   */
  withBatch?: { sql: string; params: (rows: readonly Row[]) => unknown[] };
  /** A statement run once the whole table is in (again after a resumed run: it must be idempotent). */
  afterTable?: string;
}

const DAY = 86_400_000;
const jsonOrNull = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** DeviceStatus as SQLite keeps it (one JSON body) into PostgreSQL's columns. */
function deviceStatus(row: Row): Row {
  const s = JSON.parse(String(row.body)) as Record<string, unknown>;
  return {
    device_id: row.device_id,
    icmp_up: s.icmpUp ?? null,
    icmp_ts: s.icmpTs ?? null,
    loss_pct: s.lossPct ?? null,
    rtt_avg_ms: s.rttAvgMs ?? null,
    snmp_ok: s.snmpOk ?? null,
    snmp_error_code: s.snmpErrorCode ?? null,
    snmp_error: s.snmpError ?? null,
    snmp_version: s.snmpVersion ?? null,
    last_poll_ts: s.lastPollTs ?? null,
    system: jsonOrNull(s.system),
    last_reboot_ts: s.lastRebootTs ?? null,
  };
}

/** A trap's varbinds are JSON text or the BER list as received: on PostgreSQL, one of two columns. */
function trap(row: Row): Row {
  const { user, varbinds, ...rest } = row;
  const ber = Buffer.isBuffer(varbinds) || varbinds instanceof Uint8Array;
  return {
    ...rest,
    user_name: user,
    varbinds: ber ? null : varbinds,
    varbinds_ber: ber ? Buffer.from(varbinds as Uint8Array) : null,
  };
}

/** The target has a token's `owner` (its user while that user exists), a foreign key the users domain keeps. */
const TOKEN_OWNER = 'UPDATE api_tokens t SET owner = t.user_id FROM users u WHERE u.id = t.user_id AND t.owner IS NULL';

/** PostgreSQL counts each day's log lines and bytes beside them (shard 0 here; the store sums the shards). */
const LOG_VOLUME = {
  sql: `INSERT INTO logs_volume AS v (day, shard, rows, bytes)
    SELECT received_ts / ${DAY}, 0, count(*), sum(size) FROM unnest($1::bigint[], $2::bigint[]) AS b(received_ts, size)
    GROUP BY 1 ORDER BY 1
    ON CONFLICT (day, shard) DO UPDATE SET rows = v.rows + excluded.rows, bytes = v.bytes + excluded.bytes
    RETURNING 1`,
  params: (rows: readonly Row[]) => [rows.map((r) => r.received_ts), rows.map((r) => r.size)],
};

/** Every table copied, parents before children. */
export const COPY_PLAN: readonly TableCopy[] = [
  { table: 'devices' },
  { table: 'device_status', map: deviceStatus },
  { table: 'interfaces' },
  { table: 'interface_changes' },
  { table: 'series' },
  { table: 'latest' },
  { table: 'samples', partitionBy: 'ts' },
  { table: 'rollup_5m', partitionBy: 'ts' },
  { table: 'rollup_1h', partitionBy: 'ts' },
  { table: 'kv' },
  { table: 'users' },
  { table: 'deleted_users' },
  { table: 'api_tokens', afterTable: TOKEN_OWNER },
  { table: 'sessions' },
  { table: 'audit_log' },
  { table: 'rules' },
  { table: 'maintenance_windows' },
  { table: 'events' },
  { table: 'event_history' },
  { table: 'notify_channels' },
  { table: 'notify_routes' },
  { table: 'notify_deliveries' },
  { table: 'traps', map: trap, partitionBy: 'received_ts' },
  { table: 'logs', partitionBy: 'received_ts', withBatch: LOG_VOLUME },
];
