/** Store domains the event engine needs: events and their history, rules, maintenance windows. */
import type { EventHistoryEntry, EventQuery, VigilEvent } from './events.ts';
import type { MaintenanceWindow } from './rules.ts';

export interface EventStore {
  /** Inserts or replaces by id. */
  saveEvents(events: VigilEvent[]): void;
  appendEventHistory(entries: EventHistoryEntry[]): void;
  getEvent(id: string): VigilEvent | undefined;
  getEvents(ids: string[]): VigilEvent[];
  /** Newest first (by lastSeen, then id); `nextCursor` when more remain. */
  listEvents(q?: EventQuery): { events: VigilEvent[]; nextCursor?: string };
  /** Events not cleared (loaded by the engine at start). */
  listActiveEvents(): VigilEvent[];
  /** Events seen in [from, to] (dry-run replays). */
  eventsBetween(from: number, to: number, limit?: number): VigilEvent[];
  eventHistory(id: string): EventHistoryEntry[];
  /** Deletes cleared events (and history) cleared before `ts`; returns how many. */
  pruneEvents(ts: number): number;
}

/** A rule as stored: threshold, correlation, syslog or trap (its own schema validates it). */
export interface StoredRule {
  id: string;
  kind: string;
  [key: string]: unknown;
}

/** A stored syslog or trap rule as its own schema has it: those schemas are strict and have no `kind`. */
export function ruleBody<T>(rule: StoredRule): T {
  const { kind: _kind, ...body } = rule;
  return body as T;
}

export interface RuleStore {
  listRules(kind?: string): StoredRule[];
  getRule(id: string): StoredRule | undefined;
  /** Creates or replaces; with `create`, a rule with the id already there is a conflict (VIGIL_CONFLICT). */
  putRule(rule: StoredRule, ts: number, opts?: { create?: boolean }): void;
  deleteRule(id: string): boolean;
  listMaintenance(): MaintenanceWindow[];
  getMaintenance(id: string): MaintenanceWindow | undefined;
  /** Creates or replaces; with `create`, a window with the id already there is a conflict (VIGIL_CONFLICT). */
  putMaintenance(w: MaintenanceWindow, opts?: { create?: boolean }): void;
  deleteMaintenance(id: string): boolean;
}
