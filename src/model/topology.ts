/** Links between devices, as the map and the event engine (uplinks are watched ports) see them. */

/** A link on the map: added by hand now; discovery (LLDP/CDP) later writes `origin: 'discovered'` into the same list. */
export interface TopologyLink {
  id: string;
  a: string;
  b: string;
  /** ifIndex on each side, so the map can colour the link by that interface's utilisation. */
  aIfIndex?: number;
  bIfIndex?: number;
  origin: 'manual' | 'discovered';
}

/** Where the links are kept in the store's key/value table. */
export const TOPOLOGY_LINKS_KEY = 'topology.links';
