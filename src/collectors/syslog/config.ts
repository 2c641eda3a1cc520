import { z } from 'zod';
import { isValidTimezone, parseCidr } from './timezone.ts';

const timezone = z
  .string()
  .refine(isValidTimezone, { message: 'unknown time zone (use an IANA name such as Europe/Berlin, or UTC)' });

/** Caps of one TCP or TLS listener, so that idle or abusive peers cannot hold sockets (and memory) without bound. */
const connectionCaps = {
  /** Connections open at once; a new one beyond this is closed at once and counted (`connectionsRefused`). */
  maxConnections: z.number().int().min(1).default(1000),
  /** A connection that sends nothing for this long is closed and counted (`connectionsIdleClosed`); 0 = never. Time paused by Vigil's own backpressure does not count. */
  // At most a week: Node's timers overflow past 24.8 days and would then fire after 1 ms.
  idleTimeoutS: z
    .number()
    .min(0)
    .max(7 * 86_400)
    .default(300),
};

/** Syslog listeners. The syslog module owns and extends this schema. */
export const syslogConfigSchema = z
  .object({
    udp: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(514),
        rcvbufBytes: z
          .number()
          .int()
          .min(0)
          .default(8 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    tcp: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(514),
        ...connectionCaps,
      })
      .strict()
      .prefault({}),
    tls: z
      .object({
        /** The TLS listener starts only when this is true and cert and key are given. */
        enabled: z.boolean().default(true),
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(6514),
        ...connectionCaps,
        /** PEM text or a file path. */
        cert: z.string().optional(),
        key: z.string().optional(),
        /** CA(s) that client certificates must chain to (PEM text or path). */
        ca: z.string().optional(),
        requireClientCert: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    maxMessageBytes: z.number().int().min(480).default(65536),
    /** PRI assumed for messages that carry none (13 = user.notice, per RFC 3164). */
    defaultPri: z.number().int().min(0).max(191).default(13),
    /** Zone for timestamps without an offset, unless a `timezones` entry matches the sender. */
    defaultTimezone: timezone.default('UTC'),
    /** Per-sender zones: the first entry whose address or CIDR contains the sender wins. */
    timezones: z
      .array(
        z
          .object({
            source: z
              .string()
              .refine((s) => parseCidr(s) !== undefined, { message: 'expected an address or CIDR, e.g. 10.1.0.0/16' }),
            timezone,
          })
          .strict(),
      )
      .default([]),
    /** Most senders tracked one by one in the stats (the rest are counted together). */
    maxSources: z.number().int().min(1).default(10_000),
    retention: z
      .object({
        /** Logs older than this (by received time) are removed. */
        maxAgeDays: z.number().min(0.001).default(30),
        /** Oldest logs are removed while the stored total exceeds this (message + fields, before SQLite overhead). */
        maxBytes: z
          .number()
          .int()
          .min(1_000_000)
          .default(5 * 1024 ** 3),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type SyslogConfig = z.infer<typeof syslogConfigSchema>;
