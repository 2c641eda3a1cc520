/** Domain types of the event engine: events as stored and shown, their history, and what the engine asks of a notifier. */
import type { EventRecord, Severity } from './records.ts';

/** An event as the engine keeps it: the bus record plus what operators and notifications need. */
export interface VigilEvent extends EventRecord {
  ruleId?: string;
  /** Set while the event's device was in a maintenance window when it opened (notifications held back). */
  inMaintenance?: boolean;
  /** Why notifications are not sent: 'dependency:<parent event id>', 'correlation:<derived event id>'. */
  suppressed?: string;
  /** Parent device whose down event explains this one (dependency). */
  dependsOn?: string;
  acknowledgedBy?: string;
  acknowledgedTs?: number;
  /** When the engine clears it by itself if nothing raises it again (rule timeout). */
  expiresTs?: number;
  clearReason?: 'recovered' | 'timeout' | 'manual' | 'correlation';
  /** Correlation events this one is a cause of. */
  partOf?: string[];
  /** The incident (a storm of similar events) this one is a child of; its notifications go with the incident. */
  incidentId?: string;
}

export type HistoryAction =
  | 'opened'
  | 'severity'
  | 'acknowledged'
  | 'unacknowledged'
  | 'closed'
  | 'cleared'
  | 'suppressed'
  | 'maintenance'
  | 'notified'
  | 'escalated';

/** One change of an event: who did what, when. `actor` is 'system' for the engine. */
export interface EventHistoryEntry {
  eventId: string;
  ts: number;
  actor: string;
  action: HistoryAction;
  comment?: string;
  details?: Record<string, unknown>;
}

/** What happened to an event when a signal or an operator touched it. */
export type EventChange =
  | 'opened'
  | 'updated'
  | 'cleared'
  | 'acknowledged'
  | 'unacknowledged'
  | 'closed'
  | 'suppressed';

export interface EventQuery {
  state?: VigilEvent['state'] | VigilEvent['state'][];
  /** This severity and worse. */
  severity?: Severity;
  source?: string;
  deviceId?: string;
  /** Children of this incident only. */
  incidentId?: string;
  /** Leave out events that are children of an incident (the console shows the incident instead). */
  topLevel?: boolean;
  /** lastSeen at or after. */
  from?: number;
  /** firstSeen at or before. */
  to?: number;
  limit?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

/**
 * What the engine calls on the notifications side (notify/'s `Notifier` is one); the notifier decides where, when
 * and how often. Declared in model, beside the events it carries, so that events never imports notify.
 */
export interface EventNotifier {
  /** An event opened or got worse (`raise`) or cleared (`clear`). */
  notify(event: VigilEvent, kind: 'raise' | 'clear'): void;
  /** Drop what is still waiting for this event and stop re-notifying (dependency, correlation). */
  suppress(eventId: string): void;
  /** How the notifier learns an event's current state for re-notification (set by the engine). */
  setEventLookup(lookup: (id: string) => VigilEvent | undefined): void;
  /** Sends groups whose window passed and re-notifies what is due. Called by the engine's tick. */
  tick(): void;
  /** Sends every waiting group and digest now. */
  flush(): void;
  /** Resolves when no delivery is in flight. */
  idle(): Promise<void>;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, minor: 2, major: 3, critical: 4 };
export const atLeast = (s: Severity, min: Severity) => SEVERITY_RANK[s] >= SEVERITY_RANK[min];
