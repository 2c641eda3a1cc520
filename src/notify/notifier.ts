import type { EventNotifier, VigilEvent } from '../model/events.ts';
import type { Clock } from '../model/clock.ts';
import type { Device } from '../model/device.ts';
import type { Logger } from '../model/logger.ts';
import type { Async } from '../store/types.ts';
import { driverFor, validateChannel } from './channels.ts';
import { routeSchema, type ChannelConfig, type NotifyConfig, type RouteConfig } from './config.ts';
import { createDigestBook, type DigestOut } from './digest.ts';
import { scrub } from './format.ts';
import { backoffMs, selectRoutes } from './route.ts';
import type { DeliveryAttempt, NotifyStore } from '../model/notify-store.ts';
import type { ChannelDriver, MessageKind, NotificationMessage } from './types.ts';

/** What the notifier uses of the store: the channels and routes it loads, and the delivery log it writes. */
export type NotifierStore = Pick<Async<NotifyStore>, 'listChannels' | 'listRoutes' | 'logDelivery'>;

export interface NotifierOptions {
  store: NotifierStore;
  clock: Clock;
  log: Logger;
  config: NotifyConfig;
  device: (id: string) => Device | undefined;
  /** Waits between attempts (real time by default; tests may shorten). */
  sleep?: (ms: number) => Promise<void>;
  /** The driver of a channel (by its type by default; tests of timing pass a fake). */
  driverFor?: (channel: ChannelConfig) => ChannelDriver<ChannelConfig>;
}

/** The notifier: what the engine calls (`EventNotifier`), and what the API manages (channels, routes, tests, counters). */
export interface Notifier extends EventNotifier {
  /** Re-reads channels and routes (config + store); resolves once they are in use. Reloads apply in call order. */
  reload(): Promise<void>;
  channels(): ChannelConfig[];
  routes(): RouteConfig[];
  /** Sends a test message through one channel, with retries; resolves when done. */
  test(channelId: string): Promise<boolean>;
  /**
   * `pending`: events waiting in groups; `digestsPending`: messages waiting on digest channels, holding
   * `digestEventsPending` events (optional only so that fakes written before digests still fit).
   */
  stats(): {
    pending: number;
    digestsPending?: number;
    digestEventsPending?: number;
    inFlight: number;
    tracked: number;
    sent: number;
    failed: number;
  };
}

