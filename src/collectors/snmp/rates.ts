/**
 * Counter maths (pure): deltas across 32/64-bit wraps, per-second rates, utilisation, and the
 * reset rules. A reset (reboot, counter discontinuity) is a gap — undefined — never a spike.
 */

/** Counter32 as a number, Counter64 as a decimal string or bigint (as VarBind carries it). */
export type CounterValue = number | string | bigint;

export interface CounterReading {
  value: CounterValue;
  /** Seconds on the time base used for rates (agent uptime when known, else poll time). */
  timeS: number;
}

const toBig = (v: CounterValue): bigint | undefined => {
  try {
    const b = typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? Math.trunc(v) : v.trim());
    return b < 0n ? undefined : b;
  } catch {
    return undefined;
  }
};

/**
 * Increase of a counter from `prev` to `cur`. A decrease on a 32-bit counter is taken as one wrap;
 * on a 64-bit counter it cannot be a wrap in practice, so it is a reset: undefined.
 * @example counterDelta(4294967000, 200, 32) // 496n
 */
export function counterDelta(prev: CounterValue, cur: CounterValue, wrapBits: 32 | 64): bigint | undefined {
  const p = toBig(prev);
  const c = toBig(cur);
  if (p === undefined || c === undefined) return undefined;
  const modulus = 1n << BigInt(wrapBits);
  if (p >= modulus || c >= modulus) return undefined;
  if (c >= p) return c - p;
  if (wrapBits === 64) return undefined;
  return c + modulus - p;
}

/**
 * Per-second rate between two readings, or undefined (a gap) when there is no previous reading,
 * no time passed, the delta is not a counter increase, or it exceeds `maxPerSecond` (a wrap that was
 * really an unnoticed reset).
 * @example counterRate({ value: 100, timeS: 0 }, { value: 700, timeS: 60 }, 32) // 10
 */
export function counterRate(
  prev: CounterReading | undefined,
  cur: CounterReading,
  wrapBits: 32 | 64,
  maxPerSecond?: number,
): number | undefined {
  if (!prev) return undefined;
  const dt = cur.timeS - prev.timeS;
  if (!(dt > 0)) return undefined;
  const delta = counterDelta(prev.value, cur.value, wrapBits);
  if (delta === undefined) return undefined;
  const rate = Number(delta) / dt;
  if (maxPerSecond !== undefined && maxPerSecond > 0 && rate > maxPerSecond) return undefined;
  return rate;
}

/** Octet rate → bits per second. */
export const octetsToBps = (octetsPerSecond: number | undefined) =>
  octetsPerSecond === undefined ? undefined : octetsPerSecond * 8;

/** Utilisation % of a link of `speedBps`; undefined when the speed is unknown or zero. Capped at 100 only by truth: no clamp. */
export function utilisationPct(bps: number | undefined, speedBps: number | undefined): number | undefined {
  if (bps === undefined || !speedBps || speedBps <= 0) return undefined;
  return (bps / speedBps) * 100;
}

const UPTIME_MODULUS_CS = 2 ** 32;

/**
 * True when the agent restarted between two polls: sysUpTime went back. A sysUpTime that wrapped
 * at 2^32 centiseconds (497 days) is not a restart when the wrapped delta matches the wall-clock gap.
 */
export function uptimeWentBack(prevCs: number | undefined, curCs: number | undefined, wallElapsedS?: number): boolean {
  if (prevCs === undefined || curCs === undefined) return false;
  if (curCs >= prevCs) return false;
  if (wallElapsedS !== undefined) {
    const wrappedS = (curCs + UPTIME_MODULUS_CS - prevCs) / 100;
    if (prevCs > UPTIME_MODULUS_CS * 0.9 && Math.abs(wrappedS - wallElapsedS) <= Math.max(5, wallElapsedS * 0.1))
      return false;
  }
  return true;
}

/** True when an interface's counters are not comparable with the previous poll (RFC 2863 ifCounterDiscontinuityTime). */
export function discontinuityChanged(prev: number | undefined, cur: number | undefined): boolean {
  return prev !== undefined && cur !== undefined && prev !== cur;
}

/**
 * The time base for rates: agent uptime in seconds when both polls have it and it moved forward
 * (exact, free of poll jitter), else poll wall-clock time.
 */
export function rateTimes(
  prev: { uptimeCs?: number; wallMs: number } | undefined,
  cur: { uptimeCs?: number; wallMs: number },
): { prevS: number; curS: number } | undefined {
  if (!prev) return undefined;
  if (prev.uptimeCs !== undefined && cur.uptimeCs !== undefined && cur.uptimeCs > prev.uptimeCs) {
    return { prevS: prev.uptimeCs / 100, curS: cur.uptimeCs / 100 };
  }
  return { prevS: prev.wallMs / 1000, curS: cur.wallMs / 1000 };
}
