import { VigilError } from '../../model/errors.ts';

/** A `from` / `to` query parameter in OpenAPI: ms since the epoch or an ISO 8601 time. */
export const timeParam = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  description: 'ms since the epoch or an ISO 8601 time',
} as const;

/**
 * A `timeParam` value as ms since the epoch; undefined when not given, VIGIL_BAD_REQUEST naming the parameter when unreadable.
 * @example parseTime('2024-05-01T00:00:00Z', 'from') // 1714521600000
 */
export function parseTime(v: string | number | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n))
    throw new VigilError('VIGIL_BAD_REQUEST', `${what}: expected ms since the epoch or an ISO 8601 time, got "${v}"`);
  return n;
}
