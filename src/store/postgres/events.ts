import type { MaintenanceWindow } from '../../model/rules.ts';
import type { EventStore, RuleStore, StoredRule } from '../../model/event-store.ts';
import { SEVERITY_RANK, type EventHistoryEntry, type EventQuery, type VigilEvent } from '../../model/events.ts';
import type { Severity } from '../../model/records.ts';
import { decodeEventCursor, encodeEventCursor } from '../cursors.ts';
import type { Async } from '../types.ts';
import { type Db, unlessTaken } from './db.ts';
import { definePgDomain } from './domain.ts';

const bodies = (rows: { body: string }[]) => rows.map((r) => JSON.parse(r.body) as VigilEvent);

/** The WHERE of a listEvents query, its parameters numbered from $1. */
function eventFilter(q: EventQuery): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  const states = q.state === undefined ? [] : Array.isArray(q.state) ? q.state : [q.state];
  if (states.length) add((n) => `state = ANY(${n}::text[])`, states);
  if (q.severity) add((n) => `severity >= ${n}::int`, SEVERITY_RANK[q.severity as Severity] ?? null);
  if (q.source) add((n) => `source = ${n}`, q.source);
  if (q.deviceId) add((n) => `device_id = ${n}`, q.deviceId);
  if (q.incidentId) add((n) => `incident_id = ${n}`, q.incidentId);
  if (q.topLevel) where.push('incident_id IS NULL');
  if (q.from !== undefined) add((n) => `last_seen >= ${n}::bigint`, q.from);
  if (q.to !== undefined) add((n) => `first_seen <= ${n}::bigint`, q.to);
  if (q.cursor) {
    const [lastSeen, id] = decodeEventCursor(q.cursor);
    params.push(lastSeen, id);
    const a = `$${params.length - 1}::bigint`;
    where.push(`(last_seen < ${a} OR (last_seen = ${a} AND id < $${params.length}::text))`);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * Events (one row each, the body as JSON text, indexed columns for filters), their history, rules and maintenance
 * windows; mirrors ../sqlite/events.ts. Event bodies and history details are text, not jsonb: they carry what
 * devices sent (syslog, traps), which may hold any character (jsonb refuses \u0000), and are only ever read whole.
 * Ids are binary-collated ("C"), so lists and cursors order them as SQLite does.
 */
export const eventsPgDomain = definePgDomain<Async<EventStore & RuleStore>>({
  name: 'events',
  migrations: [
    `CREATE TABLE events (
       id text COLLATE "C" PRIMARY KEY, dedup_key text NOT NULL, state text NOT NULL, severity smallint NOT NULL,
       source text NOT NULL, device_id text, first_seen bigint NOT NULL, last_seen bigint NOT NULL, cleared_ts bigint,
       incident_id text, body text NOT NULL
     );
     CREATE INDEX events_last_seen ON events (last_seen DESC, id DESC);
     CREATE INDEX events_state ON events (state, last_seen DESC);
     CREATE INDEX events_device ON events (device_id, last_seen DESC);
     CREATE INDEX events_incident ON events (incident_id) WHERE incident_id IS NOT NULL;
     CREATE INDEX events_first_seen ON events (first_seen);
     CREATE INDEX events_cleared ON events (cleared_ts) WHERE state = 'cleared';
     CREATE TABLE event_history (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text COLLATE "C" NOT NULL, ts bigint NOT NULL,
       actor text NOT NULL, action text NOT NULL, comment text, details text
     );
     CREATE INDEX event_history_event ON event_history (event_id, id);
     CREATE TABLE rules (
       id text COLLATE "C" PRIMARY KEY, kind text NOT NULL, body jsonb NOT NULL, updated_ts bigint NOT NULL
     );
     CREATE INDEX rules_kind ON rules (kind, id);
     CREATE TABLE maintenance_windows (id text COLLATE "C" PRIMARY KEY, body jsonb NOT NULL);`,
  ],
  create(db) {
    return { ...eventsRepo(db), ...rulesRepo(db) };
  },
});

function eventsRepo(db: Db): Async<EventStore> {
  return {
    async saveEvents(events) {
      if (!events.length) return;
      // One row per id (the last saved wins, as saving them one by one would): an upsert may touch a row only once.
      const last = new Map<string, VigilEvent>();
      for (const e of events) last.set(e.id, e);
      // In id order, so that writers with overlapping batches lock rows in one order and never deadlock.
      const list = [...last.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await db.run(
        `INSERT INTO events AS t (id, dedup_key, state, severity, source, device_id, first_seen, last_seen, cleared_ts,
           incident_id, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::bigint[],
           $8::bigint[], $9::bigint[], $10::text[], $11::text[])
         ON CONFLICT (id) DO UPDATE SET dedup_key = EXCLUDED.dedup_key, state = EXCLUDED.state,
           severity = EXCLUDED.severity, source = EXCLUDED.source, device_id = EXCLUDED.device_id,
           first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, cleared_ts = EXCLUDED.cleared_ts,
           incident_id = EXCLUDED.incident_id, body = EXCLUDED.body`,
        [
          list.map((e) => e.id),
          list.map((e) => e.dedupKey),
          list.map((e) => e.state),
          list.map((e) => SEVERITY_RANK[e.severity]),
          list.map((e) => e.source),
          list.map((e) => e.deviceId ?? null),
          list.map((e) => e.firstSeen),
          list.map((e) => e.lastSeen),
          list.map((e) => e.clearedTs ?? null),
          list.map((e) => e.incidentId ?? null),
          list.map((e) => JSON.stringify(e)),
        ],
      );
    },
    async appendEventHistory(entries) {
      if (!entries.length) return;
      // Ids in the order given: eventHistory lists them in the order appended.
      await db.run(
        `INSERT INTO event_history (event_id, ts, actor, action, comment, details)
         SELECT event_id, ts, actor, action, comment, details
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
           AS u(event_id, ts, actor, action, comment, details, ord)
         ORDER BY ord`,
        [
          entries.map((h) => h.eventId),
          entries.map((h) => h.ts),
          entries.map((h) => h.actor),
          entries.map((h) => h.action),
          entries.map((h) => h.comment ?? null),
          entries.map((h) => (h.details === undefined || h.details === null ? null : JSON.stringify(h.details))),
        ],
      );
    },
    async getEvent(id) {
      const r = await db.one<{ body: string }>('SELECT body FROM events WHERE id = $1', [id]);
      return r ? (JSON.parse(r.body) as VigilEvent) : undefined;
    },
    async getEvents(ids) {
      if (!ids.length) return [];
      return bodies(await db.rows('SELECT body FROM events WHERE id = ANY($1::text[])', [ids]));
    },
    async listEvents(q = {}) {
      const { where, params } = eventFilter(q);
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      params.push(limit + 1);
      const rows = bodies(
        await db.rows(
          `SELECT body FROM events ${where} ORDER BY last_seen DESC, id DESC LIMIT $${params.length}`,
          params,
        ),
      );
      const more = rows.length > limit;
      const events = rows.slice(0, limit);
      const last = events[events.length - 1];
      return more && last ? { events, nextCursor: encodeEventCursor(last.lastSeen, last.id) } : { events };
    },
    listActiveEvents: async () => bodies(await db.rows("SELECT body FROM events WHERE state <> 'cleared'")),
    eventsBetween: async (from, to, limit = 100_000) =>
      bodies(
        await db.rows(
          'SELECT body FROM events WHERE last_seen >= $1 AND first_seen <= $2 ORDER BY first_seen, id LIMIT $3',
          [from, to, limit],
        ),
      ),
    async eventHistory(id) {
      const rows = await db.rows<{
        event_id: string;
        ts: number;
        actor: string;
        action: EventHistoryEntry['action'];
        comment: string | null;
        details: string | null;
      }>('SELECT event_id, ts, actor, action, comment, details FROM event_history WHERE event_id = $1 ORDER BY id', [
        id,
      ]);
      return rows.map((r) => {
        const h: EventHistoryEntry = { eventId: r.event_id, ts: r.ts, actor: r.actor, action: r.action };
        if (r.comment !== null) h.comment = r.comment;
        const details = parseOr(r.details);
        if (details !== undefined && details !== null) h.details = details as Record<string, unknown>;
        return h;
      });
    },
    async pruneEvents(ts) {
      const r = await db.one<{ n: number }>(
        `WITH gone AS (DELETE FROM events WHERE state = 'cleared' AND cleared_ts < $1 RETURNING id),
           h AS (DELETE FROM event_history WHERE event_id IN (SELECT id FROM gone))
         SELECT count(*)::int8 AS n FROM gone`,
        [ts],
      );
      return r?.n ?? 0;
    },
  };
}

function parseOr(s: string | null): unknown {
  if (s === null) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function rulesRepo(db: Db): Async<RuleStore> {
  return {
    listRules: async (kind) =>
      (kind
        ? await db.rows<{ body: StoredRule }>('SELECT body FROM rules WHERE kind = $1 ORDER BY id', [kind])
        : await db.rows<{ body: StoredRule }>('SELECT body FROM rules ORDER BY id')
      ).map((r) => r.body),
    getRule: async (id) => (await db.one<{ body: StoredRule }>('SELECT body FROM rules WHERE id = $1', [id]))?.body,
    async putRule(rule, ts, opts) {
      const values = [rule.id, rule.kind, JSON.stringify(rule), ts];
      const insert = 'INSERT INTO rules (id, kind, body, updated_ts) VALUES ($1, $2, $3, $4)';
      if (opts?.create) await unlessTaken(`rule "${rule.id}" exists`, () => db.run(insert, values));
      else
        await db.run(
          `${insert} ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, body = EXCLUDED.body, updated_ts = EXCLUDED.updated_ts`,
          values,
        );
    },
    deleteRule: async (id) => (await db.run('DELETE FROM rules WHERE id = $1', [id])) > 0,
    listMaintenance: async () =>
      (await db.rows<{ body: MaintenanceWindow }>('SELECT body FROM maintenance_windows ORDER BY id')).map(
        (r) => r.body,
      ),
    getMaintenance: async (id) =>
      (await db.one<{ body: MaintenanceWindow }>('SELECT body FROM maintenance_windows WHERE id = $1', [id]))?.body,
    async putMaintenance(w, opts) {
      const insert = 'INSERT INTO maintenance_windows (id, body) VALUES ($1, $2)';
      if (opts?.create)
        await unlessTaken(`maintenance window "${w.id}" exists`, () => db.run(insert, [w.id, JSON.stringify(w)]));
      else await db.run(`${insert} ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body`, [w.id, JSON.stringify(w)]);
    },
    deleteMaintenance: async (id) => (await db.run('DELETE FROM maintenance_windows WHERE id = $1', [id])) > 0,
  };
}
