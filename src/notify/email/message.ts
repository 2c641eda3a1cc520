import { changeNote, subjectOf, textOf } from '../format.ts';
import type { NotificationMessage } from '../types.ts';
import type { EmailChannel } from './config.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The mail for a notification: subject, plain text and a small HTML table.
 * @example buildMessage(channel, message).subject // '[Vigil] CRITICAL core-sw1: core-sw1 is down'
 */
export function buildMessage(
  channel: EmailChannel,
  m: NotificationMessage,
): { from: string; to: string[]; subject: string; text: string; html: string } {
  const rows = m.events
    .map(
      (e) =>
        `<tr><td>${esc(e.state === 'cleared' ? 'cleared' : e.severity)}</td><td>${esc(e.deviceName ?? e.deviceId ?? '')}</td><td>${esc(e.summary + changeNote(e))}</td><td>${e.count}</td><td>${new Date(e.lastSeen).toISOString()}</td></tr>`,
    )
    .join('');
  return {
    from: channel.from,
    to: channel.to,
    subject: `${channel.subjectPrefix} ${subjectOf(m)}`.trim(),
    text: textOf(m) + '\n',
    html: `<table border="1" cellpadding="4"><tr><th>severity</th><th>device</th><th>summary</th><th>count</th><th>last seen</th></tr>${rows}</table>`,
  };
}
