/**
 * The bus codec's primitives (see codec.ts): a growable writer and a bounds-checked reader of varints, numbers,
 * timestamps, strings, a per-batch string table, label maps and free-form values. The reader throws only a
 * CodecError, never reads past its end, and never allocates more than the bytes left could describe.
 */
import { isUtf8 } from 'node:buffer';

export type CodecErrorReason = 'version' | 'kind' | 'truncated' | 'corrupt';

/** Bytes that are not a batch this codec wrote (or records it cannot encode): `reason` says which way. */
export class CodecError extends Error {
  readonly code = 'VIGIL_CODEC' as const;
  constructor(
    readonly reason: CodecErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`bus codec (${reason}): ${message}`, options);
    this.name = 'CodecError';
  }
}

/** Integers up to this magnitude go as varints (zigzag, one flag bit): 4·|x| stays a safe integer. */
const INT_LIMIT = 2 ** 51;
/** Nesting of free-form values (event details) allowed: deeper input is refused, never a stack overflow. */
export const MAX_DEPTH = 64;
/** ASCII strings shorter than this are copied byte by byte: cheaper than a call into Buffer for short ones. */
const SHORT = 48;
/** Strings up to this many bytes are decoded by a loop in JS (for ASCII): cheaper than a call into Buffer. */
const TINY = 8;
/** Free-form string values this short go through the string table (they repeat: metric names, units). */
const TABLE_MAX = 32;

const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const isInt = (x: number) => Number.isInteger(x) && x < INT_LIMIT && x > -INT_LIMIT && (x !== 0 || 1 / x > 0);

/** The buffer a batch is written into, then copied out of: kept for the next batch (a nested one gets its own). */
let spare: Buffer | undefined;
const SPARE_MAX = 16 * 1024 * 1024;

/**
 * OIDs split into parent and last arc, kept across batches (they repeat, and slicing a string anew each time, then
 * hashing the slice, costs more than the rest of the OID's encoding). Cleared when full.
 */
const oidParts = new Map<string, { parent: string; arc: number } | null>();
const OID_CACHE = 10_000;

/** `a.b.c.5` → { parent: 'a.b.c', arc: 5 }; null when the last part is not a plain number below 10^9. */
function splitOid(s: string): { parent: string; arc: number } | null {
  const i = s.lastIndexOf('.');
  const len = s.length - i - 1;
  if (i <= 0 || len === 0 || len > 9 || (len > 1 && s.charCodeAt(i + 1) === 48)) return null;
  let arc = 0;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return null;
    arc = arc * 10 + c;
  }
  return { parent: s.slice(0, i), arc };
}

export class Writer {
  buf: Buffer = spare ?? Buffer.allocUnsafe(64 * 1024);
  pos = 0;
  /** Timestamps are written as their difference from this (a safe integer: the batch's first record's time). */
  base = 0;
  /** Off for a batch of one record, where strings hardly repeat: each then goes as a new table entry. */
  table = true;
  private strings = new Map<string, number>();
  private labelSets = new Map<object, number>();

  constructor() {
    spare = undefined;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written, copied out of the buffer, which the next batch reuses. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    if (this.buf.length <= SPARE_MAX) spare = this.buf;
    return out;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer up to 2^53, 7 bits a byte, low bits first. */
  varint(v: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    while (v >= 0x80000000) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  private int(x: number): void {
    this.varint(x >= 0 ? x * 4 : -x * 4 - 2);
  }

  private float(x: number): void {
    this.ensure(9);
    this.buf[this.pos] = 1;
    this.buf.writeDoubleLE(x, this.pos + 1);
    this.pos += 9;
  }

  /** Any number, exactly: an integer as a zigzag varint with a low 0 bit, anything else (−0, NaN, 1.5) as float64. */
  num(x: number): void {
    if (isInt(x)) this.int(x);
    else this.float(x);
  }

  /** A time: its difference from `ref` (the batch's base unless given) when both are integers, else as `num`. */
  ts(x: number, ref = this.base): void {
    if (Number.isSafeInteger(x) && (x !== 0 || 1 / x > 0)) {
      const d = x - ref;
      if (d < INT_LIMIT && d > -INT_LIMIT) {
        this.int(d);
        return;
      }
    }
    this.float(x);
  }

  /** A string in place: byte length ×2 (+1 when the string is not well-formed UTF-16 and goes as UTF-16LE). */
  str(s: string): void {
    const n = s.length;
    if (n < SHORT) {
      this.ensure(n + 1);
      const b = this.buf;
      const p = this.pos + 1;
      let i = 0;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p + i++] = c;
      }
      if (i === n) {
        b[this.pos] = n * 2;
        this.pos = p + n;
        return;
      }
    }
    if (!isWellFormed(s)) {
      this.varint(n * 4 + 1);
      this.ensure(n * 2);
      this.pos += this.buf.write(s, this.pos, 'utf16le');
      return;
    }
    if (n > 2730) {
      const len = Buffer.byteLength(s, 'utf8');
      this.varint(len * 2);
      this.ensure(len);
      this.pos += this.buf.write(s, this.pos, 'utf8');
      return;
    }
    // At most 3n bytes, so the header fits in two: encode once, behind room for it, then fill it in.
    this.ensure(2 + n * 3);
    const b = this.buf;
    const p = this.pos;
    const len = b.write(s, p + 2, 'utf8');
    const h = len * 2;
    if (h < 128) {
      b.copyWithin(p + 1, p + 2, p + 2 + len);
      b[p] = h;
      this.pos = p + 1 + len;
    } else {
      b[p] = (h & 0x7f) | 0x80;
      b[p + 1] = h >>> 7;
      this.pos = p + 2 + len;
    }
  }

