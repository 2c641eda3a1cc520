import type { MessageEvent, NotificationMessage } from './types.ts';

const WORD: Record<NotificationMessage['kind'], string> = {
  raise: '',
  clear: 'CLEARED: ',
  renotify: 'STILL OPEN: ',
  escalation: 'ESCALATED: ',
  test: 'TEST: ',
  digest: 'DIGEST: ',
};

/** One line for an event: `CRITICAL core-sw1: core-sw1 is down (x3)`. */
export function eventLine(e: MessageEvent): string {
  const who = e.deviceName ?? e.deviceId;
  return `${e.state === 'cleared' ? 'CLEARED' : e.severity.toUpperCase()}${who ? ` ${who}` : ''}: ${e.summary}${e.count > 1 ? ` (x${e.count})` : ''}${e.inMaintenance ? ' [in maintenance]' : ''}`;
}

/** What a digest says happened to an event, for a line's end: ` [opened, cleared]`; empty outside digests. */
export const changeNote = (e: MessageEvent) => (e.changes?.length ? ` [${e.changes.join(', ')}]` : '');

/** The subject: the event itself when alone, else a count by severity; a digest: `DIGEST: 3 opened, 2 cleared (2 still open)`. */
export function subjectOf(m: NotificationMessage): string {
  if (m.digest) {
    const d = m.digest;
    const more = [
      d.renotified ? `${d.renotified} re-notified` : '',
      d.escalated ? `${d.escalated} escalated` : '',
    ].filter(Boolean);
    return `${WORD.digest}${d.opened} opened, ${d.cleared} cleared (${d.stillOpen} still open)${more.map((s) => `, ${s}`).join('')}`;
  }
  if (m.events.length === 1) return WORD[m.kind] + eventLine(m.events[0]);
  const by = new Map<string, number>();
  for (const e of m.events) by.set(e.severity, (by.get(e.severity) ?? 0) + 1);
  return `${WORD[m.kind]}${m.events.length} events (${[...by].map(([s, n]) => `${n} ${s}`).join(', ')})`;
}

const detail = (e: MessageEvent) =>
  `${eventLine(e)}${changeNote(e)}\n  first seen ${new Date(e.firstSeen).toISOString()}, last seen ${new Date(e.lastSeen).toISOString()}, source ${e.source}, event ${e.id}`;

/** Plain text body: one line per event, with when and its id; a digest groups them by what happened. */
export function textOf(m: NotificationMessage): string {
  if (m.kind === 'digest') return digestText(m);
  return m.events.map(detail).join('\n');
}

/** Digest sections, each event in one: by whether it opened in the period and its latest state. */
function digestText(m: NotificationMessage): string {
  const sections: [string, MessageEvent[]][] = [
    ['Opened, still open', []],
    ['Opened and cleared', []],
    ['Cleared', []],
    ['Still open, re-notified or escalated', []],
  ];
  for (const e of m.events) {
    const opened = e.changes?.includes('opened');
    const cleared = e.state === 'cleared';
    sections[opened ? (cleared ? 1 : 0) : cleared ? 2 : 3][1].push(e);
  }
  const since = m.digest ? `Since ${new Date(m.digest.since).toISOString()}:\n` : '';
  return (
    since +
    sections
      .filter(([, list]) => list.length)
      .map(([title, list]) => `${title} (${list.length}):\n${list.map(detail).join('\n')}`)
      .join('\n\n')
  );
}

/** Strips every secret (and URL paths/queries) from an error text before it is logged or shown. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('<secret>');
  return out.replace(/(https?:\/\/[^/\s]+)\/[^\s]*/g, '$1/<redacted>');
}
