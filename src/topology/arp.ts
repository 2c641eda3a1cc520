/**
 * IP-MIB address translation tables → "this IP is at that MAC, on that interface" (pure).
 *
 * Reads ipNetToPhysicalTable (IPv4 and IPv6, RFC 4293) and the older ipNetToMediaTable (IPv4 only). Rules:
 * - Addresses come from the row index, so missing netAddress columns do not matter. ipNetToPhysical's index is
 *   ifIndex.addressType.length.bytes; agents that leave out the length (4, 16, 8 or 20 bytes follow) are read too.
 *   Address types ipv4(1), ipv6(2), ipv4z(3), ipv6z(4); the zone of a z type is printed as `%zone`.
 * - IPv6 is printed in RFC 5952 form: lowercase, no leading zeros, the longest run of two or more zero groups as `::`
 *   (the first on a tie), `::ffff:a.b.c.d` for IPv4-mapped addresses.
 * - Left out: rows of type invalid(2), ipNetToPhysical rows in state invalid(5), and rows with no MAC to find (a
 *   missing, empty or all-zero physAddress: an unresolved or incomplete entry). A missing type gives 'other'.
 * - The same (ifIndex, IP) in both tables → the ipNetToPhysical row (it has the state and the local type).
 */
import type { VarBind } from '../model/records.ts';
import { formatMac, intValue, macFromValue, octetsFromValue, subIds, tableRows } from './fdb.ts';

export const IP_NET_TO_MEDIA = '1.3.6.1.2.1.4.22.1';
export const IP_NET_TO_PHYSICAL = '1.3.6.1.2.1.4.35.1';

/** 'local' (ipNetToPhysicalType 5) is an address of the device itself. */
export type ArpType = 'dynamic' | 'static' | 'other' | 'invalid' | 'local';
export type NeighborState = 'reachable' | 'stale' | 'delay' | 'probe' | 'invalid' | 'unknown' | 'incomplete';

export interface ArpEntry {
  ip: string;
  /** `aa:bb:cc:dd:ee:ff` (other lengths, e.g. InfiniBand, are colon-hex too). */
  mac: string;
  ifIndex: number;
  type: ArpType;
  family: 4 | 6;
  /** ipNetToPhysicalState, when the row came from that table and has it. */
  state?: NeighborState;
  source: 'ipNetToPhysical' | 'ipNetToMedia';
}

const TYPES: Record<number, ArpType> = { 1: 'other', 2: 'invalid', 3: 'dynamic', 4: 'static', 5: 'local' };
const STATES: Record<number, NeighborState> = {
  1: 'reachable',
  2: 'stale',
  3: 'delay',
  4: 'probe',
  5: 'invalid',
  6: 'unknown',
  7: 'incomplete',
};

