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
  /** Every device, with SNMP credentials resolved from its profile. */
  devices(): Device[];
  get(id: string): Device | undefined;
  deviceByAddress(address: string): Device | undefined;
  resolveCredentials(device: Device): SnmpCredentials | undefined;
  /** Named credential profiles: the config's, then the API's (the API cannot replace a config profile). */
  profiles(): Record<string, SnmpCredentials & { origin: 'config' | 'api' }>;
  putProfile(name: string, creds: SnmpCredentials): void;
  deleteProfile(name: string): boolean;
  /** Re-reads the store after a change through the API. */
  refresh(): void;
}

/** The address-index key: IPv4 unmapped (`::ffff:10.0.0.1` → `10.0.0.1`) and lower case, so senders match inventory addresses. */
export const normaliseAddress = (a: string) => unmapIPv4(a).toLowerCase();

/**
 * The inventory: config devices synced into the store (origin 'config'), API devices kept there,
 * both served from memory, with credential profiles resolved and an address index for linking logs and traps.
 */
export function createInventory(
  store: Store,
  config: VigilConfig,
  log: Logger,
  opts: { localSnmp?: SnmpCredentials } = {},
): Inventory {
  // Config devices are the file's: replace those from an earlier start, keep the API's.
  const fromConfig = devicesFromConfig(config);
  if (config.icmp.monitorLocalhost) {
    const local = localhostDevice(
      [...fromConfig, ...store.listDevices().filter((d) => d.origin === 'api')],
      config.snmp.intervalS,
      opts.localSnmp,
    );
    if (local) fromConfig.push(local);
  }
  const configIds = new Set(fromConfig.map((d) => d.id));
  store.transaction(() => {
    for (const d of store.listDevices()) if (d.origin === 'config' && !configIds.has(d.id)) store.deleteDevice(d.id);
    for (const d of fromConfig) store.putDevice(d);
  });

  let list: Device[] = [];
  let byId = new Map<string, Device>();
  let byAddress = new Map<string, Device>();

  const apiProfiles = () => store.getKv<Record<string, SnmpCredentials>>(PROFILES_KEY) ?? {};
  const profiles = () => {
    const out: Record<string, SnmpCredentials & { origin: 'config' | 'api' }> = {};
    for (const [n, c] of Object.entries(apiProfiles())) out[n] = { ...c, origin: 'api' };
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

  function refresh() {
    list = store.listDevices().map((d) => {
      const snmp = resolveCredentials(d);
      return snmp ? { ...d, snmp } : d;
    });
    byId = new Map(list.map((d) => [d.id, d]));
    byAddress = new Map(list.map((d) => [normaliseAddress(d.address), d]));
    void resolveNames(list);
  }
  refresh();

  return {
    devices: () => list,
    get: (id) => byId.get(id),
    deviceByAddress: (a) => byAddress.get(normaliseAddress(a)),
    resolveCredentials,
    profiles,
    putProfile(name, creds) {
      store.setKv(PROFILES_KEY, { ...apiProfiles(), [name]: creds });
      refresh();
    },
    deleteProfile(name) {
      const all = apiProfiles();
      if (!(name in all)) return false;
      delete all[name];
      store.setKv(PROFILES_KEY, all);
      refresh();
      return true;
    },
    refresh,
  };
}
