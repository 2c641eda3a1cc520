import type { BusRecord, LogRecord, TrapRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import { type BookChange, type EngineSignal, EventBook } from './book.ts';
import { builtinThresholdRules, deviceDownKey, evaluateDeviceState, evaluateInterfaceState } from './builtins.ts';
import type { EventsConfig } from './config.ts';
import { CorrelationEvaluator } from './correlation.ts';
import { activeWindows } from './maintenance.ts';
import type { CorrelationRule, MaintenanceWindow, ThresholdRule } from './rule-schema.ts';
import { ThresholdEvaluator } from './threshold.ts';
import type { Topology } from './topology.ts';
import type { VigilEvent } from './types.ts';

/** A change plus what the notifier should do about it. */
export interface CoreChange extends BookChange {
  notify?: 'raise' | 'clear';
  /** Signal (or record) time that caused the change. */
  ts: number;
}

export interface CoreOptions {
  config: EventsConfig;
  topology: () => Topology;
  maintenance: () => MaintenanceWindow[];
  thresholds?: ThresholdRule[];
  correlations?: CorrelationRule[];
  /** Syslog rules (issue 4) and trap rules (issue 5), adapted to plain functions. */
  evaluateLog?: (log: LogRecord, topo: Topology) => EventSignal[];
  evaluateTrap?: (trap: TrapRecord, topo: Topology) => EventSignal[];
  newId?: () => string;
}

/**
 * The engine's pure heart: records in, event changes out. No store, bus, timers or notifier,
 * so that the live engine and dry-runs behave the same and tests drive it with a manual clock.
 */
export class EventCore {
  readonly book: EventBook;
  private thresholds: ThresholdEvaluator;
  private correlations: CorrelationEvaluator;
  private sigs: EngineSignal[] = [];

  constructor(private opts: CoreOptions) {
    this.book = new EventBook(opts.newId);
    this.thresholds = new ThresholdEvaluator([], (id) => opts.topology().device(id));
    this.correlations = new CorrelationEvaluator([], opts.topology, (key) => this.book.byDedupKey(key) !== undefined);
    this.setRules(opts.thresholds ?? [], opts.correlations ?? []);
  }

  setRules(thresholds: ThresholdRule[], correlations: CorrelationRule[]): void {
    this.thresholds.setRules([...builtinThresholdRules(this.opts.config.builtins), ...thresholds]);
    this.correlations.setRules(correlations);
  }

  setLogEvaluator(f: CoreOptions['evaluateLog']): void {
    this.opts.evaluateLog = f;
  }
  setTrapEvaluator(f: CoreOptions['evaluateTrap']): void {
    this.opts.evaluateTrap = f;
  }

  devicesChanged(): void {
    this.thresholds.devicesChanged();
  }

  /** Evaluates one record; appends the resulting changes to `out`. */
  process(r: BusRecord, out: CoreChange[]): void {
    const sigs = this.sigs;
    sigs.length = 0;
    const topo = this.opts.topology();
    const builtins = this.opts.config.builtins;
    switch (r.kind) {
      case 'sample':
        this.thresholds.onSample(r, sigs);
        this.correlations.onSample(r, sigs);
        break;
      case 'device-state':
        evaluateDeviceState(r, builtins, topo.device(r.deviceId)?.name, sigs);
        break;
      case 'interface-state':
        evaluateInterfaceState(r, builtins, topo.device(r.deviceId)?.name, sigs);
        break;
      case 'log':
        if (this.opts.evaluateLog) sigs.push(...this.opts.evaluateLog(r, topo));
        this.correlations.onLog(r, sigs);
        break;
      case 'trap':
        if (this.opts.evaluateTrap) sigs.push(...this.opts.evaluateTrap(r, topo));
        break;
      default:
        return;
    }
    if (!sigs.length) return;
    const batch = sigs.slice();
    for (const s of batch) {
      if (s.source === 'correlation') this.applyDerived(s, out);
      else this.apply(s, out);
    }
  }

  /** Applies one signal (from an evaluator, or injected) and everything it leads to. */
  apply(s: EngineSignal, out: CoreChange[]): void {
    const ch = this.book.apply(s) as CoreChange | undefined;
    if (!ch) return;
    ch.ts = s.ts;
    const e = ch.event;
    if (ch.change === 'opened') {
      const topo = this.opts.topology();
      const windows = activeWindows(this.opts.maintenance(), e.deviceId, e.deviceId ? topo.device(e.deviceId) : undefined, s.ts);
      if (windows.length) {
        e.inMaintenance = true;
        ch.history.push({ eventId: e.id, ts: s.ts, actor: 'system', action: 'maintenance', details: { windows: windows.map((w) => w.id) } });
      }
      if (this.opts.config.dependencies && e.deviceId && e.dedupKey === deviceDownKey(e.deviceId)) this.dependencies(e, s.ts, ch, out);
      if (!e.inMaintenance && !e.suppressed) ch.notify = 'raise';
    } else if (ch.change === 'updated') {
      if (ch.escalated && !e.inMaintenance && !e.suppressed && e.state === 'open') ch.notify = 'raise';
    } else if (ch.change === 'cleared') ch.notify = 'clear';
    out.push(ch);
    if ((ch.change === 'opened' || ch.change === 'updated') && e.source !== 'correlation') {
      for (const d of this.correlations.onEvent(e, s.ts)) this.applyDerived(d, out);
    }
  }

  private applyDerived(d: EngineSignal, out: CoreChange[]) {
    const start = out.length;
    this.apply(d, out);
    const derived = out.slice(start).find((c) => c.event.dedupKey === d.dedupKey)?.event ?? this.book.byDedupKey(d.dedupKey);
    if (!derived) return;
    for (const id of d.causes ?? []) {
      const cause = this.book.get(id);
      if (!cause) continue;
      if (!cause.partOf?.includes(derived.id)) {
        cause.partOf = [...(cause.partOf ?? []), derived.id];
        if (!d.suppressCauses) out.push({ event: cause, change: 'updated', ts: d.ts, history: [] });
      }
      if (d.suppressCauses && !cause.suppressed) this.suppress(cause, `correlation:${derived.id}`, d.ts, out);
    }
  }

  private suppress(e: VigilEvent, reason: string, ts: number, out: CoreChange[]) {
    e.suppressed = reason;
    out.push({ event: e, change: 'suppressed', ts, history: [{ eventId: e.id, ts, actor: 'system', action: 'suppressed', details: { reason } }] });
  }

  /** A device down under a down ancestor is marked and silenced; a new ancestor outage silences its descendants. */
  private dependencies(e: VigilEvent, ts: number, ch: CoreChange, out: CoreChange[]) {
    const topo = this.opts.topology();
    for (const a of topo.ancestors(e.deviceId!)) {
      const parentDown = this.book.byDedupKey(deviceDownKey(a));
      if (parentDown) {
        e.dependsOn = a;
        e.suppressed = `dependency:${parentDown.id}`;
        ch.history.push({ eventId: e.id, ts, actor: 'system', action: 'suppressed', details: { reason: e.suppressed, parentId: a } });
        break;
      }
    }
    for (const d of topo.descendants(e.deviceId!)) {
      const childDown = this.book.byDedupKey(deviceDownKey(d));
      if (childDown && !childDown.suppressed) {
        childDown.dependsOn = e.deviceId;
        this.suppress(childDown, `dependency:${e.id}`, ts, out);
      }
    }
  }

  /** Time-driven work: rule timeouts, no-data rules, maintenance windows that ended. */
  tick(now: number, out: CoreChange[]): void {
    for (const e of this.book.expired(now)) out.push({ ...this.book.clear(e, now, 'system', 'timeout'), notify: 'clear', ts: now });
    for (const s of this.thresholds.tick(now)) this.apply(s, out);
    const windows = this.opts.maintenance();
    const topo = this.opts.topology();
    for (const e of this.book.active()) {
      if (!e.inMaintenance) continue;
      if (activeWindows(windows, e.deviceId, e.deviceId ? topo.device(e.deviceId) : undefined, now).length) continue;
      e.inMaintenance = false;
      const ch: CoreChange = { event: e, change: 'updated', ts: now, history: [{ eventId: e.id, ts: now, actor: 'system', action: 'maintenance', details: { ended: true } }] };
      // Held back during maintenance: told now if still unacknowledged and not explained by another event.
      if (e.state === 'open' && !e.suppressed) ch.notify = 'raise';
      out.push(ch);
    }
  }

  acknowledge(id: string, now: number, actor: string, comment?: string): CoreChange | undefined {
    const e = this.book.get(id);
    if (!e) return undefined;
    return { ...this.book.acknowledge(e, now, actor, comment), ts: now };
  }
  unacknowledge(id: string, now: number, actor: string, comment?: string): CoreChange | undefined {
    const e = this.book.get(id);
    if (!e) return undefined;
    return { ...this.book.unacknowledge(e, now, actor, comment), ts: now };
  }
  close(id: string, now: number, actor: string, comment?: string): CoreChange | undefined {
    const e = this.book.get(id);
    if (!e) return undefined;
    return { ...this.book.clear(e, now, actor, 'manual', comment), notify: 'clear', ts: now };
  }
}
