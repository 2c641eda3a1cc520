import type { MibDictionary } from '../mib/types.ts';
import type { IcmpConfig } from './icmp/config.ts';
import { createIcmpCollector } from './icmp/index.ts';
import type { SnmpConfig } from './snmp/config.ts';
import { createSnmpCollector, SNMP_SCHEDULER_TICK_MS } from './snmp/index.ts';
import type { SyslogConfig } from './syslog/config.ts';
import { createSyslogCollector } from './syslog/index.ts';
import type { TrapConfig } from './trap/config.ts';
import type { EngineStateStore } from './trap/engine.ts';
import { createTrapCollector } from './trap/index.ts';
import type { CollectorContext, ListeningCollector, PolledCollector } from './types.ts';

/**
 * The sections of the whole config the collectors read, each typed by its collector's own schema: config/schema.ts
 * composes those schemas, so the loaded config is one of these (collectors never import config).
 */
export interface CollectorsConfig {
  icmp: IcmpConfig;
  snmp: SnmpConfig;
  syslog: SyslogConfig;
  traps: TrapConfig;
}

/** What a collector factory gets: the shared context, the collectors' config sections, where the trap receiver keeps its SNMP engine state, and the MIB dictionary now serving. */
export interface CollectorDeps {
  ctx: CollectorContext;
  config: CollectorsConfig;
  engineState: EngineStateStore;
  dictionary: () => MibDictionary | undefined;
}

export type CollectorEntry =
  | {
      kind: 'polled';
      enabled(c: CollectorsConfig): boolean;
      intervalS(c: CollectorsConfig): number;
      create(d: CollectorDeps): PolledCollector;
    }
  | { kind: 'listening'; enabled(c: CollectorsConfig): boolean; create(d: CollectorDeps): ListeningCollector };

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
    create: ({ ctx, config, dictionary }) => createSnmpCollector(ctx, config.snmp, { dictionary }),
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
