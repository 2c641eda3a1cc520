import type { BusRecord } from '../model/records.ts';
import type { BatchHandler, Bus, SubscribeOptions, Subscription } from './types.ts';

interface Subscriber {
  name: string;
  handler: BatchHandler;
  kinds: Set<string> | null;
  maxBatch: number;
  capacity: number;
  queue: BusRecord[];
  head: number;
  running: boolean;
  /** A pump is queued as a microtask: publishes until it runs need not queue another. */
  scheduled: boolean;
  delivered: number;
  failed: number;
  closed: boolean;
  settled?: () => Promise<void>;
}

/**
 * In-process bus: one bounded queue per subscriber, drained in batches.
 * A handler that throws has its batch counted as failed and reported to `onError`; the bus goes on.
 * @example
 * const bus = createMemoryBus();
 * bus.subscribe('writer', (batch) => store.write(batch), { kinds: ['sample'] });
 * await bus.publish(sample);
 */
export function createMemoryBus(options: { onError?: (subscriber: string, error: unknown) => void } = {}): Bus {
  const subscribers: Subscriber[] = [];
  let readyWaiters: (() => void)[] = [];
  let idleWaiters: (() => void)[] = [];

  const length = (s: Subscriber) => s.queue.length - s.head;
  // Asked once or twice per record published: plain loops, no callback allocated per call.
  const isFull = () => {
    for (const s of subscribers) if (!s.closed && length(s) >= s.capacity) return true;
    return false;
  };
  const isIdle = () => subscribers.every((s) => s.closed || (length(s) === 0 && !s.running));

  function notify(): void {
    if (readyWaiters.length && !isFull()) {
      const w = readyWaiters;
      readyWaiters = [];
      for (const f of w) f();
    }
    if (idleWaiters.length && isIdle()) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  }

  async function pump(s: Subscriber): Promise<void> {
    s.scheduled = false;
    if (s.running) return;
    s.running = true;
    try {
      while (!s.closed && length(s) > 0) {
        const end = Math.min(s.queue.length, s.head + s.maxBatch);
        let batch: BusRecord[] | undefined = s.queue.slice(s.head, end);
        const n = batch.length;
        // The queue lets go of what it hands out, and so does this frame while the handler runs: a handler that
        // packs its records at once (the store writer) should not find them kept alive here.
        if (end === s.queue.length) {
          s.queue = [];
          s.head = 0;
        } else {
          s.queue.fill(undefined as never, s.head, end);
          s.head = end;
          if (s.head > 4096 && s.head * 2 > s.queue.length) {
            s.queue = s.queue.slice(s.head);
            s.head = 0;
          }
        }
        try {
          const done = s.handler(batch);
          batch = undefined;
          await done;
          s.delivered += n;
        } catch (error) {
          s.failed += n;
          options.onError?.(s.name, error);
        }
        notify();
      }
    } finally {
      s.running = false;
      notify();
    }
  }

  const bus: Bus = {
    publish(record) {
      for (const s of subscribers) {
        if (s.closed || (s.kinds && !s.kinds.has(record.kind))) continue;
        s.queue.push(record);
        if (!s.running && !s.scheduled) {
          s.scheduled = true;
          queueMicrotask(() => void pump(s));
        }
      }
      if (isFull()) return bus.whenReady();
    },
    subscribe(name, handler, opts: SubscribeOptions = {}) {
      const s: Subscriber = {
        name,
        handler,
        kinds: opts.kinds ? new Set(opts.kinds) : null,
        maxBatch: opts.maxBatch ?? 1000,
        capacity: opts.capacity ?? 50_000,
        queue: [],
        head: 0,
        running: false,
        scheduled: false,
        delivered: 0,
        failed: 0,
        closed: false,
        settled: opts.settled,
      };
      subscribers.push(s);
      const sub: Subscription = {
        name,
        get pending() {
          return length(s);
        },
        unsubscribe() {
          s.closed = true;
          subscribers.splice(subscribers.indexOf(s), 1);
          notify();
        },
      };
      return sub;
    },
    get saturated() {
      return isFull();
    },
    whenReady() {
      if (!isFull()) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    async drain() {
      for (;;) {
        if (!isIdle()) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        await Promise.all(subscribers.map((s) => s.settled?.()));
        // Settling took time: records may have come in meanwhile.
        if (isIdle()) return;
      }
    },
    async close() {
      await bus.drain();
      for (const s of subscribers) s.closed = true;
    },
    stats() {
      return subscribers.map((s) => ({ name: s.name, pending: length(s), delivered: s.delivered, failed: s.failed }));
    },
  };
  return bus;
}
