import { actorOf, auditRequest } from './audit.ts';
import { SEVERITIES, type Severity } from '../../model/records.ts';
import type { VigilEvent } from '../../model/events.ts';
import { VigilError } from '../../model/errors.ts';
import type { ApiDeps } from '../context.ts';
import { eventEngineOf } from '../services.ts';
import { openSseStream, relayBusRecords } from '../sse-limit.ts';
import { errorSchema, type RouteModule } from './types.ts';

const STATES = ['open', 'acknowledged', 'cleared'] as const;
const listQuery = {
  type: 'object',
  properties: {
    state: {
      type: 'string',
      description: 'open, acknowledged, cleared, or active (open + acknowledged); comma-separated',
    },
    severity: { type: 'string', enum: [...SEVERITIES], description: 'this severity and worse' },
    source: { type: 'string' },
    device: { type: 'string' },
    from: { type: 'number', description: 'last seen at or after (ms)' },
    to: { type: 'number', description: 'first seen at or before (ms)' },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
    cursor: { type: 'string' },
    incident: { type: 'string', description: 'children of this incident only' },
    topLevel: {
      type: 'boolean',
      description: 'leave out the children of incidents (the console shows each incident once)',
    },
  },
} as const;
type ListQuery = {
  state?: string;
  severity?: Severity;
  source?: string;
  device?: string;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
  incident?: string;
  topLevel?: boolean;
};

function states(q: string | undefined): VigilEvent['state'][] | undefined {
  if (!q) return undefined;
  const out = q.split(',').flatMap((s) => (s === 'active' ? ['open', 'acknowledged'] : [s.trim()]));
  for (const s of out)
    if (!(STATES as readonly string[]).includes(s))
      throw new VigilError('VIGIL_BAD_REQUEST', `state: expected open, acknowledged, cleared or active, got "${s}"`);
  return out as VigilEvent['state'][];
}

const matches = (e: VigilEvent, q: ListQuery, st: VigilEvent['state'][] | undefined) =>
  (!st || st.includes(e.state)) &&
  (!q.incident || e.incidentId === q.incident) &&
  (!q.source || e.source === q.source) &&
  (!q.device || e.deviceId === q.device) &&
  (!q.severity || SEVERITIES.indexOf(e.severity) <= SEVERITIES.indexOf(q.severity));

/** An event with its history and links as stored: what `/events/:id` answers when the engine does not know it. */
async function describeStored(deps: ApiDeps, id: string) {
  const event = await deps.store.getEvent(id);
  if (!event) return undefined;
  return {
    event,
    history: await deps.store.eventHistory(id),
    causes: await deps.store.getEvents(event.causes ?? []),
    derived: await deps.store.getEvents(event.partOf ?? []),
    children: (await deps.store.listEvents({ incidentId: id, limit: 1000 })).events,
  };
}

/** Events: list with filters and cursor pages, one with history and links, ack/unack/close, and a live stream. */
export const eventRoutes: RouteModule = (app, deps) => {
  app.get(
    '/events',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Events, newest first', tags: ['events'], querystring: listQuery },
    },
    async (req) => {
      const q = req.query as ListQuery;
      return deps.store.listEvents({
        state: states(q.state),
        severity: q.severity,
        source: q.source,
        deviceId: q.device,
        from: q.from,
        to: q.to,
        limit: q.limit,
        cursor: q.cursor,
        incidentId: q.incident,
        topLevel: q.topLevel,
      });
    },
  );

  app.get(
    '/events/stream',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Event changes as Server-Sent Events (same filters as the list); 429 over http.sse caps',
        tags: ['events'],
        querystring: listQuery,
        response: { 429: errorSchema },
      },
    },
    async (req, reply) => {
      const q = req.query as ListQuery;
      const st = states(q.state);
      relayBusRecords<VigilEvent>(deps, openSseStream(req, reply, deps, 'vigil events'), {
        name: 'events',
        kind: 'event',
        capacity: 10_000,
        matches: (e) => matches(e, q, st),
        frame: (e) => `id: ${e.id}\nevent: event\ndata: ${JSON.stringify(e)}\n\n`,
      });
    },
  );

  app.get(
    '/events/:id',
    {
      config: { role: 'viewer' },
      schema: { summary: 'One event with its history and linked events', tags: ['events'] },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const found = (await deps.services.events?.describe(id)) ?? (await describeStored(deps, id));
      if (!found) throw new VigilError('VIGIL_NOT_FOUND', `no event ${id}`);
      return found;
    },
  );

  const body = {
    type: 'object',
    properties: { comment: { type: 'string', maxLength: 2000 } },
    additionalProperties: false,
  } as const;
  for (const [path, op] of [
    ['ack', 'acknowledge'],
    ['unack', 'unacknowledge'],
    ['close', 'close'],
  ] as const) {
    app.post(
      `/events/:id/${path}`,
      {
        config: { role: 'operator' },
        schema: { summary: `${op[0].toUpperCase()}${op.slice(1)} an event`, tags: ['events'], body },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const comment = (req.body as { comment?: string } | undefined)?.comment;
        const event = await eventEngineOf(deps)[op](id, actorOf(req), comment);
        await auditRequest(
          deps,
          req,
          `event.${path}`,
          id,
          comment ? { comment, summary: event.summary } : { summary: event.summary },
        );
        return event;
      },
    );
  }
};
