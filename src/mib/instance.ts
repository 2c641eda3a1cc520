import { formatOctets, hexBytes } from './format.ts';
import type { MibIndexPart, MibSyntax } from './types.ts';

/** An index part with the syntax of its index object (when known). */
export interface IndexSpec {
  part: MibIndexPart;
  syntax?: MibSyntax;
}

const INTEGER_TYPES = new Set(['INTEGER', 'Integer32', 'Unsigned32', 'Gauge32', 'Counter32', 'TimeTicks', 'Counter64']);

const fixedSize = (s: MibSyntax | undefined): number | undefined => {
  if (!s?.size) return undefined;
  return /^\d+$/.test(s.size) ? Number(s.size) : undefined;
};

/** How an index object encodes: by its base type (SMIv1 may name a type directly in INDEX). */
const baseOf = (spec: IndexSpec): string => spec.syntax?.type ?? spec.part.name;

const printable = (bytes: number[]): boolean => bytes.every((b) => b >= 32 && b < 127);

/**
 * Decodes an instance suffix from a table's INDEX (RFC 2578 §7.7): integers take one sub-id, IpAddress four,
 * strings and OIDs a length first unless fixed-size or IMPLIED last. Undefined when the suffix does not fit.
 */
export function decodeInstance(
  specs: IndexSpec[],
  subids: number[],
): { name: string; value: string; text: string }[] | undefined {
  const out: { name: string; value: string; text: string }[] = [];
  let pos = 0;
  // INET-ADDRESS-MIB: an InetAddress index follows its InetAddressType, which says how to read its bytes.
  let addressType: string | undefined;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const last = i === specs.length - 1;
    const base = baseOf(spec);
    if (pos >= subids.length) return undefined;
    if (INTEGER_TYPES.has(base)) {
      const n = subids[pos++];
      const enumName = spec.syntax?.enums?.find(([, v]) => v === n)?.[0];
      if (spec.syntax?.tc === 'InetAddressType') addressType = enumName;
      out.push({ name: spec.part.name, value: enumName ?? String(n), text: enumName ?? String(n) });
      continue;
    }
    if (base === 'IpAddress' || base === 'NetworkAddress') {
      if (pos + 4 > subids.length) return undefined;
      const ip = subids.slice(pos, pos + 4);
      if (ip.some((b) => b > 255)) return undefined;
      pos += 4;
      out.push({ name: spec.part.name, value: ip.join('.'), text: ip.join('.') });
      continue;
    }
    const isOid = base === 'OBJECT IDENTIFIER';
    let n = isOid ? undefined : fixedSize(spec.syntax);
    if (n === undefined) n = spec.part.implied && last ? subids.length - pos : subids[pos++];
    if (n === undefined || pos + n > subids.length) return undefined;
    const raw = subids.slice(pos, pos + n);
    pos += n;
    if (isOid) {
      out.push({ name: spec.part.name, value: raw.join('.'), text: raw.join('.') });
      continue;
    }
    if (raw.some((b) => b > 255)) return undefined;
    const bytes = Uint8Array.from(raw);
    const inet = spec.syntax?.tc?.startsWith('InetAddress');
    if (inet && addressType === 'dns' && printable(raw)) {
      const v = String.fromCharCode(...raw);
      out.push({ name: spec.part.name, value: v, text: `"${v}"` });
    } else if (spec.syntax?.hint || inet) {
      const v = formatOctets(spec.syntax, bytes);
      const quoted = spec.syntax?.tc?.startsWith('InetAddress') || /[at]$/.test(spec.syntax?.hint ?? '');
      out.push({ name: spec.part.name, value: v, text: quoted ? `"${v}"` : v });
    } else if (printable(raw)) {
      const v = String.fromCharCode(...raw);
      out.push({ name: spec.part.name, value: v, text: `"${v}"` });
    } else out.push({ name: spec.part.name, value: hexBytes(bytes), text: hexBytes(bytes) });
  }
  return pos === subids.length ? out : undefined;
}

/** A token of an instance written by a person: a number, a quoted string or a bare word (an enum label). */
export type InstanceToken = number | { s: string } | { w: string };

/** Splits an instance (`3`, `"public".2`, `ipv4."10.0.0.1"`) into numbers, quoted strings and words. */
export function splitInstance(text: string): InstanceToken[] | undefined {
  const out: InstanceToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      out.push({ s: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.') j++;
    const word = text.slice(i, j);
    out.push(/^\d+$/.test(word) ? Number(word) : { w: word });
    i = j;
  }
  return out;
}

function ipBytes(text: string): number[] | undefined {
  const v4 = text.split('.');
  if (v4.length === 4 && v4.every((x) => /^\d+$/.test(x) && Number(x) < 256)) return v4.map(Number);
  if (!text.includes(':')) return undefined;
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
}

/** Encodes an instance back into sub-ids from the table's INDEX; undefined when it does not fit. */
export function encodeInstance(specs: IndexSpec[], tokens: InstanceToken[]): number[] | undefined {
  const out: number[] = [];
  let t = 0;
  const rawRest = (): void => {
    for (; t < tokens.length; t++) {
      const tok = tokens[t];
      if (typeof tok === 'number') out.push(tok);
      else if ('s' in tok) out.push(tok.s.length, ...Buffer.from(tok.s, 'utf8'));
      else throw new Error('word');
    }
  };
  try {
    for (let i = 0; i < specs.length && t < tokens.length; i++) {
      const spec = specs[i];
      const base = baseOf(spec);
      const tok = tokens[t];
      const last = i === specs.length - 1;
      if (INTEGER_TYPES.has(base)) {
        if (typeof tok === 'number') out.push(tok);
        else if ('w' in tok) {
          const v = spec.syntax?.enums?.find(([name]) => name === tok.w)?.[1];
          if (v === undefined) return undefined;
          out.push(v);
        } else return undefined;
        t++;
        continue;
      }
      if (typeof tok === 'number') {
        // Numbers for a string or OID index: the person wrote the encoded sub-ids themselves.
        rawRest();
        break;
      }
      const text = 's' in tok ? tok.s : tok.w;
      t++;
      let bytes = spec.syntax?.tc?.startsWith('InetAddress') || base === 'IpAddress' ? ipBytes(text) : undefined;
      if (!bytes && /x/.test(spec.syntax?.hint ?? '') && /^[0-9a-f]{1,2}([:-][0-9a-f]{1,2})*$/i.test(text))
        bytes = text.split(/[:-]/).map((h) => parseInt(h, 16));
      bytes ??= Array.from(Buffer.from(text, 'utf8'));
      if (base === 'IpAddress') {
        out.push(...bytes);
        continue;
      }
      if (fixedSize(spec.syntax) === undefined && !(spec.part.implied && last)) out.push(bytes.length);
      out.push(...bytes);
    }
    rawRest();
  } catch {
    return undefined;
  }
  return out;
}
