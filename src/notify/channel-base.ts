import { z } from 'zod';

/** Fields every channel type has, spread into each type's schema so config and API-stored channels accept the same. */
export const channelBaseFields = {
  id: z.string().min(1),
  name: z.string().optional(),
  enabled: z.boolean().default(true),
  /**
   * Digest: at most one message per this many minutes per route. The first change after a quiet period still goes out
   * after the route's group window; later ones are collected into one `digest` message. Absent: every group is sent.
   */
  digestM: z.number().positive().optional(),
};
