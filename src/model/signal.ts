import type { EventSource, Severity } from './records.ts';

/**
 * What a rule evaluator (syslog rules, trap rules, built-in conditions, thresholds) tells the event engine:
 * raise (open or update the event with this dedup key) or clear it. Plain data; the engine owns events.
 */
export interface EventSignal {
  action: 'raise' | 'clear';
  dedupKey: string;
  source: EventSource;
  ts: number;
  deviceId?: string;
  component?: string;
  severity: Severity;
  summary: string;
  details?: Record<string, unknown>;
  ruleId?: string;
  /** Ids of the records or events it was derived from. */
  causes?: string[];
}
