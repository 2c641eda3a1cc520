/**
 * Timestamp scanners for syslog headers. Each reads `s` from index `i` by character codes (no regular
 * expressions, so no backtracking) and returns where the timestamp ended, or undefined when there is none.
 */
import { zonedToUtc } from './timezone.ts';

export interface ScannedTime {
  /** UTC ms; for zone-less forms already converted with the caller's zone. */
  ts: number;
  end: number;
}

const c0 = 48;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Value of `n` digits at `i`, or -1. */
export function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + c - c0;
  }
  return v;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month index 0-11 of a three-letter English month name at `i` (any case), or -1. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  for (let m = 0; m < 12; m++) {
    const n = MONTHS[m];
    if (n.charCodeAt(0) === a && n.charCodeAt(1) === b && n.charCodeAt(2) === c) return m;
  }
  return -1;
}

/** hh:mm:ss[.frac] at i → { ms since midnight, end } */
function timeOfDay(s: string, i: number): { ms: number; end: number } | undefined {
  const h = digits(s, i, 2);
  const m = digits(s, i + 3, 2);
  const sec = digits(s, i + 6, 2);
  if (h < 0 || m < 0 || sec < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return undefined;
  if (h > 23 || m > 59 || sec > 60) return undefined;
  let end = i + 8;
  let frac = 0;
  if (s.charCodeAt(end) === 46 || (s.charCodeAt(end) === 44 && isDigit(s.charCodeAt(end + 1)))) {
    end++;
    let scale = 100;
    const start = end;
    while (isDigit(s.charCodeAt(end)) && end - start < 9) {
      frac += (s.charCodeAt(end) - c0) * scale;
      scale /= 10;
      end++;
    }
    if (end === start) return undefined;
    frac = Math.floor(frac);
  }
  return { ms: ((h * 60 + m) * 60 + Math.min(sec, 59)) * 1000 + frac, end };
}

/** Zone offset `Z`, `+hh:mm`, `-hhmm` or `+hh` at i; undefined when none. */
function isoOffset(s: string, i: number): { offsetMs: number; end: number } | undefined {
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) return { offsetMs: 0, end: i + 1 };
  if (c !== 43 && c !== 45) return undefined;
  const h = digits(s, i + 1, 2);
  if (h < 0 || h > 23) return undefined;
  let end = i + 3;
  let m = 0;
  if (s.charCodeAt(end) === 58) {
    m = digits(s, end + 1, 2);
    if (m < 0) return undefined;
    end += 3;
  } else if (digits(s, end, 2) >= 0) {
    m = digits(s, end, 2);
    end += 2;
  }
  const off = (h * 60 + m) * 60_000;
  return { offsetMs: c === 45 ? -off : off, end };
}

/**
 * ISO 8601 / RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac][Z|±hh:mm]` at i (a space instead of T is accepted).
 * Without an offset the time is read in `zone`.
 */
export function scanIso(
  s: string,
  i: number,
  zone: string | undefined,
  requireOffset = false,
): ScannedTime | undefined {
  const y = digits(s, i, 4);
  const mo = digits(s, i + 5, 2);
  const d = digits(s, i + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45)
    return undefined;
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined;
  const t = timeOfDay(s, i + 11);
  if (!t) return undefined;
  const wall = Date.UTC(y, mo - 1, d) + t.ms;
  const off = isoOffset(s, t.end);
  if (off) return { ts: wall - off.offsetMs, end: off.end };
  if (requireOffset) return undefined;
  return { ts: zonedToUtc(wall, zone), end: t.end };
}

/** Offsets of time-zone abbreviations devices append (Cisco `service timestamps … show-timezone`, NX-OS). */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 1,
  BST: 1,
  CET: 1,
  CEST: 2,
  MET: 1,
  MEST: 2,
  EET: 2,
  EEST: 3,
  MSK: 3,
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
  AKST: -9,
  AKDT: -8,
  HST: -10,
  JST: 9,
  KST: 9,
  SGT: 8,
  HKT: 8,
  AEST: 10,
  AEDT: 11,
  ACST: 9.5,
  AWST: 8,
  NZST: 12,
  NZDT: 13,
};

/** Reads an optional ` ABBR` zone after a time; returns its offset and end, or undefined. */
function zoneAbbreviation(s: string, i: number): { offsetMs: number; end: number } | undefined {
  if (s.charCodeAt(i) !== 32) return undefined;
  let end = i + 1;
  while (end - i <= 5) {
    const c = s.charCodeAt(end);
    if (c >= 65 && c <= 90) end++;
    else break;
  }
  const name = s.slice(i + 1, end);
  const after = s.charCodeAt(end);
  if (name.length < 1 || !(after === 58 || after === 32 || Number.isNaN(after))) return undefined;
  const hours = ZONE_ABBREVIATIONS[name];
  if (hours === undefined) return undefined;
  return { offsetMs: hours * HOUR_MS, end };
}
const HOUR_MS = 3_600_000;
/** How far ahead of the receiver a year-less timestamp may be (clock skew, wrong zone) before it is read as last year's. */
const FUTURE_TOLERANCE_MS = 2 * 86_400_000;

