import type { EventEngine } from '../events/engine.ts';
import type { Inventory } from '../inventory/index.ts';
import type { MibBrowser } from '../mib/types.ts';
import { VigilError } from '../model/errors.ts';
import type { ApiDeps } from './context.ts';
import type { TopologyService } from '../topology/service.ts';
import type { DiscoveryService } from '../discovery/service.ts';

/** The inventory, or 503 when the API was built without one. */
export function inventoryOf(deps: ApiDeps): Inventory {
  const inventory = deps.services.inventory;
  if (!inventory) throw new VigilError('VIGIL_UNAVAILABLE', 'inventory is not running');
  return inventory;
}

/** The event engine, or 503 when it is not running. */
export function eventEngineOf(deps: ApiDeps): EventEngine {
  const engine = deps.services.events;
  if (!engine) throw new VigilError('VIGIL_UNAVAILABLE', 'the event engine is not running');
  return engine;
}

/** The MIB dictionary now serving, or 503 until one has loaded. */
export function mibBrowserOf(deps: ApiDeps): MibBrowser {
  const mib = deps.services.mib;
  // A test may hand the API a bare translating dictionary; browsing needs more of it.
  if (!mib || typeof mib.lookup !== 'function')
    throw new VigilError('VIGIL_UNAVAILABLE', 'the MIB dictionary is not loaded');
  return mib;
}

/** The topology service, or 503 when it is not running. */
export function topologyOf(deps: ApiDeps): TopologyService {
  const t = deps.services.topology;
  if (!t) throw new VigilError('VIGIL_UNAVAILABLE', 'the topology service is not running');
  return t;
}

/** The discovery service, or 503 when it is not running. */
export function discoveryOf(deps: ApiDeps): DiscoveryService {
  const d = deps.services.discovery;
  if (!d) throw new VigilError('VIGIL_UNAVAILABLE', 'discovery is not running');
  return d;
}
