import { createHmac } from 'node:crypto';
import { subjectOf, textOf } from '../format.ts';
import type { NotificationMessage } from '../types.ts';
import type { WebhookChannel } from './config.ts';

/** Values a body template may use, each inserted as JSON. */
export function templateVars(m: NotificationMessage): Record<string, unknown> {
  const first = m.events[0];
  return {
    kind: m.kind,
    ts: m.ts,
    subject: subjectOf(m),
    text: textOf(m),
    count: m.events.length,
    events: m.events,
    event: first,
    severity: first?.severity,
    summary: first?.summary,
    device: first?.deviceName ?? first?.deviceId,
    state: first?.state,
    digest: m.digest,
  };
}

/**
 * The request a webhook sends: body from the template (placeholders become JSON), headers, HMAC signature.
 * @example buildRequestBody(channel, message).body // '{"kind":"raise",…}'
 */
export function buildRequestBody(
  channel: WebhookChannel,
  m: NotificationMessage,
): { body: string; headers: Record<string, string> } {
  const vars = templateVars(m);
  let body: string;
  if (channel.template) {
    body = channel.template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => JSON.stringify(vars[k] ?? null));
    JSON.parse(body); // a template that does not yield JSON is a configuration error, reported by the delivery
  } else
    body = JSON.stringify({
      kind: vars.kind,
      ts: vars.ts,
      subject: vars.subject,
      text: vars.text,
      events: vars.events,
      ...(m.digest && { digest: m.digest }),
    });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'vigil-notify',
    ...channel.headers,
  };
  if (channel.hmacSecret)
    headers[channel.signatureHeader.toLowerCase()] = 'sha256=' + signBody(channel.hmacSecret, body);
  return { body, headers };
}

/** Hex HMAC-SHA256 of the body: what a receiver recomputes with the shared secret. */
export const signBody = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
