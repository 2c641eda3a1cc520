import { z } from 'zod';
import { correlationRuleSchema, levelSchema, maintenanceWindowSchema, severitySchema, thresholdRuleSchema } from './rule-schema.ts';


/** Built-in conditions: each on by default, each adjustable. */
export const builtinsConfigSchema = z
  .object({
    /** ICMP down (the ICMP collector already waits `icmp.downAfter` failed cycles). */
    deviceDown: z.object({ enabled: z.boolean().default(true), severity: severitySchema.default('critical') }).strict().prefault({}),
    /** SNMP polls failing (timeout, auth, …) while the device may still answer ping. */
    snmpUnreachable: z.object({ enabled: z.boolean().default(true), severity: severitySchema.default('major') }).strict().prefault({}),
    /** Interface oper-status down while admin-status up. */
    interfaceDown: z
      .object({
        enabled: z.boolean().default(true),
        severity: severitySchema.default('major'),
        /**
         * seen-up: only an interface seen up that goes down raises (the first poll of a device, or of a new interface,
         * is a baseline: an access switch's empty ports are not alarms); all: any interface down while admin up.
         */
        watch: z.enum(['seen-up', 'all']).default('seen-up'),
      })
      .strict()
      .prefault({}),
    /** sysUpTime went back. Cleared by timeout. */
    reboot: z.object({ enabled: z.boolean().default(true), severity: severitySchema.default('warning'), clearAfterS: z.number().positive().default(900) }).strict().prefault({}),
    /** On icmp.loss.pct. */
    packetLoss: z.object({ enabled: z.boolean().default(true),
      levels: z.array(levelSchema).default([
        { severity: 'warning', value: 20, recovery: 10 },
        { severity: 'major', value: 50, recovery: 40 },
      ]),
      forS: z.number().min(0).default(0),
    }).strict().prefault({}),
    /** On icmp.rtt.avg, milliseconds. */
    latency: z.object({ enabled: z.boolean().default(true),
      levels: z.array(levelSchema).default([
        { severity: 'warning', value: 200, recovery: 150 },
        { severity: 'major', value: 1000, recovery: 800 },
      ]),
      forS: z.number().min(0).default(0),
    }).strict().prefault({}),
  })
  .strict()
  .prefault({});

/** Event engine and rules. The events module owns and extends this schema. */
export const eventsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    builtins: builtinsConfigSchema,
    /** Threshold rules (kind may be left out). Rules made through the API live in the store. */
    thresholds: z.array(z.preprocess((v) => (v && typeof v === 'object' && !('kind' in v) ? { ...v, kind: 'threshold' } : v), thresholdRuleSchema)).default([]),
    correlations: z.array(z.preprocess((v) => (v && typeof v === 'object' && !('kind' in v) ? { ...v, kind: 'correlation' } : v), correlationRuleSchema)).default([]),
    maintenance: z.array(maintenanceWindowSchema).default([]),
    /** A child device that goes down while an ancestor (Device.parentId) is down is marked and not notified. */
    dependencies: z.boolean().default(true),
    /** Cleared events older than this are deleted. */
    retentionDays: z.number().positive().default(90),
    /**
     * Event changes are published on the bus at once but written to the store in batches this often (0: at once).
     * Operator actions (ack, close) are always written at once.
     */
    persistIntervalMs: z.number().int().min(0).default(1000),
    /** How often timeouts, no-data rules and maintenance ends are checked. */
    tickMs: z.number().int().min(50).default(1000),
  })
  .strict();
export type EventsConfig = z.infer<typeof eventsConfigSchema>;
