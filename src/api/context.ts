import type { Bus } from '../bus/types.ts';
import type { VigilConfig } from '../config/schema.ts';
import type { Clock } from '../model/clock.ts';
import type { Logger } from '../model/logger.ts';
import type { Store } from '../store/types.ts';
import type { Principal } from './auth.ts';

/**
 * What route modules get. Optional members are parts that may be absent (turned off, or not built yet);
 * a route that needs one answers 503 when it is missing.
 */
export interface ApiDeps {
  store: Store;
  bus: Bus;
  config: VigilConfig;
  clock: Clock;
  log: Logger;
  /** Live counters of each running part (collectors, listeners, bus), for /api/v1/stats/*. */
  runtimeStats(): Record<string, unknown>;
  /** Other services registered by the composition root (inventory, mib dictionary, event engine, …). */
  services: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every route registered so far with its declared access (filled by the server's onRoute hook). */
    routeTable: import('./server.ts').RouteAccess[];
  }
  interface FastifyContextConfig {
    /** The route needs no authentication. */
    public?: boolean;
    /** Least role needed. Every route declares this or `public`; the server refuses to register one that does neither. */
    role?: 'admin' | 'operator' | 'viewer';
  }
}
