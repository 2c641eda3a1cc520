import { randomUUID } from 'node:crypto';
import type { EventSignal } from '../model/signal.ts';
import { type EventChange, type EventHistoryEntry, type VigilEvent, SEVERITY_RANK } from '../model/events.ts';

/** A signal as the engine handles it: the evaluator's signal plus engine-level hints. */
export interface EngineSignal extends EventSignal {
  /** Clear the event when nothing raised it again for this long. */
  clearAfterS?: number;
  /** Correlation: hold back the notifications of the cause events. */
  suppressCauses?: boolean;
}

export interface BookChange {
  event: VigilEvent;
  change: EventChange;
  history: EventHistoryEntry[];
  /** For updates: the severity got worse. */
  escalated?: boolean;
}

/**
 * The events not yet cleared, by dedup key: where signals become events.
 * Pure state (no store, no bus) so that the live engine and dry-runs share it.
 */
export class EventBook {
  private readonly byKey = new Map<string, VigilEvent>();
  private readonly byId = new Map<string, VigilEvent>();
  constructor(private readonly newId: () => string = randomUUID) {}

  /** Puts back events loaded from the store (after a restart). */
  load(events: VigilEvent[]): void {
    for (const e of events) if (e.state !== 'cleared') this.track(e);
  }
  private track(e: VigilEvent) {
    this.byKey.set(e.dedupKey, e);
    this.byId.set(e.id, e);
  }
  private untrack(e: VigilEvent) {
    this.byKey.delete(e.dedupKey);
    this.byId.delete(e.id);
  }
  get(id: string): VigilEvent | undefined {
    return this.byId.get(id);
  }
  byDedupKey(key: string): VigilEvent | undefined {
    return this.byKey.get(key);
  }
  active(): IterableIterator<VigilEvent> {
    return this.byId.values();
  }
  get size(): number {
    return this.byId.size;
  }

  /** Opens, updates or clears the event the signal names; undefined when a clear finds nothing open. */
  apply(s: EngineSignal): BookChange | undefined {
    const existing = this.byKey.get(s.dedupKey);
    if (s.action === 'clear') {
      if (!existing) return undefined;
      return this.clear(existing, s.ts, 'system', 'recovered', s.summary);
    }
    if (existing) {
      const history: EventHistoryEntry[] = [];
      existing.count++;
      if (s.ts > existing.lastSeen) existing.lastSeen = s.ts;
      existing.summary = s.summary;
      if (s.details) existing.details = { ...existing.details, ...s.details };
      if (s.causes?.length) {
        const have = existing.causes ?? [];
        const add = s.causes.filter((c) => !have.includes(c));
        // Capped: a storm links its first causes, not thousands.
        if (add.length && have.length < 50) existing.causes = [...have, ...add].slice(0, 50);
      }
      if (s.clearAfterS) existing.expiresTs = existing.lastSeen + s.clearAfterS * 1000;
      let escalated = false;
      if (s.severity !== existing.severity) {
        escalated = SEVERITY_RANK[s.severity] > SEVERITY_RANK[existing.severity];
        history.push({
          eventId: existing.id,
          ts: s.ts,
          actor: 'system',
          action: 'severity',
          details: { from: existing.severity, to: s.severity },
        });
        existing.severity = s.severity;
      }
      return { event: existing, change: 'updated', history, escalated };
    }
    const event: VigilEvent = {
      kind: 'event',
      id: this.newId(),
      dedupKey: s.dedupKey,
      source: s.source,
      severity: s.severity,
      state: 'open',
      firstSeen: s.ts,
      lastSeen: s.ts,
      count: 1,
      summary: s.summary,
    };
    if (s.deviceId) event.deviceId = s.deviceId;
    if (s.component) event.component = s.component;
    if (s.details) event.details = { ...s.details };
    if (s.causes?.length) event.causes = [...s.causes];
    if (s.ruleId) event.ruleId = s.ruleId;
    if (s.clearAfterS) event.expiresTs = s.ts + s.clearAfterS * 1000;
    this.track(event);
    return {
      event,
      change: 'opened',
      history: [
        {
          eventId: event.id,
          ts: s.ts,
          actor: 'system',
          action: 'opened',
          details: { severity: s.severity, summary: s.summary },
        },
      ],
    };
  }

  clear(
    e: VigilEvent,
    ts: number,
    actor: string,
    reason: NonNullable<VigilEvent['clearReason']>,
    comment?: string,
  ): BookChange {
    this.untrack(e);
    e.state = 'cleared';
    e.clearedTs = ts;
    e.clearReason = reason;
    delete e.expiresTs;
    const action = reason === 'manual' ? 'closed' : 'cleared';
    return {
      event: e,
      change: action,
      history: [{ eventId: e.id, ts, actor, action, ...(comment ? { comment } : {}), details: { reason } }],
    };
  }

  acknowledge(e: VigilEvent, ts: number, actor: string, comment?: string): BookChange {
    e.state = 'acknowledged';
    e.acknowledgedBy = actor;
    e.acknowledgedTs = ts;
    return {
      event: e,
      change: 'acknowledged',
      history: [{ eventId: e.id, ts, actor, action: 'acknowledged', ...(comment ? { comment } : {}) }],
    };
  }

  unacknowledge(e: VigilEvent, ts: number, actor: string, comment?: string): BookChange {
    e.state = 'open';
    delete e.acknowledgedBy;
    delete e.acknowledgedTs;
    return {
      event: e,
      change: 'unacknowledged',
      history: [{ eventId: e.id, ts, actor, action: 'unacknowledged', ...(comment ? { comment } : {}) }],
    };
  }

  /** Events whose rule timeout passed. */
  expired(now: number): VigilEvent[] {
    const out: VigilEvent[] = [];
    for (const e of this.byId.values()) if (e.expiresTs !== undefined && e.expiresTs <= now) out.push(e);
    return out;
  }
}
