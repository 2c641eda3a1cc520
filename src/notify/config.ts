import { z } from 'zod';
import { SEVERITIES, type Severity } from '../model/records.ts';
import { emailChannelSchema } from './email/config.ts';
import { slackChannelSchema } from './slack/config.ts';
import { webhookChannelSchema } from './webhook/config.ts';

const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const channelSchema = z.discriminatedUnion('type', [
  webhookChannelSchema,
  emailChannelSchema,
  slackChannelSchema,
]);
export type ChannelConfig = z.infer<typeof channelSchema>;

/** Which events go to which channels. Every matching route is used unless one says `continue: false`. */
export const routeSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    enabled: z.boolean().default(true),
    match: z
      .object({
        /** This severity or worse. */
        minSeverity: severity.optional(),
        severities: z.array(severity).optional(),
        sources: z.array(z.string()).optional(),
        devices: z
          .object({
            ids: z.array(z.string()).optional(),
            tags: z.array(z.string()).optional(),
            groups: z.array(z.string()).optional(),
          })
          .strict()
          .optional(),
        /** Only during these hours (`from` > `to` spans midnight), on these days (0 Sunday … 6 Saturday), in this zone. */
        timeOfDay: z
          .object({
            from: hhmm,
            to: hhmm,
            days: z.array(z.number().int().min(0).max(6)).optional(),
            tz: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    channels: z.array(z.string()).min(1),
    /** Events to one channel within this window go out as one message. */
    groupWindowS: z.number().min(0).optional(),
    /** Tell again while the event stays open and unacknowledged. */
    renotifyAfterM: z.number().positive().optional(),
    /** Channels added on re-notification (escalation). */
    escalateTo: z.array(z.string()).default([]),
    /** Send a message when the event clears. */
    notifyClear: z.boolean().default(true),
    /** Keep looking at later routes after this one matched. */
    continue: z.boolean().default(true),
  })
  .strict();
export type RouteConfig = z.infer<typeof routeSchema>;

/** Notification channels and routes. The notify module owns and extends this schema. */
export const notifyConfigSchema = z
  .object({
    channels: z.array(channelSchema).default([]),
    routes: z.array(routeSchema).default([]),
    /** Default grouping window of a route. */
    groupWindowS: z.number().min(0).default(10),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(20).default(5),
        initialDelayMs: z.number().int().min(1).default(1000),
        maxDelayMs: z.number().int().min(1).default(60_000),
        factor: z.number().min(1).default(2),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
