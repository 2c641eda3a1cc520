import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { VigilConfig } from '../config/schema.ts';
import { unmapIPv4 } from '../model/address.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import type { Logger } from '../model/logger.ts';
import type { Store } from '../store/types.ts';
import { devicesFromConfig } from './from-config.ts';
import { localhostDevice } from './localhost.ts';

const PROFILES_KEY = 'credentials.profiles';

export interface Inventory {
  /** Every device, with SNMP credentials resolved from its profile. From memory: on hot paths. */
  devices(): Device[];
  get(id: string): Device | undefined;
  deviceByAddress(address: string): Device | undefined;
  /** From memory (the API profiles are cached, re-read after each change made here). */
  resolveCredentials(device: Device): SnmpCredentials | undefined;
  /** Named credential profiles: the config's, then the API's (the API cannot replace a config profile). */
  profiles(): Record<string, SnmpCredentials & { origin: 'config' | 'api' }>;
  putProfile(name: string, creds: SnmpCredentials): Promise<void>;
  deleteProfile(name: string): Promise<boolean>;
  /** Stores a device (insert or replace by id) and serves it. */
  putDevice(device: Device): Promise<void>;
  /** Removes a device from the store and from memory; false when there was none. */
  deleteDevice(id: string): Promise<boolean>;
  /** Re-reads the store after a change through the API. */
  refresh(): Promise<void>;
}

/** The address-index key: IPv4 unmapped (`::ffff:10.0.0.1` → `10.0.0.1`) and lower case, so senders match inventory addresses. */
export const normaliseAddress = (a: string) => unmapIPv4(a).toLowerCase();

/**
 * The inventory: config devices synced into the store (origin 'config'), API devices kept there,
 * both served from memory, with credential profiles resolved and an address index for linking logs and traps.
 */
export async function createInventory(
  store: Store,
  config: VigilConfig,
  log: Logger,
  opts: { localSnmp?: SnmpCredentials } = {},
): Promise<Inventory> {
  await reconcileConfigDevices(store, config, opts.localSnmp);

  let list: Device[] = [];
  let byId = new Map<string, Device>();
  let byAddress = new Map<string, Device>();
  // The API's profiles, kept in memory so that credential lookups stay synchronous; only this module writes them.
  let apiProfiles: Record<string, SnmpCredentials> = {};

  const profiles = () => {
    const out: Record<string, SnmpCredentials & { origin: 'config' | 'api' }> = {};
    for (const [n, c] of Object.entries(apiProfiles)) out[n] = { ...c, origin: 'api' };
    for (const [n, c] of Object.entries(config.credentials)) out[n] = { ...(c as SnmpCredentials), origin: 'config' };
    return out;
  };
  const resolveCredentials = (d: Device): SnmpCredentials | undefined => {
    if (d.snmp) return d.snmp;
    if (!d.snmpProfile) return undefined;
    const p = profiles()[d.snmpProfile];
    if (!p) return undefined;
    const { origin: _o, ...creds } = p;
    return creds;
  };

  async function resolveNames(devices: Device[]) {
    for (const d of devices) {
      if (isIP(d.address)) continue;
      try {
        for (const r of await lookup(d.address, { all: true }))
          if (!byAddress.has(r.address)) byAddress.set(normaliseAddress(r.address), d);
      } catch {
        log.warn({ device: d.id, address: d.address }, 'cannot resolve device address');
      }
    }
  }

  async function refresh() {
    // Both reads first, then the swap: lookups between awaits see the old lists whole, never half of each.
    const stored = await store.listDevices();
    apiProfiles = (await store.getKv<Record<string, SnmpCredentials>>(PROFILES_KEY)) ?? {};
    list = stored.map((d) => {
      const snmp = resolveCredentials(d);
      return snmp ? { ...d, snmp } : d;
    });
    byId = new Map(list.map((d) => [d.id, d]));
    byAddress = new Map(list.map((d) => [normaliseAddress(d.address), d]));
    void resolveNames(list);
  }
  await refresh();

  return {
    devices: () => list,
    get: (id) => byId.get(id),
    deviceByAddress: (a) => byAddress.get(normaliseAddress(a)),
    resolveCredentials,
    profiles,
    // Read and written back in one transaction: two changes at once (or from two processes) both stay.
    async putProfile(name, creds) {
      await store.transaction(async (tx) => {
        const stored = (await tx.getKv<Record<string, SnmpCredentials>>(PROFILES_KEY)) ?? {};
        await tx.setKv(PROFILES_KEY, { ...stored, [name]: creds });
      });
      await refresh();
    },
    async deleteProfile(name) {
      const gone = await store.transaction(async (tx) => {
        const stored = (await tx.getKv<Record<string, SnmpCredentials>>(PROFILES_KEY)) ?? {};
        if (!(name in stored)) return false;
        const { [name]: _gone, ...rest } = stored;
        await tx.setKv(PROFILES_KEY, rest);
        return true;
      });
      if (gone) await refresh();
      return gone;
    },
    async putDevice(device) {
      await store.putDevice(device);
      await refresh();
    },
    async deleteDevice(id) {
      const deleted = await store.deleteDevice(id);
      await refresh();
      return deleted;
    },
    refresh,
  };
}

/** Config devices are the file's: replaces those from an earlier start, keeps the API's, in one transaction. */
async function reconcileConfigDevices(store: Store, config: VigilConfig, localSnmp?: SnmpCredentials): Promise<void> {
  const fromConfig = devicesFromConfig(config);
  await store.transaction(async (tx) => {
    const stored = await tx.listDevices();
    if (config.icmp.monitorLocalhost) {
      const local = localhostDevice(
        [...fromConfig, ...stored.filter((d) => d.origin === 'api')],
        config.snmp.intervalS,
        localSnmp,
      );
      if (local) fromConfig.push(local);
    }
    const configIds = new Set(fromConfig.map((d) => d.id));
    for (const d of stored) if (d.origin === 'config' && !configIds.has(d.id)) await tx.deleteDevice(d.id);
    for (const d of fromConfig) await tx.putDevice(d);
  });
}
