import { redactBySchema } from '../model/secret.ts';
import { channelSchema, type ChannelConfig } from './config.ts';
import { emailDriver } from './email/index.ts';
import { slackDriver } from './slack/index.ts';
import type { ChannelDriver } from './types.ts';
import { webhookDriver } from './webhook/index.ts';
import { VigilError } from '../model/errors.ts';
import { restoreSecrets } from '../model/redact.ts';

/** Every channel type, by name. */
export const channelDrivers = { webhook: webhookDriver, email: emailDriver, slack: slackDriver } as const;

export const driverFor = (c: ChannelConfig) => channelDrivers[c.type] as unknown as ChannelDriver<ChannelConfig>;

/** A channel as clients see it. */
export const redactChannel = (c: ChannelConfig): ChannelConfig => redactBySchema(channelSchema, c);

/** Validates a channel; `<secret>` values sent back unchanged keep the stored secret (so clients can edit without knowing it). */
export function validateChannel(raw: unknown, previous?: ChannelConfig): ChannelConfig {
  const merged = previous ? restoreSecrets(raw, previous) : raw;
  const r = channelSchema.safeParse(merged);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new VigilError('VIGIL_VALIDATION', `channel: ${lines.join('; ')}`, lines);
  }
  return r.data;
}
