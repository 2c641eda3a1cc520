import { z } from 'zod';

export const snmpConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalS: z.number().int().min(5).default(60),
    /** Devices polled at once. */
    concurrency: z.number().int().min(1).max(10_000).default(64),
    maxRepetitions: z.number().int().min(1).max(200).default(25),
    profiles: z.array(z.enum(['system', 'interfaces', 'hostResources', 'ucd'])).default(['system', 'interfaces', 'hostResources', 'ucd']),
    /** Probe a local snmpd (127.0.0.1:161, community public) at start and monitor it when it answers. */
    probeLocalAgent: z.boolean().default(true),
  })
  .strict();
export type SnmpConfig = z.infer<typeof snmpConfigSchema>;
