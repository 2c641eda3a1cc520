import { z } from 'zod';
import { channelBaseFields } from '../channel-base.ts';
import { secret } from '../../model/secret.ts';

/** SMTP through nodemailer: implicit TLS (465), STARTTLS (587) or plain (tests, local relays), with optional auth. */
export const emailChannelSchema = z
  .object({
    ...channelBaseFields,
    type: z.literal('email'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** tls: TLS from the first byte; starttls: upgrade required; none: plain (only for trusted local relays). */
    security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
    auth: z
      .object({ user: z.string().min(1), password: secret() })
      .strict()
      .optional(),
    /** Accept a self-signed server certificate. */
    allowSelfSigned: z.boolean().default(false),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
    subjectPrefix: z.string().default('[Vigil]'),
    timeoutMs: z.number().int().min(100).default(15_000),
  })
  .strict();
export type EmailChannel = z.infer<typeof emailChannelSchema>;
