/** Test helpers: an engine on an in-memory store, a manual clock and a recording notifier. */
import { createMemoryBus } from '../bus/memory.ts';
import { manualClock } from '../model/clock.ts';
import type { Device } from '../model/device.ts';
import { silentLogger } from '../model/logger.ts';
import { openSqlite } from '../store/sqlite/async.ts';
import { eventsConfigSchema } from './config.ts';
import { createEventEngine } from './engine.ts';
import { syslogRuleSchema } from './syslog-rules.ts';
import type { EventNotifier, VigilEvent } from '../model/events.ts';

export function device(id: string, extra: Partial<Device> = {}): Device {
  return {
    id,
    name: id,
    address: '127.0.0.1',
    tags: [],
    icmp: { enabled: true },
    pollIntervalS: 60,
    origin: 'config',
    ...extra,
  };
}

/** A notifier that only records what it was asked to do. */
export function recordingNotifier() {
  const calls: { kind: 'raise' | 'clear'; id: string; summary: string }[] = [];
  const suppressed: string[] = [];
  const n: EventNotifier = {
    notify: (e, kind) => void calls.push({ kind, id: e.id, summary: e.summary }),
    suppress: (id) => void suppressed.push(id),
    setEventLookup: () => {},
    tick: () => {},
    flush: () => {},
    idle: async () => {},
  };
  return Object.assign(n, { calls, suppressed });
}

export async function testEngine(
  opts: {
    devices?: Device[];
    events?: Record<string, unknown>;
    syslogRules?: unknown[];
    notifier?: EventNotifier;
    start?: number;
  } = {},
) {
  const store = openSqlite(':memory:');
  const bus = createMemoryBus();
  const clock = manualClock(opts.start ?? Date.parse('2026-11-25T10:00:00Z'));
  const notifier = (opts.notifier ?? recordingNotifier()) as ReturnType<typeof recordingNotifier>;
  const devices = opts.devices ?? [];
  const config = {
    events: eventsConfigSchema.parse({ persistIntervalMs: 0, ...opts.events }),
    syslog: { rules: (opts.syslogRules ?? []).map((r) => syslogRuleSchema.parse(r)) },
    traps: { rules: [] },
  };
  const engine = await createEventEngine({
    store,
    bus,
    clock,
    log: silentLogger,
    config,
    devices: () => devices,
    notifier,
  });
  const published: VigilEvent[] = [];
  bus.subscribe('test-events', (batch) => void published.push(...(batch as VigilEvent[])), { kinds: ['event'] });
  const byKey = (key: string) => engine.activeEvents().find((e) => e.dedupKey === key);
  return { store, bus, clock, engine, notifier, devices, published, byKey };
}

export type TestEngine = Awaited<ReturnType<typeof testEngine>>;

/** Another engine on a test engine's store, bus and clock: Vigil after a restart (nothing kept but the store). */
export function restartedEngine(t: TestEngine) {
  return createEventEngine({
    store: t.store,
    bus: t.bus,
    clock: t.clock,
    log: silentLogger,
    config: { events: eventsConfigSchema.parse({ persistIntervalMs: 0 }) },
    devices: () => t.devices,
  });
}
