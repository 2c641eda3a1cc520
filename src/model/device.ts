/** Inventory: devices and the credentials used to reach them. */
import type { SnmpVersion } from './records.ts';

export type AuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export const AUTH_PROTOCOLS: readonly AuthProtocol[] = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'];
/** `aes192c`/`aes256c` are the Reeder ("Cisco") key extension; `aes192`/`aes256` the Blumenthal one. */
export type PrivProtocol = 'des' | 'aes' | 'aes192' | 'aes256' | 'aes192c' | 'aes256c';
export const PRIV_PROTOCOLS: readonly PrivProtocol[] = ['des', 'aes', 'aes192', 'aes256', 'aes192c', 'aes256c'];
export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export interface SnmpCredentials {
  version: SnmpVersion;
  community?: string;
  user?: string;
  securityLevel?: SecurityLevel;
  authProtocol?: AuthProtocol;
  authKey?: string;
  privProtocol?: PrivProtocol;
  privKey?: string;
  context?: string;
  port: number;
  timeoutMs: number;
  retries: number;
}

export interface Device {
  id: string;
  name: string;
  /** IPv4, IPv6 or DNS name. */
  address: string;
  tags: string[];
  group?: string;
  location?: string;
  /** The site whose collectors poll it (absent: `default`). */
  site?: string;
  /** Parent device id, for dependency suppression. */
  parentId?: string;
  icmp: { enabled: boolean };
  pollIntervalS: number;
  /** Name of a credential profile, or inline credentials; absent when the device is not polled over SNMP. */
  snmpProfile?: string;
  snmp?: SnmpCredentials;
  /** Where the device came from: the config file or the API. */
  origin: 'config' | 'api';
}

/** What clients see of credentials: the secrets replaced. */
export const SECRET_MASK = '<secret>';
