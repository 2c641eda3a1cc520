/** The receiver's own SNMP engine identity (RFC 3411 SnmpEngineID) and its boots counter. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { LocalEngine } from './process.ts';

/** Where the engine's boots (and derived ID) persist across restarts; the store's KV satisfies it. */
export interface EngineStateStore {
  getKv<T = unknown>(key: string): Promise<T | undefined>;
  setKv(key: string, value: unknown): Promise<void>;
}

const KV_KEY = 'traps.engine';

/**
 * A stable engine ID: format 5 (administratively assigned octets) under enterprise 0, from a hash of the host
 * name and port, so that senders that cached it keep working across restarts without configuration.
 */
export function deriveEngineId(host = hostname(), port = 162): Buffer {
  const digest = createHash('sha256').update(`vigil-traps:${host}:${port}`).digest();
  return Buffer.concat([Buffer.from([0x80, 0x00, 0x00, 0x00, 0x05]), digest.subarray(0, 12)]);
}

/** Loads (or creates) the engine, bumping its boots as RFC 3414 requires on every start (collector start only). */
export async function loadLocalEngine(opts: {
  configuredId?: string;
  port: number;
  now: number;
  kv?: EngineStateStore;
}): Promise<LocalEngine> {
  const saved = await opts.kv?.getKv<{ engineId: string; boots: number }>(KV_KEY);
  const id = opts.configuredId
    ? Buffer.from(opts.configuredId, 'hex')
    : saved?.engineId
      ? Buffer.from(saved.engineId, 'hex')
      : deriveEngineId(undefined, opts.port);
  const sameEngine = saved?.engineId === id.toString('hex');
  const boots = Math.min(2147483646, (sameEngine ? saved!.boots : 0) + 1);
  await opts.kv?.setKv(KV_KEY, { engineId: id.toString('hex'), boots });
  return { id, boots, startMs: opts.now };
}
