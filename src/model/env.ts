import type { z } from 'zod';

/** `http.port` → `VIGIL_HTTP_PORT`, `dataDir` → `VIGIL_DATA_DIR`, `syslog.udp.port` → `VIGIL_SYSLOG_UDP_PORT`. */
export function envNameFor(path: string[]): string {
  return (
    'VIGIL_' +
    path
      .map((p) =>
        p
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .replace(/[^A-Za-z0-9]/g, '_')
          .toUpperCase(),
      )
      .join('_')
  );
}

type Leaf = { path: string[]; type: string };

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every settable path of the schema, with its leaf type (objects are walked; arrays and records are leaves set as JSON). */
export function schemaLeaves(schema: z.ZodType, path: string[] = []): Leaf[] {
  let def = defOf(schema);
  while (def.innerType || (def.type === 'pipe' && def.in)) def = defOf((def.innerType ?? def.in)!);
  if (def.type === 'object' && def.shape) {
    const out: Leaf[] = [];
    for (const [key, child] of Object.entries(def.shape)) out.push(...schemaLeaves(child, [...path, key]));
    return out;
  }
  return path.length ? [{ path, type: def.type }] : [];
}

function coerce(raw: string, type: string, name: string): unknown {
  switch (type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new Error(`${name}: expected a number, got "${raw}"`);
      return n;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new Error(`${name}: expected true or false, got "${raw}"`);
    case 'array':
    case 'record':
    case 'object':
      try {
        return JSON.parse(raw);
      } catch {
        throw new Error(`${name}: expected JSON, got "${raw}"`);
      }
    default:
      return raw;
  }
}

/**
 * Applies `VIGIL_*` environment variables onto the raw (unvalidated) config object.
 * Returns the variables used, so start-up can say where a value came from.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  const used: string[] = [];
  for (const leaf of schemaLeaves(schema)) {
    const name = envNameFor(leaf.path);
    const value = env[name];
    if (value === undefined) continue;
    let node = raw;
    for (const key of leaf.path.slice(0, -1)) {
      if (!node[key] || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[leaf.path[leaf.path.length - 1]] = coerce(value, leaf.type, name);
    used.push(name);
  }
  return used;
}
