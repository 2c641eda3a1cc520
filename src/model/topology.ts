/** Links between devices, as the map and the event engine (uplinks are watched ports) see them. */

/** How a link was learned. */
export type LinkSource = 'lldp' | 'cdp' | 'ospf' | 'bgp';

/**
 * A link on the map: added by hand (`origin: 'manual'`) or learned from the devices' neighbour tables
 * (`origin: 'discovered'`). A discovered link to a neighbour that is not in the inventory has no `b`, and `remote`
 * says who the neighbour claims to be.
 */
export interface TopologyLink {
  /** Stable: a discovered link keeps its id across recomputations (derived from its ends). */
  id: string;
  a: string;
  /** The far device; absent when the neighbour matches no device of the inventory. */
  b?: string;
  /** ifIndex on each side, so the map can colour the link by that interface's utilisation. */
  aIfIndex?: number;
  bIfIndex?: number;
  /** Port names as resolved (ifName) or as the neighbour reported them. */
  aPort?: string;
  bPort?: string;
  /** The neighbour as it reports itself, for a link whose far end is not in the inventory (or to label it). */
  remote?: { name?: string; address?: string };
  origin: 'manual' | 'discovered';
  /** Discovered links: which protocols reported it. */
  via?: LinkSource[];
  /** Discovered links: reported by both ends, or by `a` only. */
  seenFrom?: 'both' | 'a';
  /** When the link is a member of a LAG: the aggregate's ifIndex on each side (where known). */
  aggregate?: { aIfIndex?: number; bIfIndex?: number };
  /** Discovered links: first and last time a neighbour table showed it (ms). */
  firstSeen?: number;
  lastSeen?: number;
}

/** Where the links are kept in the store's key/value table. */
export const TOPOLOGY_LINKS_KEY = 'topology.links';

/** Prefix of the keys under which the store keeps each device's latest neighbour tables `{ ts, snapshot }`. */
export const TOPOLOGY_SNAPSHOT_PREFIX = 'topology.snapshot.';
export const topologySnapshotKey = (deviceId: string) => `${TOPOLOGY_SNAPSHOT_PREFIX}${deviceId}`;

/** Prefix of the keys under which each device's latest forwarding and ARP/ND tables `{ ts, fdb, arp }` are kept. */
export const TOPOLOGY_HOSTS_PREFIX = 'topology.hosts.';
export const topologyHostsKey = (deviceId: string) => `${TOPOLOGY_HOSTS_PREFIX}${deviceId}`;

/** Prefix of the keys under which each device's link history (LinkHistoryEntry[], newest last) is kept. */
export const TOPOLOGY_HISTORY_PREFIX = 'topology.history.';
export const topologyHistoryKey = (deviceId: string) => `${TOPOLOGY_HISTORY_PREFIX}${deviceId}`;

/** A change of a device's neighbours, kept per device for the map's link history. */
export interface LinkHistoryEntry {
  ts: number;
  deviceId: string;
  change: 'appeared' | 'lost' | 'changed';
  /** The local port. */
  port: string;
  ifIndex?: number;
  /** The neighbour before (lost, changed) and after (appeared, changed). */
  before?: { name?: string; port?: string; deviceId?: string };
  after?: { name?: string; port?: string; deviceId?: string };
}
