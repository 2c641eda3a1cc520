import type { VigilConfig } from '../config/schema.ts';
import { createIcmpCollector } from './icmp/index.ts';
import type { CollectorContext, ListeningCollector, PolledCollector } from './types.ts';

/** What a collector factory gets: the shared context, the whole config, and the services built before collectors. */
export interface CollectorDeps {
  ctx: CollectorContext;
  config: VigilConfig;
  services: Record<string, unknown>;
}

export type CollectorEntry =
  | { kind: 'polled'; enabled(c: VigilConfig): boolean; intervalS(c: VigilConfig): number; create(d: CollectorDeps): PolledCollector }
  | { kind: 'listening'; enabled(c: VigilConfig): boolean; create(d: CollectorDeps): ListeningCollector };

/** Every collector, explicitly: main.ts starts the enabled ones. */
export const collectors = {
  icmp: {
    kind: 'polled',
    enabled: (c) => c.icmp.enabled,
    intervalS: (c) => c.icmp.intervalS,
    create: ({ ctx, config }) => createIcmpCollector(ctx, config.icmp),
  },
} satisfies Record<string, CollectorEntry>;
