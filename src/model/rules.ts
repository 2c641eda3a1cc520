/**
 * Schemas the event engine and the store share: rule ids, device selectors and maintenance windows (the store keeps
 * windows; events/rule-schema.ts builds the rules on these and validates them).
 */
import { z } from 'zod';

export const ruleId = z.string().regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, dot, colon, underscore and dash only');

export const deviceSelectorSchema = z
  .object({
    ids: z.array(z.string()).optional(),
    tags: z.array(z.string()).optional(),
    groups: z.array(z.string()).optional(),
  })
  .strict();

export const maintenanceWindowSchema = z
  .object({
    id: ruleId,
    name: z.string().optional(),
    devices: deviceSelectorSchema.prefault({}),
    /** Once: ISO time or ms; with `cron`, when the recurrence begins (optional). */
    start: z.union([z.string(), z.number()]).optional(),
    /** Once: end time; recurring: when it stops recurring (optional). */
    end: z.union([z.string(), z.number()]).optional(),
    /** Recurring: cron expression of each start (5 or 6 fields), and how long each lasts. */
    cron: z.string().optional(),
    durationM: z.number().positive().optional(),
    /** IANA time zone for `cron` (default UTC). */
    tz: z.string().optional(),
    comment: z.string().optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.cron) {
      if (!w.durationM) ctx.addIssue({ code: 'custom', path: ['durationM'], message: 'required with cron' });
    } else {
      if (w.start === undefined)
        ctx.addIssue({ code: 'custom', path: ['start'], message: 'required for a one-off window (or give cron)' });
      if (w.end === undefined && !w.durationM)
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'give end or durationM' });
    }
    for (const k of ['start', 'end'] as const) {
      const v = w[k];
      if (typeof v === 'string' && Number.isNaN(Date.parse(v)))
        ctx.addIssue({ code: 'custom', path: [k], message: `not a date: "${v}"` });
    }
  });
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;
