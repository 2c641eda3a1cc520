/**
 * Rows of the traps table back as records, the same on every backend. The backends store the user and the varbinds
 * apart (PostgreSQL: `user_name`, and the JSON and the BER in two columns; SQLite: `user`, and either in one), so
 * those two are handed in as they came.
 */
import { varbindsFromWire } from '../model/trap-varbinds.ts';
import type { TrapRecord, VarBind } from '../model/records.ts';
import { compact, fromJson } from './json.ts';
import type { TrapRow } from './types.ts';

/** The columns every backend reads alike. */
export interface TrapTableRow {
  id: number;
  received_ts: number;
  source: string;
  agent: string;
  device_id: string | null;
  version: TrapRecord['version'];
  pdu_type: TrapRecord['pduType'];
  trap_oid: string;
  uptime_cs: number | null;
}

/** Stored varbinds: JSON text, or the BER list as received (see `WIRE_VARBINDS`). */
export function storedVarbinds(v: string | Buffer | null): VarBind[] {
  if (typeof v === 'string' || v === null) return fromJson(v, []);
  try {
    return varbindsFromWire(v);
  } catch {
    // It decoded once, when it arrived; bytes that no longer do are shown as one opaque value rather than lost.
    return [{ oid: '0.0', type: 'Opaque', value: '0x' + v.toString('hex') }];
  }
}

/** The trap a row holds. */
export const toTrapRow = (r: TrapTableRow, user: string | null, varbinds: string | Buffer | null): TrapRow =>
  compact({
    id: r.id,
    receivedTs: r.received_ts,
    sourceAddress: r.source,
    agentAddress: r.agent,
    deviceId: r.device_id ?? undefined,
    version: r.version,
    pduType: r.pdu_type,
    user: user ?? undefined,
    trapOid: r.trap_oid,
    uptimeCs: r.uptime_cs ?? undefined,
    varbinds: storedVarbinds(varbinds),
  });
