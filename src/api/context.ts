import type { Bus } from '../bus/types.ts';
import type { VigilConfig } from '../config/schema.ts';
import type { EventEngine } from '../events/engine.ts';
import type { Inventory } from '../inventory/index.ts';
import type { MibStatus } from '../mib/service.ts';
import type { MibBrowser } from '../mib/types.ts';
import type { Clock } from '../model/clock.ts';
import type { Logger } from '../model/logger.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { Store } from '../store/types.ts';
import type { TopologyService } from '../topology/service.ts';
import type { DiscoveryService } from '../discovery/service.ts';
import type { WirelessService } from '../wireless/service.ts';
import type { Principal } from './auth.ts';

/**
 * The running parts the API reads besides the store, as the composition root built them. A member is absent when
 * that part is not running (or when an API is built for a test around only some of them); a route that needs an
 * absent one answers 503 (see `services.ts`).
 */
export interface Services {
  /** Devices and credential profiles as the running program sees them. */
  inventory?: Inventory;
  /** The MIB dictionary now serving: replaced when a compile finishes, absent until one has loaded. */
  readonly mib?: MibBrowser;
  /** The compile's state; without it, the MIB status describes `mib` alone. */
  mibStatus?(): MibStatus;
  events?: EventEngine;
  notifier?: Notifier;
  /** Learned links: recomputed on demand, parents derived from them. */
  topology?: TopologyService;
  /** Discovery jobs. */
  discovery?: DiscoveryService;
  /** Wireless controllers' APs: retiring one. */
  wireless?: WirelessService;
}

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
  /** Live counters of each running part by name (`syslog`, `trap`, …), for /api/v1/stats/* and the receivers' stats. */
  runtimeStats(): Record<string, unknown>;
  services: Services;
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
