import { postOrThrow } from '../http.ts';
import type { ChannelDriver } from '../types.ts';
import { buildRequestBody } from './body.ts';
import type { SlackChannel } from './config.ts';

export { slackChannelSchema, type SlackChannel } from './config.ts';
export { buildRequestBody } from './body.ts';

/** Slack-compatible incoming webhook. */
export const slackDriver: ChannelDriver<SlackChannel> = {
  type: 'slack',
  send: (channel, message) =>
    postOrThrow(channel.url, {
      body: JSON.stringify(buildRequestBody(channel, message)),
      headers: { 'content-type': 'application/json' },
      timeoutMs: channel.timeoutMs,
    }),
  secrets: (c) => [c.url, new URL(c.url).pathname],
};