/** 16 bytes → RFC 5952 text. */
export function formatIPv6(bytes: ArrayLike<number>): string {
  const b = Array.from(bytes);
  if (b.length !== 16) throw new RangeError(`IPv6 address needs 16 bytes, got ${b.length}`);
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)
    return `::ffff:${b.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

const ipv4Text = (ids: readonly number[]) => ids.join('.');
const validBytes = (ids: readonly number[]) => ids.every((n) => n <= 255);

/** IPv6 text (with `::`, embedded IPv4, a `%zone`) → 16 bytes and the zone, else undefined. */
export function parseIPv6(text: string): { bytes: number[]; zone?: string } | undefined {
  const pct = text.indexOf('%');
  const zone = pct >= 0 ? text.slice(pct + 1) : undefined;
  let body = pct >= 0 ? text.slice(0, pct) : text;
  if (zone === '' || !/^[0-9a-fA-F:.]+$/.test(body)) return undefined;
  const v4 = /(^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (v4) {
    const q = v4[2].split('.').map(Number);
    if (!validBytes(q)) return undefined;
    const hex = `${((q[0] << 8) | q[1]).toString(16)}:${((q[2] << 8) | q[3]).toString(16)}`;
    body = body.slice(0, body.length - v4[2].length) + hex;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(missing).fill('0'), ...rest].map((g) => Number.parseInt(g, 16));
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  return zone === undefined ? { bytes } : { bytes, zone };
}

/** A person's IP text → canonical text and family (IPv4 dotted quad; IPv6 in RFC 5952 form), else undefined. */
export function normalizeIp(text: string): { ip: string; family: 4 | 6 } | undefined {
  const t = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    return validBytes(parts) ? { ip: parts.join('.'), family: 4 } : undefined;
  }
  const v6 = t.includes(':') ? parseIPv6(t) : undefined;
  if (!v6) return undefined;
  return { ip: formatIPv6(v6.bytes) + (v6.zone === undefined ? '' : `%${v6.zone}`), family: 6 };
}

/** ipNetToPhysical address part of an index (addressType, [length], bytes) → IP text and family. */
function physicalAddress(ids: readonly number[]): { ip: string; family: 4 | 6 } | undefined {
  const [type, ...rest] = ids;
  const size = ({ 1: 4, 2: 16, 3: 8, 4: 20 } as Record<number, number>)[type];
  if (size === undefined) return undefined;
  let addr: number[];
  if (rest.length === size + 1 && rest[0] === size) addr = rest.slice(1);
  else if (rest.length === size) addr = rest;
  else return undefined;
  if (!validBytes(addr)) return undefined;
  const zone = size === 8 || size === 20 ? `%${addr.slice(-4).reduce((z, x) => z * 256 + x, 0)}` : '';
  if (type === 1 || type === 3) return { ip: ipv4Text(addr.slice(0, 4)) + zone, family: 4 };
  return { ip: formatIPv6(addr.slice(0, 16)) + zone, family: 6 };
}

/** A physAddress value → MAC text, or undefined when there is none (missing, empty, all zero). */
function physMac(vb: VarBind | undefined): string | undefined {
  if (!vb) return undefined;
  const mac = macFromValue(vb.value);
  const bytes = mac ? mac.split(':').map((h) => Number.parseInt(h, 16)) : octetsFromValue(vb.value);
  if (!bytes || bytes.length === 0 || Array.from(bytes).every((b) => b === 0)) return undefined;
  return mac ?? formatMac(bytes);
}

/** ipNetToPhysicalTable rows (see the rules at the top of this file). */
export function parseIpNetToPhysical(varbinds: readonly VarBind[]): ArpEntry[] {
  const out: ArpEntry[] = [];
  for (const [index, row] of tableRows(varbinds, IP_NET_TO_PHYSICAL)) {
    const ids = subIds(index);
    if (!ids || ids.length < 3) continue;
    const addr = physicalAddress(ids.slice(1));
    const mac = physMac(row.get(4));
    const typeN = intValue(row.get(6));
    const type = typeN === undefined ? 'other' : (TYPES[typeN] ?? 'other');
    const stateN = intValue(row.get(7));
    const state = stateN === undefined ? undefined : STATES[stateN];
    if (!addr || !mac || type === 'invalid' || state === 'invalid') continue;
    const e: ArpEntry = { ip: addr.ip, mac, ifIndex: ids[0], type, family: addr.family, source: 'ipNetToPhysical' };
    if (state) e.state = state;
    out.push(e);
  }
  return out;
}

/** ipNetToMediaTable rows (see the rules at the top of this file). */
export function parseIpNetToMedia(varbinds: readonly VarBind[]): ArpEntry[] {
  const out: ArpEntry[] = [];
  for (const [index, row] of tableRows(varbinds, IP_NET_TO_MEDIA)) {
    const ids = subIds(index);
    if (ids?.length !== 5 || !validBytes(ids.slice(1))) continue;
    const mac = physMac(row.get(2));
    const typeN = intValue(row.get(4));
    const type = typeN === undefined ? 'other' : (TYPES[typeN] ?? 'other');
    if (!mac || type === 'invalid') continue;
    out.push({ ip: ipv4Text(ids.slice(1)), mac, ifIndex: ids[0], type, family: 4, source: 'ipNetToMedia' });
  }
  return out;
}

/** Both ARP/ND tables → one list; ipNetToPhysical wins when both have the same (ifIndex, IP). */
export function parseArp(varbinds: readonly VarBind[]): ArpEntry[] {
  const phys = parseIpNetToPhysical(varbinds);
  const seen = new Set(phys.map((e) => `${e.ifIndex}/${e.ip}`));
  return [...phys, ...parseIpNetToMedia(varbinds).filter((e) => !seen.has(`${e.ifIndex}/${e.ip}`))];
}
