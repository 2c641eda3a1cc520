/** End-host search over the stored forwarding and ARP/ND tables of every device (see locate.ts for the ranking). */
import { TOPOLOGY_HOSTS_PREFIX, TOPOLOGY_LINKS_KEY, type TopologyLink } from '../model/topology.ts';
import type { Store } from '../store/types.ts';
import type { ArpEntry } from './arp.ts';
import type { FdbEntry } from './fdb.ts';
import { type LocateResult, locate, type RouterSource, type SwitchSource } from './locate.ts';

/**
 * Locates `query` (IP or MAC) in the stored tables; ports with a link to another inventory device count as uplinks.
 * `seenAt` is when the oldest table searched was read.
 */
export async function locateHost(
  store: Pick<Store, 'getKv' | 'listKv'>,
  query: string,
  nameOf: (deviceId: string) => string | undefined,
): Promise<LocateResult> {
  const uplinks = new Map<string, Set<number>>();
  const mark = (id: string | undefined, ifIndex: number | undefined) => {
    if (!id || ifIndex === undefined) return;
    let s = uplinks.get(id);
    if (!s) uplinks.set(id, (s = new Set()));
    s.add(ifIndex);
  };
  // Uplinks are ports linked to another device of the inventory: a port whose only neighbour is unknown may well be
  // the host itself (a phone, an access point, a server speaking LLDP).
  for (const l of (await store.getKv<TopologyLink[]>(TOPOLOGY_LINKS_KEY)) ?? []) {
    if (!l.b) continue;
    mark(l.a, l.aIfIndex);
    mark(l.b, l.bIfIndex);
    if (l.aggregate) {
      mark(l.a, l.aggregate.aIfIndex);
      mark(l.b, l.aggregate.bIfIndex);
    }
  }
  const switches: SwitchSource[] = [];
  const routers: RouterSource[] = [];
  let oldest = Infinity;
  for (const { key, value } of await store.listKv(TOPOLOGY_HOSTS_PREFIX)) {
    const id = key.slice(TOPOLOGY_HOSTS_PREFIX.length);
    const name = nameOf(id);
    if (name === undefined) continue;
    const v = value as { ts: number; fdb?: FdbEntry[]; arp?: ArpEntry[] };
    if (v.fdb?.length) switches.push({ deviceId: id, name, fdb: v.fdb, uplinkIfIndexes: uplinks.get(id) ?? new Set() });
    if (v.arp?.length) routers.push({ deviceId: id, name, arp: v.arp });
    if (v.fdb?.length || v.arp?.length) oldest = Math.min(oldest, v.ts);
  }
  return locate(query, { switches, routers }, new Date(Number.isFinite(oldest) ? oldest : Date.now()).toISOString());
}
