/**
 * Login throttling per (user name, client address): after a few failures each further attempt must wait
 * a delay that doubles, up to a ceiling. In memory on purpose: a restart forgives, which is the usual trade.
 */
export interface Lockout {
  /** Milliseconds the caller must still wait, or 0 when an attempt is allowed now. */
  waitMs(key: string, now: number): number;
  fail(key: string, now: number): void;
  /** Forgets the key: a right password after failures. */
  succeed(key: string): void;
  /** Takes back one failure counted before a check that then passed (the per-address count keeps the others). */
  undoFailure(key: string): void;
}

export function createLockout(
  opts: {
    freeFailures?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    maxKeys?: number;
    forgetAfterMs?: number;
  } = {},
): Lockout {
  const free = opts.freeFailures ?? 3;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 15 * 60_000;
  const maxKeys = opts.maxKeys ?? 10_000;
  // A key with no failure for this long starts again from zero (an office behind one address is not punished forever).
  const forget = opts.forgetAfterMs ?? Infinity;
  const entries = new Map<string, { failures: number; until: number; lastTs: number }>();
  return {
    waitMs(key, now) {
      const e = entries.get(key);
      return e ? Math.max(0, e.until - now) : 0;
    },
    fail(key, now) {
      let e = entries.get(key);
      if (!e || now - e.lastTs > forget) e = { failures: 0, until: 0, lastTs: now };
      e.lastTs = now;
      e.failures++;
      const over = e.failures - free;
      e.until = over > 0 ? now + Math.min(max, base * 2 ** (over - 1)) : 0;
      entries.delete(key);
      entries.set(key, e);
      // Bounded memory under a spray of names: forget the oldest keys.
      while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
    },
    succeed(key) {
      entries.delete(key);
    },
    undoFailure(key) {
      const e = entries.get(key);
      if (!e) return;
      e.failures = Math.max(0, e.failures - 1);
      const over = e.failures - free;
      e.until = over > 0 ? Math.min(e.until, e.lastTs + Math.min(max, base * 2 ** (over - 1))) : 0;
    },
  };
}

export const lockoutKey = (user: string, address: string) => `${user.toLowerCase()}\u0000${address}`;
export const addressKey = (address: string) => `\u0001${address}`;
