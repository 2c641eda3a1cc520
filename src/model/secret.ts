import { z } from 'zod';
import { maskUrl, SECRET_MASK } from './redact.ts';

/** How a secret is shown: all of it hidden, or a URL whose scheme and host stay visible. */
export type SecretKind = 'value' | 'url';

/**
 * A secret config string: validated like a string and marked in the schema, so that `redactBySchema` hides it wherever
 * it sits (config check, API answers, logs), whatever its key is called.
 */
export const secret = () =>
  z
    .string()
    .min(1)
    .meta({ secret: 'value' satisfies SecretKind });

/** A secret that may be empty (a header value). */
export const secretValue = () => z.string().meta({ secret: 'value' satisfies SecretKind });

/** A URL that carries a secret in its path or query (Slack, Teams and most webhook URLs): shown as `https://host/<secret>`. */
export const secretUrl = () => z.url({ protocol: /^https?$/ }).meta({ secret: 'url' satisfies SecretKind });

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const kindOf = (s: z.ZodType) => (z.globalRegistry.get(s) as { secret?: SecretKind } | undefined)?.secret;

/**
 * A deep copy of `value` with every value the schema types as a secret masked (`<secret>`, or `https://host/<secret>`).
 * Walks the schema beside the value: objects, records, arrays, unions (every branch's secrets), wrappers and pipes.
 * @example redactBySchema(configSchema, config).devices[0].snmp.community // '<secret>'
 */
export function redactBySchema<T>(schema: z.ZodType, value: T): T {
  return walk(schema, value, 0) as T;
}

function walk(schema: z.ZodType, value: unknown, depth: number): unknown {
  if (value === undefined || value === null || depth > 64) return value;
  const kind = kindOf(schema);
  if (kind) return value === '' ? value : kind === 'url' && typeof value === 'string' ? maskUrl(value) : SECRET_MASK;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return walk(def.innerType!, value, depth + 1);
    case 'pipe':
      // The parsed value has the output's shape; a secret marked on either side counts.
      return walk(def.in!, walk(def.out!, value, depth + 1), depth + 1);
    case 'lazy':
      return walk(def.getter!(), value, depth + 1);
    case 'intersection':
      return walk(def.right!, walk(def.left!, value, depth + 1), depth + 1);
    case 'union':
      return def.options!.reduce<unknown>((v, option) => walk(option, v, depth + 1), value);
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, field] of Object.entries(def.shape!)) if (k in out) out[k] = walk(field, out[k], depth + 1);
      return out;
    }
    case 'record': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(def.valueType!, v, depth + 1)]),
      );
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => walk(def.element!, v, depth + 1)) : value;
    case 'tuple':
      return Array.isArray(value)
        ? value.map((v, i) => walk(def.items![i] ?? def.rest ?? z.unknown(), v, depth + 1))
        : value;
    default:
      return value;
  }
}
