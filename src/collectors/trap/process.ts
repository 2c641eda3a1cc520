/**
 * One datagram in, one outcome out: a notification to record (and maybe a reply to send), a reply alone
 * (engine discovery), or a drop with its reason. No sockets here, so it is testable and fuzzable directly.
 */
import { randomBytes } from 'node:crypto';
import type { SecurityLevel } from '../../model/device.ts';
import { BerError } from '../../model/ber.ts';
import { counterVarbindList, encodeCommunityMessage, encodePdu, encodeV3Message, type V3Security } from './encode.ts';
import { PDU, decodeMessage, decodeScopedPdu, type CommunityMessage, type Pdu, type V3Message } from './message.ts';
import { UsmKeyring, decrypt, levelAtLeast, levelOfFlags, requiredLevel, verifyMac, type UsmUser } from './usm.ts';

/** The receiver's own SNMP engine, authoritative for informs sent to it. */
export interface LocalEngine {
  id: Buffer;
  boots: number;
  /** Clock reading (ms) when this engine's boots began; engineTime counts seconds from here. */
  startMs: number;
}

export interface ProcessorOptions {
  communities: string[];
  acceptAnyCommunity: boolean;
  users: UsmUser[];
  engine: LocalEngine;
}

export type Outcome =
  | { kind: 'notification'; pdu: Pdu; version: 'v1' | 'v2c' | 'v3'; community?: string; user?: string; reply?: Buffer }
  | { kind: 'reply'; reply: Buffer; note: string }
  | { kind: 'drop'; reason: string; detail?: string; reply?: Buffer };

const USM_STATS = {
  notInTimeWindows: '1.3.6.1.6.3.15.1.1.2.0',
  unknownUserNames: '1.3.6.1.6.3.15.1.1.3.0',
  unknownEngineIDs: '1.3.6.1.6.3.15.1.1.4.0',
} as const;

/** RFC 3414 §3.2.7: authoritative receivers accept messages within 150 s of their own engine time. */
const TIME_WINDOW_S = 150;
/** Authenticated v3 messages remembered to refuse copies; under a storm the oldest go first (a shorter window). */
const RECENT_MAX = 50_000;

/**
 * Builds the datagram processor for one receiver configuration.
 * @example const p = createProcessor({ communities: ['public'], acceptAnyCommunity: false, users: [], engine }); p.process(buf, Date.now())
 */
