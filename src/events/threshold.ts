import type { Device } from '../model/device.ts';
import type { EventSource, Sample } from '../model/records.ts';
import type { EngineSignal } from './book.ts';
import type { ThresholdRule } from './rule-schema.ts';
import { compileLabelMatcher, componentOf, labelsKey, matchesDevice, renderTemplate } from './select.ts';

interface Compiled {
  rule: ThresholdRule;
  source: EventSource;
  labels: (l: Record<string, string>) => boolean;
  up: boolean;
}

interface DeviceRules {
  rules: Compiled[];
  /** labels key → state per rule (same order as `rules`), filled as series are seen. */
  series: Map<string, (SeriesState | undefined)[]>;
}

interface SeriesState {
  level: number;
  pendingSince?: number;
  lastTs?: number;
  lastValue?: number;
  /** nodata rules */
  lastSeen?: number;
  noData?: boolean;
  deviceId: string;
  labels: Record<string, string>;
}

/** A threshold rule with the source its events carry (built-ins say 'icmp'). */
export type SourcedRule = ThresholdRule & { source?: EventSource };

/**
 * Level reached by `v` given the current level: the most severe level breached, or still held because
 * `v` has not crossed back over that level's recovery value (hysteresis).
 */
export function levelFor(levels: ThresholdRule['levels'], up: boolean, v: number, current: number): number {
  for (let i = levels.length - 1; i >= 0; i--) {
    const l = levels[i];
    if (up ? v >= l.value : v <= l.value) return i;
    if (i <= current) {
      const r = l.recovery ?? l.value;
      if (up ? v > r : v < r) return i;
    }
  }
  return -1;
}

const OPS = { above: 'above', below: 'below', rate: 'rising faster than', nodata: 'no data for' } as const;

/**
 * Evaluates threshold rules over samples: above, below, rate of change and "no data", with hold duration,
 * hysteresis and a severity ladder. Keeps per-series state; returns signals for the engine.
 */
export class ThresholdEvaluator {
  private byMetric = new Map<string, Compiled[]>();
  /**
   * metric → deviceId → rules that select this device, with each series' states in rule order by labels key
   * (built lazily, dropped when rules or devices change; the states themselves live on in `states`).
   */
  private perDevice = new Map<string, Map<string, DeviceRules>>();
  private states = new Map<string, SeriesState>();
  private nodata = new Map<string, { c: Compiled; st: SeriesState }>();

  constructor(
    rules: SourcedRule[],
    private device: (id: string) => Device | undefined,
  ) {
    this.setRules(rules);
  }

