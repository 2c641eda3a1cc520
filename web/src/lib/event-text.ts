/** How an event reads in the user's language: incidents are worded here from the parts the server keeps. */
import type { MessageKey } from './messages.ts';
import type { EventItem } from './types.ts';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const INCIDENT_SUMMARIES = [
  'builtin.interface-down',
  'builtin.device-down',
  'builtin.snmp-unreachable',
  'builtin.reboot',
  'builtin.flapping',
] as const;

export const isIncident = (e: EventItem) => e.source === 'incident';

/** A number from an event's details (0 when absent or not a number). */
export const detailNum = (e: EventItem, key: string) => {
  const v = Number(e.details?.[key]);
  return Number.isFinite(v) ? v : 0;
};

/** An incident's sentence in the user's language, from the parts the server keeps in its details; else its summary. */
export function eventSummary(e: EventItem, t: Translate): string {
  if (!isIncident(e)) return e.summary;
  const d = e.details ?? {};
  const name = typeof d.scopeName === 'string' ? d.scopeName : undefined;
  const rule = typeof d.childRule === 'string' ? d.childRule : undefined;
  if (!name || !rule) return e.summary;
  const label = d.scope === 'parent' ? t('events.incident.behind', { name }) : name;
  const n = detailNum(e, 'active');
  const known = (INCIDENT_SUMMARIES as readonly string[]).includes(rule);
  return known
    ? t(`events.incident.summary.${rule}` as MessageKey, { label, n })
    : t('events.incident.summary.other', { label, n, rule });
}
