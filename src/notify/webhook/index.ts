import { postOrThrow } from '../http.ts';
import type { ChannelDriver } from '../types.ts';
import { buildRequestBody } from './body.ts';
import type { WebhookChannel } from './config.ts';

export { webhookChannelSchema, type WebhookChannel } from './config.ts';
export { buildRequestBody, signBody } from './body.ts';

/** Generic JSON webhook. */
export const webhookDriver: ChannelDriver<WebhookChannel> = {
  type: 'webhook',
  async send(channel, message) {
    const { body, headers } = buildRequestBody(channel, message);
    return postOrThrow(channel.url, { method: channel.method, body, headers, timeoutMs: channel.timeoutMs });
  },
  secrets: (c) => [c.url, ...Object.values(c.headers), ...(c.hmacSecret ? [c.hmacSecret] : [])],
};
