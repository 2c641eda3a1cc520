import { parseFacility, parseSeverity } from '../../model/syslog-names.ts';
import { VigilError } from '../../model/errors.ts';
import type { LogRecord } from '../../model/records.ts';
import type { LogQuery } from '../../store/types.ts';
import { textMatcher } from '../../store/log-terms.ts';
import type { ApiDeps } from '../context.ts';
import { openSseStream, relayBusRecords } from '../sse-limit.ts';
import { parseTime, timeParam } from './time-param.ts';
import { errorSchema, type RouteModule } from './types.ts';

const filterProps = {
  q: { type: 'string', description: 'full text: words and "phrases" ANDed, word* for a prefix, -word to exclude' },
  from: timeParam,
  to: timeParam,
  host: { type: 'string', description: 'hostname in the message or the sender address' },
  device: { type: 'string', description: 'inventory device id' },
  severity: {
    anyOf: [{ type: 'integer', minimum: 0, maximum: 7 }, { type: 'string' }],
    description: 'at or above: 0-7 or emerg, alert, crit, err, warning, notice, info, debug',
  },
  facility: {
    anyOf: [{ type: 'integer', minimum: 0, maximum: 23 }, { type: 'string' }],
    description: '0-23 or kern, user, … local7',
  },
  app: { type: 'string', description: 'app name / tag, exact' },
} as const;

const logSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    receivedTs: { type: 'integer' },
    ts: { type: 'integer' },
    sourceAddress: { type: 'string' },
    deviceId: { type: 'string' },
    transport: { type: 'string', enum: ['udp', 'tcp', 'tls'] },
    facility: { type: 'integer' },
    severity: { type: 'integer' },
    hostname: { type: 'string' },
    app: { type: 'string' },
    procid: { type: 'string' },
    msgid: { type: 'string' },
    structuredData: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    },
    message: { type: 'string' },
    rawBase64: { type: 'string' },
    flags: { type: 'array', items: { type: 'string' } },
  },
} as const;

interface RawFilters {
  q?: string;
  from?: string | number;
  to?: string | number;
  host?: string;
  device?: string;
  severity?: string | number;
  facility?: string | number;
  app?: string;
  cursor?: string;
  limit?: number;
  bucket?: string | number;
}

/** The store query for the request's filters; names of severities and facilities are accepted. */
export function toLogQuery(raw: RawFilters): LogQuery {
  const q: LogQuery = {
    q: raw.q || undefined,
    from: parseTime(raw.from, 'from'),
    to: parseTime(raw.to, 'to'),
    host: raw.host || undefined,
    deviceId: raw.device || undefined,
    app: raw.app || undefined,
  };
  if (raw.severity !== undefined && raw.severity !== '') {
    q.minSeverity = parseSeverity(raw.severity);
    if (q.minSeverity === undefined)
      throw new VigilError(
        'VIGIL_BAD_REQUEST',
        `severity: expected 0-7 or emerg, alert, crit, err, warning, notice, info, debug; got "${raw.severity}"`,
      );
  }
  if (raw.facility !== undefined && raw.facility !== '') {
    q.facility = parseFacility(raw.facility);
    if (q.facility === undefined)
      throw new VigilError(
        'VIGIL_BAD_REQUEST',
        `facility: expected 0-23 or a name such as auth, daemon, local7; got "${raw.facility}"`,
      );
  }
  if (raw.cursor) q.cursor = raw.cursor;
  if (raw.limit !== undefined) q.limit = raw.limit;
  return q;
}

/** In-memory version of the query for live lines: the same filters, and `q` matched on the index's tokens. */
export function logMatcher(q: LogQuery): (l: LogRecord) => boolean {
  const text = textMatcher(q.q);
  return (l) => logMatches(l, q) && text(l.message);
}

function logMatches(l: LogRecord, q: LogQuery): boolean {
  if (q.from !== undefined && l.ts < q.from) return false;
  if (q.to !== undefined && l.ts >= q.to) return false;
  if (q.host && l.hostname !== q.host && l.sourceAddress !== q.host) return false;
  if (q.deviceId && l.deviceId !== q.deviceId) return false;
  if (q.minSeverity !== undefined && l.severity > q.minSeverity) return false;
  if (q.facility !== undefined && l.facility !== q.facility) return false;
  if (q.app && l.app !== q.app) return false;
  return true;
}

