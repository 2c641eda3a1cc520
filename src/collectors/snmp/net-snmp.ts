/**
 * The npm `net-snmp` package, loaded once with the narrow types Vigil uses (it ships no typings,
 * and a global `declare module` would collide with other modules' declarations).
 * Also registers AES-192 (Blumenthal and Reeder key extension), which net-snmp 3.x lacks but whose
 * machinery (AES-CFB + both key localisations) it already has.
 */
import { createRequire } from 'node:module';

export interface RawVarBind {
  oid: string;
  type: number;
  value: unknown;
}
export type Callback<T> = (error: Error | null, result: T) => void;

export interface RawSession {
  get(oids: string[], cb: Callback<RawVarBind[]>): void;
  getNext(oids: string[], cb: Callback<RawVarBind[]>): void;
  getBulk(
    oids: string[],
    nonRepeaters: number,
    maxRepetitions: number,
    cb: Callback<RawVarBind[] | RawVarBind[][]>,
  ): void;
  set(varbinds: RawVarBind[], cb: Callback<RawVarBind[]>): void;
  close(): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

export interface NetSnmp {
  createSession(target: string, community: string, options: Record<string, unknown>): RawSession;
  createV3Session(target: string, user: Record<string, unknown>, options: Record<string, unknown>): RawSession;
  isVarbindError(vb: RawVarBind): boolean;
  varbindError(vb: RawVarBind): string;
  Version1: number;
  Version2c: number;
  Version3: number;
  ObjectType: Record<string | number, string | number>;
  SecurityLevel: Record<string, number>;
  AuthProtocols: Record<string | number, string | number>;
  PrivProtocols: Record<string | number, string | number>;
  ErrorStatus: Record<string | number, string | number>;
  ResponseInvalidCode: Record<string | number, string | number>;
  Encryption: { algorithms: Record<number, unknown> } & Record<string, unknown>;
}

const require = createRequire(import.meta.url);
export const snmp = require('net-snmp') as NetSnmp;

/** net-snmp numeric ids for the AES-192 variants Vigil adds (ids unused by net-snmp 3.x). */
export const AES192_BLUMENTHAL = 5;
export const AES192_REEDER = 7;

function registerAes192(): void {
  const { PrivProtocols, Encryption } = snmp;
  if (Encryption.algorithms[AES192_BLUMENTHAL]) return;
  const base = {
    CRYPTO_ALGORITHM: 'aes-192-cfb',
    KEY_LENGTH: 24,
    BLOCK_LENGTH: 16,
    encryptPdu: Encryption.encryptPduAes,
    decryptPdu: Encryption.decryptPduAes,
  };
  Encryption.algorithms[AES192_BLUMENTHAL] = {
    ...base,
    localizationAlgorithm: Encryption.generateLocalizedKeyBlumenthal,
  };
  Encryption.algorithms[AES192_REEDER] = { ...base, localizationAlgorithm: Encryption.generateLocalizedKeyReeder };
  PrivProtocols[AES192_BLUMENTHAL] = 'aes192b';
  PrivProtocols.aes192b = AES192_BLUMENTHAL;
  PrivProtocols[AES192_REEDER] = 'aes192r';
  PrivProtocols.aes192r = AES192_REEDER;
}
registerAes192();
