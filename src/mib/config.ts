import { z } from 'zod';

/** MIB dictionary. The mib module owns and extends this schema. */
export const mibConfigSchema = z
  .object({
    /** Extra MIB directories, searched before the built-in set and /usr/share/snmp/mibs. */
    dirs: z.array(z.string()).default([]),
    includeSystemMibs: z.boolean().default(true),
    /** Leave out Vigil's built-in minimal MIB set (only when `dirs` provides SNMPv2-SMI and friends). */
    excludeBuiltin: z.boolean().default(false),
    /**
     * The compile runs in its own process, so that a collection too big for its limits fails alone: Vigil keeps
     * the previous dictionary and goes on polling.
     */
    compile: z
      .object({
        /** Heap ceiling of the compile process (V8 old generation), MB. */
        maxMemoryMb: z.number().int().min(32).max(65_536).default(512),
        /** A compile still running after this long is stopped, s. */
        timeoutS: z.number().int().min(1).max(86_400).default(600),
      })
      .strict()
      .prefault({}),
    /** Look for changed, added or removed MIB files on the search path every this many seconds and recompile (0 = only at start). */
    rescanS: z.number().int().min(0).max(86_400).default(60),
  })
  .strict();
export type MibConfig = z.infer<typeof mibConfigSchema>;
