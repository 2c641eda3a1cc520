/** The SNMP polling collector: due devices polled with bounded concurrency, one session each. */
import type { ProductDictionary } from '../../mib/enterprises.ts';
import type { Device } from '../../model/device.ts';
import type { CollectorContext, Emit, PolledCollector } from '../types.ts';
import type { SnmpConfig } from './config.ts';
import type { SnmpSession } from './session-types.ts';
import { openSnmpSession } from './session.ts';
import { pollDevice, type DeviceMemory } from './poll-device.ts';
import { pollTopology } from './profiles/topology.ts';

export { openSnmpSession } from './session.ts';
export { counterRate, counterDelta } from './rates.ts';
export { snmpConfigSchema, type SnmpConfig } from './config.ts';
export type { SnmpSession } from './session-types.ts';

/** How often the composition root should call collect(): each device is polled when its own interval is due. */
export const SNMP_SCHEDULER_TICK_MS = 5000;

export interface SnmpCollectorStats {
  cycles: number;
  polls: number;
  failures: number;
  /** Device polls skipped because that device's previous poll was still running when it was due again. */
  skipped: number;
  running: number;
  devices: number;
  lastCycleMs: number;
  byVersion: Record<string, number>;
  /** Reads of the neighbour tables done, and failed. */
  topologyPolls: number;
  topologyFailures: number;
}

interface DeviceSlot {
  memory?: DeviceMemory;
  /** When the device's current interval began: when it was last queued, or last found still busy and skipped. */
  dueFromMs?: number;
  running: boolean;
  queued: boolean;
  skipped: number;
  /** When the neighbour tables were last read (ms). */
  topologyAt?: number;
}

/**
 * Creates the SNMP poller. Each call of `collect` polls the devices whose interval has elapsed.
 * @example runPolled(createSnmpCollector(ctx, config.snmp), emit, { intervalMs: SNMP_SCHEDULER_TICK_MS, log })
 */
export function createSnmpCollector(
  ctx: CollectorContext,
  config: SnmpConfig,
  opts: {
    openSession?: (device: Device) => SnmpSession;
    /** The MIB dictionary now serving: a device's model is its product MIB's name for its sysObjectID. */
    dictionary?: () => ProductDictionary | undefined;
  } = {},
): PolledCollector & { stats(): SnmpCollectorStats; idle(): Promise<void>; stop(): Promise<void> } {
  const slots = new Map<string, DeviceSlot>();
  const stats: SnmpCollectorStats = {
    cycles: 0,
    polls: 0,
    failures: 0,
    skipped: 0,
    running: 0,
    devices: 0,
    lastCycleMs: 0,
    byVersion: {},
    topologyPolls: 0,
    topologyFailures: 0,
  };
  const open =
    opts.openSession ??
    ((d: Device) => openSnmpSession(d.address, d.snmp!, { label: `device ${d.name} (${d.address})` }));

  async function pollOne(device: Device, slot: DeviceSlot, emit: Emit, signal: AbortSignal): Promise<void> {
    slot.running = true;
    stats.running++;
    let session: SnmpSession | undefined;
    try {
      if (signal.aborted) return;
      session = open(device);
      const result = await pollDevice(
        device,
        session,
        config,
        slot.memory,
        () => ctx.clock.now(),
        signal,
        opts.dictionary?.(),
      );
      slot.memory = result.memory;
      stats.polls++;
      if (!result.ok) stats.failures++;
      for (const r of result.records) await emit(r);
      const topo = config.topology;
      const now = ctx.clock.now();
      if (result.ok && topo.enabled && now - (slot.topologyAt ?? -Infinity) >= topo.intervalS * 1000 - 500) {
        slot.topologyAt = now;
        try {
          const record = await pollTopology(session, device.id, () => ctx.clock.now(), {
            maxRepetitions: config.maxRepetitions,
            signal,
            maxRows: topo.maxRows,
          });
          stats.topologyPolls++;
          await emit(record);
        } catch (e) {
          stats.topologyFailures++;
          ctx.log.warn({ device: device.id, err: e instanceof Error ? e.message : String(e) }, 'topology poll failed');
        }
      }
    } catch (e) {
      // pollDevice never throws; emit might. One device must never fail the cycle.
      stats.failures++;
      ctx.log.warn({ device: device.id, err: e instanceof Error ? e.message : String(e) }, 'snmp poll failed');
    } finally {
      session?.close();
      slot.running = false;
      stats.running--;
    }
  }

  // Polls run beyond the tick that started them: a slow device holds only its own slot, never the next tick.
  // One queue and `config.concurrency` slots across ticks bound the load; the collector's own lifetime signal
  // (not the tick's) aborts them on stop.
  const queue: [Device, DeviceSlot][] = [];
  const inFlight = new Set<Promise<void>>();
  const lifetime = new AbortController();
  const idleWaiters: (() => void)[] = [];

  function pump(emit: Emit): void {
    while (inFlight.size < config.concurrency && queue.length && !lifetime.signal.aborted) {
      const [d, slot] = queue.shift()!;
      slot.queued = false;
      const p: Promise<void> = pollOne(d, slot, emit, lifetime.signal).finally(() => {
        inFlight.delete(p);
        pump(emit);
        if (!inFlight.size && !queue.length) for (const w of idleWaiters.splice(0)) w();
      });
      inFlight.add(p);
    }
  }

  async function collect(emit: Emit, _tickSignal: AbortSignal): Promise<void> {
    const started = ctx.clock.now();
    const devices = ctx.devices().filter((d) => d.snmp);
    const ids = new Set(devices.map((d) => d.id));
    for (const id of slots.keys()) if (!ids.has(id)) slots.delete(id);
    stats.devices = devices.length;
    const byVersion: Record<string, number> = {};
    for (const d of devices) byVersion[d.snmp!.version] = (byVersion[d.snmp!.version] ?? 0) + 1;
    stats.byVersion = byVersion;

    const now = ctx.clock.now();
    for (const d of devices) {
      let slot = slots.get(d.id);
      if (!slot) slots.set(d.id, (slot = { running: false, queued: false, skipped: 0 }));
      const intervalMs = (d.pollIntervalS || config.intervalS) * 1000;
      // Intervals are anchored to when the device was due, not to when a free slot let its poll start, so a queue
      // delay neither shifts its schedule nor counts as a skip. Small slack: a tick a few ms early is not a whole tick late.
      if (slot.dueFromMs !== undefined && now - slot.dueFromMs < intervalMs - 500) continue;
      slot.dueFromMs = now;
      if (slot.running || slot.queued) {
        // Due again while the last poll is still running, or still waiting for a slot a whole interval later.
        slot.skipped++;
        stats.skipped++;
        ctx.log.warn(
          { device: d.id, skipped: slot.skipped, waiting: slot.queued },
          slot.queued ? 'previous poll still waiting for a slot; skipped' : 'previous poll still running; skipped',
        );
        continue;
      }
      slot.queued = true;
      queue.push([d, slot]);
    }
    pump(emit);
    stats.cycles++;
    stats.lastCycleMs = ctx.clock.now() - started;
  }

  /** Resolves when no poll is queued or running (tests, and a clean stop). */
  const idle = () =>
    inFlight.size || queue.length ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve();

  async function stop(): Promise<void> {
    queue.length = 0;
    lifetime.abort();
    await Promise.allSettled([...inFlight]);
    for (const w of idleWaiters.splice(0)) w();
  }

  return { name: 'snmp', collect, idle, stop, stats: () => ({ ...stats, byVersion: { ...stats.byVersion } }) };
}
