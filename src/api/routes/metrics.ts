import { VigilError } from '../../model/errors.ts';
import type { RouteModule } from './types.ts';

/** `2026-11-25T10:00:00Z`, epoch ms, or relative `-1h`, `-7d`. */
export function parseTime(value: string | undefined, now: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const rel = /^-(\d+(?:\.\d+)?)(s|m|h|d|w|y)$/.exec(value);
  if (rel) return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 }[rel[2] as 's']!;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new VigilError('VIGIL_VALIDATION', `bad time "${value}": use epoch ms, ISO 8601 or -1h/-7d`);
  return t;
}

/** What a label name may be (`ifIndex`, `ifName`, `cpu`, …); the store refuses anything else too. */
const LABEL_NAME = /^[A-Za-z0-9_.-]+$/;

/** A whole number query value; the schema's coercion lets `1e309` through as Infinity, which the store cannot bind. */
function wholeNumber(name: string, value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new VigilError('VIGIL_VALIDATION', `${name}: expected a whole number`);
  return n;
}

/** Series for one device and metric, served from the rollup tier that fits the range and step. */
export const metricRoutes: RouteModule = (app, deps) => {
  app.get(
    '/metrics',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          'A metric series; raw below 5-minute steps, 5-minute rollups below 1 h, hourly above. Labels filter as label.NAME=value.',
        querystring: {
          type: 'object',
          required: ['device', 'name'],
          additionalProperties: true,
          properties: {
            device: { type: 'string' },
            name: { type: 'string' },
            from: { type: 'string' },
            to: { type: 'string' },
            step: { type: 'integer', minimum: 1, description: 'seconds' },
            tier: { type: 'string', enum: ['raw', '5m', '1h'] },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as Record<string, string>;
      const now = deps.clock.now();
      const to = parseTime(q.to, now, now);
      const from = parseTime(q.from, now, to - 3_600_000);
      if (from > to) throw new VigilError('VIGIL_VALIDATION', 'from is after to');
      const step = q.step === undefined ? undefined : wholeNumber('step', q.step);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(q)) {
        if (!k.startsWith('label.')) continue;
        const name = k.slice(6);
        // The store finds a label through a JSON path: a key is a name, never path syntax.
        if (!LABEL_NAME.test(name))
          throw new VigilError('VIGIL_VALIDATION', `${k}: a label name has only letters, digits, _ . and -`);
        labels[name] = String(v);
      }
      const series = await deps.store.querySeries({
        deviceId: q.device,
        metric: q.name,
        labels,
        from,
        to,
        stepS: step,
        tier: q.tier as never,
      });
      return { device: q.device, name: q.name, from, to, series };
    },
  );

  app.get(
    '/metrics/latest',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Latest value of a metric for every device (or one), for tables and top-N',
        querystring: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, device: { type: 'string' }, top: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request) => {
      const { name, device, top } = request.query as { name: string; device?: string; top?: number };
      return {
        name,
        items: await deps.store.latest(name, device, { top: top === undefined ? undefined : wholeNumber('top', top) }),
      };
    },
  );
};
