/**
 * RFC 3164 ("BSD") messages as devices really send them, read by index from the decoded text:
 * Cisco sequence numbers and `*`/`.` clock markers, uptime stamps, ISO or NX-OS timestamps in the BSD position,
 * missing hostnames, `tag[pid]:` and `tag:`.
 */
import { scanBsd, scanIso, scanUptime, scanYearFirst } from './timestamp.ts';

export interface Parsed3164 {
  ts?: number;
  hostname?: string;
  app?: string;
  procid?: string;
  message: string;
  /** Cisco message sequence number (`<189>123: …`). */
  sequence?: string;
  /** The sender marked its clock as not authoritative (Cisco `*` or `.`); ts then comes from the receiver. */
  clockUnsynced?: boolean;
}

const SP = 32;
const COLON = 58;
const MAX_TAG = 128;

function skipSpaces(s: string, p: number): number {
  while (s.charCodeAt(p) === SP) p++;
  return p;
}

/** Reads a timestamp of any supported form at p. */
function scanTime(
  s: string,
  p: number,
  zone: string | undefined,
  receivedTs: number,
): { ts?: number; end: number } | undefined {
  const c = s.charCodeAt(p);
  if (c >= 48 && c <= 57) {
    const iso = scanIso(s, p, zone);
    if (iso) return iso;
    const nx = scanYearFirst(s, p, zone);
    if (nx) return nx;
    const up = scanUptime(s, p);
    if (up !== undefined) return { end: up };
    return undefined;
  }
  return scanBsd(s, p, zone, receivedTs);
}

/** `tag[pid]:` or `tag:` at p (followed by a space or the end); undefined when the token is not a tag. */
function scanTag(s: string, p: number): { app: string; procid?: string; end: number } | undefined {
  let q = p;
  while (q < s.length && q - p <= MAX_TAG) {
    const c = s.charCodeAt(q);
    if (c === SP || c === COLON || c === 91) break;
    q++;
  }
  if (q === p || q - p > MAX_TAG) return undefined;
  const app = s.slice(p, q);
  const c = s.charCodeAt(q);
  if (c === COLON) {
    const n = s.charCodeAt(q + 1);
    if (n === SP || Number.isNaN(n)) return { app, end: q + 1 };
    return undefined;
  }
  if (c === 91) {
    const pidStart = q + 1;
    let r = pidStart;
    while (r < s.length && s.charCodeAt(r) !== 93 && s.charCodeAt(r) !== SP && r - pidStart <= 128) r++;
    if (s.charCodeAt(r) !== 93) return undefined;
    let end = r + 1;
    if (s.charCodeAt(end) === COLON) end++;
    const n = s.charCodeAt(end);
    if (n !== SP && !Number.isNaN(n)) return undefined;
    return { app, procid: s.slice(pidStart, r), end };
  }
  return undefined;
}

/** True when the token at p cannot be a hostname and must be the tag (Cisco `%FAC-SEV-MNEMONIC:`, `sshd[1]:`, `su:`). */
function tokenIsTag(s: string, p: number): boolean {
  if (s.charCodeAt(p) === 37 /* % */) return true;
  let q = p;
  while (q < s.length && s.charCodeAt(q) !== SP) {
    if (s.charCodeAt(q) === 91) return true;
    q++;
  }
  return s.charCodeAt(q - 1) === COLON;
}

/** Index of the ':' ending `host:` at p when a (possibly marked) timestamp follows it; else undefined. */
function hostBeforeStamp(s: string, p: number): number | undefined {
  let e = p;
  while (e < s.length && e - p < 255) {
    const c = s.charCodeAt(e);
    if (c === SP || c === COLON) break;
    e++;
  }
  if (e === p || s.charCodeAt(e) !== COLON || s.charCodeAt(e + 1) !== SP) return undefined;
  let t = skipSpaces(s, e + 1);
  const m = s.charCodeAt(t);
  if (m === 42 || m === 46) t++;
  return scanTime(s, t, undefined, 0) ? e : undefined;
}

