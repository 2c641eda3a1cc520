/**
 * Discovery targets (pure): CIDR ranges, single addresses and `a-b` ranges, with exclusions, expanded into the IPv4
 * addresses a sweep visits; bounded by a maximum count and confined to allowed ranges. IPv6 is taken as single
 * addresses only (a /64 cannot be swept).
 */
import { isIP } from 'node:net';
import { VigilError } from '../model/errors.ts';

/** An IPv4 range [first, last] as 32-bit unsigned integers. */
export interface Range4 {
  first: number;
  last: number;
}

export const ipv4ToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * One target spec as a range: `10.0.0.0/22`, `10.0.0.5`, `10.0.0.10-10.0.0.20` or `10.0.0.10-20`. Throws VIGIL_VALIDATION
 * naming `path` and the spec when it is none of these. A target CIDR's network and broadcast addresses are left out for
 * prefixes shorter than /31 (a sweep does not ping them); with `whole` (exclusions, allowed ranges) they are kept.
 */
export function parseRange(spec: string, path: string, whole = false): Range4 {
  const s = spec.trim();
  const bad = (why: string) => new VigilError('VIGIL_VALIDATION', `${path}: "${spec}" ${why}`);
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const ip = s.slice(0, slash);
    const bits = Number(s.slice(slash + 1));
    if (!V4.test(ip) || !/^\d{1,2}$/.test(s.slice(slash + 1)) || bits > 32)
      throw bad('is not an IPv4 CIDR range (a.b.c.d/n, n from 0 to 32)');
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const net = (ipv4ToInt(ip) & mask) >>> 0;
    const last = (net | (~mask >>> 0)) >>> 0;
    return bits >= 31 || whole ? { first: net, last } : { first: net + 1, last: last - 1 };
  }
  const dash = s.indexOf('-');
  if (dash >= 0) {
    const a = s.slice(0, dash);
    let b = s.slice(dash + 1);
    if (/^\d{1,3}$/.test(b)) b = `${a.split('.').slice(0, 3).join('.')}.${b}`;
    if (!V4.test(a) || !V4.test(b)) throw bad('is not an IPv4 range (a.b.c.d-e.f.g.h or a.b.c.d-h)');
    const first = ipv4ToInt(a);
    const last = ipv4ToInt(b);
    if (last < first) throw bad('ends before it starts');
    return { first, last };
  }
  if (V4.test(s)) return { first: ipv4ToInt(s), last: ipv4ToInt(s) };
  throw bad('is not an IPv4 address, CIDR range or a-b range');
}

/** Ranges merged: sorted, overlapping and adjacent ones joined. */
export function mergeRanges(ranges: readonly Range4[]): Range4[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: Range4[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** `ranges` minus `minus` (both merged). */
export function subtractRanges(ranges: readonly Range4[], minus: readonly Range4[]): Range4[] {
  const cut = mergeRanges(minus);
  const out: Range4[] = [];
  for (const r of mergeRanges(ranges)) {
    let start = r.first;
    for (const c of cut) {
      if (c.last < start || c.first > r.last) continue;
      if (c.first > start) out.push({ first: start, last: c.first - 1 });
      start = c.last + 1;
      if (start > r.last) break;
    }
    if (start <= r.last) out.push({ first: start, last: r.last });
  }
  return out;
}

export const rangeSize = (ranges: readonly Range4[]) => ranges.reduce((n, r) => n + (r.last - r.first + 1), 0);
export const inRanges = (ip: string, ranges: readonly Range4[]) => {
  if (!V4.test(ip)) return false;
  const n = ipv4ToInt(ip);
  return ranges.some((r) => n >= r.first && n <= r.last);
};

export interface TargetPlan {
  /** IPv4 addresses to sweep, ascending. */
  addresses: string[];
  /** IPv6 single addresses (probed without a sweep). */
  ipv6: string[];
  /** Addresses left out by the exclusions. */
  excluded: number;
  /** The ranges the job may reach (its own, minus exclusions, within the allowed ranges): neighbours are followed inside these. */
  scope: Range4[];
}

export interface TargetLimits {
  /** Most addresses one job may sweep. */
  maxAddresses: number;
  /** When non-empty, every target must lie inside these (config `discovery.allowedRanges`). */
  allowed: readonly string[];
}

/**
 * Expands a job's targets. Throws VIGIL_VALIDATION (a 400) naming the bad spec, a target outside the allowed ranges,
 * a job whose targets are all excluded, or one larger than `maxAddresses`.
 */
export function planTargets(targets: readonly string[], exclude: readonly string[], limits: TargetLimits): TargetPlan {
  if (!targets.length) throw new VigilError('VIGIL_VALIDATION', 'targets: give at least one address or range');
  const ipv6: string[] = [];
  const ranges: Range4[] = [];
  const indexOf: number[] = [];
  targets.forEach((t, i) => {
    if (isIP(t.trim()) === 6) ipv6.push(t.trim().toLowerCase());
    else {
      ranges.push(parseRange(t, `targets[${i}]`));
      indexOf.push(i);
    }
  });
  const excl = exclude.map((e, i) => parseRange(e, `exclude[${i}]`, true));
  const allowed = limits.allowed.map((a, i) => parseRange(a, `discovery.allowedRanges[${i}]`, true));
  if (allowed.length) {
    for (const [i, r] of ranges.entries()) {
      const outside = subtractRanges([r], allowed);
      if (outside.length)
        throw new VigilError(
          'VIGIL_VALIDATION',
          `targets[${indexOf[i]}]: ${intToIpv4(outside[0].first)} is outside the allowed ranges (${limits.allowed.join(', ')})`,
        );
    }
    if (ipv6.length) throw new VigilError('VIGIL_VALIDATION', 'targets: IPv6 targets are outside the allowed ranges');
  }
  const total = rangeSize(mergeRanges(ranges));
  if (total > limits.maxAddresses)
    throw new VigilError(
      'VIGIL_VALIDATION',
      `targets: ${total} addresses is more than discovery.maxAddresses (${limits.maxAddresses}); split the job or raise the limit`,
    );
  const scope = subtractRanges(ranges, excl);
  const size = rangeSize(scope);
  if (size === 0 && !ipv6.length)
    throw new VigilError('VIGIL_VALIDATION', 'exclude: every target address is excluded; nothing to discover');
  const addresses: string[] = [];
  for (const r of scope) for (let n = r.first; n <= r.last; n++) addresses.push(intToIpv4(n));
  return { addresses, ipv6, excluded: total - size, scope };
}
