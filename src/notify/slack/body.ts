import { changeNote, eventLine, subjectOf } from '../format.ts';
import type { NotificationMessage } from '../types.ts';
import type { SlackChannel } from './config.ts';

const COLOUR: Record<string, string> = {
  critical: '#d0021b',
  major: '#f5761a',
  minor: '#f8e71c',
  warning: '#f8e71c',
  info: '#4a90e2',
  cleared: '#2eb886',
};

/**
 * Incoming-webhook payload: a text line and one attachment per event (at most 20, then a count).
 * @example buildRequestBody(channel, message) // { text: '3 events (…)', attachments: [...] }
 */
export function buildRequestBody(channel: SlackChannel, m: NotificationMessage): Record<string, unknown> {
  const shown = m.events.slice(0, 20);
  const body: Record<string, unknown> = {
    text: subjectOf(m),
    username: channel.username,
    attachments: shown.map((e) => ({
      color: COLOUR[e.state === 'cleared' ? 'cleared' : e.severity],
      text: eventLine(e) + changeNote(e),
      ts: Math.floor(e.lastSeen / 1000),
    })),
  };
  if (m.events.length > shown.length)
    (body.attachments as unknown[]).push({ text: `… and ${m.events.length - shown.length} more` });
  if (channel.channel) body.channel = channel.channel;
  if (channel.iconEmoji) body.icon_emoji = channel.iconEmoji;
  return body;
}
