/** CISCO-CDP-MIB cdpCacheTable (1.3.6.1.4.1.9.9.23.1.2.1.1) parsing (pure): one neighbour per row. */
import type { VarBind } from '../model/records.ts';
import { formatMac, parseIp, tableRows, valueBytes, valueText } from './octets.ts';

/** cdpCacheEntry; index cdpCacheIfIndex, cdpCacheDeviceIndex. */
export const CDP_CACHE_ENTRY = '1.3.6.1.4.1.9.9.23.1.2.1.1';

/** CDP capability bits (the cdpCacheCapabilities 32-bit value, least significant bit first). */
export const CDP_CAPABILITIES = [
  'router',
  'transparentBridge',
  'sourceRouteBridge',
  'switch',
  'host',
  'igmp',
  'repeater',
  'phone',
  'remote',
  'cvta',
  'macRelay',
] as const;

export interface CdpNeighbour {
  /** cdpCacheIfIndex: the local interface. */
  ifIndex: number;
  deviceIndex: number;
  deviceId: string;
  /** cdpCacheAddress decoded by cdpCacheAddressType (1 ip, 20 ipv6); absent when empty or unknown. */
  address?: string;
  addressType?: number;
  devicePort?: string;
  platform?: string;
  version?: string;
  capabilities: string[];
  nativeVlan?: number;
  sysName?: string;
}

const optText = (vb: VarBind | undefined) => {
  const t = vb ? valueText(vb.value) : '';
  return t === '' ? undefined : t;
};

/** cdpCacheAddress: IPv4/IPv6 bytes, a MAC, or text an agent wrote out. */
function decodeAddress(type: number | undefined, vb: VarBind | undefined): string | undefined {
  if (!vb) return undefined;
  const buf = valueBytes(vb.value);
  if (buf.length === 0) return undefined;
  if (type === 1 || type === 20 || type === undefined) {
    const ip = parseIp(vb.value);
    if (ip) return ip;
  }
  if (buf.length === 6) return formatMac(buf);
  return valueText(vb.value);
}

/**
 * cdpCacheCapabilities: normally four bytes, a big-endian bit mask; some agents (HPE ProCurve) send the mask as
 * hex digits in text ("8", "29").
 */
export function decodeCdpCapabilities(value: VarBind['value'] | undefined): string[] {
  const buf = valueBytes(value);
  if (buf.length === 0) return [];
  const text = buf.toString('utf8');
  let mask: number;
  if (/^(0x)?[0-9a-f]{1,8}$/i.test(text) && buf.length !== 4) mask = Number.parseInt(text.replace(/^0x/i, ''), 16);
  else mask = buf.subarray(-4).reduce((acc, b) => acc * 256 + b, 0);
  const out: string[] = [];
  for (let i = 0; i < 32; i++) if (Math.floor(mask / 2 ** i) % 2) out.push(CDP_CAPABILITIES[i] ?? `bit${i}`);
  return out;
}

/** cdpCacheDeviceId / DevicePort: text (a hostname often with a `(serial)`, a port name), or a MAC sent as raw bytes. */
function decodeDeviceId(vb: VarBind | undefined): string {
  const text = optText(vb) ?? '';
  const buf = valueBytes(vb?.value);
  return text.startsWith('0x') && buf.length === 6 ? formatMac(buf) : text;
}

/** Parses a walk of cdpCacheTable into neighbours, sorted by local ifIndex. */
export function parseCdp(varbinds: VarBind[]): CdpNeighbour[] {
  const out: CdpNeighbour[] = [];
  for (const [index, row] of tableRows(varbinds, CDP_CACHE_ENTRY)) {
    const parts = index.split('.').map(Number);
    if (parts.length !== 2 || parts.some((x) => !Number.isInteger(x))) continue;
    const [ifIndex, deviceIndex] = parts;
    const typeVal = row.get(3)?.value;
    const addressType = typeof typeVal === 'number' ? typeVal : undefined;
    const address = decodeAddress(addressType, row.get(4));
    const vlan = row.get(11)?.value;
    const devicePort = row.get(7) ? decodeDeviceId(row.get(7)) || undefined : undefined;
    const platform = optText(row.get(8));
    const version = optText(row.get(5));
    const sysName = optText(row.get(17));
    out.push({
      ifIndex,
      deviceIndex,
      deviceId: decodeDeviceId(row.get(6)),
      ...(address ? { address } : {}),
      ...(addressType !== undefined ? { addressType } : {}),
      ...(devicePort ? { devicePort } : {}),
      ...(platform ? { platform } : {}),
      ...(version ? { version } : {}),
      capabilities: decodeCdpCapabilities(row.get(9)?.value),
      ...(typeof vlan === 'number' && vlan > 0 ? { nativeVlan: vlan } : {}),
      ...(sysName ? { sysName } : {}),
    });
  }
  return out.sort((a, b) => a.ifIndex - b.ifIndex || a.deviceIndex - b.deviceIndex);
}
