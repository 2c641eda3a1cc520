/** Rows of the logs table, the same on every backend: what a line weighs, and a row back as a stored log. */
import type { LogRecord } from '../model/records.ts';
import type { StoredLog } from '../model/stored.ts';

/**
 * A row of the logs table. `J` is how its JSON columns (sd, flags) arrive: their text on SQLite, already parsed on
 * PostgreSQL (json, jsonb).
 */
export interface LogTableRow<J> {
  id: number;
  received_ts: number;
  ts: number;
  source: string;
  device_id: string | null;
  transport: LogRecord['transport'];
  facility: number;
  severity: number;
  hostname: string | null;
  app: string | null;
  procid: string | null;
  msgid: string | null;
  sd: J | null;
  message: string;
  raw: string | null;
  flags: J | null;
}

/** What a line weighs against the size limit (`sd`: its structured data as stored JSON), alike on every backend. */
export const logSize = (l: Pick<LogRecord, 'message' | 'rawBase64' | 'hostname' | 'app'>, sd: string | null) =>
  64 +
  l.message.length +
  (l.rawBase64?.length ?? 0) +
  (sd?.length ?? 0) +
  (l.hostname?.length ?? 0) +
  (l.app?.length ?? 0);

/** The log a row holds; `parse` reads a JSON column that is not NULL (undefined: nothing readable). */
export function toStoredLog<J>(r: LogTableRow<J>, parse: (v: J) => unknown): StoredLog {
  const l: StoredLog = {
    id: r.id,
    receivedTs: r.received_ts,
    ts: r.ts,
    sourceAddress: r.source,
    transport: r.transport,
    facility: r.facility,
    severity: r.severity,
    message: r.message,
  };
  if (r.device_id !== null) l.deviceId = r.device_id;
  if (r.hostname !== null) l.hostname = r.hostname;
  if (r.app !== null) l.app = r.app;
  if (r.procid !== null) l.procid = r.procid;
  if (r.msgid !== null) l.msgid = r.msgid;
  const sd = r.sd === null ? undefined : parse(r.sd);
  if (sd !== undefined && sd !== null) l.structuredData = sd as StoredLog['structuredData'];
  if (r.raw !== null) l.rawBase64 = r.raw;
  const flags = r.flags === null ? undefined : parse(r.flags);
  if (flags !== undefined && flags !== null) l.flags = flags as string[];
  return l;
}
