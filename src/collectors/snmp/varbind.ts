/** Conversions between net-snmp's varbinds and Vigil's plain, JSON-safe VarBind (pure). */
import type { VarBind } from '../../model/records.ts';
import { VigilError } from '../../model/errors.ts';
import type { RawVarBind } from './net-snmp.ts';

/** BER tag → VarBind type name (the names records.ts documents). */
export const TYPE_NAMES: Record<number, string> = {
  1: 'Boolean',
  2: 'Integer',
  3: 'BitString',
  4: 'OctetString',
  5: 'Null',
  6: 'ObjectIdentifier',
  64: 'IpAddress',
  65: 'Counter32',
  66: 'Gauge32',
  67: 'TimeTicks',
  68: 'Opaque',
  70: 'Counter64',
  128: 'NoSuchObject',
  129: 'NoSuchInstance',
  130: 'EndOfMibView',
};
const TYPE_TAGS: Record<string, number> = Object.fromEntries(
  Object.entries(TYPE_NAMES).map(([k, v]) => [v, Number(k)]),
);

/** The varbind types that mean "no value here". */
export const isExceptionType = (type: string) =>
  type === 'NoSuchObject' || type === 'NoSuchInstance' || type === 'EndOfMibView';

/** True when the bytes are text a person would read (UTF-8, no control characters but tab/CR/LF). */
export function isPrintable(buf: Buffer): boolean {
  if (buf.length === 0) return true;
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD')) return false;
  // A trailing NUL is common in C-string agents; allow exactly that one.
  const body = text.endsWith('\u0000') ? text.slice(0, -1) : text;
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(body);
}

/** Octet string as text when printable, else `0x` + lowercase hex. */
export function octetsToValue(buf: Buffer): string {
  if (isPrintable(buf)) return buf.toString('utf8').replace(/\u0000$/, '');
  return '0x' + buf.toString('hex');
}

function bufferToUnsigned(buf: Buffer): bigint {
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  return v;
}

/** net-snmp varbind → VarBind. Counter64 becomes a decimal string (it does not fit a double). */
export function toVarBind(raw: RawVarBind): VarBind {
  const type = TYPE_NAMES[raw.type] ?? `Type${raw.type}`;
  const v = raw.value;
  let value: VarBind['value'];
  if (isExceptionType(type) || type === 'Null') value = null;
  else if (type === 'Counter64')
    value = Buffer.isBuffer(v) ? bufferToUnsigned(v).toString() : typeof v === 'bigint' ? v.toString() : String(v);
  else if (type === 'OctetString' || type === 'Opaque' || type === 'BitString')
    value = Buffer.isBuffer(v) ? (type === 'OctetString' ? octetsToValue(v) : '0x' + v.toString('hex')) : String(v);
  else if (type === 'Boolean') value = v ? 1 : 0;
  else if (typeof v === 'number' || typeof v === 'string') value = v;
  else value = v === undefined || v === null ? null : String(v);
  return { oid: raw.oid, type, value };
}

/** snmpset type letters (`i u s x o a t c` and `C` for Counter64, `n` null) → VarBind type. */
export const SET_TYPE_LETTERS: Record<string, string> = {
  i: 'Integer',
  u: 'Gauge32',
  s: 'OctetString',
  x: 'OctetString',
  d: 'OctetString',
  o: 'ObjectIdentifier',
  a: 'IpAddress',
  t: 'TimeTicks',
  c: 'Counter32',
  C: 'Counter64',
  n: 'Null',
};

/** Builds the VarBind of `snmpset OID TYPE VALUE`. Throws VIGIL_BAD_REQUEST on a bad type or value. */
export function varBindFromSetArgs(oid: string, letter: string, text: string): VarBind {
  const type = SET_TYPE_LETTERS[letter];
  if (!type)
    throw new VigilError(
      'VIGIL_BAD_REQUEST',
      `unknown type "${letter}" for ${oid}: use one of ${Object.keys(SET_TYPE_LETTERS).join(' ')}`,
    );
  if (letter === 'x') {
    const hex = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new VigilError('VIGIL_BAD_REQUEST', `${oid}: "${text}" is not hex`);
    return { oid, type, value: '0x' + hex.toLowerCase() };
  }
  if (letter === 'd') {
    const bytes = text
      .trim()
      .split(/[\s.]+/)
      .map(Number);
    if (bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
      throw new VigilError('VIGIL_BAD_REQUEST', `${oid}: "${text}" is not decimal bytes`);
    return { oid, type, value: '0x' + Buffer.from(bytes).toString('hex') };
  }
  if (type === 'Integer' || type === 'Gauge32' || type === 'TimeTicks' || type === 'Counter32') {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new VigilError('VIGIL_BAD_REQUEST', `${oid}: "${text}" is not an integer`);
    return { oid, type, value: n };
  }
  if (type === 'ObjectIdentifier' && !/^\.?\d+(\.\d+)+$/.test(text))
    throw new VigilError('VIGIL_BAD_REQUEST', `${oid}: "${text}" is not a numeric OID`);
  if (type === 'IpAddress' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(text))
    throw new VigilError('VIGIL_BAD_REQUEST', `${oid}: "${text}" is not an IPv4 address`);
  if (type === 'Null') return { oid, type, value: null };
  return { oid, type, value: text.replace(/^\./, '') };
}

/** VarBind → net-snmp varbind for Set. OctetString values starting with `0x` are taken as hex. */
export function toRawVarBind(vb: VarBind): RawVarBind {
  const tag = TYPE_TAGS[vb.type];
  if (tag === undefined) throw new VigilError('VIGIL_BAD_REQUEST', `${vb.oid}: cannot set a value of type ${vb.type}`);
  let value: unknown = vb.value;
  if (vb.type === 'OctetString' || vb.type === 'Opaque') {
    const s = String(vb.value ?? '');
    value = /^0x([0-9a-f]{2})*$/i.test(s) ? Buffer.from(s.slice(2), 'hex') : Buffer.from(s, 'utf8');
  } else if (vb.type === 'Counter64') {
    let n = BigInt(String(vb.value ?? '0'));
    const bytes: number[] = [];
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    value = Buffer.from(bytes);
  }
  return { oid: vb.oid.replace(/^\./, ''), type: tag, value };
}
