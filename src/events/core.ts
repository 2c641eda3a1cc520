import type { BusRecord, LogRecord, TrapRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import { type BookChange, type EngineSignal, EventBook } from './book.ts';
import { builtinThresholdRules, deviceDownKey, evaluateDeviceState, evaluateInterfaceState } from './builtins.ts';
import type { EventsConfig } from './config.ts';
import { CorrelationEvaluator } from './correlation.ts';
import { FlapTracker, flappingKey } from './flapping.ts';
import { IncidentTracker, incidentKey, stormGroup } from './incidents.ts';
import { activeWindows } from './maintenance.ts';
import { PortMemory } from './port-memory.ts';
import { type PortFacts, portWatcher } from './port-watch.ts';
import type { PortVerdict } from '../model/port-watch.ts';
import type { MaintenanceWindow } from '../model/rules.ts';
import type { CorrelationRule, ThresholdRule } from './rule-schema.ts';
import { ThresholdEvaluator } from './threshold.ts';
import type { Topology } from './topology.ts';
import { SEVERITY_RANK, type VigilEvent } from '../model/events.ts';

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
  /** Interfaces remembered between polls (seeded from the store by the live engine). */
  ports?: PortMemory;
  /** `deviceId:ifIndex` of every port a topology link ends on. */
  uplinks?: () => ReadonlySet<string>;
}

/** Rule id of flapping events. */
export const FLAPPING_RULE = 'builtin.flapping';

/** The key `CoreOptions.uplinks` holds for a port. */
export const portKey = (deviceId: string, ifIndex: number) => `${deviceId}:${ifIndex}`;

/**
 * The engine's pure heart: records in, event changes out. No store, bus, timers or notifier,
 * so that the live engine and dry-runs behave the same and tests drive it with a manual clock.
 */
export class EventCore {
  readonly book: EventBook;
  private thresholds: ThresholdEvaluator;
  private correlations: CorrelationEvaluator;
  private sigs: EngineSignal[] = [];
  readonly ports: PortMemory;
  private readonly flaps: FlapTracker;
  private readonly incidents: IncidentTracker;
  private readonly watch: (device: ReturnType<Topology['device']>, port: PortFacts) => PortVerdict;

  constructor(private opts: CoreOptions) {
    this.book = new EventBook(opts.newId);
    this.ports = opts.ports ?? new PortMemory();
    this.watch = portWatcher(opts.config.builtins.interfaceDown);
    this.flaps = new FlapTracker(opts.config.flapping);
    this.incidents = new IncidentTracker(opts.config.incidents);
    this.thresholds = new ThresholdEvaluator([], (id) => opts.topology().device(id));
    this.correlations = new CorrelationEvaluator([], opts.topology, (key) => this.book.byDedupKey(key) !== undefined);
    this.setRules(opts.thresholds ?? [], opts.correlations ?? []);
  }

  /** Puts back the events not cleared (after a restart), with their incidents' children and flapping keys. */
  load(events: VigilEvent[]): void {
    this.book.load(events);
    for (const e of events) {
      if (e.state === 'cleared') continue;
      if (e.incidentId) this.incidents.attach(e.incidentId, e.id);
      if (e.ruleId === FLAPPING_RULE && e.dedupKey.startsWith('flapping:'))
        this.flaps.restore(e.dedupKey.slice(9), e.lastSeen);
    }
  }

