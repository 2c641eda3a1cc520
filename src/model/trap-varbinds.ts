/**
 * A trap's varbind list in BER, the wire form a TrapRecord carries beside its decoded varbinds (`WIRE_VARBINDS`), and
 * its decoding (pure): the trap receiver decodes a PDU's list with it, and the store reads the stored form back with it.
 */
import { BerError, BerReader, TAG, decodeOid, decodeSigned, decodeUnsigned, decodeUnsigned64 } from './ber.ts';
import type { VarBind } from './records.ts';

const TYPE_NAMES: Record<number, string> = {
  [TAG.Integer]: 'Integer',
  [TAG.OctetString]: 'OctetString',
  [TAG.Null]: 'Null',
  [TAG.ObjectIdentifier]: 'ObjectIdentifier',
  [TAG.IpAddress]: 'IpAddress',
  [TAG.Counter32]: 'Counter32',
  [TAG.Gauge32]: 'Gauge32',
  [TAG.TimeTicks]: 'TimeTicks',
  [TAG.Opaque]: 'Opaque',
  [TAG.NsapAddress]: 'NsapAddress',
  [TAG.Counter64]: 'Counter64',
  [TAG.UInteger32]: 'UInteger32',
  [TAG.NoSuchObject]: 'NoSuchObject',
  [TAG.NoSuchInstance]: 'NoSuchInstance',
  [TAG.EndOfMibView]: 'EndOfMibView',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Octet strings as text when they are printable UTF-8 (a trailing NUL tolerated), else `0x` + lowercase hex (as the poller does). */
export function octetsToValue(b: Buffer, start: number, end: number): string {
  let e = end;
  if (e > start && b[e - 1] === 0) e--;
  let ascii = true;
  for (let i = start; i < e; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c >= 0x80) {
      ascii = false;
      continue;
    }
    return '0x' + b.toString('hex', start, end);
  }
  if (ascii) return b.toString('latin1', start, e);
  try {
    const s = utf8.decode(b.subarray(start, e));
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(s)
      ? '0x' + b.toString('hex', start, end)
      : s;
  } catch {
    return '0x' + b.toString('hex', start, end);
  }
}

function decodeValue(b: Buffer, tag: number, start: number, end: number): VarBind['value'] {
  switch (tag) {
    case TAG.Integer:
      return decodeSigned(b, start, end, 'varbind value');
    case TAG.OctetString:
      return octetsToValue(b, start, end);
    case TAG.ObjectIdentifier:
      return decodeOid(b, start, end);
    case TAG.IpAddress:
      if (end - start !== 4) throw new BerError(`IpAddress of ${end - start} bytes`);
      return `${b[start]}.${b[start + 1]}.${b[start + 2]}.${b[start + 3]}`;
    case TAG.Counter32:
    case TAG.Gauge32:
    case TAG.TimeTicks:
    case TAG.UInteger32:
      return decodeUnsigned(b, start, end);
    case TAG.Counter64:
      return decodeUnsigned64(b, start, end);
    case TAG.Null:
    case TAG.NoSuchObject:
    case TAG.NoSuchInstance:
    case TAG.EndOfMibView:
      if (end !== start) throw new BerError('NULL with content');
      return null;
    case TAG.Opaque:
    case TAG.NsapAddress:
      return '0x' + b.toString('hex', start, end);
    default:
      throw new BerError(`unknown varbind type 0x${tag.toString(16)}`);
  }
}

/** A varbind list (the SEQUENCE and its content) from the reader's position. */
export function decodeVarbinds(r: BerReader): { varbinds: VarBind[]; varbindsRaw: Buffer } {
  const at = r.pos;
  const list = r.enter(TAG.Sequence, 'varbind list');
  const varbindsRaw = r.buf.subarray(at, list.end);
  const out: VarBind[] = [];
  // Each varbind is read with the list's own cursor, bounded by the varbind's end: no reader per varbind.
  while (!list.done) {
    list.expect(TAG.Sequence, 'varbind');
    const vbEnd = list.stop;
    list.pos = list.start;
    const oid = list.oid('varbind name', vbEnd);
    list.next(vbEnd);
    list.pos = list.stop;
    if (list.pos !== vbEnd) throw new BerError('extra data in varbind');
    out.push({
      oid,
      type: TYPE_NAMES[list.tag] ?? 'Unknown',
      value: decodeValue(list.buf, list.tag, list.start, list.stop),
    });
  }
  return { varbinds: out, varbindsRaw };
}

/** The notification OIDs a trap's varbinds carry (RFC 3416 §4.2.6, RFC 3584 §3.1). */
export const OID = {
  sysUpTime0: '1.3.6.1.2.1.1.3.0',
  snmpTrapOID0: '1.3.6.1.6.3.1.1.4.1.0',
  snmpTrapEnterprise0: '1.3.6.1.6.3.1.1.4.3.0',
  snmpTrapAddress0: '1.3.6.1.6.3.18.1.3.0',
  snmpTraps: '1.3.6.1.6.3.1.1.5',
} as const;

/** An SNMPv2 notification's varbinds: sysUpTime.0 and snmpTrapOID.0 split off (RFC 3416 §4.2.6), the others kept in order. */
export function splitNotification(list: VarBind[]): { trapOid: string; uptimeCs?: number; varbinds: VarBind[] } {
  const varbinds: VarBind[] = [];
  let trapOid = '';
  let uptimeCs: number | undefined;
  for (const v of list) {
    if (v.oid === OID.sysUpTime0 && uptimeCs === undefined && typeof v.value === 'number') uptimeCs = v.value;
    else if (v.oid === OID.snmpTrapOID0 && !trapOid && typeof v.value === 'string') trapOid = v.value;
    else varbinds.push(v);
  }
  // A notification without snmpTrapOID.0 is malformed but still worth keeping: file it under 0.0.
  return { trapOid: trapOid || '0.0', uptimeCs, varbinds };
}

/** A TrapRecord's varbinds from its wire form (`WIRE_VARBINDS`), as the trap receiver's `pduToTrapRecord` made them. Throws a BerError on bad bytes. */
export function varbindsFromWire(ber: Uint8Array): VarBind[] {
  const buf = Buffer.from(ber.buffer, ber.byteOffset, ber.byteLength);
  return splitNotification(decodeVarbinds(new BerReader(buf)).varbinds).varbinds;
}
