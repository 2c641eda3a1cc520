/**
 * Storms: many similar events opening on one device (or on devices behind one parent) within a short window become
 * one incident with those events as its children. Pure bookkeeping: the core opens the incident event, links and
 * silences the children, and clears the incident when its last child clears.
 */
import type { Topology } from './topology.ts';
import type { VigilEvent } from '../model/events.ts';

export interface IncidentsConfig {
  enabled: boolean;
  /** Similar events needed to form an incident. */
  minEvents: number;
  /** Within this many seconds of each other. */
  windowS: number;
}

/** Dedup key of the incident of a storm group. */
export const incidentKey = (group: string) => `incident:${group}`;

/** What an incident says it is made of, by the rule of its children. */
const NOUNS: Record<string, string> = {
  'builtin.interface-down': 'interfaces down',
  'builtin.device-down': 'devices down',
  'builtin.snmp-unreachable': 'devices not answering SNMP',
  'builtin.reboot': 'devices rebooted',
  'builtin.flapping': 'flapping',
};

export interface StormGroup {
  /** Rule (or source) plus scope: `builtin.interface-down|dev:sw1`. */
  group: string;
  /** The device the incident is shown on: the device itself, or the parent the devices are behind. */
  deviceId: string;
  /** `sw1`, or `behind dist-1`. */
  label: string;
  /** Grouped on the device itself, or on the parent the devices are behind (the UI words the label from these). */
  scope: 'device' | 'parent';
  scopeName: string;
  /** `interfaces down`. */
  what: string;
}

/**
 * Which storm an event belongs to: events of one rule about parts of one device (interfaces, sensors) group on that
 * device; events of one rule about whole devices group on the devices' common parent. Others are not grouped.
 */
export function stormGroup(e: VigilEvent, topo: Topology): StormGroup | undefined {
  if (!e.deviceId || e.source === 'incident' || e.source === 'correlation') return undefined;
  const cls = e.ruleId ?? e.source;
  const what = NOUNS[cls] ?? `${cls} events`;
  if (e.component !== undefined) {
    const name = topo.device(e.deviceId)?.name ?? e.deviceId;
    return {
      group: `${cls}|dev:${e.deviceId}`,
      deviceId: e.deviceId,
      label: name,
      scope: 'device',
      scopeName: name,
      what,
    };
  }
  const parent = topo.device(e.deviceId)?.parentId;
  if (!parent) return undefined;
  const name = topo.device(parent)?.name ?? parent;
  return {
    group: `${cls}|parent:${parent}`,
    deviceId: parent,
    label: `behind ${name}`,
    scope: 'parent',
    scopeName: name,
    what,
  };
}

export class IncidentTracker {
  private readonly recent = new Map<string, { id: string; ts: number }[]>();
  /** Active children of each incident. */
  private readonly children = new Map<string, Set<string>>();
  constructor(private readonly cfg: IncidentsConfig) {}

  get enabled(): boolean {
    return this.cfg.enabled;
  }

  /** Records an event opened in `group`; returns the ids opened in the group within the window, this one included. */
  recordOpen(group: string, id: string, ts: number): string[] {
    let list = this.recent.get(group);
    if (!list) this.recent.set(group, (list = []));
    list.push({ id, ts });
    const since = ts - this.cfg.windowS * 1000;
    while (list.length && list[0].ts < since) list.shift();
    return list.map((x) => x.id);
  }

  /** True when `n` events are a storm. */
  isStorm(n: number): boolean {
    return n >= this.cfg.minEvents;
  }

  /** The group's storm became an incident: its window starts again after the incident ends. */
  formed(group: string): void {
    this.recent.delete(group);
  }

  attach(incidentId: string, childId: string): number {
    let set = this.children.get(incidentId);
    if (!set) this.children.set(incidentId, (set = new Set()));
    set.add(childId);
    return set.size;
  }

  activeCount(incidentId: string): number {
    return this.children.get(incidentId)?.size ?? 0;
  }

  /** A child cleared; returns how many remain active. */
  detach(incidentId: string, childId: string): number {
    const set = this.children.get(incidentId);
    if (!set) return 0;
    set.delete(childId);
    if (!set.size) this.children.delete(incidentId);
    return set.size;
  }

  activeChildren(incidentId: string): string[] {
    return [...(this.children.get(incidentId) ?? [])];
  }

  /** Drops windows with nothing recent in them. */
  prune(now: number): void {
    const since = now - this.cfg.windowS * 1000;
    for (const [g, list] of this.recent) if (!list.length || list[list.length - 1].ts < since) this.recent.delete(g);
  }
}
