/**
 * Decoding of the octet-string values discovery MIBs carry (pure). A VarBind holds an octet string as text when
 * printable, else `0x` + hex (see collectors/snmp/varbind.ts); these helpers get the bytes back and render them as
 * MAC addresses, IP addresses or text, accepting the odd encodings agents use (a MAC written out as text, NUL padding).
 */
import type { VarBind } from '../model/records.ts';

/** The bytes of a VarBind value: `0x…` hex as bytes, other text as UTF-8, numbers as their decimal text. */
export function valueBytes(value: VarBind['value'] | undefined): Buffer {
  if (value === null || value === undefined) return Buffer.alloc(0);
  const s = String(value);
  if (/^0x([0-9a-f]{2})*$/i.test(s)) return Buffer.from(s.slice(2), 'hex');
  return Buffer.from(s, 'utf8');
}

/** True when bytes read as text: valid UTF-8, no control characters but tab/CR/LF. */
function isText(buf: Buffer): boolean {
  const t = buf.toString('utf8');
  return !t.includes('\uFFFD') && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(t);
}

/** Text of a value with trailing NUL padding and surrounding blanks removed; `0x…` hex when the bytes are not text. */
export function valueText(value: VarBind['value'] | undefined): string {
  const buf = valueBytes(value);
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--;
  const body = buf.subarray(0, end);
  if (isText(body)) return body.toString('utf8').trim();
  return '0x' + buf.toString('hex');
}

/** Bytes as a lowercase colon-separated MAC, e.g. `aa:bb:cc:dd:ee:ff`. */
export const formatMac = (buf: Buffer) => [...buf].map((b) => b.toString(16).padStart(2, '0')).join(':');

/**
 * A MAC address from a value: six raw bytes, or text in any usual notation (`aa:bb:…`, `aa-bb-…`, `aabb.ccdd.eeff`,
 * `aabbccddeeff`). Undefined when it is neither.
 */
export function parseMac(value: VarBind['value'] | undefined): string | undefined {
  const buf = valueBytes(value);
  const text = buf
    .toString('utf8')
    .replace(/\u0000+$/, '')
    .trim();
  const parts = text.split(/[:-]/);
  if (parts.length === 6 && parts.every((x) => /^[0-9a-f]{1,2}$/i.test(x)))
    return parts.map((x) => x.padStart(2, '0').toLowerCase()).join(':');
  // Dotted (Cisco) or bare 12-digit hex; a 6-byte value that happens to be printable is not 12 characters long.
  if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(text) || /^[0-9a-f]{12}$/i.test(text))
    return formatMac(Buffer.from(text.replace(/\./g, ''), 'hex'));
  if (buf.length === 6) return formatMac(buf);
  return undefined;
}

/** Normalises any MAC notation to `aa:bb:cc:dd:ee:ff`, or undefined. */
export const normMac = (s: string | undefined) => (s ? parseMac(s) : undefined);

/** IPv4 (4 bytes) or IPv6 (16 bytes) as text; undefined for other lengths. */
export function formatIp(buf: Buffer): string | undefined {
  if (buf.length === 4) return [...buf].join('.');
  if (buf.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
    return compressIpv6(groups);
  }
  return undefined;
}

/** Collapses the longest run of zero groups to `::`. */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** An address prefixed by its IANA address-family byte (1 IPv4, 2 IPv6, 6 802 MAC), as LLDP networkAddress carries. */
export function parseFamilyAddress(value: VarBind['value'] | undefined): string | undefined {
  const buf = valueBytes(value);
  const text = buf.toString('utf8').trim();
  // Some agents send the address as text instead of the family-prefixed bytes.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || (/^[0-9a-f:]+$/i.test(text) && text.includes('::'))) return text;
  if (buf.length < 2) return undefined;
  const body = buf.subarray(1);
  if (buf[0] === 1 || buf[0] === 2) return formatIp(body) ?? '0x' + body.toString('hex');
  if (buf[0] === 6 && body.length === 6) return formatMac(body);
  return '0x' + buf.toString('hex');
}

/** An IP address from a raw 4/16-byte value, or text that already is one. */
export function parseIp(value: VarBind['value'] | undefined): string | undefined {
  const buf = valueBytes(value);
  const text = buf.toString('utf8').trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text;
  return formatIp(buf);
}

/** Decodes SNMP BITS (bit 0 is the high bit of the first byte) to the names given, `bitN` for unnamed bits. */
export function decodeBits(value: VarBind['value'] | undefined, names: readonly string[]): string[] {
  const buf = valueBytes(value);
  const out: string[] = [];
  for (let i = 0; i < buf.length * 8; i++) if (buf[i >> 3] & (0x80 >> (i & 7))) out.push(names[i] ?? `bit${i}`);
  return out;
}

/** Groups table varbinds under `prefix` by row index: index string → column number → VarBind. */
export function tableRows(varbinds: VarBind[], prefix: string): Map<string, Map<number, VarBind>> {
  const rows = new Map<string, Map<number, VarBind>>();
  const p = prefix.replace(/^\./, '') + '.';
  for (const vb of varbinds) {
    const oid = vb.oid.replace(/^\./, '');
    if (!oid.startsWith(p)) continue;
    const rest = oid.slice(p.length);
    const dot = rest.indexOf('.');
    if (dot < 0) continue;
    const col = Number(rest.slice(0, dot));
    const index = rest.slice(dot + 1);
    let row = rows.get(index);
    if (!row) rows.set(index, (row = new Map()));
    row.set(col, vb);
  }
  return rows;
}

/** The varbind at exactly `oid` (leading dots ignored). */
export const scalar = (varbinds: VarBind[], oid: string) =>
  varbinds.find((vb) => vb.oid.replace(/^\./, '') === oid.replace(/^\./, ''));
