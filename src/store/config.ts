import { z } from 'zod';
import type { SecretKind } from '../model/secret.ts';

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
    /** `sqlite` (the default: one file in `dataDir`) or `postgres` (`url`); with only `url` given, `postgres`. */
    backend: z.enum(['sqlite', 'postgres']).optional(),
    /** `postgres://user:password@host:5432/db` (env `VIGIL_STORE_URL`). A secret: shown as `postgres://host:5432/<secret>`. */
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/./, 'a postgres:// URL')
      .meta({ secret: 'url' satisfies SecretKind })
      .optional(),
    /** Connections to PostgreSQL this process opens at most. */
    pool: z.number().int().min(1).max(200).default(10),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.backend === 'postgres' && !s.url)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'backend postgres needs store.url (or VIGIL_STORE_URL)' });
  });

/** The backend a store config selects. */
export const storeBackend = (c: { backend?: 'sqlite' | 'postgres'; url?: string }) =>
  c.backend ?? (c.url ? 'postgres' : 'sqlite');
