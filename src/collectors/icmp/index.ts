/** The ICMP collector: one fping process per cycle for every ICMP-enabled device. */
import type { Device } from '../../model/device.ts';
import type { Sample } from '../../model/records.ts';
import type { CollectorContext, Emit, PolledCollector } from '../types.ts';
import type { IcmpConfig } from './config.ts';
import { runFpingOnce, type FpingRunner } from './run-fping.ts';
import { nextReachability, type ReachabilityState } from './stats.ts';

export { buildFpingArgs, parseFpingOutput } from './fping.ts';
export { pingOnce, type PingResult } from './run-fping.ts';
export { icmpConfigSchema, type IcmpConfig } from './config.ts';

/**
 * Creates the ICMP collector. Up/down state is kept per device id across cycles.
 * @example runPolled(createIcmpCollector(ctx, config.icmp), emit, { intervalMs: config.icmp.intervalS * 1000, log })
 */
export function createIcmpCollector(
  ctx: CollectorContext,
  config: IcmpConfig,
  opts: { runner?: FpingRunner } = {},
): PolledCollector {
  const reach = new Map<string, ReachabilityState>();
  const counters = { cycles: 0, targets: 0, unparsedLines: 0, lastCycleMs: 0 };

  async function collect(emit: Emit, signal: AbortSignal): Promise<void> {
    const started = ctx.clock.now();
    const devices = ctx.devices().filter((d) => d.icmp?.enabled);
    // Forget devices that left the inventory, so state does not grow forever.
    const ids = new Set(devices.map((d) => d.id));
    for (const id of reach.keys()) if (!ids.has(id)) reach.delete(id);
    if (!devices.length) return;

    const byAddress = new Map<string, Device[]>();
    for (const d of devices) byAddress.set(d.address, [...(byAddress.get(d.address) ?? []), d]);
    const { output, results } = await runFpingOnce([...byAddress.keys()], config, { runner: opts.runner, signal });
    counters.unparsedLines += output.unparsedLines;
    if (output.globalErrors.length) ctx.log.warn({ errors: output.globalErrors }, 'fping reported errors');

    const ts = ctx.clock.now();
    for (const [address, list] of byAddress) {
      const r = results.get(address);
      if (!r) continue;
      for (const device of list) {
        const state = nextReachability(reach.get(device.id), r.received > 0, config.downAfter, ts);
        reach.set(device.id, state);
        const sample = (metric: string, value: number): Sample => ({
          kind: 'sample',
          deviceId: device.id,
          metric,
          labels: {},
          ts,
          value,
        });
        await emit(sample('icmp.loss.pct', r.lossPct));
        if (r.minMs !== undefined) await emit(sample('icmp.rtt.min', r.minMs));
        if (r.avgMs !== undefined) await emit(sample('icmp.rtt.avg', r.avgMs));
        if (r.maxMs !== undefined) await emit(sample('icmp.rtt.max', r.maxMs));
        if (r.jitterMs !== undefined) await emit(sample('icmp.jitter.ms', r.jitterMs));
        // Before the first decision (a failure but fewer than downAfter) reachability is unknown: say nothing.
        if (state.up === undefined) continue;
        await emit(sample('icmp.up', state.up ? 1 : 0));
        await emit({
          kind: 'device-state',
          deviceId: device.id,
          ts,
          icmp: { up: state.up, lossPct: r.lossPct, ...(r.avgMs !== undefined ? { rttAvgMs: r.avgMs } : {}) },
        });
      }
    }
    counters.cycles++;
    counters.targets = byAddress.size;
    counters.lastCycleMs = ctx.clock.now() - started;
  }

  return {
    name: 'icmp',
    collect,
    stats: () => ({ ...counters, down: [...reach.values()].filter((s) => s.up === false).length }),
  };
}
