import { z } from 'zod';

export const storeConfigSchema = z
  .object({
    retentionDays: z
      .object({
        raw: z.number().min(1).default(7),
        '5m': z.number().min(1).default(90),
        '1h': z.number().min(1).default(730),
      })
      .strict()
      .prefault({}),
    /** Write from a worker thread with its own SQLite connection (uses the second core; costs that thread's memory). */
    writerThread: z.boolean().default(true),
    /** How often rollups are built and old data removed. */
    maintenanceIntervalS: z.number().int().min(10).default(300),
  })
  .strict();
