/** Built-in conditions: device down, SNMP unreachable, interface down while admin up, reboot, loss and latency. */
import type { DeviceState, InterfaceState } from '../model/records.ts';
import type { EngineSignal } from './book.ts';
import type { EventsConfig } from './config.ts';
import type { PortVerdict } from '../model/port-watch.ts';
import type { SourcedRule } from './threshold.ts';

type Builtins = EventsConfig['builtins'];

/** Dedup key of a device's "down" event; dependency checks look it up. */
export const deviceDownKey = (deviceId: string) => `icmp:down:${deviceId}`;

/** Signals for one device-state record. */
export function evaluateDeviceState(
  s: DeviceState,
  cfg: Builtins,
  name = s.deviceId,
  out: EngineSignal[] = [],
): EngineSignal[] {
  if (s.icmp && cfg.deviceDown.enabled) {
    const down = !s.icmp.up;
    out.push({
      action: down ? 'raise' : 'clear',
      dedupKey: deviceDownKey(s.deviceId),
      source: 'icmp',
      ts: s.ts,
      deviceId: s.deviceId,
      severity: cfg.deviceDown.severity,
      summary: down ? `${name} is down (no ICMP reply, ${s.icmp.lossPct}% loss)` : `${name} is up again`,
      ruleId: 'builtin.device-down',
      details: { lossPct: s.icmp.lossPct, ...(s.icmp.rttAvgMs !== undefined ? { rttAvgMs: s.icmp.rttAvgMs } : {}) },
    });
  }
  if (s.snmp && cfg.snmpUnreachable.enabled) {
    const bad = !s.snmp.ok;
    out.push({
      action: bad ? 'raise' : 'clear',
      dedupKey: `snmp:unreachable:${s.deviceId}`,
      source: 'snmp',
      ts: s.ts,
      deviceId: s.deviceId,
      severity: cfg.snmpUnreachable.severity,
      summary: bad
        ? `${name}: SNMP unreachable${s.snmp.errorCode ? ` (${s.snmp.errorCode})` : ''}`
        : `${name}: SNMP answers again`,
      ruleId: 'builtin.snmp-unreachable',
      details: bad
        ? { errorCode: s.snmp.errorCode, error: s.snmp.error, version: s.snmp.version }
        : { version: s.snmp.version },
    });
  }
  if (s.rebooted && cfg.reboot.enabled) {
    out.push({
      action: 'raise',
      dedupKey: `snmp:reboot:${s.deviceId}`,
      source: 'snmp',
      ts: s.ts,
      deviceId: s.deviceId,
      severity: cfg.reboot.severity,
      summary: `${name} rebooted`,
      ruleId: 'builtin.reboot',
      clearAfterS: cfg.reboot.clearAfterS,
      ...(s.snmp?.system?.sysUpTimeCs !== undefined ? { details: { sysUpTimeCs: s.snmp.system.sysUpTimeCs } } : {}),
    });
  }
  return out;
}

const UP = 1;
const DOWN_STATES = { down: 2, lowerLayerDown: 7, dormant: 5 } as const;

/** Dedup key of an interface's "down" event. */
export const interfaceDownKey = (deviceId: string, ifIndex: number) => `snmp:ifdown:${deviceId}:${ifIndex}`;

/**
 * Signals for one interface-state record, given the port's watch verdict and its operStatus at the previous poll
 * (undefined at first sight). A watched port raises when it goes from up to one of the down states while admin up
 * (the first poll is a baseline, not an alarm); a port under an `all` rule raises whenever it is down while admin
 * up; oper up or admin down clears, and so does a port no rule watches any more.
 */
export function evaluateInterfaceState(
  s: InterfaceState,
  cfg: Builtins,
  name: string,
  verdict: PortVerdict,
  previous: number | undefined,
  out: EngineSignal[] = [],
): EngineSignal[] {
  if (!cfg.interfaceDown.enabled || s.operStatus === undefined) return out;
  const dedupKey = interfaceDownKey(s.deviceId, s.ifIndex);
  const base = {
    dedupKey,
    source: 'snmp' as const,
    ts: s.ts,
    deviceId: s.deviceId,
    component: s.name,
    severity: cfg.interfaceDown.severity,
    ruleId: 'builtin.interface-down',
  };
  const details = {
    ifIndex: s.ifIndex,
    ifName: s.name,
    ...(s.alias ? { ifAlias: s.alias } : {}),
    operStatus: s.operStatus,
    adminStatus: s.adminStatus,
    ...(previous !== undefined ? { previousOperStatus: previous } : {}),
    watch: verdict.reason,
    ...(verdict.rule ? { watchRule: verdict.rule } : {}),
  };
  const operDown = cfg.interfaceDown.downStates.some((d) => DOWN_STATES[d] === s.operStatus);
  const raise = operDown && s.adminStatus === UP && (verdict.mode === 'all' || (verdict.watched && previous === UP));
  if (raise) {
    out.push({ ...base, action: 'raise', summary: `${name} interface ${s.name} is down (admin up)`, details });
  } else if (s.operStatus === UP || s.adminStatus === DOWN_STATES.down || verdict.mode === 'none') {
    const why =
      s.operStatus === UP
        ? 'is up'
        : s.adminStatus === DOWN_STATES.down
          ? 'shut down by admin'
          : 'is no longer watched';
    out.push({ ...base, action: 'clear', summary: `${name} interface ${s.name} ${why}`, details });
  }
  return out;
}

/** Packet loss and latency as threshold rules over icmp.loss.pct and icmp.rtt.avg. */
export function builtinThresholdRules(cfg: Builtins): SourcedRule[] {
  const out: SourcedRule[] = [];
  if (cfg.packetLoss.enabled && cfg.packetLoss.levels.length)
    out.push({
      id: 'builtin.packet-loss',
      kind: 'threshold',
      name: 'packet loss',
      enabled: true,
      metric: 'icmp.loss.pct',
      condition: 'above',
      levels: cfg.packetLoss.levels,
      forS: cfg.packetLoss.forS,
      severity: 'warning',
      source: 'icmp',
      summary: 'packet loss {{value}}% (above {{threshold}}%)',
    });
  if (cfg.latency.enabled && cfg.latency.levels.length)
    out.push({
      id: 'builtin.latency',
      kind: 'threshold',
      name: 'latency',
      enabled: true,
      metric: 'icmp.rtt.avg',
      condition: 'above',
      levels: cfg.latency.levels,
      forS: cfg.latency.forS,
      severity: 'warning',
      source: 'icmp',
      summary: 'latency {{value}} ms (above {{threshold}} ms)',
    });
  return out;
}
