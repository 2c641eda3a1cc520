import { z } from 'zod';
import { channelBaseFields } from '../channel-base.ts';
import { secret, secretUrl, secretValue } from '../../model/secret.ts';

/** A generic HTTP webhook: JSON body from a template, custom headers, optional HMAC-SHA256 signature. */
export const webhookChannelSchema = z
  .object({
    ...channelBaseFields,
    type: z.literal('webhook'),
    /** May carry a token: typed as a secret URL (shown as `https://host/<secret>`). */
    url: secretUrl(),
    method: z.enum(['POST', 'PUT']).default('POST'),
    /** Header values are secrets too (Authorization, API keys). */
    headers: z.record(z.string(), secretValue()).default({}),
    /**
     * JSON body template; `{{name}}` is replaced by the JSON of the value: kind, subject, text, count, events,
     * event (the first), severity, summary, device, ts, digest (the counts of a digest, else null).
     * Default: `{"kind","ts","subject","text","events"}`, plus `"digest"` on a digest.
     */
    template: z.string().optional(),
    /** When set, `X-Vigil-Signature: sha256=<hex HMAC of the body>` (header name adjustable). */
    hmacSecret: secret().optional(),
    signatureHeader: z.string().default('X-Vigil-Signature'),
    timeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();
export type WebhookChannel = z.infer<typeof webhookChannelSchema>;
