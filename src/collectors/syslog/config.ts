import { z } from 'zod';

/** Syslog listeners. The syslog module owns and extends this schema. */
export const syslogConfigSchema = z
  .object({
    udp: z.object({ enabled: z.boolean().default(true), host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(514), rcvbufBytes: z.number().int().min(0).default(8 * 1024 * 1024) }).strict().prefault({}),
    tcp: z.object({ enabled: z.boolean().default(true), host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(514) }).strict().prefault({}),
    tls: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(6514),
        cert: z.string().optional(),
        key: z.string().optional(),
        ca: z.string().optional(),
        requireClientCert: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    maxMessageBytes: z.number().int().min(480).default(65536),
  })
  .passthrough();
export type SyslogConfig = z.infer<typeof syslogConfigSchema>;