  /** A string through the batch's table: 0 and the string the first time, its index + 1 after. */
  tstr(s: string): void {
    const i = this.table ? this.strings.get(s) : undefined;
    if (i !== undefined) {
      this.varint(i + 1);
      return;
    }
    if (this.table) this.strings.set(s, this.strings.size);
    this.byte(0);
    this.str(s);
  }

  /** One of `values` as its index, or any other string after index `values.length`. */
  oneOf(values: readonly string[], v: string): void {
    const i = values.indexOf(v);
    this.varint(i >= 0 ? i : values.length);
    if (i < 0) this.tstr(v);
  }

  /** A dotted OID: its last arc + 1 and its parent through the table (`a.b.c.5` → 6, `a.b.c`), else 0 and it. */
  oid(s: string): void {
    let parts = oidParts.get(s);
    if (parts === undefined) {
      parts = splitOid(s);
      if (oidParts.size >= OID_CACHE) oidParts.clear();
      oidParts.set(s, parts);
    }
    this.varint(parts === null ? 0 : parts.arc + 1);
    this.tstr(parts === null ? s : parts.parent);
  }

  strList(list: readonly string[], table: boolean): void {
    this.varint(list.length);
    for (const s of list) table ? this.tstr(s) : this.str(s);
  }

  /** A string → string map, keys and values through the table. */
  strMap(o: Record<string, string>): void {
    const keys = Object.keys(o);
    this.varint(keys.length);
    for (const k of keys) {
      this.tstr(k);
      this.tstr(o[k]);
    }
  }

