import { z } from 'zod';

export const icmpConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalS: z.number().int().min(5).default(60),
    /** Probes per target per cycle (fping -C). */
    count: z.number().int().min(1).max(100).default(3),
    /** Gap between probes to one target, ms (fping -p). */
    periodMs: z.number().int().min(10).default(1000),
    /** Gap between probes to different targets, ms (fping -i). */
    intervalMs: z.number().int().min(0).default(1),
    /** Wait for each reply, ms (fping -t). */
    timeoutMs: z.number().int().min(50).default(1000),
    /** ICMP payload bytes (fping -b). */
    sizeBytes: z.number().int().min(0).max(65_000).default(56),
    /** Consecutive failed cycles before a target is "down". */
    downAfter: z.number().int().min(1).default(2),
    fpingPath: z.string().default('fping'),
    /** Add 127.0.0.1 as a "localhost" device when the inventory has none. */
    monitorLocalhost: z.boolean().default(true),
  })
  .strict();
export type IcmpConfig = z.infer<typeof icmpConfigSchema>;
