import type { DeliveryAttempt, NotifyStore, StoredChannel, StoredRoute } from '../../model/notify-store.ts';
import { defineDomain } from './domain.ts';
import { compact } from '../json.ts';

/** Notification channels and routes (JSON bodies), and one row per delivery attempt. */
export const notificationsDomain = defineDomain<NotifyStore>({
  name: 'notifications',
  migrations: [
    `CREATE TABLE notify_channels (id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL);
     CREATE TABLE notify_routes (id TEXT PRIMARY KEY, body TEXT NOT NULL);
     CREATE TABLE notify_deliveries (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, channel_id TEXT NOT NULL, channel_type TEXT NOT NULL, kind TEXT NOT NULL, event_ids TEXT NOT NULL, attempt INTEGER NOT NULL, ok INTEGER NOT NULL, status INTEGER, error TEXT, duration_ms INTEGER NOT NULL, will_retry INTEGER NOT NULL DEFAULT 0);
     CREATE INDEX notify_deliveries_channel ON notify_deliveries(channel_id, id DESC);`,
  ],
  create(db) {
    const parse = <T>(r: unknown) => JSON.parse((r as { body: string }).body) as T;
    const insert = db.prepare(
      'INSERT INTO notify_deliveries (ts, channel_id, channel_type, kind, event_ids, attempt, ok, status, error, duration_ms, will_retry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    return {
      listChannels: () =>
        db
          .prepare('SELECT body FROM notify_channels ORDER BY id')
          .all()
          .map((r) => parse<StoredChannel>(r)),
      getChannel(id) {
        const r = db.prepare('SELECT body FROM notify_channels WHERE id = ?').get(id);
        return r ? parse<StoredChannel>(r) : undefined;
      },
      putChannel(c) {
        db.prepare(
          'INSERT INTO notify_channels (id, type, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET type=excluded.type, body=excluded.body',
        ).run(c.id, c.type, JSON.stringify(c));
      },
      deleteChannel: (id) => db.prepare('DELETE FROM notify_channels WHERE id = ?').run(id).changes > 0,
      listRoutes: () =>
        db
          .prepare('SELECT body FROM notify_routes ORDER BY id')
          .all()
          .map((r) => parse<StoredRoute>(r)),
      getRoute(id) {
        const r = db.prepare('SELECT body FROM notify_routes WHERE id = ?').get(id);
        return r ? parse<StoredRoute>(r) : undefined;
      },
      putRoute(r) {
        db.prepare(
          'INSERT INTO notify_routes (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body=excluded.body',
        ).run(r.id, JSON.stringify(r));
      },
      deleteRoute: (id) => db.prepare('DELETE FROM notify_routes WHERE id = ?').run(id).changes > 0,
      logDelivery(d) {
        insert.run(
          d.ts,
          d.channelId,
          d.channelType,
          d.kind,
          JSON.stringify(d.eventIds),
          d.attempt,
          d.ok ? 1 : 0,
          d.status ?? null,
          d.error ?? null,
          Math.round(d.durationMs),
          d.willRetry ? 1 : 0,
        );
      },
      listDeliveries({ limit = 100, before, channelId, eventId } = {}) {
        const rows = db
          .prepare(
            `SELECT id, ts, channel_id AS channelId, channel_type AS channelType, kind, event_ids AS eventIds, attempt, ok, status, error, duration_ms AS durationMs, will_retry AS willRetry FROM notify_deliveries
             WHERE (? IS NULL OR id < ?) AND (? IS NULL OR channel_id = ?) AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(event_ids) WHERE value = ?)) ORDER BY id DESC LIMIT ?`,
          )
          // The event id is compared whole (a LIKE over the JSON text matched E1 for e1, and missed ids with _ or %).
          .all(
            before ?? null,
            before ?? null,
            channelId ?? null,
            channelId ?? null,
            eventId ?? null,
            eventId ?? null,
            Math.min(limit, 1000),
          ) as Record<string, unknown>[];
        return rows.map(
          (r) =>
            compact({
              ...r,
              ok: r.ok === 1,
              willRetry: r.willRetry === 1,
              eventIds: JSON.parse(r.eventIds as string),
            }) as unknown as DeliveryAttempt,
        );
      },
    };
  },
});
