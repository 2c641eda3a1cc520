/**
 * Interfaces on PostgreSQL: the last state of each (body merged field by field in the upsert), the seen-up flag, and
 * the history of oper-status changes, which the same statement records from the row it updates (so two writer
 * processes never record one change twice or miss one).
 */
import type { InterfaceState } from '../../model/records.ts';
import type { InterfaceStatusRow } from '../types.ts';
import type { InterfaceRow } from '../../model/stored.ts';
import type { Db } from './db.ts';

/**
 * `changed_from` is the oper status the last upsert changed the row from (null when it did not change it): what the
 * upsert hands to the insert into interface_changes, as PostgreSQL 15's RETURNING cannot see the old row.
 */
export const interfacesMigration = `CREATE TABLE interfaces (
  device_id text COLLATE "C" NOT NULL, if_index integer NOT NULL, body jsonb NOT NULL, oper_status integer,
  updated_ts bigint NOT NULL, seen_up boolean NOT NULL DEFAULT false, changed_from integer,
  PRIMARY KEY (device_id, if_index)
);
CREATE TABLE interface_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, device_id text COLLATE "C" NOT NULL, if_index integer NOT NULL,
  ts bigint NOT NULL, from_status integer, to_status integer NOT NULL
);
CREATE INDEX interface_changes_dev ON interface_changes (device_id, ts DESC, id DESC);
CREATE INDEX interface_changes_ts ON interface_changes (ts, id);`;

/**
 * One run: at most one state per interface (ON CONFLICT may touch a row once per statement). A change is a known
 * oper status that differs from the stored known one; it stamps lastChangeTs and is recorded, in input order. Rows
 * are locked in key order, so that writers with overlapping batches never deadlock.
 */
const UPSERT = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[], $5::jsonb[]) WITH ORDINALITY
      AS u(device_id, if_index, ts, oper_status, patch, ord)
  ), up AS (
    INSERT INTO interfaces AS t (device_id, if_index, body, oper_status, updated_ts, seen_up, changed_from)
    SELECT device_id, if_index, patch, oper_status, ts, COALESCE(oper_status = 1, false), NULL FROM input
    ORDER BY device_id, if_index
    ON CONFLICT (device_id, if_index) DO UPDATE SET
      body = t.body || EXCLUDED.body || CASE WHEN t.oper_status <> EXCLUDED.oper_status
        THEN jsonb_build_object('lastChangeTs', EXCLUDED.updated_ts) ELSE '{}'::jsonb END,
      oper_status = COALESCE(EXCLUDED.oper_status, t.oper_status),
      updated_ts = EXCLUDED.updated_ts,
      seen_up = t.seen_up OR EXCLUDED.seen_up,
      changed_from = CASE WHEN t.oper_status <> EXCLUDED.oper_status THEN t.oper_status END
    RETURNING device_id, if_index, updated_ts, oper_status, changed_from
  )
  INSERT INTO interface_changes (device_id, if_index, ts, from_status, to_status)
  SELECT up.device_id, up.if_index, up.updated_ts, up.changed_from, up.oper_status
  FROM up JOIN input USING (device_id, if_index) WHERE up.changed_from IS NOT NULL ORDER BY input.ord`;

/**
 * Splits a batch into runs of consecutive states of distinct interfaces (a new run where an interface comes again),
 * so that changes are recorded in the order the states came, as applying them one by one would.
 */
function runs(states: readonly InterfaceState[]): InterfaceState[][] {
  const out: InterfaceState[][] = [];
  let run: InterfaceState[] = [];
  let keys = new Set<string>();
  for (const s of states) {
    const key = `${s.ifIndex}\u0000${s.deviceId}`;
    if (keys.has(key)) {
      out.push(run);
      run = [];
      keys = new Set();
    }
    keys.add(key);
    run.push(s);
  }
  if (run.length) out.push(run);
  return out;
}

/** The fields a state gives (undefined ones keep the stored value), with the row's time. */
function patch(s: InterfaceState): string {
  const { kind: _k, previousOperStatus: _p, ...rest } = s;
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null) body[k] = v;
  body.updatedTs = s.ts;
  return JSON.stringify(body);
}

type Change = { deviceId: string; ifIndex: number; ts: number; from?: number; to: number };
interface ChangeRow {
  device_id: string;
  if_index: number;
  ts: number;
  from_status: number | null;
  to_status: number;
}
const change = (r: ChangeRow): Change => ({
  deviceId: r.device_id,
  ifIndex: r.if_index,
  ts: r.ts,
  ...(r.from_status !== null ? { from: r.from_status } : {}),
  to: r.to_status,
});

export function interfacesRepo(db: Db) {
  return {
    async applyInterfaceStates(states: InterfaceState[]): Promise<void> {
      for (const run of runs(states))
        await db.run(UPSERT, [
          run.map((s) => s.deviceId),
          run.map((s) => s.ifIndex),
          run.map((s) => s.ts),
          run.map((s) => s.operStatus ?? null),
          run.map(patch),
        ]);
    },
    async listInterfaces(deviceId: string): Promise<InterfaceRow[]> {
      const rows = await db.rows<{ body: InterfaceRow; seen_up: boolean }>(
        'SELECT body, seen_up FROM interfaces WHERE device_id = $1 ORDER BY if_index',
        [deviceId],
      );
      return rows.map((r) => ({ ...r.body, seenUp: r.seen_up }));
    },
    async listInterfaceStatuses(): Promise<InterfaceStatusRow[]> {
      const rows = await db.rows<{ device_id: string; if_index: number; oper_status: number | null; seen_up: boolean }>(
        'SELECT device_id, if_index, oper_status, seen_up FROM interfaces',
      );
      return rows.map((r) => ({
        deviceId: r.device_id,
        ifIndex: r.if_index,
        ...(r.oper_status !== null ? { operStatus: r.oper_status } : {}),
        seenUp: r.seen_up,
      }));
    },
    async interfaceChangesBetween(from: number, to: number, limit = 500_000): Promise<Change[]> {
      const rows = await db.rows<ChangeRow>(
        `SELECT device_id, if_index, ts, from_status, to_status FROM interface_changes
         WHERE ts >= $1 AND ts <= $2 ORDER BY ts, id LIMIT $3`,
        [from, to, limit],
      );
      return rows.map(change);
    },
    async listInterfaceChanges(deviceId: string, ifIndex?: number, limit = 100): Promise<Omit<Change, 'deviceId'>[]> {
      const rows =
        ifIndex === undefined || ifIndex === null
          ? await db.rows<ChangeRow>(
              `SELECT device_id, if_index, ts, from_status, to_status FROM interface_changes
               WHERE device_id = $1 ORDER BY ts DESC, id DESC LIMIT $2`,
              [deviceId, limit],
            )
          : await db.rows<ChangeRow>(
              `SELECT device_id, if_index, ts, from_status, to_status FROM interface_changes
               WHERE device_id = $1 AND if_index = $2 ORDER BY ts DESC, id DESC LIMIT $3`,
              [deviceId, ifIndex, limit],
            );
      return rows.map((r) => {
        const { deviceId: _d, ...rest } = change(r);
        return rest;
      });
    },
  };
}