/**
 * Key=value logs without a syslog header (Fortinet and kin): `date=2026-11-25 time=10:00:00 devname="fw1" …`.
 * The whole text stays the message; the time and device name are lifted into the record.
 */
function keyValueHeader(s: string, p: number, zone: string | undefined): { ts: number; hostname?: string } | undefined {
  if (!s.startsWith(' time=', p + 15)) return undefined;
  const t = scanIso(`${s.slice(p + 5, p + 15)}T${s.slice(p + 21, p + 29)}`, 0, zone);
  if (!t) return undefined;
  const at = s.indexOf(' devname=', p);
  let hostname: string | undefined;
  if (at >= 0) {
    let v = at + 9;
    const quoted = s.charCodeAt(v) === 34;
    if (quoted) v++;
    let e = v;
    while (e < s.length && s.charCodeAt(e) !== (quoted ? 34 : SP)) e++;
    if (e > v) hostname = s.slice(v, e);
  }
  return { ts: t.ts, hostname };
}

/** Parses from p (after PRI, or the start when there was none). Always succeeds; `hadTimestamp` tells how much was recognised. */
export function parse3164(
  s: string,
  p: number,
  zone: string | undefined,
  receivedTs: number,
): Parsed3164 & { hadTimestamp: boolean } {
  const out: Parsed3164 & { hadTimestamp: boolean } = { message: '', hadTimestamp: false };
  p = skipSpaces(s, p);
  // Cisco: "<189>123: " sequence number, or NX-OS's empty ": ".
  let q = p;
  while (q - p < 12 && s.charCodeAt(q) >= 48 && s.charCodeAt(q) <= 57) q++;
  if (s.charCodeAt(q) === COLON && s.charCodeAt(q + 1) === SP) {
    if (q > p) out.sequence = s.slice(p, q);
    p = skipSpaces(s, q + 1);
    // "logging origin-id hostname": "<189>52: core-rtr1: *Mar  1 …" puts the host before the stamp.
    const h = hostBeforeStamp(s, p);
    if (h) {
      out.hostname = s.slice(p, h);
      p = skipSpaces(s, h + 1);
    }
  }
  const marker = s.charCodeAt(p);
  const marked = marker === 42 /* * */ || marker === 46; /* . */
  const t = scanTime(s, marked ? p + 1 : p, zone, receivedTs);
  if (t) {
    out.hadTimestamp = true;
    if (marked) out.clockUnsynced = true;
    else if (t.ts !== undefined) out.ts = t.ts;
    p = t.end;
    if (s.charCodeAt(p) === COLON) p++;
    p = skipSpaces(s, p);
    // A hostname follows a timestamp unless the next token is clearly the tag.
    if (p < s.length && !tokenIsTag(s, p)) {
      let e = p;
      while (e < s.length && s.charCodeAt(e) !== SP) e++;
      // A host token is followed by more text; a lone last word is the message.
      if (e < s.length) {
        out.hostname = s.slice(p, e);
        p = skipSpaces(s, e);
        // Cisco ASA with "logging device-id hostname": "fw01 : %ASA-6-…".
        if (s.charCodeAt(p) === COLON && s.charCodeAt(p + 1) === SP) p = skipSpaces(s, p + 1);
      }
    }
  } else if (s.startsWith('date=', p)) {
    const kv = keyValueHeader(s, p, zone);
    if (kv) {
      out.hadTimestamp = true;
      out.ts = kv.ts;
      if (kv.hostname) out.hostname = kv.hostname;
      out.message = s.slice(p);
      return out;
    }
  }
  const tag = scanTag(s, p);
  if (tag) {
    out.app = tag.app;
    if (tag.procid !== undefined && tag.procid !== '') out.procid = tag.procid;
    p = tag.end;
    if (s.charCodeAt(p) === SP) p++;
  }
  out.message = s.slice(p);
  return out;
}
