import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { VigilError } from '../model/errors.ts';
import { applyEnvOverrides } from '../model/env.ts';
import { configSchema, type VigilConfig } from './schema.ts';

/** A key written as it is in a path; any other (empty, spaces, dots, quotes, newlines) is written `["…"]`. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** `devices[3].snmp.authProtocol` from zod's path array; `credentials["core v3"].authKey` for a key that is not plain. */
export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (!PLAIN_KEY.test(String(p))) out += `[${JSON.stringify(String(p))}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

const keyText = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));

/** One line per issue, each starting with its path (text from the input cannot start a new line). */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    let msg = i.message;
    if (i.code === 'unrecognized_keys')
      return `${formatPath([...i.path, i.keys[0]])}: unknown key${i.keys.length > 1 ? ` (also ${i.keys.slice(1).map(keyText).join(', ')})` : ''}`;
    if (i.code === 'invalid_value' && 'values' in i) msg = `expected one of ${(i.values as unknown[]).join(', ')}`;
    return `${formatPath(i.path)}: ${msg.replace(/\r?\n/g, '\\n')}`;
  });
}

/** Validates a raw config object (after env overrides); throws VIGIL_CONFIG naming every bad path. */
export function validateConfig(raw: unknown, source = 'config'): VigilConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = formatIssues(result.error);
    throw new VigilError('VIGIL_CONFIG', `${source}: invalid configuration\n  ${lines.join('\n  ')}`, lines);
  }
  return result.data;
}

/**
 * Reads the YAML file (optional), applies `VIGIL_*` environment overrides, validates once.
 * @example const config = loadConfig('/etc/vigil.yaml', process.env);
 */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): VigilConfig {
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new VigilError('VIGIL_CONFIG', `${file}: cannot read: ${(e as Error).message}`);
    }
    try {
      raw = (parseYaml(text) as Record<string, unknown>) ?? {};
    } catch (e) {
      throw new VigilError('VIGIL_CONFIG', `${file}: not valid YAML: ${(e as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new VigilError('VIGIL_CONFIG', `${file}: the top level must be a mapping`);
  }
  try {
    applyEnvOverrides(raw, configSchema, env);
  } catch (e) {
    throw new VigilError('VIGIL_CONFIG', `environment: ${(e as Error).message}`);
  }
  return validateConfig(raw, file ?? 'defaults');
}