  /** A sample's labels: the same object again (collectors share one per interface) is a back-reference. */
  labels(o: Record<string, string>): void {
    const i = this.labelSets.get(o);
    if (i !== undefined) {
      this.varint(i + 1);
      return;
    }
    this.labelSets.set(o, this.labelSets.size);
    this.byte(0);
    this.strMap(o);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * A free-form value (event details), exactly: undefined, null, booleans, any number, strings, arrays and plain
   * objects. Other values go as JSON would send them (toJSON, functions and symbols left out); bigint is refused.
   */
  value(v: unknown, depth = 0): void {
    if (depth > MAX_DEPTH) throw new CodecError('corrupt', `value nested deeper than ${MAX_DEPTH}`);
    if (typeof v === 'number') {
      this.byte(V.number);
      this.num(v);
    } else if (typeof v === 'string') {
      const table = v.length <= TABLE_MAX;
      this.byte(table ? V.tstring : V.string);
      if (table) this.tstr(v);
      else this.str(v);
    } else if (typeof v === 'boolean') this.byte(v ? V.true : V.false);
    else if (v === null) this.byte(V.null);
    else if (typeof v === 'bigint')
      throw new TypeError('bus codec: a bigint cannot be carried (nor can JSON carry one)');
    else if (typeof v !== 'object')
      this.byte(V.undefined); // undefined (functions and symbols: as JSON, nothing)
    else if (Array.isArray(v)) {
      this.byte(V.array);
      this.varint(v.length);
      for (const x of v) this.value(carried(x) ? x : null, depth + 1);
    } else if (typeof (v as { toJSON?: unknown }).toJSON === 'function')
      this.value((v as { toJSON(): unknown }).toJSON(), depth + 1);
    else this.object(v as Record<string, unknown>, depth);
  }

  private object(o: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(o);
    let n = 0;
    for (const k of keys) if (carried(o[k])) n++;
    this.byte(V.object);
    this.varint(n);
    for (const k of keys) {
      const x = o[k];
      if (!carried(x)) continue;
      this.tstr(k);
      this.value(x, depth + 1);
    }
  }
}

/** Whether an object's field is sent: JSON leaves out functions and symbols. */
const carried = (x: unknown) => typeof x !== 'function' && typeof x !== 'symbol';

/** Tags of free-form values. */
const V = { undefined: 0, null: 1, false: 2, true: 3, number: 4, string: 5, tstring: 6, array: 7, object: 8 } as const;

const truncated = () => new CodecError('truncated', 'the batch ends inside a record');

/** Sets `o[k] = v` as an own property even when k is `__proto__`. */
export function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  base = 0;
  private strings: string[] = [];
  private labelSets: Record<string, string>[] = [];

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.end = bytes.byteLength;
  }

  get left(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw truncated();
    return this.buf[this.pos++];
  }

  varint(): number {
    const b = this.buf;
    let p = this.pos;
    if (p >= this.end) throw truncated();
    let c = b[p++];
    if (c < 0x80) {
      this.pos = p;
      return c;
    }
    let v = c & 0x7f;
    let mul = 128;
    for (let i = 1; ; i++) {
      if (p >= this.end) throw truncated();
      c = b[p++];
      v += (c & 0x7f) * mul;
      if (c < 0x80) break;
      if (i === 7) throw new CodecError('corrupt', 'varint longer than 8 bytes');
      mul *= 128;
    }
    if (v > Number.MAX_SAFE_INTEGER) throw new CodecError('corrupt', 'varint beyond 2^53');
    this.pos = p;
    return v;
  }

  /** A count of items each taking at least `min` bytes: refused when the bytes left could not hold them. */
  count(min = 1): number {
    const n = this.varint();
    if (n * min > this.left) throw truncated();
    return n;
  }

  private tagged(h: number, ref: number): number {
    if (h <= 0x7fffffff) {
      // The common case in small-integer arithmetic: h = 4x (x ≥ 0) or −4x − 2 (x < 0).
      if ((h & 1) === 0) return ref + (h & 2 ? -((h >>> 2) + 1) : h >>> 2);
      if (h !== 1) throw new CodecError('corrupt', `number tag ${h}`);
      if (this.pos + 8 > this.end) throw truncated();
      const x = this.buf.readDoubleLE(this.pos);
      this.pos += 8;
      return x;
    }
    if (h % 2 === 1) throw new CodecError('corrupt', `number tag ${h}`);
    const z = h / 2;
    return ref + (z % 2 === 1 ? -(z + 1) / 2 : z / 2);
  }

  num(): number {
    return this.tagged(this.varint(), 0);
  }

  ts(ref = this.base): number {
    return this.tagged(this.varint(), ref);
  }

  str(): string {
    const h = this.varint();
    const len = Math.floor(h / 2);
    if (len > this.end - this.pos) throw truncated();
    const start = this.pos;
    const end = start + len;
    this.pos = end;
    const b = this.buf;
    if (h % 2 === 1) {
      if (len % 2 === 1) throw new CodecError('corrupt', 'odd UTF-16 length');
      return b.toString('utf16le', start, end);
    }
    if (len <= TINY) {
      let s = '';
      for (let i = start; i < end; i++) {
        const c = b[i];
        if (c >= 0x80) return this.utf8(start, end);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8(start, end);
  }

  /** UTF-8, refused when invalid (which the decoder would have turned into U+FFFD: only then is it checked). */
  private utf8(start: number, end: number): string {
    const s = this.buf.toString('utf8', start, end);
    if (s.includes('\ufffd') && !isUtf8(this.buf.subarray(start, end)))
      throw new CodecError('corrupt', 'string not UTF-8');
    return s;
  }

  tstr(): string {
    const i = this.varint();
    if (i === 0) {
      const s = this.str();
      this.strings.push(s);
      return s;
    }
    if (i > this.strings.length) throw new CodecError('corrupt', `string ${i - 1} not in the table`);
    return this.strings[i - 1];
  }

  oneOf<T extends string>(values: readonly T[]): T {
    const i = this.varint();
    if (i < values.length) return values[i];
    if (i === values.length) return this.tstr() as T;
    throw new CodecError('corrupt', `value ${i} of ${values.length}`);
  }

  oid(): string {
    const arc = this.varint();
    const s = this.tstr();
    return arc === 0 ? s : `${s}.${arc - 1}`;
  }

  strList(table: boolean): string[] {
    const n = this.count();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(table ? this.tstr() : this.str());
    return out;
  }

  strMap(): Record<string, string> {
    const n = this.count(2);
    const o: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const k = this.tstr();
      put(o, k, this.tstr());
    }
    return o;
  }

  /** Labels: a back-reference gives the same object, as the encoded records shared one. */
  labels(): Record<string, string> {
    const i = this.varint();
    if (i === 0) {
      const o = this.strMap();
      this.labelSets.push(o);
      return o;
    }
    if (i > this.labelSets.length) throw new CodecError('corrupt', `label set ${i - 1} not in the batch`);
    return this.labelSets[i - 1];
  }

  /** A copy (the record must not keep the whole message alive). */
  bytes(): Buffer {
    const n = this.count();
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  value(depth = 0): unknown {
    if (depth > MAX_DEPTH) throw new CodecError('corrupt', `value nested deeper than ${MAX_DEPTH}`);
    const tag = this.byte();
    switch (tag) {
      case V.undefined:
        return undefined;
      case V.null:
        return null;
      case V.false:
        return false;
      case V.true:
        return true;
      case V.number:
        return this.num();
      case V.string:
        return this.str();
      case V.tstring:
        return this.tstr();
      case V.array: {
        const n = this.count();
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(this.value(depth + 1));
        return a;
      }
      case V.object: {
        const n = this.count(2);
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.tstr();
          put(o, k, this.value(depth + 1));
        }
        return o;
      }
      default:
        throw new CodecError('corrupt', `value tag ${tag}`);
    }
  }
}
