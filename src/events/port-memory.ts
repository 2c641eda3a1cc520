/**
 * What the engine remembers of every interface between polls and across restarts: its last operStatus and whether
 * it was ever seen up. One number per interface (status × 2 + seen-up bit), so 100,000 interfaces cost a few MB.
 */
import type { InterfaceState } from '../model/records.ts';

const UP = 1;

/** A stored interface as the engine is seeded with it at start. */
export interface RememberedPort {
  deviceId: string;
  ifIndex: number;
  operStatus?: number;
  seenUp: boolean;
}

export class PortMemory {
  private readonly byDevice = new Map<string, Map<number, number>>();

  /** Seeds from the store, so that a port that went down while Vigil was stopped still counts as a change. */
  load(rows: Iterable<RememberedPort>): void {
    for (const r of rows) this.set(r.deviceId, r.ifIndex, r.operStatus, r.seenUp);
  }

  private set(deviceId: string, ifIndex: number, oper: number | undefined, seenUp: boolean) {
    let m = this.byDevice.get(deviceId);
    if (!m) this.byDevice.set(deviceId, (m = new Map()));
    m.set(ifIndex, ((oper ?? 0) << 1) | (seenUp ? 1 : 0));
  }

  /** The port as remembered: undefined when never seen. */
  get(deviceId: string, ifIndex: number): { operStatus?: number; seenUp: boolean } | undefined {
    const v = this.byDevice.get(deviceId)?.get(ifIndex);
    if (v === undefined) return undefined;
    const oper = v >> 1;
    return { ...(oper ? { operStatus: oper } : {}), seenUp: (v & 1) === 1 };
  }

  /**
   * Records a poll's state; returns the operStatus before it and the seen-up flag after. Before is what was
   * remembered, else what the record says (the poller's own previous poll, or a replayed change), else undefined.
   */
  observe(s: InterfaceState): { previous?: number; seenUp: boolean } {
    const before = this.get(s.deviceId, s.ifIndex);
    const previous = before?.operStatus ?? s.previousOperStatus;
    const seenUp = (before?.seenUp ?? false) || s.operStatus === UP || previous === UP;
    this.set(s.deviceId, s.ifIndex, s.operStatus ?? previous, seenUp);
    return { ...(previous !== undefined ? { previous } : {}), seenUp };
  }

  /** Drops devices no longer in the inventory. */
  retain(ids: Set<string>): void {
    for (const id of this.byDevice.keys()) if (!ids.has(id)) this.byDevice.delete(id);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byDevice.values()) n += m.size;
    return n;
  }
}
