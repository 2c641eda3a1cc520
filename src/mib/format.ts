import type { MibSyntax } from './types.ts';

/** One part of an RFC 2579 octet-string DISPLAY-HINT. */
interface OctetSpec {
  star: boolean;
  len: number;
  fmt: string;
  sep?: string;
  term?: string;
}

const hintCache = new Map<string, OctetSpec[] | null>();

/** Parses an octet-string DISPLAY-HINT (`1x:`, `255a`, `2d-1d-1d,1d:1d:1d.1d,1a1d:1d`); null when malformed. */
export function parseOctetHint(hint: string): OctetSpec[] | null {
  const hit = hintCache.get(hint);
  if (hit !== undefined) return hit;
  const specs: OctetSpec[] = [];
  let i = 0;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  while (i < hint.length) {
    const spec: OctetSpec = { star: false, len: 0, fmt: '' };
    if (hint[i] === '*') {
      spec.star = true;
      i++;
    }
    const start = i;
    while (isDigit(hint[i])) i++;
    if (i === start) {
      hintCache.set(hint, null);
      return null;
    }
    spec.len = Number(hint.slice(start, i));
    const fmt = hint[i++];
    if (!fmt || !'dxoat'.includes(fmt)) {
      hintCache.set(hint, null);
      return null;
    }
    spec.fmt = fmt;
    if (i < hint.length && !isDigit(hint[i]) && hint[i] !== '*') spec.sep = hint[i++];
    if (spec.star && i < hint.length && !isDigit(hint[i]) && hint[i] !== '*') spec.term = hint[i++];
    specs.push(spec);
  }
  const out = specs.length ? specs : null;
  hintCache.set(hint, out);
  return out;
}

/** Applies an octet-string DISPLAY-HINT to bytes; the last spec repeats until the data is used up. */
export function applyOctetHint(hint: string, bytes: Uint8Array): string | undefined {
  const specs = parseOctetHint(hint);
  if (!specs) return undefined;
  let out = '';
  let pos = 0;
  let si = 0;
  while (pos < bytes.length) {
    const spec = specs[Math.min(si, specs.length - 1)];
    si++;
    let repeat = 1;
    if (spec.star) repeat = bytes[pos++];
    for (let r = 0; r < repeat && pos < bytes.length; r++) {
      const n = Math.min(spec.len, bytes.length - pos);
      if (spec.fmt === 'a' || spec.fmt === 't') {
        const chunk = bytes.subarray(pos, pos + n);
        out += spec.fmt === 't' ? Buffer.from(chunk).toString('utf8') : Buffer.from(chunk).toString('latin1');
      } else {
        let v = 0n;
        for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(bytes[pos + k]);
        if (spec.fmt === 'x') out += v.toString(16).padStart(n * 2, '0');
        else if (spec.fmt === 'o') out += v.toString(8);
        else out += v.toString(10);
      }
      pos += n;
      const lastOfGroup = r === repeat - 1;
      if (spec.sep && pos < bytes.length && !(spec.term && lastOfGroup)) out += spec.sep;
    }
    if (spec.term && pos < bytes.length) out += spec.term;
  }
  return out;
}

/** Applies an integer DISPLAY-HINT: `d-2` (implied decimal point), `x`, `o`, `b`, `d`. */
export function applyIntegerHint(hint: string, value: number | bigint): string | undefined {
  const fmt = hint[0];
  if (fmt === 'x') return value.toString(16);
  if (fmt === 'o') return value.toString(8);
  if (fmt === 'b') return value.toString(2);
  if (fmt !== 'd') return undefined;
  const m = /^d-(\d+)$/.exec(hint);
  if (!m) return value.toString(10);
  const places = Number(m[1]);
  const neg = value < 0;
  const digits = (neg ? -value : value).toString(10).padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${neg ? '-' : ''}${whole}${places ? `.${frac}` : ''}`;
}

/** IPv4 or IPv6 text for 4 / 16 (or 8 / 20 with a zone index) bytes, as INET-ADDRESS-MIB's InetAddress. */
export function formatInetAddress(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4 || bytes.length === 8) {
    const v4 = `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
    return bytes.length === 8 ? `${v4}%${Buffer.from(bytes.subarray(4)).readUInt32BE(0)}` : v4;
  }
  if (bytes.length === 16 || bytes.length === 20) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
    // Compress the longest run of zero groups (RFC 5952).
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen && j - i > 1) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    let text = groups.join(':');
    if (best >= 0) text = `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
    return bytes.length === 20 ? `${text}%${Buffer.from(bytes.subarray(16)).readUInt32BE(0)}` : text;
  }
  return undefined;
}

const isPrintable = (bytes: Uint8Array): boolean => {
  for (const b of bytes) if ((b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127) return false;
  return true;
};

/** Hex bytes separated by `:`, the fallback for binary strings. */
export const hexBytes = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');

/** Formats an octet string from its syntax: DISPLAY-HINT, InetAddress, printable text, else hex. */
export function formatOctets(syntax: MibSyntax | undefined, bytes: Uint8Array): string {
  if (syntax?.tc === 'InetAddress' || syntax?.tc === 'InetAddressIPv4' || syntax?.tc === 'InetAddressIPv6') {
    const ip = formatInetAddress(bytes);
    if (ip) return ip;
  }
  if (syntax?.hint) {
    const text = applyOctetHint(syntax.hint, bytes);
    if (text !== undefined) return text;
  }
  if (syntax?.type === 'BITS' && syntax.enums) return formatBits(syntax.enums, bytes);
  if (isPrintable(bytes)) return Buffer.from(bytes).toString('utf8');
  return hexBytes(bytes);
}

/** `{ ifUp(0) ifDown(3) }`-style list of the set bits. */
export function formatBits(enums: [string, number][], bytes: Uint8Array): string {
  const set: string[] = [];
  for (const [name, bit] of enums) {
    const byte = bytes[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) set.push(`${name}(${bit})`);
  }
  return set.join(' ');
}

/** TimeTicks as net-snmp prints them: `(12345) 0:02:03.45`. */
export function formatTimeTicks(cs: number): string {
  const days = Math.floor(cs / 8640000);
  let rest = cs % 8640000;
  const h = Math.floor(rest / 360000);
  rest %= 360000;
  const m = Math.floor(rest / 6000);
  rest %= 6000;
  const s = Math.floor(rest / 100);
  const c = rest % 100;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${h}:${two(m)}:${two(s)}.${two(c)}`;
  return `(${cs}) ${days ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${clock}`;
}

/** Formats an integer from its syntax: enumeration `up(1)`, integer DISPLAY-HINT. */
export function formatInteger(syntax: MibSyntax | undefined, value: number | bigint): string {
  if (syntax?.enums && syntax.type !== 'BITS') {
    const n = Number(value);
    for (const [name, v] of syntax.enums) if (v === n) return `${name}(${n})`;
  }
  if (syntax?.hint) {
    const text = applyIntegerHint(syntax.hint, value);
    if (text !== undefined) return text;
  }
  if (syntax?.type === 'TimeTicks') return formatTimeTicks(Number(value));
  return value.toString(10);
}
