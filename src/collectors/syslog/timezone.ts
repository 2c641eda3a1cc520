/**
 * Time zones for syslog timestamps that carry no offset (RFC 3164 and friends).
 * IANA zones go through Intl; offsets are cached per zone and hour because formatToParts is slow on the hot path.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsetCache = new Map<string, Map<number, number>>();
const HOUR = 3_600_000;

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone name (or UTC) that Intl knows. */
export const isValidTimezone = (zone: string): boolean => formatter(zone) !== null;

/** Offset of `zone` from UTC at the instant `utcMs`, in ms (east positive). Unknown zones count as UTC. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') return 0;
  const f = formatter(zone);
  if (!f) return 0;
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map()));
  const bucket = Math.floor(utcMs / HOUR);
  let off = cache.get(bucket);
  if (off === undefined) {
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(bucket * HOUR)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - bucket * HOUR;
    if (cache.size > 50_000) cache.clear();
    cache.set(bucket, off);
  }
  return off;
}

/** Converts a wall-clock time in `zone` (given as if it were UTC ms) to real UTC ms. */
export function zonedToUtc(wallMs: number, zone: string | undefined): number {
  if (!zone) return wallMs;
  const guess = wallMs - zoneOffsetMs(zone, wallMs);
  return wallMs - zoneOffsetMs(zone, guess);
}

/** A parsed IPv4/IPv6 CIDR as a bigint range, for matching source addresses. */
interface Cidr {
  v6: boolean;
  base: bigint;
  mask: bigint;
}

function ipToBigInt(addr: string): { v6: boolean; n: bigint } | undefined {
  let a = addr.trim();
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  if (a.includes('.') && !a.includes(':')) {
    const parts = a.split('.');
    if (parts.length !== 4) return undefined;
    let n = 0n;
    for (const p of parts) {
      const v = Number(p);
      if (!/^\d{1,3}$/.test(p) || v > 255) return undefined;
      n = (n << 8n) | BigInt(v);
    }
    return { v6: false, n };
  }
  if (!a.includes(':')) return undefined;
  const [head, tail] = a.split('::');
  if (a.split('::').length > 2) return undefined;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return { v6: true, n };
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, bitsText] = text.split('/');
  const ip = ipToBigInt(addr);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return { v6: ip.v6, base: ip.n & mask, mask };
}

/**
 * Builds the per-source time-zone lookup: the first matching entry wins, else `fallback`. Results are cached per address.
 * @example const tzFor = timezoneResolver([{ source: '10.1.0.0/16', timezone: 'Europe/Berlin' }], 'UTC'); tzFor('10.1.2.3')
 */
export function timezoneResolver(
  entries: { source: string; timezone: string }[],
  fallback?: string,
): (address: string) => string | undefined {
  const parsed = entries.flatMap((e) => {
    const c = parseCidr(e.source);
    return c ? [{ ...c, timezone: e.timezone }] : [];
  });
  const cache = new Map<string, string | undefined>();
  return (address) => {
    if (cache.has(address)) return cache.get(address);
    const ip = ipToBigInt(address);
    let tz = fallback;
    if (ip)
      for (const c of parsed)
        if (c.v6 === ip.v6 && (ip.n & c.mask) === c.base) {
          tz = c.timezone;
          break;
        }
    if (cache.size > 100_000) cache.clear();
    cache.set(address, tz);
    return tz;
  };
}
