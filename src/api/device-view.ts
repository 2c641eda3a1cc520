import type { Device } from '../model/device.ts';
import { snmpCredentialsSchema } from '../config/inventory.ts';
import { redactBySchema } from '../model/secret.ts';
import type { DeviceStatus } from '../model/stored.ts';

export type Reachability = 'up' | 'down' | 'unknown';

/**
 * up/down/unknown from what the collectors last said: ICMP decides when the device is pinged,
 * else SNMP; no report yet is unknown.
 */
export function reachability(device: Device, status: DeviceStatus | undefined): Reachability {
  if (!status) return 'unknown';
  if (device.icmp.enabled && status.icmpUp !== undefined) return status.icmpUp ? 'up' : 'down';
  if (status.snmpOk !== undefined) return status.snmpOk ? 'up' : 'down';
  return 'unknown';
}

/** A device as the API shows it: secrets masked, with its status, vendor and SNMP version. */
export function deviceView(device: Device, status: DeviceStatus | undefined) {
  return {
    ...device,
    ...(device.snmp ? { snmp: redactBySchema(snmpCredentialsSchema, device.snmp) } : {}),
    state: reachability(device, status),
    vendor: status?.system?.vendor,
    model: status?.system?.model,
    snmpVersion: status?.snmpVersion,
    status: status ?? { deviceId: device.id },
  };
}
