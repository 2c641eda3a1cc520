/**
 * Which interfaces matter: the rule that decides whether a port going down is an alarm, and why. Pure: the engine,
 * the dry-run and the device page (which shows each port's verdict) ask the same function.
 */
import type { Device } from '../model/device.ts';
import type { PortVerdict, PortWatchMode } from '../model/port-watch.ts';
import { compilePattern, matchesDevice, type DeviceSelector } from './select.ts';

/** One user rule: the first whose devices and port patterns match decides. */
export interface PortWatchRule {
  name?: string;
  devices?: DeviceSelector;
  /** Patterns (exact, glob, or /regex/) over ifName, ifAlias and ifDescr: one of them matching is enough. */
  ports?: string[];
  watch: PortWatchMode;
}

/** What the verdict is made from: the interface as last seen plus what Vigil remembers of it. */
export interface PortFacts {
  ifIndex: number;
  name: string;
  alias?: string;
  descr?: string;
  /** Seen with operStatus up at any poll since Vigil first saw it. */
  seenUp: boolean;
  /** A link on the map ends on this port (drawn by hand now, learned from LLDP/CDP later). */
  uplink?: boolean;
}

export interface PortWatchConfig {
  /** The policy when no rule matches: 'seen-up' (default rule) or 'all'. */
  watch: 'seen-up' | 'all';
  rules: PortWatchRule[];
}

interface CompiledRule {
  label: string;
  devices?: DeviceSelector;
  ports?: ((v: string) => boolean)[];
  watch: PortWatchMode;
}

/**
 * Compiles the rules once; the returned function gives a port's verdict.
 * @example
 * const verdict = portWatcher({ watch: 'seen-up', rules: [{ devices: { tags: ['core'] }, watch: 'all' }] });
 * verdict(device, { ifIndex: 3, name: 'Gi0/3', seenUp: false }) // { watched: true, mode: 'all', reason: 'rule-all', rule: '1' }
 */
export function portWatcher(cfg: PortWatchConfig): (device: Device | undefined, port: PortFacts) => PortVerdict {
  const rules: CompiledRule[] = cfg.rules.map((r, i) => ({
    label: r.name ?? String(i + 1),
    ...(r.devices ? { devices: r.devices } : {}),
    ...(r.ports?.length ? { ports: r.ports.map(compilePattern) } : {}),
    watch: r.watch,
  }));
  return (device, port) => {
    for (const r of rules) {
      if (r.devices && !matchesDevice(r.devices, device?.id, device)) continue;
      if (
        r.ports &&
        !r.ports.some(
          (t) =>
            t(port.name) || (port.alias !== undefined && t(port.alias)) || (port.descr !== undefined && t(port.descr)),
        )
      )
        continue;
      if (r.watch === 'all') return { watched: true, mode: 'all', reason: 'rule-all', rule: r.label };
      if (r.watch === 'none') return { watched: false, mode: 'none', reason: 'rule-none', rule: r.label };
      return { ...defaultVerdict(port), rule: r.label };
    }
    if (cfg.watch === 'all') return { watched: true, mode: 'all', reason: 'config-all' };
    return defaultVerdict(port);
  };
}

/** The default: ports seen up, uplinks and ports someone described are watched; access ports never up are not. */
function defaultVerdict(port: PortFacts): PortVerdict {
  if (port.seenUp) return { watched: true, mode: 'default', reason: 'seen-up' };
  if (port.uplink) return { watched: true, mode: 'default', reason: 'uplink' };
  if (port.alias?.trim()) return { watched: true, mode: 'default', reason: 'alias' };
  return { watched: false, mode: 'default', reason: 'never-up' };
}
