/**
 * SNMPv3 User-based Security Model (RFC 3414, RFC 7860 for SHA-2, RFC 3826 for AES-128,
 * draft-blumenthal-aes-usm-04 and draft-reeder-snmpv3-usm-3desede-00 for AES-192/256 key extension).
 * Keys are derived from passwords once per user and localized once per engine ID, then cached:
 * password-to-key hashes a megabyte, far too slow to repeat per message.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuthProtocol, PrivProtocol, SecurityLevel } from '../../model/device.ts';
import { BerError } from '../../model/ber.ts';

interface AuthAlgo {
  hash: string;
  keyLength: number;
  macLength: number;
}
export const AUTH_ALGORITHMS: Record<AuthProtocol, AuthAlgo> = {
  md5: { hash: 'md5', keyLength: 16, macLength: 12 },
  sha: { hash: 'sha1', keyLength: 20, macLength: 12 },
  sha224: { hash: 'sha224', keyLength: 28, macLength: 16 },
  sha256: { hash: 'sha256', keyLength: 32, macLength: 24 },
  sha384: { hash: 'sha384', keyLength: 48, macLength: 32 },
  sha512: { hash: 'sha512', keyLength: 64, macLength: 48 },
};

interface PrivAlgo {
  cipher: string;
  keyLength: number;
  extend: 'none' | 'blumenthal' | 'reeder';
}
export const PRIV_ALGORITHMS: Record<PrivProtocol, PrivAlgo> = {
  des: { cipher: 'des-cbc', keyLength: 8, extend: 'none' },
  aes: { cipher: 'aes-128-cfb', keyLength: 16, extend: 'none' },
  aes192: { cipher: 'aes-192-cfb', keyLength: 24, extend: 'blumenthal' },
  aes256: { cipher: 'aes-256-cfb', keyLength: 32, extend: 'blumenthal' },
  aes192c: { cipher: 'aes-192-cfb', keyLength: 24, extend: 'reeder' },
  aes256c: { cipher: 'aes-256-cfb', keyLength: 32, extend: 'reeder' },
};

/** A configured USM user as the receiver knows it. */
export interface UsmUser {
  user: string;
  authProtocol?: AuthProtocol;
  authKey?: string;
  privProtocol?: PrivProtocol;
  privKey?: string;
  /** Hex engine ID of the sender this entry is for; absent: any engine (keys localized per engine on first use). */
  engineId?: string;
  /** Least security level accepted from this user; default the strongest the entry has keys for. */
  securityLevel?: SecurityLevel;
}

/** RFC 3414 A.2: hash of the password repeated to 1 MiB. */
export function passwordToKey(auth: AuthProtocol, password: string | Buffer): Buffer {
  const pw = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (pw.length === 0) throw new Error('empty USM password');
  const total = 1_048_576;
  const chunk = Buffer.alloc(pw.length * Math.ceil(8192 / pw.length));
  for (let i = 0; i < chunk.length; i += pw.length) pw.copy(chunk, i);
  const h = createHash(AUTH_ALGORITHMS[auth].hash);
  // Repeating whole multiples of the password keeps the stream aligned with the RFC's byte-by-byte loop.
  let done = 0;
  while (done + chunk.length <= total) {
    h.update(chunk);
    done += chunk.length;
  }
  if (done < total) h.update(chunk.subarray(0, total - done));
  return h.digest();
}

/** RFC 3414 A.2: Kul = H(Ku || engineID || Ku). */
export function localizeKey(auth: AuthProtocol, ku: Buffer, engineId: Buffer): Buffer {
  return createHash(AUTH_ALGORITHMS[auth].hash).update(ku).update(engineId).update(ku).digest();
}

/** The privacy key material (key, and for DES the pre-IV) for a localized privacy key. */
export function privKeyFor(auth: AuthProtocol, priv: PrivProtocol, privKul: Buffer, engineId: Buffer): Buffer {
  const algo = PRIV_ALGORITHMS[priv];
  const need = priv === 'des' ? 16 : algo.keyLength;
  let key = privKul;
  if (key.length < need && algo.extend === 'blumenthal') {
    while (key.length < need) key = Buffer.concat([key, createHash(AUTH_ALGORITHMS[auth].hash).update(key).digest()]);
  } else if (key.length < need && algo.extend === 'reeder') {
    let last = privKul;
    while (key.length < need) {
      last = localizeKey(auth, passwordToKey(auth, last), engineId);
      key = Buffer.concat([key, last]);
    }
  }
  if (key.length < need) throw new Error(`${priv} needs ${need} key bytes; ${auth} gives ${key.length}`);
  return key.subarray(0, need);
}

export interface LocalizedKeys {
  user: UsmUser;
  authKey?: Buffer;
  privKey?: Buffer;
}

/** Every user's keys, derived lazily and cached per (user entry, engine ID). */
export class UsmKeyring {
  private readonly byName = new Map<string, UsmUser[]>();
  private readonly ku = new Map<UsmUser, { auth?: Buffer; priv?: Buffer }>();
  private readonly localized = new Map<string, LocalizedKeys>();
  constructor(users: UsmUser[]) {
    for (const u of users) {
      const list = this.byName.get(u.user) ?? [];
      list.push(u);
      this.byName.set(u.user, list);
    }
  }

