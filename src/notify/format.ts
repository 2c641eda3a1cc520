import type { NotificationMessage } from './types.ts';

const WORD: Record<NotificationMessage['kind'], string> = { raise: '', clear: 'CLEARED: ', renotify: 'STILL OPEN: ', escalation: 'ESCALATED: ', test: 'TEST: ' };

/** One line for an event: `CRITICAL core-sw1: core-sw1 is down (x3)`. */
export function eventLine(e: NotificationMessage['events'][number]): string {
  const who = e.deviceName ?? e.deviceId;
  return `${e.state === 'cleared' ? 'CLEARED' : e.severity.toUpperCase()}${who ? ` ${who}` : ''}: ${e.summary}${e.count > 1 ? ` (x${e.count})` : ''}${e.inMaintenance ? ' [in maintenance]' : ''}`;
}

/** The subject: the event itself when alone, else a count by severity. */
export function subjectOf(m: NotificationMessage): string {
  if (m.events.length === 1) return WORD[m.kind] + eventLine(m.events[0]);
  const by = new Map<string, number>();
  for (const e of m.events) by.set(e.severity, (by.get(e.severity) ?? 0) + 1);
  return `${WORD[m.kind]}${m.events.length} events (${[...by].map(([s, n]) => `${n} ${s}`).join(', ')})`;
}

/** Plain text body: one line per event, with when and its id. */
export function textOf(m: NotificationMessage): string {
  return m.events
    .map((e) => `${eventLine(e)}\n  first seen ${new Date(e.firstSeen).toISOString()}, last seen ${new Date(e.lastSeen).toISOString()}, source ${e.source}, event ${e.id}`)
    .join('\n');
}

/** Strips every secret (and URL paths/queries) from an error text before it is logged or shown. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('<secret>');
  return out.replace(/(https?:\/\/[^/\s]+)\/[^\s]*/g, '$1/<redacted>');
}
