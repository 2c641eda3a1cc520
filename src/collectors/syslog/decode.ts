/**
 * decodeSyslog: one syslog message (already framed) → LogRecord. Pure, never throws.
 * RFC 5424 when the header says so, else the lenient RFC 3164 reader; text that has no syslog shape at all is kept
 * whole with the flag 'unparsed'.
 */
import { isUtf8 } from 'node:buffer';
import type { LogRecord } from '../../model/records.ts';
import { parse3164 } from './rfc3164.ts';
import { looks5424, parse5424 } from './rfc5424.ts';

export interface DecodeOptions {
  receivedTs: number;
  sourceAddress: string;
  transport: LogRecord['transport'];
  /** IANA zone for timestamps without an offset (resolved per source by the caller); default UTC. */
  defaultTimezone?: string;
  /** PRI used when the message has none (default 13: user.notice, as RFC 3164 says). */
  defaultPri?: number;
  /** The frame was cut at `maxMessageBytes`: the record is flagged `truncated`. */
  truncated?: boolean;
}

/** Default PRI for messages without one: facility user (1), severity notice (5). */
export const DEFAULT_PRI = 13;

/** Reads `<PRI>` at the start; returns the value and where it ended, or undefined. */
function readPri(s: string): { pri: number; end: number } | undefined {
  if (s.charCodeAt(0) !== 60) return undefined;
  let v = 0;
  let p = 1;
  while (p < 5) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + c - 48;
    p++;
  }
  if (p === 1 || p > 4 || s.charCodeAt(p) !== 62 || v > 191) return undefined;
  // A leading zero is only allowed for PRI 0 itself (RFC 5424 6.2.1).
  if (p > 2 && s.charCodeAt(1) === 48) return undefined;
  return { pri: v, end: p + 1 };
}

/** Trailing LF/CR/NUL are framing, not content. */
function trimEnd(bytes: Buffer): number {
  let end = bytes.length;
  while (end > 0) {
    const b = bytes[end - 1];
    if (b === 10 || b === 13 || b === 0) end--;
    else break;
  }
  return end;
}

function base(opts: DecodeOptions, pri: number): LogRecord {
  return {
    kind: 'log',
    receivedTs: opts.receivedTs,
    sourceAddress: opts.sourceAddress,
    transport: opts.transport,
    facility: pri >> 3,
    severity: pri & 7,
    ts: opts.receivedTs,
    message: '',
  };
}

function decode(bytes: Buffer, opts: DecodeOptions): LogRecord {
  const end = trimEnd(bytes);
  const valid = isUtf8(bytes.subarray(0, end));
  const s = bytes.toString('utf8', 0, end);
  const flags: string[] = [];
  if (!valid) flags.push('invalid-utf8');
  const pri = readPri(s);
  const defaultPri = opts.defaultPri ?? DEFAULT_PRI;
  const rec = base(opts, pri ? pri.pri : defaultPri);
  if (!pri) flags.push('no-pri');
  const start = pri ? pri.end : 0;

  if (pri && looks5424(s, start)) {
    const m = parse5424(s, start);
    if (!m) return unparsed(rec, s.slice(start), bytes, flags);
    if (m.ts !== undefined) rec.ts = m.ts;
    if (m.hostname !== undefined) rec.hostname = m.hostname;
    if (m.app !== undefined) rec.app = m.app;
    if (m.procid !== undefined) rec.procid = m.procid;
    if (m.msgid !== undefined) rec.msgid = m.msgid;
    if (m.structuredData) rec.structuredData = m.structuredData;
    rec.message = m.message;
  } else {
    if (start >= s.length && !pri) return unparsed(rec, '', bytes, flags);
    const m = parse3164(s, start, opts.defaultTimezone, opts.receivedTs);
    if (!pri && !m.hadTimestamp) return unparsed(rec, s, bytes, flags);
    if (m.ts !== undefined) rec.ts = m.ts;
    if (m.hostname !== undefined) rec.hostname = m.hostname;
    if (m.app !== undefined) rec.app = m.app;
    if (m.procid !== undefined) rec.procid = m.procid;
    if (m.sequence !== undefined) rec.structuredData = { meta: { sequenceId: m.sequence } };
    if (m.clockUnsynced) flags.push('clock-unsynced');
    rec.message = m.message;
  }
  if (!valid) rec.rawBase64 = bytes.toString('base64');
  if (flags.length) rec.flags = flags;
  return rec;
}

function unparsed(rec: LogRecord, text: string, bytes: Buffer, flags: string[]): LogRecord {
  rec.message = text;
  rec.rawBase64 = bytes.toString('base64');
  flags.push('unparsed');
  rec.flags = flags;
  return rec;
}

/**
 * Decodes one framed syslog message. Never throws: whatever cannot be read is kept raw with a flag.
 * @example decodeSyslog(Buffer.from('<34>1 2026-11-25T10:00:00Z host app - - - hi'), { receivedTs: Date.now(), sourceAddress: '10.0.0.1', transport: 'udp' })
 */
export function decodeSyslog(bytes: Buffer, opts: DecodeOptions): LogRecord {
  let rec: LogRecord;
  try {
    rec = decode(bytes, opts);
  } catch {
    // Defence in depth: the readers are written not to throw, but a listener must survive any input.
    rec = unparsed(base(opts, opts.defaultPri ?? DEFAULT_PRI), bytes.toString('utf8'), bytes, ['decode-error']);
  }
  if (opts.truncated) rec.flags = [...(rec.flags ?? []), 'truncated'];
  return rec;
}