export function createProcessor(opts: ProcessorOptions) {
  const communities = new Set(opts.communities);
  const keyring = new UsmKeyring(opts.users);
  const engine = opts.engine;
  const reportCounts = { notInTimeWindows: 0, unknownUserNames: 0, unknownEngineIDs: 0 };
  let saltCounter = BigInt('0x' + randomBytes(8).toString('hex'));
  const engineTime = (now: number) => Math.max(0, Math.floor((now - engine.startMs) / 1000));
  // Digests of authenticated v3 messages seen in the last TIME_WINDOW_S, oldest first. A sender never makes two
  // different messages with one digest, so a repeat is a replayed copy or an inform resent because our Response was
  // lost. (The RFC 3414 time check against a trap sender's own clock is not made: devices that reset engineBoots
  // would then lose every trap after a reboot.)
  // Keyed by 53 bits of the digest as a number: a string key per message (hex of engine ID and digest) cost a quarter
  // of v3 processing. Two different messages share a key with odds of ~1 in 10^11 per message at a full window.
  // A ring in arrival order beside the map expires and evicts from the front in constant time.
  const recent = new Map<number, number>();
  const ringKeys = new Float64Array(RECENT_MAX);
  const ringUntil = new Float64Array(RECENT_MAX);
  let ringHead = 0;
  let ringSize = 0;
  function seenBefore(m: V3Message, now: number): boolean {
    const d = m.authParams;
    if (d.length < 8) return false;
    const key = d.readUInt32BE(0) * 2 ** 21 + (d.readUInt32BE(4) >>> 11);
    while (ringSize > 0 && (ringUntil[ringHead] <= now || ringSize === RECENT_MAX)) {
      const old = ringKeys[ringHead];
      if (recent.get(old) === ringUntil[ringHead]) recent.delete(old);
      ringHead = (ringHead + 1) % RECENT_MAX;
      ringSize--;
    }
    const until = recent.get(key);
    if (until !== undefined && until > now) return true;
    const slot = (ringHead + ringSize) % RECENT_MAX;
    ringKeys[slot] = key;
    ringUntil[slot] = now + TIME_WINDOW_S * 1000;
    ringSize++;
    recent.set(key, ringUntil[slot]);
    return false;
  }

  function nextSalt(forDes: boolean): Buffer {
    saltCounter = (saltCounter + 1n) & 0xffffffffffffffffn;
    const salt = Buffer.alloc(8);
    salt.writeBigUInt64BE(saltCounter);
    // RFC 3414 §8.1.1.1: the DES salt starts with the engine's boots.
    if (forDes) salt.writeUInt32BE(engine.boots >>> 0, 0);
    return salt;
  }

  function processCommunity(m: CommunityMessage): Outcome {
    if (!opts.acceptAnyCommunity && !communities.has(m.community)) return { kind: 'drop', reason: 'bad-community' };
    const t = m.pdu.type;
    if (m.version === 'v1' ? t !== PDU.TrapV1 : t !== PDU.TrapV2 && t !== PDU.InformRequest)
      return { kind: 'drop', reason: 'unsupported-pdu' };
    const out: Outcome = { kind: 'notification', pdu: m.pdu, version: m.version, community: m.community };
    if (t === PDU.InformRequest)
      out.reply = encodeCommunityMessage(
        'v2c',
        m.community,
        encodePdu(PDU.Response, m.pdu.requestId, m.pdu.varbindsRaw),
      );
    return out;
  }

  function report(m: V3Message, requestId: number, stat: keyof typeof USM_STATS, sec: V3Security): Buffer {
    reportCounts[stat]++;
    const pdu = encodePdu(PDU.Report, requestId, counterVarbindList(USM_STATS[stat], reportCounts[stat]));
    return encodeV3Message(m.msgId, 65507, false, sec, engine.id, '', pdu);
  }

  function plainRequestId(m: V3Message): number {
    if (m.encrypted) return 0;
    try {
      return decodeScopedPdu(m.data).pdu.requestId;
    } catch {
      return 0;
    }
  }

  function processV3(m: V3Message, now: number): Outcome {
    const reportable = (m.flags & 4) !== 0;
    const ours = m.engineId.equals(engine.id);
    const local = { engineId: engine.id, engineBoots: engine.boots, engineTime: engineTime(now) };
    if (m.engineId.length === 0) {
      // Discovery (RFC 3414 §4): tell the sender our engine ID, boots and time, unauthenticated.
      if (!reportable) return { kind: 'drop', reason: 'unknown-engine-id' };
      return {
        kind: 'reply',
        note: 'discovery',
        reply: report(m, plainRequestId(m), 'unknownEngineIDs', { ...local, userName: m.userName }),
      };
    }
    const user = keyring.find(m.userName, m.engineId);
    if (!user) {
      const reason = keyring.hasUser(m.userName) ? 'unknown-engine-id' : 'unknown-user';
      const reply =
        ours && reportable
          ? report(m, plainRequestId(m), 'unknownUserNames', { ...local, userName: m.userName })
          : undefined;
      return { kind: 'drop', reason, reply };
    }
    const level: SecurityLevel = levelOfFlags(m.flags);
    if (!levelAtLeast(level, requiredLevel(user))) return { kind: 'drop', reason: 'bad-security-level' };
    if (level !== 'noAuthNoPriv' && !user.authProtocol) return { kind: 'drop', reason: 'bad-security-level' };
    if (level === 'authPriv' && !user.privProtocol) return { kind: 'drop', reason: 'bad-security-level' };
    const keys = keyring.keys(user, m.engineId);
    if (level !== 'noAuthNoPriv') {
      if (!verifyMac(user.authProtocol!, keys.authKey!, m.raw, m.authParamsAt))
        return { kind: 'drop', reason: 'wrong-digest' };
      if (ours && (m.engineBoots !== engine.boots || Math.abs(m.engineTime - local.engineTime) > TIME_WINDOW_S)) {
        const sec: V3Security = {
          ...local,
          userName: m.userName,
          auth: { protocol: user.authProtocol!, key: keys.authKey! },
        };
        return {
          kind: 'drop',
          reason: 'not-in-time-window',
          reply: reportable ? report(m, 0, 'notInTimeWindows', sec) : undefined,
        };
      }
    }
    const duplicate = level !== 'noAuthNoPriv' && seenBefore(m, now);
    let plain = m.data;
    if (m.encrypted) {
      try {
        plain = decrypt(user.privProtocol!, keys.privKey!, m.data, m.privParams, m.engineBoots, m.engineTime);
      } catch (e) {
        return { kind: 'drop', reason: 'decryption-error', detail: (e as Error).message };
      }
    }
    let scoped;
    try {
      scoped = decodeScopedPdu(plain);
    } catch (e) {
      return { kind: 'drop', reason: m.encrypted ? 'decryption-error' : 'malformed', detail: (e as Error).message };
    }
    const t = scoped.pdu.type;
    if (t !== PDU.TrapV2 && t !== PDU.InformRequest) return { kind: 'drop', reason: 'unsupported-pdu' };
    const out: Outcome = { kind: 'notification', pdu: scoped.pdu, version: 'v3', user: m.userName };
    if (t === PDU.InformRequest) {
      // Informs are sent to the receiver's engine (RFC 3412 §7.1): anything else cannot be answered securely.
      if (!ours) return { kind: 'drop', reason: 'unknown-engine-id' };
      const sec: V3Security = { ...local, userName: m.userName };
      if (level !== 'noAuthNoPriv') sec.auth = { protocol: user.authProtocol!, key: keys.authKey! };
      if (level === 'authPriv')
        sec.priv = { protocol: user.privProtocol!, key: keys.privKey!, salt: nextSalt(user.privProtocol === 'des') };
      out.reply = encodeV3Message(
        m.msgId,
        65507,
        false,
        sec,
        scoped.contextEngineId,
        scoped.contextName,
        encodePdu(PDU.Response, scoped.pdu.requestId, scoped.pdu.varbindsRaw),
      );
    }
    // A copy is not recorded twice; a resent inform is answered again so that its sender stops resending.
    if (duplicate) return { kind: 'drop', reason: 'duplicate', reply: out.reply };
    return out;
  }

  return {
    /** Decodes and authenticates one datagram. Never throws. */
    process(buf: Buffer, now: number): Outcome {
      try {
        const m = decodeMessage(buf);
        return m.version === 'v3' ? processV3(m, now) : processCommunity(m);
      } catch (e) {
        if (e instanceof BerError) return { kind: 'drop', reason: e.reason, detail: e.message };
        return { kind: 'drop', reason: 'malformed', detail: (e as Error).message };
      }
    },
    /** The security algorithms in use, for start-up checks (DES needs OpenSSL's legacy provider). */
    needsDes: opts.users.some((u) => u.privProtocol === 'des'),
  };
}

export type TrapProcessor = ReturnType<typeof createProcessor>;
