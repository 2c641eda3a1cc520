/**
 * One device's neighbour tables, as polled (pure): the identity and interfaces matching needs, the LLDP and CDP
 * neighbours, the forwarding and ARP/ND tables, and LAG membership. Built from the varbinds of a walk of
 * SNAPSHOT_ROOTS; carried on the bus in a TopologyRecord and kept per device by the store.
 */
import type { VarBind } from '../model/records.ts';
import { type ArpEntry, IP_NET_TO_MEDIA, IP_NET_TO_PHYSICAL, parseArp } from './arp.ts';
import { CDP_CACHE_ENTRY } from './cdp.ts';
import { deviceSideFrom } from './device-side.ts';
import {
  DOT1D_BASE_PORT,
  DOT1D_TP_FDB,
  DOT1Q_TP_FDB,
  DOT1Q_VLAN_CURRENT,
  DOT1Q_VLAN_STATIC,
  type FdbEntry,
  parseFdb,
} from './fdb.ts';
import type { DeviceSide } from './identity.ts';
import { AGG_PORT_ENTRY, IF_STACK_ENTRY, parseLag } from './lag.ts';
import { BGP_PEER_ENTRY, IP_ADDRESS_ENTRY, type L3Side, l3SideFrom, OSPF_NBR_ENTRY } from './l3.ts';
import { LLDP_ROOT } from './lldp.ts';

export interface TopologySnapshot extends DeviceSide {
  /** When the tables were read (ms). */
  ts: number;
  fdb: FdbEntry[];
  arp: ArpEntry[];
  /** LAG membership: [member ifIndex, aggregate ifIndex]. */
  lags: [number, number][];
  /** Own IPv4 addresses and OSPF neighbours / BGP peers, for L3 adjacencies (absent when the device has none). */
  l3?: Omit<L3Side, 'deviceId' | 'interfaces'>;
  /** Tables cut short by the row limit, by root OID. */
  truncated?: string[];
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

/** Tables whose rows identify the device and its ports: small, always read. */
export const IDENTITY_ROOTS = [
  '1.3.6.1.2.1.1.5',
  `${IF_ENTRY}.2`,
  `${IF_ENTRY}.3`,
  `${IF_ENTRY}.6`,
  `${IFX_ENTRY}.1`,
  `${IFX_ENTRY}.18`,
  '1.3.6.1.2.1.4.20.1',
];

/** Neighbour tables: LLDP local and remote system data, CDP cache, LAG membership. */
export const NEIGHBOUR_ROOTS = [`${LLDP_ROOT}.3`, `${LLDP_ROOT}.4`, CDP_CACHE_ENTRY, AGG_PORT_ENTRY, IF_STACK_ENTRY];

/** OSPF and BGP (scalars walked from their parent, so that a walk finds them), IPv4 addresses. */
export const L3_WALK_ROOTS = [
  '1.3.6.1.2.1.14.1.1',
  OSPF_NBR_ENTRY,
  '1.3.6.1.2.1.15.2',
  '1.3.6.1.2.1.15.4',
  BGP_PEER_ENTRY,
  IP_ADDRESS_ENTRY,
];

/** Forwarding tables (with the bridge-port map and VLAN ids) and ARP/ND: the large ones, bounded by a row limit. */
export const HOST_ROOTS = [
  `${DOT1D_BASE_PORT}.2`,
  DOT1D_TP_FDB,
  DOT1Q_TP_FDB,
  `${DOT1Q_VLAN_CURRENT}.3`,
  `${DOT1Q_VLAN_STATIC}.5`,
  IP_NET_TO_PHYSICAL,
  IP_NET_TO_MEDIA,
];

export const SNAPSHOT_ROOTS = [...IDENTITY_ROOTS, ...NEIGHBOUR_ROOTS, ...L3_WALK_ROOTS, ...HOST_ROOTS];

/** A snapshot of `deviceId` from the varbinds of a walk of SNAPSHOT_ROOTS (any subset: absent tables are empty). */
export function snapshotFrom(
  deviceId: string,
  ts: number,
  varbinds: VarBind[],
  truncated?: string[],
): TopologySnapshot {
  const side = deviceSideFrom(deviceId, varbinds);
  const { addresses, ospf, bgp } = l3SideFrom(deviceId, varbinds);
  const l3 =
    ospf?.neighbours.length || bgp?.peers.length
      ? { addresses, ...(ospf ? { ospf } : {}), ...(bgp ? { bgp } : {}) }
      : undefined;
  return {
    ...side,
    ...(l3 ? { l3 } : {}),
    ts,
    fdb: parseFdb(varbinds),
    arp: parseArp(varbinds),
    lags: [...parseLag(varbinds)],
    ...(truncated?.length ? { truncated } : {}),
  };
}
