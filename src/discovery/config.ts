import { z } from 'zod';
import { regexText } from '../events/safe-regex.ts';
import type { DiscoveryAction } from '../model/discovery.ts';

/** What happens to a device a rule matches: added to the inventory, listed as found (one click adds it), or ignored. */
export const DISCOVERY_ACTIONS = ['add', 'list', 'ignore'] as const satisfies readonly DiscoveryAction[];
export type { DiscoveryAction };

/** A rule over what a device said of itself; every condition given must hold. The first matching rule decides. */
export const discoveryRuleSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Glob over the vendor name (`Cisco*`, case-insensitive). */
    vendor: z.string().min(1).optional(),
    /** Pattern over sysDescr (case-insensitive). */
    sysDescr: regexText.optional(),
    /** sysObjectID prefix, e.g. `1.3.6.1.4.1.9`. */
    sysObjectID: z
      .string()
      .regex(/^\d+(\.\d+)*$/, 'a numeric OID')
      .optional(),
    /** The address lies in this IPv4 range (CIDR, a-b, or one address). */
    subnet: z.string().min(1).optional(),
    action: z.enum(DISCOVERY_ACTIONS),
    /** For `add`: the new device's group, tags, credential profile (default: the one that answered) and poll interval. */
    group: z.string().min(1).optional(),
    tags: z.array(z.string().min(1)).default([]),
    profile: z.string().min(1).optional(),
    pollIntervalS: z.number().int().min(5).optional(),
  })
  .strict();
export type DiscoveryRule = z.infer<typeof discoveryRuleSchema>;

/** A job's parameters, as the API, the CLI and the schedule give them. */
export const discoveryJobSpecSchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    /** CIDR ranges (`10.0.0.0/22`), `a-b` ranges and single addresses; seeds are single addresses too. */
    targets: z.array(z.string().min(1).max(100)).min(1).max(1000),
    exclude: z.array(z.string().min(1).max(100)).max(1000).default([]),
    /** Credential profiles tried in this order (default: every profile, SNMPv3 ones first). */
    profiles: z.array(z.string().min(1)).max(50).optional(),
    /** Neighbours (LLDP/CDP management addresses) followed this many hops beyond the targets, inside the scope. */
    depth: z.number().int().min(0).max(10).default(0),
    /** Sweep with ping first (else every address is tried with SNMP: slower, finds devices that drop ICMP). */
    ping: z.boolean().default(true),
    /** Rules tried before the configured ones. */
    rules: z.array(discoveryRuleSchema).max(100).default([]),
    /** What happens to a device no rule matches. */
    defaultAction: z.enum(DISCOVERY_ACTIONS).optional(),
  })
  .strict();
export type DiscoveryJobSpec = z.infer<typeof discoveryJobSpecSchema>;

export const discoveryConfigSchema = z
  .object({
    /** Most addresses one job may sweep. */
    maxAddresses: z.number().int().min(1).max(16_777_216).default(65_536),
    /** When set, every target and every followed neighbour must lie inside these IPv4 ranges. */
    allowedRanges: z.array(z.string().min(1)).default([]),
    /**
     * SNMP trials at once. Most swept addresses never answer SNMP and hold a trial for its whole timeout, at little cost
     * (one UDP socket, one timer): enough to try a /22's responders all at once, else they wait their turn behind the
     * silent ones (bench/discovery.ts, a /22 at the default timeouts: 128 took 3.3× the floor of fping + parallel
     * snmpget, 1024 took 0.7×).
     */
    concurrency: z.number().int().min(1).max(2000).default(1024),
    ping: z
      .object({
        timeoutMs: z.number().int().min(50).max(10_000).default(500),
        retries: z.number().int().min(0).max(5).default(1),
        intervalMs: z.number().int().min(0).max(1000).default(1),
      })
      .strict()
      .prefault({}),
    /** Each credential's trial: shorter than a poll's, most addresses of a sweep never answer. */
    snmp: z
      .object({
        timeoutMs: z.number().int().min(100).max(30_000).default(1500),
        retries: z.number().int().min(0).max(5).default(1),
      })
      .strict()
      .prefault({}),
    rules: z.array(discoveryRuleSchema).default([]),
    defaultAction: z.enum(DISCOVERY_ACTIONS).default('list'),
    /** Jobs run on a schedule: every `everyH` hours, the first a minute after start. */
    schedule: z
      .array(
        discoveryJobSpecSchema.extend({
          name: z.string().min(1),
          everyH: z
            .number()
            .min(0.1)
            .max(24 * 30),
        }),
      )
      .default([]),
  })
  .strict();
export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;
