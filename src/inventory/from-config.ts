import type { DeviceConfig } from '../config/inventory.ts';
import type { VigilConfig } from '../config/schema.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import { slugify, uniqueId } from './ids.ts';

/** Turns a validated device entry (config file or API body) into a Device. */
export function deviceFromConfig(
  d: DeviceConfig,
  id: string,
  origin: Device['origin'],
  defaults: { pollIntervalS: number },
): Device {
  const device: Device = {
    id,
    name: d.name,
    address: d.address,
    tags: d.tags ?? [],
    icmp: { enabled: d.icmp?.enabled ?? true },
    pollIntervalS: d.pollIntervalS ?? defaults.pollIntervalS,
    origin,
  };
  if (d.group) device.group = d.group;
  if (d.location) device.location = d.location;
  if (d.site) device.site = d.site;
  if (d.parent) device.parentId = d.parent;
  if (d.snmpProfile) device.snmpProfile = d.snmpProfile;
  if (d.snmp) device.snmp = d.snmp as SnmpCredentials;
  return device;
}

/** The devices the config file declares, with ids made unique. */
export function devicesFromConfig(config: VigilConfig): Device[] {
  const ids = new Set<string>();
  return config.devices.map((d) => {
    const id = d.id ?? uniqueId(slugify(d.name), (x) => ids.has(x));
    ids.add(id);
    return deviceFromConfig(d, id, 'config', { pollIntervalS: config.snmp.intervalS });
  });
}
