import { z } from 'zod';

export const snmpConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalS: z.number().int().min(5).default(60),
    /** Devices polled at once. */
    concurrency: z.number().int().min(1).max(10_000).default(64),
    maxRepetitions: z.number().int().min(1).max(200).default(25),
    profiles: z
      .array(z.enum(['system', 'interfaces', 'hostResources', 'ucd', 'rmon', 'wireless']))
      .default(['system', 'interfaces', 'hostResources', 'ucd', 'rmon', 'wireless']),
    /** Neighbour tables (LLDP, CDP, forwarding, ARP/ND, LAG) read for the topology, less often than the poll. */
    topology: z
      .object({
        enabled: z.boolean().default(true),
        intervalS: z.number().int().min(5).default(300),
        /** Rows read at most from each forwarding or ARP/ND table of a device. */
        maxRows: z.number().int().min(100).max(1_000_000).default(50_000),
        /** Severity of the event when a port's neighbour disappears, and when it is replaced by another. */
        linkLostSeverity: z.enum(['critical', 'major', 'minor', 'warning', 'info']).default('major'),
        linkChangedSeverity: z.enum(['critical', 'major', 'minor', 'warning', 'info']).default('warning'),
        /** Device id the derived parents start from (the path from the Vigil host); default: the local host's device, else the most connected. */
        root: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Wireless controllers: the severity of "AP down" (an AP that was up is not, or left its controller). */
    wireless: z
      .object({ apDownSeverity: z.enum(['critical', 'major', 'minor', 'warning', 'info']).default('major') })
      .strict()
      .prefault({}),
    /** Probe a local snmpd (127.0.0.1:161, community public) at start and monitor it when it answers. */
    probeLocalAgent: z.boolean().default(true),
    /** Bounds of a walk asked for through the API (the MIB browser): it stops at the first one reached and says which. */
    walk: z
      .object({
        maxResults: z.number().int().min(1).max(1_000_000).default(10_000),
        maxTimeS: z.number().min(0.1).max(3600).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type SnmpConfig = z.infer<typeof snmpConfigSchema>;
