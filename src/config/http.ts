import { z } from 'zod';

/** `http`: the API's listener and its limits (here rather than in api/, which reads the config, so that config never imports api). */
export const httpConfigSchema = z
  .object({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    tls: z.object({ cert: z.string(), key: z.string() }).strict().optional(),
    /**
     * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For is believed: the client address then comes
     * from it (sign-in throttling per address, audit). Empty: the peer of the connection is the client, and forwarding
     * headers are ignored for that (a client could write anything in them).
     */
    trustProxy: z.array(z.string().min(1)).default([]),
    /** Caps on open Server-Sent Event streams (/events/stream, /logs/stream together); one more is answered 429. */
    sse: z
      .object({
        /** Streams one user (or one token without a user) may hold open: a browser tab holds one or two. */
        maxPerUser: z.number().int().min(1).default(10),
        /** Streams open on this server in all. */
        maxTotal: z.number().int().min(1).default(200),
      })
      .strict()
      .prefault({}),
  })
  .strict();