interface Group {
  channel: ChannelConfig;
  kind: MessageKind;
  first: number;
  windowMs: number;
  events: Map<string, NotificationMessage['events'][number]>;
}
interface Tracked {
  routes: RouteConfig[];
  sent: boolean;
  lastTs: number;
  channels: Set<string>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * Routing, grouping (a storm becomes one message per channel), digests (at most one message per `digestM` minutes per
 * channel and route, see digest.ts), re-notification with escalation, clear messages, and delivery with retries and
 * exponential backoff; every attempt is logged in the store. Each delivery runs on its own, so a failing channel never
 * holds back another.
 * @example const notifier = await createNotifier({ store, clock, log, config: config.notify, device: (id) => inventory.get(id) });
 */
export async function createNotifier(opts: NotifierOptions): Promise<Notifier> {
  const { store, clock, log, config } = opts;
  const sleep = opts.sleep ?? realSleep;
  const driverOf = opts.driverFor ?? driverFor;
  let channelMap = new Map<string, ChannelConfig>();
  let routeList: RouteConfig[] = [];
  let lookup: (id: string) => VigilEvent | undefined = () => undefined;
  const groups = new Map<string, Group>();
  const digests = createDigestBook();
  const tracked = new Map<string, Tracked>();
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  let failed = 0;

  /** Reads channels and routes; both are swapped in together, once both are read. */
  async function load() {
    const [storedChannels, storedRoutes] = await Promise.all([store.listChannels(), store.listRoutes()]);
    const channels = new Map(config.channels.map((c) => [c.id, c]));
    for (const raw of storedChannels) {
      try {
        channels.set(raw.id, validateChannel(raw));
      } catch (e) {
        log.warn({ channel: raw.id, err: (e as Error).message }, 'stored channel is invalid; skipped');
      }
    }
    const routes = new Map(config.routes.map((r) => [r.id, r]));
    for (const raw of storedRoutes) {
      const r = routeSchema.safeParse(raw);
      if (r.success) routes.set(r.data.id, r.data);
      else log.warn({ route: raw.id }, 'stored route is invalid; skipped');
    }
    channelMap = channels;
    routeList = [...routes.values()];
  }
  // One reload at a time, each read after the last is applied: two quick changes never leave the older one in force.
  let reloading: Promise<void> = Promise.resolve();
  function reload(): Promise<void> {
    const run = reloading.then(load);
    reloading = run.catch(() => {});
    return run;
  }
  await reload();

  /**
   * Writes one attempt to the delivery log, awaited so that `idle()` covers it and attempts stay in order. A failed
   * write is logged and never taken for a failed delivery (it would be sent again).
   */
  async function logAttempt(d: DeliveryAttempt): Promise<void> {
    try {
      await store.logDelivery(d);
    } catch (e) {
      log.error({ channel: d.channelId, err: (e as Error)?.message ?? String(e) }, 'logging a delivery failed');
    }
  }

  const snapshot = (e: VigilEvent) => {
    const name = e.deviceId ? opts.device(e.deviceId)?.name : undefined;
    return name ? { ...e, deviceName: name } : { ...e };
  };

  /** The channel a route names, if it exists and is enabled. */
  function usable(channelId: string): ChannelConfig | undefined {
    const channel = channelMap.get(channelId);
    if (!channel) log.warn({ channel: channelId }, 'route names an unknown channel');
    return channel?.enabled ? channel : undefined;
  }

  const windowMsOf = (r: RouteConfig) => (r.groupWindowS ?? config.groupWindowS) * 1000;
  const DIGEST_CHANGE = { raise: 'opened', renotify: 'renotified', escalation: 'escalated' } as const;

  function enqueue(
    channelId: string,
    kind: 'raise' | 'clear' | 'renotify' | 'escalation',
    e: VigilEvent,
    route: RouteConfig,
  ) {
    const channel = usable(channelId);
    if (!channel) return;
    if (channel.digestM && kind !== 'clear') {
      digests.add(channel, route.id, DIGEST_CHANGE[kind], snapshot(e), clock.now(), windowMsOf(route));
      sendDigests(digests.take(clock.now()));
      return;
    }
    const key = `${channelId}|${kind}`;
    let g = groups.get(key);
    if (!g)
      groups.set(key, (g = { channel, kind, first: clock.now(), windowMs: windowMsOf(route), events: new Map() }));
    else g.windowMs = Math.min(g.windowMs, windowMsOf(route));
    g.events.set(e.id, snapshot(e));
    if (g.windowMs === 0) send(key);
  }

  function send(key: string) {
    const g = groups.get(key);
    if (!g) return;
    groups.delete(key);
    if (!g.events.size) return;
    for (const id of g.events.keys()) {
      const t = tracked.get(id);
      if (t && g.kind === 'raise') t.sent = true;
    }
    start(g.channel, { kind: g.kind, ts: clock.now(), events: [...g.events.values()] });
  }

  function sendDigests(out: DigestOut[]) {
    for (const d of out) {
      for (const id of d.openedIds) {
        const t = tracked.get(id);
        if (t) t.sent = true;
      }
      start(d.channel, d.message);
    }
  }

  function start(channel: ChannelConfig, message: NotificationMessage) {
    const p: Promise<unknown> = deliver(channel, message).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function deliver(channel: ChannelConfig, message: NotificationMessage): Promise<boolean> {
    const driver = driverOf(channel);
    const ids = message.events.map((e) => e.id);
    const attempts = config.retry.attempts;
    const attemptOf = (attempt: number, started: number) => ({
      ts: clock.now(),
      channelId: channel.id,
      channelType: channel.type,
      kind: message.kind,
      eventIds: ids,
      attempt,
      durationMs: performance.now() - started,
    });
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = performance.now();
      let status: number | undefined;
      try {
        status = (await driver.send(channel, message)).status;
      } catch (e) {
        const error = scrub((e as Error).message, driver.secrets(channel));
        const willRetry = attempt < attempts;
        const httpStatus = (e as { httpStatus?: number }).httpStatus;
        await logAttempt({ ...attemptOf(attempt, started), ok: false, status: httpStatus, error, willRetry });
        log.warn(
          { channel: channel.id, attempt, error },
          willRetry ? 'notification failed; will retry' : 'notification failed; giving up',
        );
        if (willRetry) await sleep(backoffMs(attempt, config.retry));
        continue;
      }
      sent++;
      await logAttempt({ ...attemptOf(attempt, started), ok: true, status });
      return true;
    }
    failed++;
    return false;
  }

  return {
    notify(event, kind) {
      const now = clock.now();
      if (kind === 'raise') {
        const routes = selectRoutes(routeList, event, event.deviceId ? opts.device(event.deviceId) : undefined, now);
        if (!routes.length) return;
        let t = tracked.get(event.id);
        if (!t) tracked.set(event.id, (t = { routes, sent: false, lastTs: now, channels: new Set() }));
        t.lastTs = now;
        for (const r of routes) {
          if (!t.routes.includes(r)) t.routes.push(r);
          for (const c of r.channels) {
            t.channels.add(c);
            enqueue(c, 'raise', event, r);
          }
        }
        return;
      }
      const t = tracked.get(event.id);
      if (!t) return;
      tracked.delete(event.id);
      // Digest channels hear of every clear: the latest state wins in what they still hold.
      for (const r of t.routes)
        for (const c of r.channels) {
          const channel = channelMap.get(c);
          if (channel?.enabled && channel.digestM)
            digests.clear(channel, r.id, snapshot(event), now, windowMsOf(r), { tell: r.notifyClear, told: t.sent });
        }
      sendDigests(digests.take(now));
      let wasPending = false;
      for (const g of groups.values()) if (g.kind === 'raise' && g.events.delete(event.id)) wasPending = true;
      // Raised and cleared within the grouping window: nobody was told, so nothing to take back.
      if (!t.sent && wasPending) return;
      for (const r of t.routes)
        if (r.notifyClear) for (const c of r.channels) if (!channelMap.get(c)?.digestM) enqueue(c, 'clear', event, r);
    },
    suppress(eventId) {
      const t = tracked.get(eventId);
      tracked.delete(eventId);
      for (const g of groups.values()) g.events.delete(eventId);
      digests.drop(eventId);
      if (t) log.debug({ event: eventId }, 'notifications suppressed');
    },
    setEventLookup(f) {
      lookup = f;
    },
    tick() {
      const now = clock.now();
      for (const [key, g] of groups) if (now - g.first >= g.windowMs) send(key);
      sendDigests(digests.take(now));
      for (const [id, t] of tracked) {
        if (!t.sent) continue;
        const e = lookup(id);
        if (!e || e.state === 'cleared') {
          if (!e) tracked.delete(id);
          continue;
        }
        if (e.state !== 'open' || e.suppressed || e.inMaintenance) continue;
        for (const r of t.routes) {
          if (!r.renotifyAfterM || now - t.lastTs < r.renotifyAfterM * 60_000) continue;
          t.lastTs = now;
          for (const c of r.channels) enqueue(c, 'renotify', e, r);
          for (const c of r.escalateTo) {
            t.channels.add(c);
            enqueue(c, 'escalation', e, r);
          }
        }
      }
    },
    flush() {
      for (const key of [...groups.keys()]) send(key);
      sendDigests(digests.take(clock.now(), true));
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    reload,
    channels: () => [...channelMap.values()],
    routes: () => routeList,
    async test(channelId) {
      const channel = channelMap.get(channelId);
      if (!channel) return false;
      const now = clock.now();
      const e: VigilEvent = {
        kind: 'event',
        id: 'test',
        dedupKey: 'test',
        source: 'threshold',
        severity: 'info',
        state: 'open',
        firstSeen: now,
        lastSeen: now,
        count: 1,
        summary: 'Vigil test notification',
      };
      return deliver(channel, { kind: 'test', ts: now, events: [e] });
    },
    stats: () => {
      const d = digests.pending();
      return {
        pending: [...groups.values()].reduce((n, g) => n + g.events.size, 0),
        digestsPending: d.digests,
        digestEventsPending: d.events,
        inFlight: inFlight.size,
        tracked: tracked.size,
        sent,
        failed,
      };
    },
  };
}
