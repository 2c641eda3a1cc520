import { z } from 'zod';
import { deviceSelectorSchema, maintenanceWindowSchema } from '../model/rules.ts';
import { correlationRuleSchema, levelSchema, severitySchema, thresholdRuleSchema } from './rule-schema.ts';
import { compilePattern } from './select.ts';

/** A port pattern: exact, glob or /regex/; a bad one fails at load with its path. */
const portPattern = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    try {
      compilePattern(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `bad pattern: ${(e as Error).message}` });
    }
  });

/** Which ports matter, per device, group or tag: the first rule whose devices and ports match decides. */
export const portWatchRuleSchema = z
  .object({
    name: z.string().optional(),
    devices: deviceSelectorSchema.optional(),
    /** Patterns over ifName, ifAlias and ifDescr (exact, glob `Gi1/0/*`, or `/regex/i`); absent: every port. */
    ports: z.array(portPattern).optional(),
    /** all: every admin-up port that is down is an alarm; default: the default policy; none: never. */
    watch: z.enum(['all', 'default', 'none']),
  })
  .strict();

/** Built-in conditions: each on by default, each adjustable. */
export const builtinsConfigSchema = z
  .object({
    /** ICMP down (the ICMP collector already waits `icmp.downAfter` failed cycles). */
    deviceDown: z
      .object({ enabled: z.boolean().default(true), severity: severitySchema.default('critical') })
      .strict()
      .prefault({}),
    /** SNMP polls failing (timeout, auth, …) while the device may still answer ping. */
    snmpUnreachable: z
      .object({ enabled: z.boolean().default(true), severity: severitySchema.default('major') })
      .strict()
      .prefault({}),
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
        /** Per device, group, tag or port pattern: first match wins, then `watch` applies. */
        rules: z.array(portWatchRuleSchema).default([]),
        /** Which operStatus values count as down (dormant only where configured). */
        downStates: z
          .array(z.enum(['down', 'lowerLayerDown', 'dormant']))
          .min(1)
          .default(['down', 'lowerLayerDown']),
      })
      .strict()
      .prefault({}),
    /** sysUpTime went back. Cleared by timeout. */
    reboot: z
      .object({
        enabled: z.boolean().default(true),
        severity: severitySchema.default('warning'),
        clearAfterS: z.number().positive().default(900),
      })
      .strict()
      .prefault({}),
    /** On icmp.loss.pct. */
    packetLoss: z
      .object({
        enabled: z.boolean().default(true),
        levels: z.array(levelSchema).default([
          { severity: 'warning', value: 20, recovery: 10 },
          { severity: 'major', value: 50, recovery: 40 },
        ]),
        forS: z.number().min(0).default(0),
      })
      .strict()
      .prefault({}),
    /** On icmp.rtt.avg, milliseconds. */
    latency: z
      .object({
        enabled: z.boolean().default(true),
        levels: z.array(levelSchema).default([
          { severity: 'warning', value: 200, recovery: 150 },
          { severity: 'major', value: 1000, recovery: 800 },
        ]),
        forS: z.number().min(0).default(0),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** Event engine and rules. The events module owns and extends this schema. */
export const eventsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    builtins: builtinsConfigSchema,
    /** Threshold rules (kind may be left out). Rules made through the API live in the store. */
    thresholds: z
      .array(
        z.preprocess(
          (v) => (v && typeof v === 'object' && !('kind' in v) ? { ...v, kind: 'threshold' } : v),
          thresholdRuleSchema,
        ),
      )
      .default([]),
    correlations: z
      .array(
        z.preprocess(
          (v) => (v && typeof v === 'object' && !('kind' in v) ? { ...v, kind: 'correlation' } : v),
          correlationRuleSchema,
        ),
      )
      .default([]),
    maintenance: z.array(maintenanceWindowSchema).default([]),
    /**
     * Storms: at least `minEvents` events of one rule opening within `windowS` on one device (parts of it, such as
     * interfaces) or on devices behind one parent become one incident: one notification, one acknowledgement.
     */
    incidents: z
      .object({
        enabled: z.boolean().default(true),
        minEvents: z.number().int().min(2).default(5),
        windowS: z.number().positive().default(180),
      })
      .strict()
      .prefault({}),
    /**
     * Flapping: an interface, device or other event that opens and clears more than `maxChanges` times within
     * `windowM` minutes becomes one flapping event, and its own notifications wait until it has been quiet for `settleM`.
     */
    flapping: z
      .object({
        enabled: z.boolean().default(true),
        maxChanges: z.number().int().min(1).default(4),
        windowM: z.number().positive().default(10),
        settleM: z.number().positive().default(5),
        /** Severity of the flapping event; default: that of the flapping event's latest occurrence. */
        severity: severitySchema.optional(),
      })
      .strict()
      .prefault({}),
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