const BUCKETS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `60000`, `30s`, `5m`, `1h`, `1d` → ms. */
function parseBucket(v: string | number | undefined, from: number, to: number): number {
  if (v === undefined || v === '') {
    // About 100 bars, rounded to a friendly step.
    const steps = [
      1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000,
      86_400_000, 604_800_000,
    ];
    return steps.find((s) => (to - from) / s <= 120) ?? steps[steps.length - 1];
  }
  const m = /^(\d+)([smhd]?)$/.exec(String(v));
  if (!m || Number(m[1]) <= 0)
    throw new VigilError('VIGIL_BAD_REQUEST', `bucket: expected ms or a duration such as 30s, 5m, 1h, 1d; got "${v}"`);
  return Number(m[1]) * (m[2] ? BUCKETS[m[2]] : 1);
}

/** The running collector's counters: the runtime stats entry `syslog`. */
function collectorStats(deps: ApiDeps): Record<string, unknown> | undefined {
  return deps.runtimeStats().syslog as Record<string, unknown> | undefined;
}

/** GET /logs, /logs/histogram, /logs/stream (SSE) and /syslog/stats. */
export const logRoutes: RouteModule = (app, deps) => {
  app.get<{ Querystring: RawFilters }>(
    '/logs',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Stored syslog lines, newest first; page with `cursor` = the previous `nextCursor`',
        tags: ['logs'],
        querystring: {
          type: 'object',
          properties: {
            ...filterProps,
            cursor: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { logs: { type: 'array', items: logSchema }, nextCursor: { type: 'string' } },
          },
          400: errorSchema,
        },
      },
    },
    async (req) => deps.store.queryLogs(toLogQuery(req.query)),
  );

  app.get<{ Querystring: RawFilters }>(
    '/logs/histogram',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Counts of matching lines per time bucket (message time); default range the last 24 h',
        tags: ['logs'],
        querystring: {
          type: 'object',
          properties: {
            ...filterProps,
            bucket: {
              anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }],
              description: 'ms, or 30s, 5m, 1h, 1d; default about 100 buckets',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'integer' },
              to: { type: 'integer' },
              bucketMs: { type: 'integer' },
              buckets: {
                type: 'array',
                items: { type: 'object', properties: { ts: { type: 'integer' }, count: { type: 'integer' } } },
              },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (req) => {
      const q = toLogQuery(req.query);
      const to = q.to ?? deps.clock.now();
      const from = q.from ?? to - 86_400_000;
      if (from >= to) throw new VigilError('VIGIL_BAD_REQUEST', 'from: must be before to');
      const bucketMs = parseBucket(req.query.bucket, from, to);
      const first = from - (from % bucketMs);
      if ((to - first) / bucketMs > 5000)
        throw new VigilError('VIGIL_BAD_REQUEST', 'bucket: too small for the range (more than 5000 buckets)');
      const counts = new Map((await deps.store.logHistogram({ ...q, from, to }, bucketMs)).map((b) => [b.ts, b.count]));
      const buckets: { ts: number; count: number }[] = [];
      for (let t = first; t < to; t += bucketMs) buckets.push({ ts: t, count: counts.get(t) ?? 0 });
      return { from, to, bucketMs, buckets };
    },
  );

  app.get<{ Querystring: RawFilters }>(
    '/logs/stream',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          'New matching lines as Server-Sent Events (`event: log`), same filters as the list; 429 over http.sse caps',
        tags: ['logs'],
        querystring: { type: 'object', properties: filterProps },
        response: { 429: errorSchema },
      },
    },
    async (req, reply) => {
      const matches = logMatcher(toLogQuery(req.query));
      // A slow client loses lines (the listeners are never held back for it), and is told how many.
      relayBusRecords<LogRecord>(deps, openSseStream(req, reply, deps, 'vigil logs'), {
        name: 'logs',
        kind: 'log',
        capacity: 100_000,
        matches,
        frame: ({ kind: _kind, ...line }) => `event: log\ndata: ${JSON.stringify(line)}\n\n`,
        reportDropped: true,
      });
    },
  );

  app.get(
    '/syslog/stats',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          'Syslog listener counters: per transport, UDP drops (Vigil and kernel), per source; and the log store totals',
        tags: ['logs'],
        response: { 200: { type: 'object', additionalProperties: true }, 503: errorSchema },
      },
    },
    async () => {
      const listeners = collectorStats(deps);
      if (!listeners) throw new VigilError('VIGIL_UNAVAILABLE', 'the syslog collector is not running');
      return { ...listeners, store: await deps.store.logStats() };
    },
  );
};
