/** Turning varbind values and table indexes into the plain fields of the wireless model (pure). */
import type { WirelessBand } from '../../../../model/wireless.ts';
import type { Value } from './table.ts';

/** A finite number from an integer value or a decimal string (Counter64), else undefined. */
export function num(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** Text with trailing blanks and NULs removed; undefined when empty (or not a string). */
export function str(v: Value | undefined): string | undefined {
  if (typeof v !== 'string') return typeof v === 'number' ? String(v) : undefined;
  const s = v.replace(/[\s\u0000]+$/, '');
  return s === '' ? undefined : s;
}

/** TimeTicks (hundredths of a second) as whole seconds. */
export function ticksToS(v: Value | undefined): number | undefined {
  const n = num(v);
  return n === undefined || n < 0 ? undefined : Math.floor(n / 100);
}

/** An IPv4 address as text; undefined for 0.0.0.0 or anything that is not one. */
export function ipv4(v: Value | undefined): string | undefined {
  const s = str(v);
  return s && /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s !== '0.0.0.0' ? s : undefined;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const macOf = (bytes: readonly number[]) => bytes.map(hex2).join(':');

/**
 * A MAC address value in any form the varbind layer or an agent gives it: `0x` + 12 hex digits (binary octets),
 * six octets that happened to be printable (the varbind layer shows them as text, dropping one trailing NUL), or
 * text such as `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`. Lowercase `aa:bb:cc:dd:ee:ff`, or undefined.
 */
export function mac(v: Value | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  // `0x…` is how the varbind layer shows octets that are not text: a MAC only when it is six of them.
  const hex = /^0x([0-9a-f]*)$/i.exec(s);
  if (hex) return hex[1].length === 12 ? macOf([...Buffer.from(hex[1], 'hex')]) : undefined;
  const text = s.replace(/[:\-.\s]/g, '');
  if (/^[0-9a-f]{12}$/i.test(text)) return macOf([...Buffer.from(text, 'hex')]);
  // Octets that passed as printable text: six bytes, or five when the sixth was a NUL the varbind layer stripped.
  const bytes = [...Buffer.from(v, 'utf8')];
  if (bytes.length === 6) return macOf(bytes);
  if (bytes.length === 5) return macOf([...bytes, 0]);
  return undefined;
}

/** A MAC from six decimal index arcs starting at `from`, or undefined when they are not six bytes. */
export function macFromArcs(arcs: readonly string[], from = 0): string | undefined {
  const part = arcs.slice(from, from + 6).map(Number);
  return part.length === 6 && part.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? macOf(part) : undefined;
}

/** A length-prefixed octet string index (`n.b1…bn`) from `from`, as text; undefined when malformed. */
export function stringFromArcs(arcs: readonly string[], from = 0): string | undefined {
  const n = Number(arcs[from]);
  const bytes = arcs.slice(from + 1, from + 1 + n).map(Number);
  if (!Number.isInteger(n) || bytes.length !== n || bytes.some((b) => !(b >= 0 && b <= 255))) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

/** The band a channel number is in, where the number alone tells (1–14: 2.4 GHz, 32–177: 5 GHz). */
export function bandFromChannel(channel: number | undefined): WirelessBand {
  if (channel === undefined) return 'unknown';
  if (channel >= 1 && channel <= 14) return '2.4GHz';
  if (channel >= 32 && channel <= 177) return '5GHz';
  return 'unknown';
}

/** The band a centre frequency in MHz is in. */
export function bandFromMhz(mhz: number | undefined): WirelessBand {
  if (mhz === undefined) return 'unknown';
  if (mhz >= 2400 && mhz < 2500) return '2.4GHz';
  if (mhz >= 4900 && mhz < 5925) return '5GHz';
  if (mhz >= 5925 && mhz <= 7125) return '6GHz';
  return 'unknown';
}

/** A value within 0–100, else undefined (agents report -1 or 255 for "not measured"). */
export function pct(v: Value | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 0 && n <= 100 ? n : undefined;
}

/** The first defined argument. */
export function first<T>(...vs: (T | undefined)[]): T | undefined {
  for (const v of vs) if (v !== undefined) return v;
  return undefined;
}

/** `{ [key]: v }` when v is defined, else `{}`: spread into an object literal to leave absent fields out. */
export function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