  setRules(rules: SourcedRule[]): void {
    this.byMetric.clear();
    this.perDevice.clear();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const c: Compiled = {
        rule,
        source: rule.source ?? 'threshold',
        labels: compileLabelMatcher(rule.components),
        up: rule.condition !== 'below',
      };
      let list = this.byMetric.get(rule.metric);
      if (!list) this.byMetric.set(rule.metric, (list = []));
      list.push(c);
    }
    const ids = new Set(rules.map((r) => r.id));
    for (const [k] of this.states) if (!ids.has(k.slice(0, k.indexOf('\u0000')))) this.states.delete(k);
    for (const [k, v] of this.nodata) if (!ids.has(v.c.rule.id)) this.nodata.delete(k);
  }

  /** Call when the inventory changes (device tags and groups decide which rules apply). */
  devicesChanged(): void {
    this.perDevice.clear();
  }

  get metrics(): string[] {
    return [...this.byMetric.keys()];
  }

  private rulesFor(metric: string, deviceId: string): DeviceRules | undefined {
    const all = this.byMetric.get(metric);
    if (!all) return undefined;
    let m = this.perDevice.get(metric);
    if (!m) this.perDevice.set(metric, (m = new Map()));
    let entry = m.get(deviceId);
    if (!entry) {
      const d = this.device(deviceId);
      entry = { rules: all.filter((c) => matchesDevice(c.rule.devices, deviceId, d)), series: new Map() };
      m.set(deviceId, entry);
    }
    return entry;
  }

  onSample(s: Sample, out: EngineSignal[] = []): EngineSignal[] {
    const entry = this.rulesFor(s.metric, s.deviceId);
    if (!entry?.rules.length || !Number.isFinite(s.value)) return out;
    const rules = entry.rules;
    let lk: string | undefined;
    let series: (SeriesState | undefined)[] | undefined;
    for (let i = 0; i < rules.length; i++) {
      const c = rules[i];
      if (!c.labels(s.labels)) continue;
      if (lk === undefined) {
        lk = labelsKey(s.labels);
        series = entry.series.get(lk);
        if (!series) entry.series.set(lk, (series = new Array(rules.length)));
      }
      // The per-device slot saves building and hashing the long state key on every sample.
      let st = series![i];
      if (!st) {
        const key = `${c.rule.id}\u0000${s.deviceId}\u0000${lk}`;
        st = this.states.get(key);
        if (!st) {
          st = { level: -1, deviceId: s.deviceId, labels: s.labels };
          this.states.set(key, st);
          if (c.rule.condition === 'nodata') this.nodata.set(key, { c, st });
        }
        series![i] = st;
      }
      this.step(c, st, s, lk, out);
    }
    return out;
  }

  private step(c: Compiled, st: SeriesState, s: Sample, lk: string, out: EngineSignal[]) {
    const rule = c.rule;
    if (rule.condition === 'nodata') {
      if (st.lastSeen === undefined || s.ts > st.lastSeen) st.lastSeen = s.ts;
      if (st.noData) {
        st.noData = false;
        out.push(this.signal(c, st, 'clear', s.ts, lk, s.value));
      }
      return;
    }
    let v = s.value;
    if (rule.condition === 'rate') {
      const prevTs = st.lastTs;
      const prevV = st.lastValue;
      st.lastTs = s.ts;
      st.lastValue = s.value;
      if (prevTs === undefined || prevV === undefined || s.ts <= prevTs) return;
      v = (s.value - prevV) / ((s.ts - prevTs) / 1000);
    }
    const target = levelFor(rule.levels, c.up, v, st.level);
    const before = st.level;
    if (target > st.level) {
      if (rule.forS > 0) {
        st.pendingSince ??= s.ts;
        if (s.ts - st.pendingSince >= rule.forS * 1000) {
          st.level = target;
          st.pendingSince = undefined;
        }
      } else st.level = target;
    } else {
      st.pendingSince = undefined;
      if (target < st.level) st.level = target;
    }
    if (st.level >= 0) out.push(this.signal(c, st, 'raise', s.ts, lk, v));
    else if (before >= 0) out.push(this.signal(c, st, 'clear', s.ts, lk, v));
  }

  /** No-data rules: raises for series silent longer than `noDataS`. */
  tick(now: number, out: EngineSignal[] = []): EngineSignal[] {
    for (const [, { c, st }] of this.nodata) {
      if (!st.noData && st.lastSeen !== undefined && now - st.lastSeen >= (c.rule.noDataS ?? 0) * 1000) {
        st.noData = true;
        out.push(this.signal(c, st, 'raise', now, labelsKey(st.labels)));
      }
    }
    return out;
  }

  private signal(
    c: Compiled,
    st: SeriesState,
    action: 'raise' | 'clear',
    ts: number,
    lk: string,
    value?: number,
  ): EngineSignal {
    const rule = c.rule;
    const level = st.level >= 0 ? rule.levels[st.level] : undefined;
    const component = componentOf(st.labels);
    const severity =
      rule.condition === 'nodata' ? rule.severity : (level?.severity ?? rule.levels[0]?.severity ?? 'warning');
    const threshold = rule.condition === 'nodata' ? `${rule.noDataS} s` : level?.value;
    const vars = {
      device: this.device(st.deviceId)?.name ?? st.deviceId,
      metric: rule.metric,
      value,
      threshold,
      component,
      severity,
      rule: rule.name ?? rule.id,
    };
    const summary = rule.summary
      ? renderTemplate(rule.summary, vars)
      : rule.condition === 'nodata'
        ? `${rule.name ?? rule.metric}: no data for ${rule.noDataS} s${component ? ` on ${component}` : ''}`
        : `${rule.name ?? rule.metric}${component ? ` on ${component}` : ''}: ${round(value)} ${OPS[rule.condition]} ${threshold ?? rule.levels[0]?.value}`;
    const sig: EngineSignal = {
      action,
      dedupKey: `${c.source === 'threshold' ? 'threshold' : c.source}:${rule.id}:${st.deviceId}${lk ? ':' + lk : ''}`,
      source: c.source,
      ts,
      deviceId: st.deviceId,
      severity,
      summary,
      ruleId: rule.id,
      details: { metric: rule.metric, labels: st.labels, value, threshold },
    };
    if (component) sig.component = component;
    if (rule.clearAfterS) sig.clearAfterS = rule.clearAfterS;
    return sig;
  }
}

const round = (v: number | undefined) => (v === undefined ? '' : String(Math.round(v * 100) / 100));
