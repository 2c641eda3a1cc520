/**
 * Minimal BER (X.690) reading and writing for SNMP messages: definite lengths only, as SNMP requires.
 * Written here rather than taken from a library because the receiver decodes tens of thousands of
 * messages a second and must turn every malformed byte into a counted `BerError`, never a crash.
 */

/** Thrown for any malformed input; `reason` is the counter it is filed under. */
export class BerError extends Error {
  readonly reason: string;
  constructor(message: string, reason = 'malformed') {
    super(message);
    this.reason = reason;
  }
}

export const TAG = {
  Integer: 0x02,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Sequence: 0x30,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Opaque: 0x44,
  NsapAddress: 0x45,
  Counter64: 0x46,
  UInteger32: 0x47,
  NoSuchObject: 0x80,
  NoSuchInstance: 0x81,
  EndOfMibView: 0x82,
} as const;

/**
 * A cursor over one TLV region of a buffer. `next()` reads one header into `tag`/`start`/`stop` without allocating:
 * a notification has some twenty TLVs and the receiver decodes tens of thousands a second, so the garbage a header
 * object per TLV made was a large part of its collection time.
 */
export class BerReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  /** The last header `next()` read: its tag, content bounds and where its TLV began. */
  tag = 0;
  start = 0;
  stop = 0;
  tlvStart = 0;
  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number {
    if (this.pos >= this.end) throw new BerError('unexpected end of data');
    return this.buf[this.pos];
  }

  /** Reads tag and length into `tag`/`start`/`stop` (content within `limit`); leaves `pos` at the content start. */
  next(limit = this.end): void {
    const b = this.buf;
    this.tlvStart = this.pos;
    if (this.pos + 2 > limit) throw new BerError('truncated header');
    const tag = b[this.pos++];
    if ((tag & 0x1f) === 0x1f) throw new BerError('multi-byte tags are not used by SNMP');
    let len = b[this.pos++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0) throw new BerError('indefinite length is not allowed');
      if (n > 4) throw new BerError('length too long');
      if (this.pos + n > limit) throw new BerError('truncated length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[this.pos++];
    }
    if (this.pos + len > limit) throw new BerError(`length ${len} runs past the end of its container`);
    this.tag = tag;
    this.start = this.pos;
    this.stop = this.pos + len;
  }

  /**
   * Reads a TLV whose tag must be `tag` (`expected` names it in the error) and moves past it; its content is then
   * `start`..`stop`.
   */
  expect(tag: number, what: string, expected?: string, limit = this.end): void {
    this.next(limit);
    if (this.tag !== tag)
      throw new BerError(
        `${what}: expected ${expected ?? `tag 0x${tag.toString(16)}`}, got 0x${this.tag.toString(16)}`,
      );
    this.pos = this.stop;
  }

  /** Reads a TLV whose tag must be `tag`; returns a reader over its content. */
  enter(tag: number, what: string): BerReader {
    this.expect(tag, what);
    return new BerReader(this.buf, this.start, this.stop);
  }

  integer(what: string): number {
    this.expect(TAG.Integer, what, 'INTEGER');
    return decodeSigned(this.buf, this.start, this.stop, what);
  }

  octets(what: string): Buffer {
    this.expect(TAG.OctetString, what, 'OCTET STRING');
    return this.buf.subarray(this.start, this.stop);
  }

  /** An OCTET STRING's content as latin1 text, without a Buffer view in between. */
  octetsText(what: string): string {
    this.expect(TAG.OctetString, what, 'OCTET STRING');
    return this.buf.toString('latin1', this.start, this.stop);
  }

  /** An OCTET STRING's content bounds (for HMAC placeholders that must be zeroed in place). */
  octetsAt(what: string): { start: number; end: number } {
    this.expect(TAG.OctetString, what, 'OCTET STRING');
    return { start: this.start, end: this.stop };
  }

  oid(what: string, limit = this.end): string {
    this.expect(TAG.ObjectIdentifier, what, 'OBJECT IDENTIFIER', limit);
    return decodeOid(this.buf, this.start, this.stop);
  }
}

export function decodeSigned(b: Buffer, start: number, end: number, what = 'integer'): number {
  const n = end - start;
  if (n < 1) throw new BerError(`${what}: empty integer`);
  if (n > 6) throw new BerError(`${what}: integer too long`);
  let v = b[start] & 0x80 ? -1 : 0;
  for (let i = start; i < end; i++) v = v * 256 + b[i];
  return v;
}

