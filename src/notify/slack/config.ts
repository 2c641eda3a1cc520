import { z } from 'zod';
import { channelBaseFields } from '../channel-base.ts';
import { secretUrl } from '../../model/secret.ts';

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat). The URL is the secret. */
export const slackChannelSchema = z
  .object({
    ...channelBaseFields,
    type: z.literal('slack'),
    url: secretUrl(),
    channel: z.string().optional(),
    username: z.string().default('Vigil'),
    iconEmoji: z.string().optional(),
    timeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();
export type SlackChannel = z.infer<typeof slackChannelSchema>;
