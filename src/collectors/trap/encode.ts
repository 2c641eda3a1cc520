/**
 * Encoding of the few messages a notification receiver sends back (pure): Response PDUs acknowledging
 * informs, and USM Report PDUs for engine discovery and time synchronisation.
 */
import type { AuthProtocol, PrivProtocol } from '../../model/device.ts';
import { TAG, integer, octets, oid, seq, tlv, unsigned } from '../../model/ber.ts';
import { PDU } from './message.ts';
import { AUTH_ALGORITHMS, computeMac, encrypt } from './usm.ts';

/** A PDU with an already-encoded varbind list. */
export function encodePdu(
  type: number,
  requestId: number,
  varbindList: Buffer,
  errorStatus = 0,
  errorIndex = 0,
): Buffer {
  return tlv(type, Buffer.concat([integer(requestId), integer(errorStatus), integer(errorIndex), varbindList]));
}

/** A varbind list of one Counter32 (what USM reports carry). */
export const counterVarbindList = (name: string, value: number) => seq(seq(oid(name), unsigned(value, TAG.Counter32)));

export function encodeCommunityMessage(version: 'v1' | 'v2c', community: string, pdu: Buffer): Buffer {
  return seq(integer(version === 'v1' ? 0 : 1), octets(Buffer.from(community, 'latin1')), pdu);
}

export interface V3Security {
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  auth?: { protocol: AuthProtocol; key: Buffer };
  priv?: { protocol: PrivProtocol; key: Buffer; salt: Buffer };
}

/** A whole SNMPv3 message: encrypts the scoped PDU when `priv` is given and signs when `auth` is. */
export function encodeV3Message(
  msgId: number,
  maxSize: number,
  reportable: boolean,
  sec: V3Security,
  contextEngineId: Buffer,
  contextName: string,
  pdu: Buffer,
): Buffer {
  const flags = (sec.auth ? 1 : 0) | (sec.auth && sec.priv ? 2 : 0) | (reportable ? 4 : 0);
  const scoped = seq(octets(contextEngineId), octets(contextName), pdu);
  let data: Buffer = scoped;
  let privParams: Buffer = Buffer.alloc(0);
  if (sec.auth && sec.priv) {
    privParams = sec.priv.salt;
    data = octets(encrypt(sec.priv.protocol, sec.priv.key, scoped, sec.priv.salt, sec.engineBoots, sec.engineTime));
  }
  const macLength = sec.auth ? AUTH_ALGORITHMS[sec.auth.protocol].macLength : 0;
  const before = Buffer.concat([
    octets(sec.engineId),
    integer(sec.engineBoots),
    integer(sec.engineTime),
    octets(sec.userName),
  ]);
  const usm = seq(before, octets(Buffer.alloc(macLength)), octets(privParams));
  const header = seq(integer(msgId), integer(maxSize), octets(Buffer.from([flags])), integer(3));
  const msg = seq(integer(3), header, octets(usm), data);
  if (sec.auth) {
    // The MAC placeholder sits after the USM SEQUENCE header, the four fields before it, and its own 2-byte header.
    const usmHeaderLength = usm.length - (before.length + 2 + macLength + 2 + privParams.length);
    const at = msg.indexOf(usm) + usmHeaderLength + before.length + 2;
    computeMac(sec.auth.protocol, sec.auth.key, msg, { start: at, end: at + macLength }).copy(msg, at);
  }
  return msg;
}

export { PDU };
