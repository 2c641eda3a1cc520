import type { ChannelConfig } from './config.ts';
import type { DigestChange, DigestSummary, MessageEvent, MessageKind, NotificationMessage } from './types.ts';

/** One event in a bucket: its latest snapshot and what happened to it since the last message. */
interface Entry {
  event: MessageEvent;
  opened: boolean;
  renotified: boolean;
  escalated: boolean;
  /** The clear is to be told (the route's notifyClear) and nothing reopened the event since. */
  cleared: boolean;
}

/** What waits for one (channel, route) of a digest channel. */
interface Bucket {
  channel: ChannelConfig;
  periodMs: number;
  /** When the last message of this (channel, route) went out. */
  lastSentAt?: number;
  /** When what waits goes out; meaningful while `entries` is not empty. */
  dueAt: number;
  /** The entries came after a quiet period: they go out after the group window, as an ordinary message if they can. */
  quick: boolean;
  since: number;
  entries: Map<string, Entry>;
}

/** A message a bucket gave up, and the events it tells as opened (the notifier marks them told). */
export interface DigestOut {
  channel: ChannelConfig;
  message: NotificationMessage;
  openedIds: string[];
}

export interface DigestBook {
  /** A raise, re-notification or escalation of `event` for (channel, route). */
  add(
    channel: ChannelConfig,
    routeId: string,
    change: Exclude<DigestChange, 'cleared'>,
    event: MessageEvent,
    now: number,
    windowMs: number,
  ): void;
  /**
   * `event` cleared. `tell`: the route sends clears. `told`: some message already said it opened; when not, and it still
   * waits in a quick bucket, it is dropped (raised and cleared inside the group window: nothing to take back).
   */
  clear(
    channel: ChannelConfig,
    routeId: string,
    event: MessageEvent,
    now: number,
    windowMs: number,
    opts: { tell: boolean; told: boolean },
  ): void;
  /** Forget the event everywhere (suppression). */
  drop(eventId: string): void;
  /** Takes every bucket whose time has come (all of them with `force`), as messages. */
  take(now: number, force?: boolean): DigestOut[];
  pending(): { digests: number; events: number };
}

/**
 * The pure bookkeeping of digest channels: per (channel, route), at most one message per `digestM` minutes. The first
 * change after a quiet period goes out after the group window; later ones wait until `digestM` minutes after the last
 * message and go out as one `digest`, one entry per event, the latest state winning.
 * @example const book = createDigestBook(); book.add(channel, 'oncall', 'opened', event, now, 10_000); book.take(now + 10_000)
 */
export function createDigestBook(): DigestBook {
  const buckets = new Map<string, Bucket>();

  function bucketFor(channel: ChannelConfig, routeId: string, now: number, windowMs: number): Bucket {
    const key = `${channel.id}|${routeId}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { channel, periodMs: 0, dueAt: now, quick: true, since: now, entries: new Map() }));
    b.channel = channel;
    b.periodMs = (channel.digestM ?? 0) * 60_000;
    if (!b.entries.size) {
      b.quick = b.lastSentAt === undefined || now - b.lastSentAt >= b.periodMs;
      b.dueAt = b.quick ? now + windowMs : b.lastSentAt! + b.periodMs;
      b.since = b.lastSentAt ?? now;
    } else if (b.quick) b.dueAt = Math.min(b.dueAt, now + windowMs);
    return b;
  }

  return {
    add(channel, routeId, change, event, now, windowMs) {
      const b = bucketFor(channel, routeId, now, windowMs);
      let entry = b.entries.get(event.id);
      if (!entry)
        b.entries.set(
          event.id,
          (entry = { event, opened: false, renotified: false, escalated: false, cleared: false }),
        );
      entry.event = event;
      entry[change] = true;
      entry.cleared = false; // open again: the latest state wins
    },
    clear(channel, routeId, event, now, windowMs, { tell, told }) {
      const b = buckets.get(`${channel.id}|${routeId}`);
      const waiting = b?.entries.get(event.id);
      if (b && waiting) {
        if (b.quick && !told && waiting.opened && !waiting.renotified && !waiting.escalated) {
          b.entries.delete(event.id);
          return;
        }
        waiting.event = event;
        if (tell) waiting.cleared = true;
        return;
      }
      if (!tell) return;
      bucketFor(channel, routeId, now, windowMs).entries.set(event.id, {
        event,
        opened: false,
        renotified: false,
        escalated: false,
        cleared: true,
      });
    },
    drop(eventId) {
      for (const b of buckets.values()) b.entries.delete(eventId);
    },
    take(now, force = false) {
      const out: DigestOut[] = [];
      for (const [key, b] of buckets) {
        if (!b.entries.size) {
          // Quiet for a whole period: the next change is quick again, which a missing bucket also means.
          if (b.lastSentAt === undefined || now - b.lastSentAt >= b.periodMs) buckets.delete(key);
          continue;
        }
        if (!force && now < b.dueAt) continue;
        const entries = [...b.entries.values()];
        out.push({
          channel: b.channel,
          message: toMessage(entries, b, now),
          openedIds: entries.filter((e) => e.opened).map((e) => e.event.id),
        });
        b.entries.clear();
        b.lastSentAt = now;
      }
      return out;
    },
    pending() {
      let digests = 0;
      let events = 0;
      for (const b of buckets.values()) if (b.entries.size) digests++, (events += b.entries.size);
      return { digests, events };
    },
  };
}

const changesOf = (e: Entry): DigestChange[] =>
  (['opened', 'renotified', 'escalated', 'cleared'] as const).filter((c) => e[c]);

const ORDINARY: Partial<Record<string, MessageKind>> = {
  opened: 'raise',
  renotified: 'renotify',
  escalated: 'escalation',
  cleared: 'clear',
};

/** A quick bucket whose events all had the same one change is the ordinary message of that kind; anything else is a digest. */
function toMessage(entries: Entry[], b: Bucket, now: number): NotificationMessage {
  if (b.quick) {
    const kinds = new Set(entries.map((e) => changesOf(e).join(',')));
    const only = kinds.size === 1 ? ORDINARY[[...kinds][0]] : undefined;
    if (only) return { kind: only, ts: now, events: entries.map((e) => e.event) };
  }
  return {
    kind: 'digest',
    ts: now,
    events: entries.map((e) => ({ ...e.event, changes: changesOf(e) })),
    digest: summarise(entries, b.since),
  };
}

function summarise(entries: Entry[], since: number): DigestSummary {
  const s: DigestSummary = { since, opened: 0, cleared: 0, stillOpen: 0, renotified: 0, escalated: 0 };
  for (const e of entries) {
    if (e.opened) s.opened++;
    if (e.cleared) s.cleared++;
    if (e.opened && e.event.state !== 'cleared') s.stillOpen++;
    if (e.renotified) s.renotified++;
    if (e.escalated) s.escalated++;
  }
  return s;
}
