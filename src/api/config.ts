import { z } from 'zod';

export const httpConfigSchema = z
  .object({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    tls: z.object({ cert: z.string(), key: z.string() }).strict().optional(),
  })
  .strict();
