/** Builds the discovery service over the parts the running program (or a CLI command) has. */
import { openSnmpSession } from '../collectors/snmp/session.ts';
import type { ProductDictionary } from '../mib/enterprises.ts';
import type { Clock } from '../model/clock.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import type { Logger } from '../model/logger.ts';
import type { DiscoveryConfig } from './config.ts';
import { createDiscoveryService, type DiscoveryService, type DiscoveryServiceOptions } from './service.ts';

export interface DiscoveryParts {
  config: DiscoveryConfig;
  fpingPath: string;
  /** New devices' poll interval (snmp.intervalS). */
  pollIntervalS: number;
  store: DiscoveryServiceOptions['store'];
  clock: Clock;
  log: Logger;
  inventory: {
    devices(): Device[];
    profiles(): Record<string, SnmpCredentials>;
    refresh(): Promise<void>;
  };
  dictionary?(): ProductDictionary | undefined;
}

export function openDiscovery(p: DiscoveryParts): DiscoveryService {
  return createDiscoveryService({
    config: p.config,
    store: p.store,
    clock: p.clock,
    log: p.log,
    fpingPath: p.fpingPath,
    defaultPollIntervalS: p.pollIntervalS,
    devices: () => p.inventory.devices(),
    profiles: () => p.inventory.profiles(),
    refreshInventory: () => p.inventory.refresh(),
    // Trials are short: most addresses of a sweep never answer SNMP, and each credential is tried in turn.
    openSession: (address, creds) =>
      openSnmpSession(
        address,
        { ...creds, timeoutMs: p.config.snmp.timeoutMs, retries: p.config.snmp.retries },
        { label: `discovery ${address}` },
      ),
    dictionary: p.dictionary,
  });
}
