import type { DeliveryAttempt, NotifyStore, StoredChannel, StoredRoute } from '../../model/notify-store.ts';
import { compact } from '../json.ts';
import type { Async } from '../types.ts';
import { definePgDomain } from './domain.ts';

/** SQLite takes a negative LIMIT as "no limit"; PostgreSQL takes NULL for that and refuses a negative one. */
const limitOf = (n: number) => (n < 0 ? null : Math.floor(n));

/**
 * Notification channels and routes (JSON bodies by id), and one row per delivery attempt, as
 * ../sqlite/notifications.ts. A delivery's event ids are a text[] (GIN-indexed) so that "the deliveries of this event"
 * compares ids whole.
 */
export const notificationsPgDomain = definePgDomain<Async<NotifyStore>>({
  name: 'notifications',
  migrations: [
    `CREATE TABLE notify_channels (id text PRIMARY KEY, type text NOT NULL, body jsonb NOT NULL);
     CREATE TABLE notify_routes (id text PRIMARY KEY, body jsonb NOT NULL);
     CREATE TABLE notify_deliveries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL,
       channel_id text NOT NULL, channel_type text NOT NULL, kind text NOT NULL, event_ids text[] NOT NULL,
       attempt integer NOT NULL, ok boolean NOT NULL, status integer, error text, duration_ms integer NOT NULL,
       will_retry boolean NOT NULL DEFAULT false);
     CREATE INDEX notify_deliveries_channel ON notify_deliveries (channel_id, id DESC);
     CREATE INDEX notify_deliveries_events ON notify_deliveries USING gin (event_ids);`,
  ],
  create(db) {
    const bodies = async <T>(text: string, values?: unknown[]) =>
      (await db.rows<{ body: T }>(text, values)).map((r) => r.body);
    return {
      listChannels: () => bodies<StoredChannel>('SELECT body FROM notify_channels ORDER BY id COLLATE "C"'),
      getChannel: async (id) =>
        (await db.one<{ body: StoredChannel }>('SELECT body FROM notify_channels WHERE id = $1', [id]))?.body,
      async putChannel(c) {
        await db.run(
          'INSERT INTO notify_channels (id, type, body) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO UPDATE SET type = excluded.type, body = excluded.body',
          [c.id, c.type, JSON.stringify(c)],
        );
      },
      deleteChannel: async (id) => (await db.run('DELETE FROM notify_channels WHERE id = $1', [id])) > 0,
      listRoutes: () => bodies<StoredRoute>('SELECT body FROM notify_routes ORDER BY id COLLATE "C"'),
      getRoute: async (id) =>
        (await db.one<{ body: StoredRoute }>('SELECT body FROM notify_routes WHERE id = $1', [id]))?.body,
      async putRoute(r) {
        await db.run(
          'INSERT INTO notify_routes (id, body) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO UPDATE SET body = excluded.body',
          [r.id, JSON.stringify(r)],
        );
      },
      deleteRoute: async (id) => (await db.run('DELETE FROM notify_routes WHERE id = $1', [id])) > 0,
      async logDelivery(d) {
        await db.run(
          `INSERT INTO notify_deliveries (ts, channel_id, channel_type, kind, event_ids, attempt, ok, status, error, duration_ms, will_retry)
           VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11)`,
          [
            d.ts,
            d.channelId,
            d.channelType,
            d.kind,
            d.eventIds,
            d.attempt,
            d.ok,
            d.status ?? null,
            d.error ?? null,
            Math.round(d.durationMs),
            !!d.willRetry,
          ],
        );
      },
      async listDeliveries({ limit = 100, before, channelId, eventId } = {}) {
        // Only the filters given, so that each shape gets its own plan (the channel index, the event index, or the id).
        const where: string[] = [];
        const values: unknown[] = [];
        const add = (cond: (n: string) => string, v: unknown) => {
          values.push(v);
          where.push(cond(`$${values.length}`));
        };
        if (before !== undefined && before !== null) add((n) => `id < ${n}`, before);
        if (channelId !== undefined && channelId !== null) add((n) => `channel_id = ${n}`, channelId);
        if (eventId !== undefined && eventId !== null) add((n) => `event_ids @> ARRAY[${n}::text]`, eventId);
        values.push(limitOf(Math.min(limit, 1000)));
        const rows = await db.rows<DeliveryAttempt & { status: number | null; error: string | null }>(
          `SELECT id, ts, channel_id AS "channelId", channel_type AS "channelType", kind, event_ids AS "eventIds", attempt, ok,
             status, error, duration_ms AS "durationMs", will_retry AS "willRetry"
           FROM notify_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${values.length}`,
          values,
        );
        return rows.map((r) => compact(r) as DeliveryAttempt);
      },
    };
  },
});
