/** The topology profile: one device's neighbour, OSPF/BGP, forwarding and ARP/ND tables, walked into a snapshot. */
import type { TopologyRecord, VarBind } from '../../../model/records.ts';
import {
  HOST_ROOTS,
  IDENTITY_ROOTS,
  L3_WALK_ROOTS,
  NEIGHBOUR_ROOTS,
  snapshotFrom,
} from '../../../topology/snapshot.ts';
import type { SnmpSession } from '../session-types.ts';

export interface TopologyPollOptions {
  maxRepetitions?: number;
  signal?: AbortSignal;
  /** Rows read at most from each forwarding or ARP table (a core switch's can hold hundreds of thousands). */
  maxRows: number;
}

/**
 * Walks the identity, neighbour and host tables of one device. A table the agent lacks is an empty walk, not a
 * failure; a timeout or authentication failure throws (the caller keeps the last snapshot).
 */
export async function pollTopology(
  session: SnmpSession,
  deviceId: string,
  now: () => number,
  opts: TopologyPollOptions,
): Promise<TopologyRecord> {
  const varbinds: VarBind[] = [];
  const truncated: string[] = [];
  const walkOpts = { maxRepetitions: opts.maxRepetitions, signal: opts.signal };
  for (const root of [...IDENTITY_ROOTS, ...NEIGHBOUR_ROOTS])
    for (const vb of await session.walk(root, walkOpts)) varbinds.push(vb);
  for (const root of [...L3_WALK_ROOTS, ...HOST_ROOTS]) {
    const w = await session.walkLimited(root, { ...walkOpts, maxResults: opts.maxRows });
    for (const vb of w.varbinds) varbinds.push(vb);
    if (w.truncated) truncated.push(root);
  }
  const ts = now();
  return { kind: 'topology', deviceId, ts, snapshot: snapshotFrom(deviceId, ts, varbinds, truncated) };
}
