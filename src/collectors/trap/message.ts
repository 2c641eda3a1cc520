/**
 * SNMP message decoding (pure): the v1/v2c community wrapper, the v3 header and USM security
 * parameters (RFC 3412/3414), and the PDUs a notification receiver meets.
 */
import type { VarBind } from '../../model/records.ts';
import { BerError, BerReader, TAG, decodeUnsigned } from '../../model/ber.ts';
import { decodeVarbinds } from '../../model/trap-varbinds.ts';

export const PDU = {
  GetRequest: 0xa0,
  GetNextRequest: 0xa1,
  Response: 0xa2,
  SetRequest: 0xa3,
  TrapV1: 0xa4,
  GetBulkRequest: 0xa5,
  InformRequest: 0xa6,
  TrapV2: 0xa7,
  Report: 0xa8,
} as const;

export interface Pdu {
  type: number;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: VarBind[];
  /** The encoded varbind list, echoed unchanged in an inform's Response. */
  varbindsRaw: Buffer;
  /** SNMPv1 Trap-PDU fields. */
  enterprise?: string;
  agentAddr?: string;
  genericTrap?: number;
  specificTrap?: number;
  timestamp?: number;
}

export interface CommunityMessage {
  version: 'v1' | 'v2c';
  community: string;
  pdu: Pdu;
}

export interface V3Message {
  version: 'v3';
  msgId: number;
  maxSize: number;
  /** bit 0 auth, bit 1 priv, bit 2 reportable. */
  flags: number;
  securityModel: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  authParams: Buffer;
  /** Where the authentication parameters sit in the raw message (zeroed to verify the HMAC). */
  authParamsAt: { start: number; end: number };
  privParams: Buffer;
  /** Plaintext scoped PDU bytes (when not encrypted) or the ciphertext. */
  data: Buffer;
  encrypted: boolean;
  raw: Buffer;
}

export interface ScopedPdu {
  contextEngineId: Buffer;
  contextName: string;
  pdu: Pdu;
}

/** Decodes one PDU (any type) from the reader. */
export function decodePdu(r: BerReader): Pdu {
  const type = r.peekTag();
  if (type === PDU.TrapV1) {
    const p = r.enter(PDU.TrapV1, 'Trap-PDU');
    const enterprise = p.oid('enterprise');
    p.expect(TAG.IpAddress, 'agent-addr', 'IpAddress');
    if (p.stop - p.start !== 4) throw new BerError('agent-addr: expected a 4-byte IpAddress');
    const b = p.buf;
    const agentAddr = `${b[p.start]}.${b[p.start + 1]}.${b[p.start + 2]}.${b[p.start + 3]}`;
    const genericTrap = p.integer('generic-trap');
    const specificTrap = p.integer('specific-trap');
    p.expect(TAG.TimeTicks, 'time-stamp', 'TimeTicks');
    const timestamp = decodeUnsigned(b, p.start, p.stop);
    const { varbinds, varbindsRaw } = decodeVarbinds(p);
    if (!p.done) throw new BerError('extra data after the varbind list');
    return {
      type,
      requestId: 0,
      errorStatus: 0,
      errorIndex: 0,
      varbinds,
      varbindsRaw,
      enterprise,
      agentAddr,
      genericTrap,
      specificTrap,
      timestamp,
    };
  }
  if (type < PDU.GetRequest || type > PDU.Report)
    throw new BerError(`unknown PDU type 0x${type.toString(16)}`, 'unsupported-pdu');
  const p = r.enter(type, 'PDU');
  const requestId = p.integer('request-id');
  const errorStatus = p.integer('error-status');
  const errorIndex = p.integer('error-index');
  const { varbinds, varbindsRaw } = decodeVarbinds(p);
  if (!p.done) throw new BerError('extra data after the varbind list');
  return { type, requestId, errorStatus, errorIndex, varbinds, varbindsRaw };
}

/** Decodes a whole datagram: a v1/v2c message with its PDU, or a v3 message up to its (maybe encrypted) scoped PDU. */
export function decodeMessage(buf: Buffer): CommunityMessage | V3Message {
  const outer = new BerReader(buf);
  const msg = outer.enter(TAG.Sequence, 'message');
  if (!outer.done) throw new BerError('trailing bytes after the message');
  const version = msg.integer('version');
  if (version === 0 || version === 1) {
    const community = msg.octetsText('community');
    const pdu = decodePdu(msg);
    if (!msg.done) throw new BerError('extra data after the PDU');
    return { version: version === 0 ? 'v1' : 'v2c', community, pdu };
  }
  if (version !== 3) throw new BerError(`SNMP version field ${version}`, 'unsupported-version');
  const header = msg.enter(TAG.Sequence, 'msgGlobalData');
  const msgId = header.integer('msgID');
  const maxSize = header.integer('msgMaxSize');
  const flagBytes = header.octets('msgFlags');
  if (flagBytes.length !== 1) throw new BerError('msgFlags must be one byte');
  const securityModel = header.integer('msgSecurityModel');
  if (securityModel !== 3) throw new BerError(`security model ${securityModel}`, 'unsupported-security-model');
  const secParams = msg.enter(TAG.OctetString, 'msgSecurityParameters');
  const usm = secParams.enter(TAG.Sequence, 'UsmSecurityParameters');
  const engineId = usm.octets('msgAuthoritativeEngineID');
  const engineBoots = usm.integer('msgAuthoritativeEngineBoots');
  const engineTime = usm.integer('msgAuthoritativeEngineTime');
  const userName = usm.octets('msgUserName').toString('utf8');
  const authParamsAt = usm.octetsAt('msgAuthenticationParameters');
  const privParams = usm.octets('msgPrivacyParameters');
  const flags = flagBytes[0];
  if ((flags & 3) === 2) throw new BerError('privacy without authentication', 'bad-security-level');
  msg.next();
  msg.pos = msg.stop;
  const encrypted = (flags & 2) !== 0;
  if (encrypted ? msg.tag !== TAG.OctetString : msg.tag !== TAG.Sequence)
    throw new BerError('msgData does not match msgFlags');
  const data = buf.subarray(encrypted ? msg.start : msg.tlvStart, msg.stop);
  return {
    version: 'v3',
    msgId,
    maxSize,
    flags,
    securityModel,
    engineId: Buffer.from(engineId),
    engineBoots,
    engineTime,
    userName,
    authParams: buf.subarray(authParamsAt.start, authParamsAt.end),
    authParamsAt,
    privParams,
    data,
    encrypted,
    raw: buf,
  };
}

/** Decodes a plaintext ScopedPDU (after decryption when it was encrypted). */
export function decodeScopedPdu(plain: Buffer): ScopedPdu {
  const outer = new BerReader(plain);
  // Decrypted data carries block padding after the SEQUENCE; only the SEQUENCE counts.
  const s = outer.enter(TAG.Sequence, 'ScopedPDU');
  const contextEngineId = Buffer.from(s.octets('contextEngineID'));
  const contextName = s.octets('contextName').toString('utf8');
  const pdu = decodePdu(s);
  return { contextEngineId, contextName, pdu };
}