  /**
   * Takes over events another processor opened (after a rebalance handed this one their devices): those not known
   * here by their dedup key are added; the ones known here are newer than the store's and stay.
   */
  adopt(events: VigilEvent[]): number {
    const fresh = events.filter((e) => e.state !== 'cleared' && !this.book.byDedupKey(e.dedupKey));
    this.load(fresh);
    return fresh.length;
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

  /** The inventory changed: rules re-resolve devices; interfaces of removed devices are forgotten. */
  devicesChanged(devices: readonly { id: string }[]): void {
    this.thresholds.devicesChanged();
    this.ports.retain(new Set(devices.map((d) => d.id)));
  }

  /** Whether a port's going down is an alarm, and why (the device page shows it). */
  portVerdict(deviceId: string, port: Omit<PortFacts, 'seenUp' | 'uplink'> & { seenUp?: boolean }): PortVerdict {
    const seenUp = port.seenUp || (this.ports.get(deviceId, port.ifIndex)?.seenUp ?? false);
    return this.watch(this.opts.topology().device(deviceId), {
      ...port,
      seenUp,
      uplink: this.opts.uplinks?.().has(portKey(deviceId, port.ifIndex)) ?? false,
    });
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
      case 'interface-state': {
        const seen = this.ports.observe(r);
        const device = topo.device(r.deviceId);
        const uplink = this.opts.uplinks?.().has(portKey(r.deviceId, r.ifIndex)) ?? false;
        const verdict = this.watch(device, {
          ifIndex: r.ifIndex,
          name: r.name,
          alias: r.alias,
          descr: r.descr,
          seenUp: seen.seenUp,
          uplink,
        });
        evaluateInterfaceState(r, builtins, device?.name ?? r.deviceId, verdict, seen.previous, sigs);
        break;
      }
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
      const windows = activeWindows(
        this.opts.maintenance(),
        e.deviceId,
        e.deviceId ? topo.device(e.deviceId) : undefined,
        s.ts,
      );
      if (windows.length) {
        e.inMaintenance = true;
        ch.history.push({
          eventId: e.id,
          ts: s.ts,
          actor: 'system',
          action: 'maintenance',
          details: { windows: windows.map((w) => w.id) },
        });
      }
      if (this.opts.config.dependencies && e.deviceId && e.dedupKey === deviceDownKey(e.deviceId))
        this.dependencies(e, s.ts, ch, out);
      if (!e.inMaintenance && !e.suppressed) ch.notify = 'raise';
    } else if (ch.change === 'updated') {
      if (ch.escalated && !e.inMaintenance && !e.suppressed && e.state === 'open') ch.notify = 'raise';
    } else if (ch.change === 'cleared') ch.notify = 'clear';
    out.push(ch);
    if (ch.change === 'opened' || ch.change === 'cleared') {
      if (e.source !== 'incident' && e.source !== 'correlation' && e.ruleId !== FLAPPING_RULE)
        this.flapping(e, ch, s, out);
      if (ch.change === 'opened') this.group(e, s.ts, out);
      else this.afterClear(e, s.ts, out);
    }
    if ((ch.change === 'opened' || ch.change === 'updated') && e.source !== 'correlation' && e.source !== 'incident') {
      for (const d of this.correlations.onEvent(e, s.ts)) this.applyDerived(d, out);
    }
  }