  hasUser(name: string): boolean {
    return this.byName.has(name);
  }

  /** The user entry for this name and engine: one configured for that engine first, else one for any engine. */
  find(name: string, engineId: Buffer): UsmUser | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    const hex = engineId.toString('hex');
    return list.find((u) => u.engineId?.toLowerCase() === hex) ?? list.find((u) => !u.engineId);
  }

  keys(user: UsmUser, engineId: Buffer): LocalizedKeys {
    const cacheKey = `${user.user}\u0000${user.engineId ?? ''}\u0000${engineId.toString('hex')}`;
    let k = this.localized.get(cacheKey);
    if (k) return k;
    let ku = this.ku.get(user);
    if (!ku) {
      ku = {};
      if (user.authProtocol && user.authKey) ku.auth = passwordToKey(user.authProtocol, user.authKey);
      if (user.authProtocol && user.privProtocol && user.privKey)
        ku.priv = passwordToKey(user.authProtocol, user.privKey);
      this.ku.set(user, ku);
    }
    k = { user };
    if (ku.auth && user.authProtocol) k.authKey = localizeKey(user.authProtocol, ku.auth, engineId);
    if (ku.priv && user.authProtocol && user.privProtocol)
      k.privKey = privKeyFor(
        user.authProtocol,
        user.privProtocol,
        localizeKey(user.authProtocol, ku.priv, engineId),
        engineId,
      );
    // Bound the cache: senders that change engine ID on every message must not grow memory without end.
    if (this.localized.size >= 10_000) this.localized.clear();
    this.localized.set(cacheKey, k);
    return k;
  }
}

/** HMAC of the whole message with its authentication parameters zeroed. */
export function computeMac(
  auth: AuthProtocol,
  key: Buffer,
  message: Buffer,
  at: { start: number; end: number },
): Buffer {
  const copy = Buffer.from(message);
  copy.fill(0, at.start, at.end);
  return createHmac(AUTH_ALGORITHMS[auth].hash, key).update(copy).digest().subarray(0, AUTH_ALGORITHMS[auth].macLength);
}

export function verifyMac(
  auth: AuthProtocol,
  key: Buffer,
  message: Buffer,
  at: { start: number; end: number },
): boolean {
  const got = message.subarray(at.start, at.end);
  if (got.length !== AUTH_ALGORITHMS[auth].macLength) return false;
  return timingSafeEqual(got, computeMac(auth, key, message, at));
}

function aesIv(boots: number, time: number, salt: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(boots >>> 0, 0);
  iv.writeUInt32BE(time >>> 0, 4);
  salt.copy(iv, 8, 0, 8);
  return iv;
}

/** Decrypts an encrypted scoped PDU. */
export function decrypt(
  priv: PrivProtocol,
  key: Buffer,
  data: Buffer,
  privParams: Buffer,
  boots: number,
  time: number,
): Buffer {
  if (privParams.length !== 8)
    throw new BerError(`msgPrivacyParameters of ${privParams.length} bytes`, 'decryption-error');
  if (priv === 'des') {
    if (data.length % 8 !== 0) throw new BerError('DES data not a multiple of 8 bytes', 'decryption-error');
    const iv = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) iv[i] = key[8 + i] ^ privParams[i];
    const d = createDecipheriv('des-cbc', key.subarray(0, 8), iv);
    d.setAutoPadding(false);
    return Buffer.concat([d.update(data), d.final()]);
  }
  const d = createDecipheriv(PRIV_ALGORITHMS[priv].cipher, key, aesIv(boots, time, privParams));
  return Buffer.concat([d.update(data), d.final()]);
}

/** Encrypts a scoped PDU for a response; `salt` is 8 bytes the caller makes unique per message. */
export function encrypt(
  priv: PrivProtocol,
  key: Buffer,
  plain: Buffer,
  salt: Buffer,
  boots: number,
  time: number,
): Buffer {
  if (priv === 'des') {
    const padded = Buffer.alloc(Math.ceil(plain.length / 8) * 8);
    plain.copy(padded);
    const iv = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) iv[i] = key[8 + i] ^ salt[i];
    const c = createCipheriv('des-cbc', key.subarray(0, 8), iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(padded), c.final()]);
  }
  const c = createCipheriv(PRIV_ALGORITHMS[priv].cipher, key, aesIv(boots, time, salt));
  return Buffer.concat([c.update(plain), c.final()]);
}

/** The security level a message's flags ask for. */
export const levelOfFlags = (flags: number): SecurityLevel =>
  flags & 2 ? 'authPriv' : flags & 1 ? 'authNoPriv' : 'noAuthNoPriv';
const RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };
export const levelAtLeast = (have: SecurityLevel, need: SecurityLevel) => RANK[have] >= RANK[need];

/** The least level a user entry accepts: its configured one, else the strongest its keys allow. */
export function requiredLevel(u: UsmUser): SecurityLevel {
  if (u.securityLevel) return u.securityLevel;
  if (u.privProtocol && u.privKey) return 'authPriv';
  if (u.authProtocol && u.authKey) return 'authNoPriv';
  return 'noAuthNoPriv';
}