export function decodeUnsigned(b: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n < 1 || n > 5 || (n === 5 && b[start] !== 0)) throw new BerError('unsigned value out of range');
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + b[i];
  return v;
}

/** Counter64 as a decimal string (it does not fit a double exactly). */
export function decodeUnsigned64(b: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n < 1 || n > 9 || (n === 9 && b[start] !== 0)) throw new BerError('Counter64 out of range');
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(b[i]);
  return v.toString();
}

export function decodeOid(b: Buffer, start: number, end: number): string {
  // Notifications repeat the same few OIDs (sysUpTime.0, snmpTrapOID.0, the trap's own and its objects'): the text
  // of an encoding seen before is reused. During a storm this was the receiver's largest cost after receiving.
  // Keyed by a hash of the bytes (checked against them), so that a lookup allocates nothing.
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  for (let e = oidTexts.get(h); e; e = e.next) if (sameBytes(e.bytes, b, start, end)) return e.text;
  const text = decodeOidArcs(b, start, end);
  if (oidCount >= OID_CACHE_SIZE) {
    oidTexts.clear();
    oidCount = 0;
  }
  oidTexts.set(h, { bytes: Uint8Array.prototype.slice.call(b, start, end), text, next: oidTexts.get(h) });
  oidCount++;
  return text;
}
interface OidText {
  bytes: Uint8Array;
  text: string;
  next: OidText | undefined;
}
const OID_CACHE_SIZE = 20_000;
const oidTexts = new Map<number, OidText>();
let oidCount = 0;

function sameBytes(a: Uint8Array, b: Buffer, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

function decodeOidArcs(b: Buffer, start: number, end: number): string {
  if (end <= start) throw new BerError('empty OBJECT IDENTIFIER');
  const parts: number[] = [];
  let v = 0;
  let first = true;
  for (let i = start; i < end; i++) {
    const byte = b[i];
    v = v * 128 + (byte & 0x7f);
    if (v > 0xffffffff * 128) throw new BerError('OID arc too large');
    if (byte & 0x80) {
      if (i === end - 1) throw new BerError('truncated OID arc');
      continue;
    }
    if (first) {
      const x = v < 40 ? 0 : v < 80 ? 1 : 2;
      parts.push(x, v - 40 * x);
      first = false;
    } else parts.push(v);
    v = 0;
  }
  return parts.join('.');
}

// ---------------------------------------------------------------- writing

function lengthBytes(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  while (len > 0) {
    out.unshift(len & 0xff);
    len = Math.floor(len / 256);
  }
  return [0x80 | out.length, ...out];
}

/** One TLV from a tag and its already-encoded content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(content.length)]), content]);
}

export const seq = (...items: Buffer[]) => tlv(TAG.Sequence, Buffer.concat(items));
export const octets = (v: Buffer | string) => tlv(TAG.OctetString, typeof v === 'string' ? Buffer.from(v) : v);
export const nullValue = () => Buffer.from([TAG.Null, 0]);

export function signedContent(v: number): Buffer {
  const out: number[] = [];
  let x = Math.trunc(v);
  do {
    out.unshift(((x % 256) + 256) % 256);
    x = Math.floor(x / 256);
  } while (!(x === 0 && (out[0] & 0x80) === 0) && !(x === -1 && (out[0] & 0x80) !== 0));
  return Buffer.from(out);
}
export const integer = (v: number, tag: number = TAG.Integer) => tlv(tag, signedContent(v));
/** Unsigned application types (Counter32, Gauge32, TimeTicks): a leading zero keeps them positive. */
export const unsigned = (v: number, tag: number) => tlv(tag, signedContent(Math.max(0, Math.floor(v)) >>> 0));
export function unsigned64(v: string | number | bigint, tag: number = TAG.Counter64): Buffer {
  let x = BigInt(v);
  const out: number[] = [];
  do {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x > 0n);
  if (out[0] & 0x80) out.unshift(0);
  return tlv(tag, Buffer.from(out));
}

export function oidContent(oid: string): Buffer {
  const arcs = oid.replace(/^\./, '').split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0)) throw new BerError(`bad OID "${oid}"`);
  const out: number[] = [];
  const push = (v: number) => {
    const bytes = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      bytes.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...bytes);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (let i = 2; i < arcs.length; i++) push(arcs[i]);
  return Buffer.from(out);
}
export const oid = (v: string) => tlv(TAG.ObjectIdentifier, oidContent(v));
