import { z } from 'zod';

/** Trap receiver. The trap module owns and extends this schema. */
export const trapConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(162),
  })
  .passthrough();
export type TrapConfig = z.infer<typeof trapConfigSchema>;
