/**
 * Link aggregation (pure): which ports are members of which aggregate (LAG, port-channel, trunk, ae), and the grouping
 * of member links under the aggregate links they form. Membership comes from IEEE8023-LAG-MIB dot3adAggPortTable where
 * the agent has it, else from ifStackTable under interfaces whose ifType is ieee8023adLag.
 */
import type { VarBind } from '../model/records.ts';
import type { Link, LinkEnd, RemoteEnd } from './match.ts';
import { tableRows } from './octets.ts';

/** dot3adAggPortEntry, indexed by the member port's ifIndex. */
export const AGG_PORT_ENTRY = '1.2.840.10006.300.43.1.2.1.1';
const AGG_SELECTED = 12;
const AGG_ATTACHED = 13;
/** ifStackEntry, indexed by higherLayer.lowerLayer (0 for none). */
export const IF_STACK_ENTRY = '1.3.6.1.2.1.31.1.2.1';
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IF_TYPE = 3;
const IEEE8023AD_LAG = 161;

/** The OID subtrees LAG membership is parsed from (walk these). */
export const LAG_ROOTS = [AGG_PORT_ENTRY, IF_STACK_ENTRY, `${IF_ENTRY}.${IF_TYPE}`];

/** A positive integer ifIndex from a value, else undefined. */
function ifIndexOf(value: VarBind['value'] | undefined): number | undefined {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * LAG membership of one device: member ifIndex → aggregate ifIndex. From dot3adAggPortTable (AttachedAggID, else
 * SelectedAggID when attached is 0) when that table has any rows; members attached to nothing or to themselves (an
 * individual port, as some agents report) are left out. Without that table, from ifStackTable: the layers under a
 * higher layer whose ifType is ieee8023adLag(161).
 */
export function parseLag(varbinds: VarBind[]): Map<number, number> {
  const out = new Map<number, number>();
  const aggRows = tableRows(varbinds, AGG_PORT_ENTRY);
  if (aggRows.size > 0) {
    for (const [index, row] of aggRows) {
      const member = ifIndexOf(index);
      const agg = ifIndexOf(row.get(AGG_ATTACHED)?.value) ?? ifIndexOf(row.get(AGG_SELECTED)?.value);
      if (member !== undefined && agg !== undefined && agg !== member) out.set(member, agg);
    }
    return out;
  }
  const lagIfs = new Set<number>();
  for (const [index, row] of tableRows(varbinds, IF_ENTRY)) {
    const t = row.get(IF_TYPE)?.value;
    const i = ifIndexOf(index);
    if (i !== undefined && Number(t) === IEEE8023AD_LAG) lagIfs.add(i);
  }
  if (lagIfs.size === 0) return out;
  for (const index of tableRows(varbinds, IF_STACK_ENTRY).keys()) {
    const parts = index.split('.');
    if (parts.length !== 2) continue;
    const higher = ifIndexOf(parts[0]);
    const lower = ifIndexOf(parts[1]);
    if (higher === undefined || lower === undefined || higher === lower || !lagIfs.has(higher)) continue;
    if (!out.has(lower)) out.set(lower, higher);
  }
  return out;
}

export interface LagLinkEnd extends LinkEnd {
  /** The aggregate this port is a member of. */
  aggregateIfIndex?: number;
}

export interface LagRemoteEnd extends RemoteEnd {
  aggregateIfIndex?: number;
}

/** A link, with the aggregate each end's port belongs to where it is a LAG member. */
export interface LagLink extends Link {
  a: LagLinkEnd;
  b: LagRemoteEnd;
}

export interface AggregateEnd {
  deviceId: string;
  aggregateIfIndex: number;
}

/** The far end of an aggregate whose membership there is unknown (unknown device, no ifIndex, no LAG data). */
export interface UnknownAggregateEnd {
  deviceId?: string;
  aggregateIfIndex?: undefined;
  /** The neighbour's name as its member links report it. */
  name?: string;
}

/** An aggregate link: the member links between one aggregate and another (or one aggregate and a neighbour). */
export interface AggregateLink {
  a: AggregateEnd;
  b: AggregateEnd | UnknownAggregateEnd;
  members: LagLink[];
}

export interface GroupedLinks {
  /** Every input link, in input order, ends annotated with aggregateIfIndex where members. */
  links: LagLink[];
  aggregates: AggregateLink[];
}

/**
 * Groups member links under aggregates. `lagsByDevice` holds parseLag's map per device; an end's membership is known
 * when its device has an entry there and its ifIndex is resolved. A link joins an aggregate link when at least one end
 * is a member and every end whose membership is known is one: parallel member links between the same two aggregates
 * (or from one aggregate to the same unknown neighbour) become one aggregate link with several members. Member links
 * stay in `links`; the input is not modified.
 */
export function groupLinks(links: Link[], lagsByDevice: Map<string, Map<number, number>>): GroupedLinks {
  const aggOf = (deviceId: string | undefined, ifIndex: number | undefined) =>
    deviceId !== undefined && ifIndex !== undefined ? lagsByDevice.get(deviceId)?.get(ifIndex) : undefined;
  const known = (deviceId: string | undefined, ifIndex: number | undefined) =>
    deviceId !== undefined && ifIndex !== undefined && lagsByDevice.has(deviceId);

  const out: LagLink[] = [];
  const byKey = new Map<string, AggregateLink>();
  for (const l of links) {
    const aAgg = aggOf(l.a.deviceId, l.a.ifIndex);
    const bAgg = aggOf(l.b.deviceId, l.b.ifIndex);
    const link: LagLink = {
      ...l,
      a: aAgg === undefined ? { ...l.a } : { ...l.a, aggregateIfIndex: aAgg },
      b: bAgg === undefined ? { ...l.b } : { ...l.b, aggregateIfIndex: bAgg },
    };
    out.push(link);
    if (aAgg === undefined && bAgg === undefined) continue;
    if (aAgg === undefined && known(l.a.deviceId, l.a.ifIndex)) continue;
    if (bAgg === undefined && known(l.b.deviceId, l.b.ifIndex)) continue;

    // Orient the aggregate link from a member end; key both-member pairs independently of the link's direction.
    let a: AggregateEnd;
    let b: AggregateEnd | UnknownAggregateEnd;
    let key: string;
    if (aAgg !== undefined && bAgg !== undefined && l.b.deviceId !== undefined) {
      a = { deviceId: l.a.deviceId, aggregateIfIndex: aAgg };
      b = { deviceId: l.b.deviceId, aggregateIfIndex: bAgg };
      key = ['both', ...[`${a.deviceId}#${aAgg}`, `${b.deviceId}#${bAgg}`].sort()].join('\n');
    } else if (aAgg !== undefined) {
      a = { deviceId: l.a.deviceId, aggregateIfIndex: aAgg };
      b = unknownEnd(l.b.deviceId, l.b.name);
      key = ['one', `${a.deviceId}#${aAgg}`, l.b.deviceId ?? `name:${l.b.name ?? ''}`].join('\n');
    } else {
      // Only the far end is a member (this end's device has no LAG data): orient from the far end.
      a = { deviceId: l.b.deviceId as string, aggregateIfIndex: bAgg as number };
      b = unknownEnd(l.a.deviceId, undefined);
      key = ['one', `${a.deviceId}#${a.aggregateIfIndex}`, l.a.deviceId].join('\n');
    }
    const agg = byKey.get(key);
    if (agg) agg.members.push(link);
    else byKey.set(key, { a, b, members: [link] });
  }
  return { links: out, aggregates: [...byKey.values()] };
}

function unknownEnd(deviceId: string | undefined, name: string | undefined): UnknownAggregateEnd {
  const e: UnknownAggregateEnd = {};
  if (deviceId !== undefined) e.deviceId = deviceId;
  if (name !== undefined) e.name = name;
  return e;
}
