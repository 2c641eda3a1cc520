/**
 * RFC 5424 header and structured data, read by index from the decoded text.
 * `s[i]` is the first character after `<PRI>`.
 */
import type { LogRecord } from '../../model/records.ts';
import { scanIso } from './timestamp.ts';

/** The header fields of a LogRecord that RFC 5424 carries; `ts` absent when the timestamp is nil. */
export interface Parsed5424
  extends Pick<LogRecord, 'hostname' | 'app' | 'procid' | 'msgid' | 'structuredData' | 'message'> {
  ts?: number;
  /** Set when the message started with a UTF-8 byte-order mark (it is removed). */
  bom: boolean;
}

const SP = 32;

/** True when `s` at i looks like `VERSION SP` (1-3 digits, not starting with 0): the RFC 5424 marker. */
export function looks5424(s: string, i: number): boolean {
  let p = i;
  const first = s.charCodeAt(p);
  if (first < 49 || first > 57) return false;
  p++;
  while (p - i < 3 && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p++;
  return s.charCodeAt(p) === SP;
}

/** A header field up to the next space; '-' is the nil value. Returns undefined on a missing field. */
function field(s: string, i: number, max: number): { value: string | undefined; end: number } | undefined {
  let p = i;
  while (p < s.length && s.charCodeAt(p) !== SP) p++;
  if (p === i || p - i > max) return undefined;
  const v = s.slice(i, p);
  return { value: v === '-' ? undefined : v, end: p };
}

/** Parses structured data at i; returns the elements and the index after the last `]`, or undefined when malformed. */
function structuredData(s: string, i: number): { sd: Record<string, Record<string, string>>; end: number } | undefined {
  const entries: [string, Record<string, string>][] = [];
  let p = i;
  while (s.charCodeAt(p) === 91 /* [ */) {
    p++;
    const idStart = p;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (c === SP || c === 93 || c === 61 || c === 34) break;
      p++;
    }
    if (p === idStart || p - idStart > 64) return undefined;
    const id = s.slice(idStart, p);
    const params: [string, string][] = [];
    while (s.charCodeAt(p) === SP) {
      p++;
      const nameStart = p;
      while (p < s.length) {
        const c = s.charCodeAt(p);
        if (c === 61 || c === SP || c === 93 || c === 34) break;
        p++;
      }
      if (p === nameStart || s.charCodeAt(p) !== 61 || s.charCodeAt(p + 1) !== 34) return undefined;
      const name = s.slice(nameStart, p);
      p += 2;
      // Values end at the first unescaped quote; \" \\ \] are unescaped, any other backslash is kept (RFC 5424 6.3.3).
      let value = '';
      let chunk = p;
      for (;;) {
        if (p >= s.length) return undefined;
        const c = s.charCodeAt(p);
        if (c === 34) break;
        if (c === 92) {
          const n = s.charCodeAt(p + 1);
          if (n === 34 || n === 92 || n === 93) {
            value += s.slice(chunk, p);
            chunk = p + 1;
            p += 2;
            continue;
          }
        }
        p++;
      }
      value += s.slice(chunk, p);
      p++;
      params.push([name, value]);
    }
    if (s.charCodeAt(p) !== 93) return undefined;
    p++;
    const existing = entries.find((e) => e[0] === id);
    // Object.fromEntries defines own properties, so an element or param called "__proto__" is data, not a prototype.
    if (existing) existing[1] = Object.fromEntries([...Object.entries(existing[1]), ...params]);
    else entries.push([id, Object.fromEntries(params)]);
  }
  if (p === i) return undefined;
  return { sd: Object.fromEntries(entries), end: p };
}

/** Parses the RFC 5424 part after PRI; undefined when the header is malformed. */
export function parse5424(s: string, i: number): Parsed5424 | undefined {
  let p = i;
  while (s.charCodeAt(p) !== SP) p++;
  p++;
  let ts: number | undefined;
  if (s.charCodeAt(p) === 45 && s.charCodeAt(p + 1) === SP) p += 1;
  else {
    const t = scanIso(s, p, undefined, true);
    if (!t || s.charCodeAt(t.end) !== SP) return undefined;
    ts = t.ts;
    p = t.end;
  }
  const host = field(s, p + 1, 255);
  if (!host) return undefined;
  const app = field(s, host.end + 1, 48);
  if (!app) return undefined;
  const proc = field(s, app.end + 1, 128);
  if (!proc) return undefined;
  const msgid = field(s, proc.end + 1, 32);
  if (!msgid) return undefined;
  p = msgid.end + 1;
  if (p > s.length) return undefined;
  let sd: Record<string, Record<string, string>> | undefined;
  if (s.charCodeAt(p) === 45) p++;
  else {
    const parsed = structuredData(s, p);
    if (!parsed) return undefined;
    sd = parsed.sd;
    p = parsed.end;
  }
  if (p < s.length && s.charCodeAt(p) !== SP) return undefined;
  let message = p < s.length ? s.slice(p + 1) : '';
  const bom = message.charCodeAt(0) === 0xfeff;
  if (bom) message = message.slice(1);
  const out: Parsed5424 = { message, bom };
  if (ts !== undefined) out.ts = ts;
  if (host.value !== undefined) out.hostname = host.value;
  if (app.value !== undefined) out.app = app.value;
  if (proc.value !== undefined) out.procid = proc.value;
  if (msgid.value !== undefined) out.msgid = msgid.value;
  if (sd) out.structuredData = sd;
  return out;
}
