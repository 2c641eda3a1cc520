import { hostname } from 'node:os';
import type { Device, SnmpCredentials } from '../model/device.ts';

const LOCAL_ADDRESSES = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The device that makes a fresh Vigil monitor its own machine: ICMP to 127.0.0.1, and SNMP when a local
 * snmpd answered the start-up probe. None when the inventory already has a loopback device.
 */
export function localhostDevice(existing: Device[], pollIntervalS: number, snmp?: SnmpCredentials): Device | undefined {
  if (existing.some((d) => LOCAL_ADDRESSES.has(d.address.toLowerCase()) && d.id !== 'localhost')) return undefined;
  return {
    id: 'localhost',
    name: hostname() || 'localhost',
    address: '127.0.0.1',
    tags: ['vigil-host'],
    icmp: { enabled: true },
    pollIntervalS,
    ...(snmp ? { snmp } : {}),
    origin: 'config',
  };
}
