import type { VigilConfig } from '../config/schema.ts';
import type { MibDictionary } from '../mib/types.ts';
import { createIcmpCollector } from './icmp/index.ts';
import { createSnmpCollector, SNMP_SCHEDULER_TICK_MS } from './snmp/index.ts';
import { createSyslogCollector } from './syslog/index.ts';
import type { EngineStateStore } from './trap/engine.ts';
import { createTrapCollector } from './trap/index.ts';
import type { CollectorContext, ListeningCollector, PolledCollector } from './types.ts';

/** What a collector factory gets: the shared context, the whole config, where the trap receiver keeps its SNMP engine state, and the MIB dictionary now serving. */
export interface CollectorDeps {
  ctx: CollectorContext;
  config: VigilConfig;
  engineState: EngineStateStore;
  dictionary: () => MibDictionary | undefined;
}

export type CollectorEntry =
  | {
      kind: 'polled';
      enabled(c: VigilConfig): boolean;
      intervalS(c: VigilConfig): number;
      create(d: CollectorDeps): PolledCollector;
    }
  | { kind: 'listening'; enabled(c: VigilConfig): boolean; create(d: CollectorDeps): ListeningCollector };

/** Every collector, explicitly: main.ts starts the enabled ones. */
export const collectors = {
  icmp: {
    kind: 'polled',
    enabled: (c) => c.icmp.enabled,
    intervalS: (c) => c.icmp.intervalS,
    create: ({ ctx, config }) => createIcmpCollector(ctx, config.icmp),
  },
  snmp: {
    kind: 'polled',
    enabled: (c) => c.snmp.enabled,
    // The poller keeps each device's own interval; the runner only ticks it.
    intervalS: () => SNMP_SCHEDULER_TICK_MS / 1000,
    create: ({ ctx, config }) => createSnmpCollector(ctx, config.snmp),
  },
  syslog: {
    kind: 'listening',
    enabled: (c) =>
      c.syslog.udp.enabled ||
      c.syslog.tcp.enabled ||
      (c.syslog.tls.enabled && !!c.syslog.tls.cert && !!c.syslog.tls.key),
    create: ({ ctx, config }) => createSyslogCollector(ctx, config.syslog),
  },
  trap: {
    kind: 'listening',
    enabled: (c) => c.traps.enabled,
    create: ({ ctx, config, engineState, dictionary }) =>
      createTrapCollector(ctx, config.traps, { dictionary, engineState }),
  },
} satisfies Record<string, CollectorEntry>;