  private applyDerived(d: EngineSignal, out: CoreChange[]) {
    const start = out.length;
    this.apply(d, out);
    const derived =
      out.slice(start).find((c) => c.event.dedupKey === d.dedupKey)?.event ?? this.book.byDedupKey(d.dedupKey);
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

  /** Counts an open or clear of `e`'s key; a key that flaps gets one flapping event and its own notifications wait. */
  private flapping(e: VigilEvent, ch: CoreChange, s: EngineSignal, out: CoreChange[]) {
    const state = this.flaps.change(e.dedupKey, s.ts);
    if (!state) return;
    const cfg = this.opts.config.flapping;
    const changes = this.flaps.recentChanges(e.dedupKey);
    const name = e.deviceId ? (this.opts.topology().device(e.deviceId)?.name ?? e.deviceId) : undefined;
    const what = [name, e.component].filter(Boolean).join(' ') || e.dedupKey;
    this.apply(
      {
        action: 'raise',
        dedupKey: flappingKey(e.dedupKey),
        source: e.source,
        ts: s.ts,
        ...(e.deviceId ? { deviceId: e.deviceId } : {}),
        ...(e.component !== undefined ? { component: e.component } : {}),
        severity: cfg.severity ?? e.severity,
        summary: `${what} is flapping (${changes} changes in ${cfg.windowM} min)`,
        ruleId: FLAPPING_RULE,
        details: {
          flappingKey: e.dedupKey,
          changes,
          windowM: cfg.windowM,
          lastSummary: e.summary,
          ...(e.ruleId ? { flappingRule: e.ruleId } : {}),
        },
      },
      out,
    );
    const flap = this.book.byDedupKey(flappingKey(e.dedupKey));
    if (!flap) return;
    // Held back while flapping: the open is silenced (told when it settles, if still open); the clear is not told.
    delete ch.notify;
    if (ch.change === 'opened' && !e.suppressed) this.suppress(e, `flapping:${flap.id}`, s.ts, out);
  }

  /** A new event joins its storm's incident, or makes one when enough similar events opened within the window. */
  private group(e: VigilEvent, ts: number, out: CoreChange[]) {
    if (!this.incidents.enabled || e.inMaintenance || (e.suppressed && !e.suppressed.startsWith('flapping:'))) return;
    const topo = this.opts.topology();
    const g = stormGroup(e, topo);
    if (!g) return;
    const existing = this.book.byDedupKey(incidentKey(g.group));
    if (existing) {
      this.attach(existing, e, ts, out);
      this.refreshIncident(existing, ts, out, e);
      return;
    }
    const members = this.incidents
      .recordOpen(g.group, e.id, ts)
      .map((id) => this.book.get(id))
      .filter(
        (m): m is VigilEvent =>
          m !== undefined &&
          !m.incidentId &&
          !m.inMaintenance &&
          (!m.suppressed || m.suppressed.startsWith('flapping:')),
      );
    if (!this.incidents.isStorm(members.length)) return;
    this.incidents.formed(g.group);
    const worst = members.reduce(
      (a, m) => (SEVERITY_RANK[m.severity] > SEVERITY_RANK[a] ? m.severity : a),
      members[0].severity,
    );
    this.apply(
      {
        action: 'raise',
        dedupKey: incidentKey(g.group),
        source: 'incident',
        ts,
        deviceId: g.deviceId,
        severity: worst,
        summary: `${g.label}: ${members.length} ${g.what}`,
        ruleId: 'builtin.incident',
        details: {
          group: g.group,
          label: g.label,
          what: g.what,
          scope: g.scope,
          scopeName: g.scopeName,
          active: members.length,
          children: members.length,
          childRule: members[0].ruleId ?? members[0].source,
        },
      },
      out,
    );
    const incident = this.book.byDedupKey(incidentKey(g.group));
    if (!incident) return;
    incident.count = members.length;
    for (const m of members) this.attach(incident, m, ts, out);
  }

  private attach(incident: VigilEvent, child: VigilEvent, ts: number, out: CoreChange[]) {
    child.incidentId = incident.id;
    this.incidents.attach(incident.id, child.id);
    if (child.suppressed) out.push({ event: child, change: 'updated', ts, history: [] });
    else this.suppress(child, `incident:${incident.id}`, ts, out);
  }

  /** The incident's summary and counts follow its children; a worse child joining makes it worse (and tells again). */
  private refreshIncident(incident: VigilEvent, ts: number, out: CoreChange[], joined?: VigilEvent) {
    const active = this.incidents.activeCount(incident.id);
    const d = incident.details ?? {};
    const children = Number(d.children ?? 0) + (joined ? 1 : 0);
    incident.details = { ...d, active, children };
    // Its count is how many events it gathered (the console's count column), not how often it was raised.
    incident.count = children;
    incident.summary = `${String(d.label)}: ${active} ${String(d.what)}`;
    incident.lastSeen = Math.max(incident.lastSeen, ts);
    const ch: CoreChange = { event: incident, change: 'updated', ts, history: [] };
    const worst =
      joined && SEVERITY_RANK[joined.severity] > SEVERITY_RANK[incident.severity] ? joined.severity : incident.severity;
    if (worst !== incident.severity) {
      ch.history.push({
        eventId: incident.id,
        ts,
        actor: 'system',
        action: 'severity',
        details: { from: incident.severity, to: worst },
      });
      incident.severity = worst;
      if (incident.state === 'open' && !incident.inMaintenance) ch.notify = 'raise';
    }
    out.push(ch);
  }

  /** After an event cleared: its incident loses a child (and clears with the last one). */
  private afterClear(e: VigilEvent, ts: number, out: CoreChange[]) {
    if (!e.incidentId) return;
    const incident = this.book.get(e.incidentId);
    const left = this.incidents.detach(e.incidentId, e.id);
    if (!incident) return;
    if (left > 0) this.refreshIncident(incident, ts, out);
    else
      out.push({ ...this.book.clear(incident, ts, 'system', 'recovered', 'every child cleared'), notify: 'clear', ts });
  }

  /** The active children of an incident (acknowledging or closing it does the same to them). */
  incidentChildren(id: string): VigilEvent[] {
    return this.incidents
      .activeChildren(id)
      .map((c) => this.book.get(c))
      .filter((c): c is VigilEvent => c !== undefined);
  }

  private suppress(e: VigilEvent, reason: string, ts: number, out: CoreChange[]) {
    e.suppressed = reason;
    out.push({
      event: e,
      change: 'suppressed',
      ts,
      history: [{ eventId: e.id, ts, actor: 'system', action: 'suppressed', details: { reason } }],
    });
  }

  /** A device down under a down ancestor is marked and silenced; a new ancestor outage silences its descendants. */
  private dependencies(e: VigilEvent, ts: number, ch: CoreChange, out: CoreChange[]) {
    const topo = this.opts.topology();
    for (const a of topo.ancestors(e.deviceId!)) {
      const parentDown = this.book.byDedupKey(deviceDownKey(a));
      if (parentDown) {
        e.dependsOn = a;
        e.suppressed = `dependency:${parentDown.id}`;
        ch.history.push({
          eventId: e.id,
          ts,
          actor: 'system',
          action: 'suppressed',
          details: { reason: e.suppressed, parentId: a },
        });
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
    for (const e of this.book.expired(now)) {
      out.push({ ...this.book.clear(e, now, 'system', 'timeout'), notify: 'clear', ts: now });
      this.afterClear(e, now, out);
    }
    for (const key of this.flaps.settle(now)) this.settled(key, now, out);
    this.incidents.prune(now);
    for (const s of this.thresholds.tick(now)) this.apply(s, out);
    const windows = this.opts.maintenance();
    const topo = this.opts.topology();
    for (const e of this.book.active()) {
      if (!e.inMaintenance) continue;
      if (activeWindows(windows, e.deviceId, e.deviceId ? topo.device(e.deviceId) : undefined, now).length) continue;
      e.inMaintenance = false;
      const ch: CoreChange = {
        event: e,
        change: 'updated',
        ts: now,
        history: [{ eventId: e.id, ts: now, actor: 'system', action: 'maintenance', details: { ended: true } }],
      };
      // Held back during maintenance: told now if still unacknowledged and not explained by another event.
      if (e.state === 'open' && !e.suppressed) ch.notify = 'raise';
      out.push(ch);
    }
  }

  /** A key stopped flapping: its flapping event clears, and the event itself is told now if it is still open. */
  private settled(key: string, now: number, out: CoreChange[]) {
    const flap = this.book.byDedupKey(flappingKey(key));
    if (flap) {
      out.push({ ...this.book.clear(flap, now, 'system', 'recovered', 'settled'), notify: 'clear', ts: now });
      this.afterClear(flap, now, out);
    }
    const e = this.book.byDedupKey(key);
    if (!e?.suppressed?.startsWith('flapping:')) return;
    delete e.suppressed;
    const ch: CoreChange = {
      event: e,
      change: 'updated',
      ts: now,
      history: [
        { eventId: e.id, ts: now, actor: 'system', action: 'notified', details: { reason: 'flapping settled' } },
      ],
    };
    if (e.incidentId) {
      // Its incident speaks for it.
      e.suppressed = `incident:${e.incidentId}`;
    } else if (e.state === 'open' && !e.inMaintenance) ch.notify = 'raise';
    out.push(ch);
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
  /** Closes an event by hand; returns its change first, then what followed (its incident's). */
  close(id: string, now: number, actor: string, comment?: string): CoreChange[] {
    const e = this.book.get(id);
    if (!e) return [];
    const out: CoreChange[] = [{ ...this.book.clear(e, now, actor, 'manual', comment), notify: 'clear', ts: now }];
    this.afterClear(e, now, out);
    return out;
  }
}
