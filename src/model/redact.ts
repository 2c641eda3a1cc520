import { SECRET_MASK } from './device.ts';

export { SECRET_MASK };

/** `https://hooks.example.com/<secret>`: enough to recognise the endpoint, nothing to reuse. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/${SECRET_MASK}`;
  } catch {
    return SECRET_MASK;
  }
}

/** Keys whose values are secrets wherever they appear (config, devices, channels). */
const SECRET_KEYS = new Set([
  'community',
  'authkey',
  'privkey',
  'password',
  'secret',
  'hmacsecret',
  'token',
  'pass',
  'passphrase',
  'apikey',
]);

export const isSecretKey = (key: string) => SECRET_KEYS.has(key.toLowerCase()) || /communities$/i.test(key);

/** A value as redaction shows it: `<secret>`, or a secret URL as `https://host/<secret>` (see `maskUrl`). */
const isMasked = (v: unknown) => v === SECRET_MASK || (typeof v === 'string' && v.endsWith(`/${SECRET_MASK}`));

/**
 * What a client sends back after editing a redacted object (a device, a credential profile, a channel): every mask it
 * left alone takes the stored value again.
 * @example restoreSecrets({ snmp: { community: '<secret>', port: 1161 } }, stored) // community as stored
 */
export function restoreSecrets<T>(incoming: T, stored: unknown): T {
  if (isMasked(incoming)) return stored as T;
  if (typeof incoming !== 'object' || incoming === null || typeof stored !== 'object' || stored === null)
    return incoming;
  const out: Record<string, unknown> = Array.isArray(incoming) ? ([] as never) : {};
  for (const [k, v] of Object.entries(incoming)) out[k] = restoreSecrets(v, (stored as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * A deep copy with every secret value replaced by `<secret>`: what logs, `config check` and the API show.
 * @example redactSecrets({ snmp: { community: 'public' } }) // { snmp: { community: '<secret>' } }
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretKey(k) && v !== undefined && v !== null && v !== '') {
        out[k] = Array.isArray(v) ? v.map(() => SECRET_MASK) : typeof v === 'object' ? redactSecrets(v) : SECRET_MASK;
      } else out[k] = redactSecrets(v);
    }
    return out as T;
  }
  return value;
}
