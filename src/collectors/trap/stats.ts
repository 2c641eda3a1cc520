/** Receiver counters: totals, drops per reason, and per source address (bounded). */
export interface SourceCounters {
  received: number;
  accepted: number;
  dropped: number;
  reasons: Record<string, number>;
}

export class TrapCounters {
  received = 0;
  accepted = 0;
  dropped = 0;
  informsAcknowledged = 0;
  discoveries = 0;
  reportsSent = 0;
  readonly reasons: Record<string, number> = {};
  private readonly sources = new Map<string, SourceCounters>();
  private readonly maxSources: number;
  constructor(maxSources = 1000) {
    this.maxSources = maxSources;
  }

  private source(address: string): SourceCounters {
    let s = this.sources.get(address);
    if (!s) {
      // Past the bound, new addresses share one bucket so that a spoofing flood cannot grow memory.
      const key = this.sources.size >= this.maxSources ? 'other' : address;
      s = this.sources.get(key);
      if (!s) this.sources.set(key, (s = { received: 0, accepted: 0, dropped: 0, reasons: {} }));
    }
    return s;
  }

  receivedFrom(address: string): void {
    this.received++;
    this.source(address).received++;
  }

  acceptedFrom(address: string): void {
    this.accepted++;
    this.source(address).accepted++;
  }

  droppedFrom(address: string, reason: string): void {
    this.dropped++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    const s = this.source(address);
    s.dropped++;
    s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
  }

  snapshot(): Record<string, unknown> {
    return {
      received: this.received,
      accepted: this.accepted,
      dropped: this.dropped,
      informsAcknowledged: this.informsAcknowledged,
      discoveries: this.discoveries,
      reportsSent: this.reportsSent,
      dropReasons: { ...this.reasons },
      sources: Object.fromEntries([...this.sources].map(([k, v]) => [k, { ...v, reasons: { ...v.reasons } }])),
    };
  }
}