/**
 * UTC ms of a year-less month/day/time: the latest of next, this or last year (of the received time) that is not
 * more than two days in the future. So "Dec 31 23:59:58" received on Jan 1 is last year's, and "Jan  1 00:00:01"
 * received a second before midnight on Dec 31 (a fast clock) is next year's.
 */
export function inferYear(
  month: number,
  day: number,
  timeMs: number,
  receivedTs: number,
  toUtc: (wall: number) => number,
): number {
  const ry = new Date(receivedTs).getUTCFullYear();
  for (const y of [ry + 1, ry, ry - 1]) {
    const ts = toUtc(Date.UTC(y, month, day) + timeMs);
    if (ts <= receivedTs + FUTURE_TOLERANCE_MS) return ts;
  }
  return toUtc(Date.UTC(ry - 1, month, day) + timeMs);
}

/** A BSD day of month at i: `dd` or ` d` (space-padded) or `d`, followed by a space at `end`. */
function dayAt(s: string, i: number): { day: number; end: number } | undefined {
  let p = i;
  if (s.charCodeAt(p) === 32) p++;
  let day = digits(s, p, 2);
  if (day >= 0) p += 2;
  else if ((day = digits(s, p, 1)) >= 0) p += 1;
  else return undefined;
  if (day < 1 || day > 31 || s.charCodeAt(p) !== 32) return undefined;
  return { day, end: p };
}

/**
 * BSD timestamp `Mmm dd hh:mm:ss[.frac]` at i, with the variants devices send: single-digit day after one or two
 * spaces, an optional year before or after the time (`Mar  1 2026 18:46:11`, `Mar 1 18:46:11 2026`) and an optional
 * zone abbreviation (`… 18:46:11.123 UTC`).
 */
export function scanBsd(s: string, i: number, zone: string | undefined, receivedTs: number): ScannedTime | undefined {
  const month = monthAt(s, i);
  if (month < 0 || s.charCodeAt(i + 3) !== 32) return undefined;
  const d = dayAt(s, i + 4);
  if (!d) return undefined;
  const day = d.day;
  let p = d.end + 1;
  let year = -1;
  if (digits(s, p, 4) >= 0 && s.charCodeAt(p + 4) === 32) {
    year = digits(s, p, 4);
    p += 5;
  }
  const t = timeOfDay(s, p);
  if (!t) return undefined;
  p = t.end;
  if (
    year < 0 &&
    s.charCodeAt(p) === 32 &&
    digits(s, p + 1, 4) >= 0 &&
    !isDigit(s.charCodeAt(p + 5)) &&
    s.charCodeAt(p + 5) !== 58
  ) {
    year = digits(s, p + 1, 4);
    p += 5;
  }
  const abbr = zoneAbbreviation(s, p);
  const toUtc = abbr ? (wall: number) => wall - abbr.offsetMs : (wall: number) => zonedToUtc(wall, zone);
  if (abbr) p = abbr.end;
  const ts = year >= 0 ? toUtc(Date.UTC(year, month, day) + t.ms) : inferYear(month, day, t.ms, receivedTs, toUtc);
  return { ts, end: p };
}

/** NX-OS style `YYYY Mmm dd hh:mm:ss[.frac][ ZONE]` at i. */
export function scanYearFirst(s: string, i: number, zone: string | undefined): ScannedTime | undefined {
  const year = digits(s, i, 4);
  if (year < 0 || s.charCodeAt(i + 4) !== 32) return undefined;
  const month = monthAt(s, i + 5);
  if (month < 0 || s.charCodeAt(i + 8) !== 32) return undefined;
  const d = dayAt(s, i + 9);
  if (!d) return undefined;
  const day = d.day;
  let p = d.end;
  const t = timeOfDay(s, p + 1);
  if (!t) return undefined;
  p = t.end;
  const wall = Date.UTC(year, month, day) + t.ms;
  const abbr = zoneAbbreviation(s, p);
  if (abbr) return { ts: wall - abbr.offsetMs, end: abbr.end };
  return { ts: zonedToUtc(wall, zone), end: p };
}

/**
 * Cisco uptime stamps (`service timestamps log uptime`): `00:00:46`, `1d02h`, `2w3d`, `1y2w`. They say nothing about
 * wall-clock time, so only their end is returned.
 */
export function scanUptime(s: string, i: number): number | undefined {
  if (
    digits(s, i, 2) >= 0 &&
    s.charCodeAt(i + 2) === 58 &&
    digits(s, i + 3, 2) >= 0 &&
    s.charCodeAt(i + 5) === 58 &&
    digits(s, i + 6, 2) >= 0
  ) {
    let end = i + 8;
    if (s.charCodeAt(end) === 46) {
      end++;
      while (isDigit(s.charCodeAt(end))) end++;
    }
    return s.charCodeAt(end) === 58 ? end : undefined;
  }
  let p = i;
  let units = 0;
  while (units < 3) {
    const start = p;
    while (isDigit(s.charCodeAt(p)) && p - start < 3) p++;
    if (p === start) break;
    const u = s.charCodeAt(p);
    if (u !== 121 && u !== 119 && u !== 100 && u !== 104 && u !== 109) return undefined;
    p++;
    units++;
  }
  return units >= 2 && s.charCodeAt(p) === 58 ? p : undefined;
}
