/**
 * Flapping: an event key (an interface, a device, a link) that opens and clears more than `maxChanges` times within
 * `windowM` minutes is flapping until it has not changed for `settleM` minutes. Pure bookkeeping: the core opens the
 * "flapping" event and holds back the individual notifications meanwhile.
 */

export interface FlappingConfig {
  enabled: boolean;
  /** More state changes (opens and clears) than this within the window is flapping. */
  maxChanges: number;
  windowM: number;
  /** Flapping ends after this long without a change. */
  settleM: number;
}

interface KeyState {
  /** Times of the recent changes, oldest first (only those within the window are kept). */
  times: number[];
  flapping: boolean;
  last: number;
}

/** Dedup key of the flapping event of an event key. */
export const flappingKey = (key: string) => `flapping:${key}`;

export class FlapTracker {
  private readonly keys = new Map<string, KeyState>();
  constructor(private readonly cfg: FlappingConfig) {}

  /**
   * Records that the event of `key` opened or cleared at `ts`. Returns 'started' when this change makes it flapping,
   * 'flapping' while it already is, else undefined.
   */
  change(key: string, ts: number): 'started' | 'flapping' | undefined {
    if (!this.cfg.enabled) return undefined;
    let s = this.keys.get(key);
    if (!s) this.keys.set(key, (s = { times: [], flapping: false, last: ts }));
    s.last = Math.max(s.last, ts);
    s.times.push(ts);
    const since = ts - this.cfg.windowM * 60_000;
    let drop = 0;
    while (drop < s.times.length && s.times[drop] < since) drop++;
    if (drop) s.times.splice(0, drop);
    if (s.flapping) return 'flapping';
    if (s.times.length > this.cfg.maxChanges) {
      s.flapping = true;
      return 'started';
    }
    return undefined;
  }

  isFlapping(key: string): boolean {
    return this.keys.get(key)?.flapping ?? false;
  }

  /** Changes within the window (for the flapping event's summary). */
  recentChanges(key: string): number {
    return this.keys.get(key)?.times.length ?? 0;
  }

  /** Keys that were flapping and have been quiet for `settleM` (they stop flapping); forgets quiet keys. */
  settle(now: number): string[] {
    const out: string[] = [];
    const quietSince = now - this.cfg.settleM * 60_000;
    const windowStart = now - this.cfg.windowM * 60_000;
    for (const [key, s] of this.keys) {
      if (s.flapping) {
        if (s.last <= quietSince) {
          out.push(key);
          this.keys.delete(key);
        }
      } else if (s.last < windowStart) this.keys.delete(key);
    }
    return out;
  }

  /** Marks keys as flapping again after a restart (their flapping events were loaded from the store). */
  restore(key: string, last: number): void {
    this.keys.set(key, { times: [], flapping: true, last });
  }

  get size(): number {
    return this.keys.size;
  }
}
