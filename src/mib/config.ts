import { z } from 'zod';

/** MIB dictionary. The mib module owns and extends this schema. */
export const mibConfigSchema = z
  .object({
    /** Extra MIB directories, searched before the built-in set and /usr/share/snmp/mibs. */
    dirs: z.array(z.string()).default([]),
    includeSystemMibs: z.boolean().default(true),
    /** Leave out Vigil's built-in minimal MIB set (only when `dirs` provides SNMPv2-SMI and friends). */
    excludeBuiltin: z.boolean().default(false),
  })
  .strict();
