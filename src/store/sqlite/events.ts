import type { EventStore, RuleStore, StoredRule } from '../../model/event-store.ts';
import type { MaintenanceWindow } from '../../model/rules.ts';
import { SEVERITY_RANK, type EventHistoryEntry, type VigilEvent } from '../../model/events.ts';
import type { Severity } from '../../model/records.ts';
import { decodeEventCursor, encodeEventCursor } from '../cursors.ts';
import { defineDomain } from './domain.ts';
import { unlessTaken } from './conflict.ts';
import { compact, fromJson, toJson } from '../json.ts';

/** Events (one row each, the body as JSON, indexed columns for filters), their history, rules and maintenance windows. */
export const eventsDomain = defineDomain<EventStore & RuleStore>({
  name: 'events',
  migrations: [
    `CREATE TABLE events (id TEXT PRIMARY KEY, dedup_key TEXT NOT NULL, state TEXT NOT NULL, severity INTEGER NOT NULL, source TEXT NOT NULL, device_id TEXT, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, cleared_ts INTEGER, body TEXT NOT NULL);
     CREATE INDEX events_last_seen ON events(last_seen DESC, id DESC);
     CREATE INDEX events_state ON events(state, last_seen DESC);
     CREATE INDEX events_device ON events(device_id, last_seen DESC);
     CREATE TABLE event_history (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, comment TEXT, details TEXT);
     CREATE INDEX event_history_event ON event_history(event_id, id);
     CREATE TABLE rules (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, updated_ts INTEGER NOT NULL);
     CREATE TABLE maintenance_windows (id TEXT PRIMARY KEY, body TEXT NOT NULL);`,
    // Children of incidents: listed under their incident, left out of the top-level list.
    `ALTER TABLE events ADD COLUMN incident_id TEXT;
     CREATE INDEX events_incident ON events(incident_id) WHERE incident_id IS NOT NULL;`,
  ],
  create(db) {
    const upsert = db.prepare(
      `INSERT INTO events (id, dedup_key, state, severity, source, device_id, first_seen, last_seen, cleared_ts, body, incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET dedup_key=excluded.dedup_key, state=excluded.state, severity=excluded.severity, source=excluded.source, device_id=excluded.device_id,
         first_seen=excluded.first_seen, last_seen=excluded.last_seen, cleared_ts=excluded.cleared_ts, body=excluded.body, incident_id=excluded.incident_id`,
    );
    const addHistory = db.prepare(
      'INSERT INTO event_history (event_id, ts, actor, action, comment, details) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const get = db.prepare('SELECT body FROM events WHERE id = ?');
    const body = (r: unknown) => JSON.parse((r as { body: string }).body) as VigilEvent;
    const save = db.transaction((events: VigilEvent[]) => {
      for (const e of events)
        upsert.run(
          e.id,
          e.dedupKey,
          e.state,
          SEVERITY_RANK[e.severity],
          e.source,
          e.deviceId ?? null,
          e.firstSeen,
          e.lastSeen,
          e.clearedTs ?? null,
          JSON.stringify(e),
          e.incidentId ?? null,
        );
    });
    const append = db.transaction((entries: EventHistoryEntry[]) => {
      for (const h of entries) addHistory.run(h.eventId, h.ts, h.actor, h.action, h.comment ?? null, toJson(h.details));
    });
    return {
      saveEvents: (events) => save(events),
      appendEventHistory: (entries) => append(entries),
      getEvent(id) {
        const r = get.get(id);
        return r ? body(r) : undefined;
      },
      getEvents(ids) {
        if (!ids.length) return [];
        return db
          .prepare(`SELECT body FROM events WHERE id IN (${ids.map(() => '?').join(',')})`)
          .all(...ids)
          .map(body);
      },
      listEvents(q = {}) {
        const where: string[] = [];
        const params: unknown[] = [];
        const states = q.state === undefined ? [] : Array.isArray(q.state) ? q.state : [q.state];
        if (states.length) {
          where.push(`state IN (${states.map(() => '?').join(',')})`);
          params.push(...states);
        }
        if (q.severity) {
          where.push('severity >= ?');
          params.push(SEVERITY_RANK[q.severity as Severity]);
        }
        if (q.source) {
          where.push('source = ?');
          params.push(q.source);
        }
        if (q.deviceId) {
          where.push('device_id = ?');
          params.push(q.deviceId);
        }
        if (q.incidentId) {
          where.push('incident_id = ?');
          params.push(q.incidentId);
        }
        if (q.topLevel) where.push('incident_id IS NULL');
        if (q.from !== undefined) {
          where.push('last_seen >= ?');
          params.push(q.from);
        }
        if (q.to !== undefined) {
          where.push('first_seen <= ?');
          params.push(q.to);
        }
        const cur = q.cursor ? decodeEventCursor(q.cursor) : undefined;
        if (cur) {
          where.push('(last_seen < ? OR (last_seen = ? AND id < ?))');
          params.push(cur[0], cur[0], cur[1]);
        }
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const rows = db
          .prepare(
            `SELECT body FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY last_seen DESC, id DESC LIMIT ?`,
          )
          .all(...params, limit + 1)
          .map(body);
        const more = rows.length > limit;
        const events = rows.slice(0, limit);
        const last = events[events.length - 1];
        return more && last ? { events, nextCursor: encodeEventCursor(last.lastSeen, last.id) } : { events };
      },
      listActiveEvents: () => db.prepare("SELECT body FROM events WHERE state != 'cleared'").all().map(body),
      eventsBetween: (from, to, limit = 100_000) =>
        db
          .prepare('SELECT body FROM events WHERE last_seen >= ? AND first_seen <= ? ORDER BY first_seen LIMIT ?')
          .all(from, to, limit)
          .map(body),
      eventHistory: (id) =>
        (
          db
            .prepare(
              'SELECT event_id AS eventId, ts, actor, action, comment, details FROM event_history WHERE event_id = ? ORDER BY id',
            )
            .all(id) as Record<string, unknown>[]
        ).map((r) => compact({ ...r, details: fromJson(r.details, undefined) }) as unknown as EventHistoryEntry),
      pruneEvents(ts) {
        return db.transaction(() => {
          db.prepare(
            "DELETE FROM event_history WHERE event_id IN (SELECT id FROM events WHERE state = 'cleared' AND cleared_ts < ?)",
          ).run(ts);
          return db.prepare("DELETE FROM events WHERE state = 'cleared' AND cleared_ts < ?").run(ts).changes;
        })();
      },
      listRules: (kind) =>
        (kind
          ? db.prepare('SELECT body FROM rules WHERE kind = ? ORDER BY id').all(kind)
          : db.prepare('SELECT body FROM rules ORDER BY id').all()
        ).map((r) => JSON.parse((r as { body: string }).body) as StoredRule),
      getRule(id) {
        const r = db.prepare('SELECT body FROM rules WHERE id = ?').get(id) as { body: string } | undefined;
        return r ? (JSON.parse(r.body) as StoredRule) : undefined;
      },
      putRule(rule, ts, opts) {
        const upsert = opts?.create
          ? ''
          : ' ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, body=excluded.body, updated_ts=excluded.updated_ts';
        unlessTaken(`rule "${rule.id}" exists`, () =>
          db
            .prepare(`INSERT INTO rules (id, kind, body, updated_ts) VALUES (?, ?, ?, ?)${upsert}`)
            .run(rule.id, rule.kind, JSON.stringify(rule), ts),
        );
      },
      deleteRule: (id) => db.prepare('DELETE FROM rules WHERE id = ?').run(id).changes > 0,
      listMaintenance: () =>
        db
          .prepare('SELECT body FROM maintenance_windows ORDER BY id')
          .all()
          .map((r) => JSON.parse((r as { body: string }).body) as MaintenanceWindow),
      getMaintenance(id) {
        const r = db.prepare('SELECT body FROM maintenance_windows WHERE id = ?').get(id) as
          | { body: string }
          | undefined;
        return r ? (JSON.parse(r.body) as MaintenanceWindow) : undefined;
      },
      putMaintenance(w, opts) {
        const upsert = opts?.create ? '' : ' ON CONFLICT(id) DO UPDATE SET body=excluded.body';
        unlessTaken(`maintenance window "${w.id}" exists`, () =>
          db.prepare(`INSERT INTO maintenance_windows (id, body) VALUES (?, ?)${upsert}`).run(w.id, JSON.stringify(w)),
        );
      },
      deleteMaintenance: (id) => db.prepare('DELETE FROM maintenance_windows WHERE id = ?').run(id).changes > 0,
    };
  },
});
