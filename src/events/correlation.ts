import type { LogRecord, Sample } from '../model/records.ts';
import type { EngineSignal } from './book.ts';
import { parseExpression } from './expression.ts';
import type { Condition, CorrelationRule, Leaf } from './rule-schema.ts';
import { compileLabelMatcher, compilePattern, labelsKey, renderTemplate } from './select.ts';
import type { Topology } from './topology.ts';
import { atLeast, type VigilEvent } from '../model/events.ts';

interface Fact {
  ts: number;
  eventId?: string;
}
interface CLeaf {
  leaf: Leaf;
  negated: boolean;
  test: (x: never) => boolean;
  /** device key → facts in time order */
  facts: Map<string, Fact[]>;
  /** rising/falling: last value per series */
  last?: Map<string, { ts: number; v: number }>;
}
type CNode = { all: CNode[] } | { any: CNode[] } | { not: CNode } | { atLeast: number; of: CNode[] } | { leaf: CLeaf };
interface CRule {
  rule: CorrelationRule;
  windowMs: number;
  leaves: CLeaf[];
  tree: CNode;
  set?: Set<string>;
  /** Device keys that have facts in any leaf. */
  keys: Set<string>;
}

/** Cause links kept per derived event. */
export const MAX_CAUSES = 50;

const pat = (p: string | undefined) => (p === undefined ? undefined : compilePattern(p));

/** The device (or sending host) a fact belongs to. */
export function eventDeviceKey(e: Pick<VigilEvent, 'deviceId' | 'details'>): string {
  const d = e.details as Record<string, unknown> | undefined;
  return e.deviceId ?? String(d?.host ?? d?.hostname ?? d?.sourceAddress ?? d?.agentAddress ?? 'unknown');
}

/**
 * Correlation rules: facts (event occurrences, metric samples, log lines) kept for each rule's window,
 * grouped by device, and the rule's AND/OR/NOT/at-least tree evaluated per scope partition when a fact arrives.
 */
export class CorrelationEvaluator {
  private rules: CRule[] = [];
  private metricLeaves = new Map<string, { r: CRule; l: CLeaf }[]>();
  private eventLeaves: { r: CRule; l: CLeaf }[] = [];
  /** Event leaves that name a rule id, by that id; the rest are tried on every event. */
  private eventLeavesByRule = new Map<string, { r: CRule; l: CLeaf }[]>();
  private eventLeavesAny: { r: CRule; l: CLeaf }[] = [];
  private logLeaves: { r: CRule; l: CLeaf }[] = [];

  constructor(
    rules: CorrelationRule[],
    private topo: () => Topology,
    /** Whether the derived event for a dedup key is already open (then only the new cause is linked). */
    private isOpen: (dedupKey: string) => boolean = () => false,
  ) {
    this.setRules(rules);
  }

  setRules(rules: CorrelationRule[]): void {
    this.rules = [];
    this.metricLeaves.clear();
    this.eventLeaves = [];
    this.eventLeavesByRule.clear();
    this.eventLeavesAny = [];
    this.logLeaves = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const when =
        rule.when ??
        (rule.expression !== undefined
          ? parseExpression(rule.expression, Object.keys(rule.conditions ?? {}))
          : undefined);
      if (when) this.rules.push(this.compile({ ...rule, when }));
    }
  }

  get size(): number {
    return this.rules.length;
  }

  private compile(rule: CorrelationRule): CRule {
    const leaves: CLeaf[] = [];
    const named = new Map<string, CLeaf>();
    const r: CRule = {
      rule,
      windowMs: rule.windowS * 1000,
      leaves,
      tree: undefined as never,
      keys: new Set(),
      set: rule.scope.devices ? new Set(rule.scope.devices) : undefined,
    };
    const mk = (leaf: Leaf, negated: boolean): CLeaf => {
      const l: CLeaf = { leaf, negated, test: this.matcher(leaf), facts: new Map() };
      if (leaf.metric?.op === 'rising' || leaf.metric?.op === 'falling') l.last = new Map();
      leaves.push(l);
      if (leaf.metric) {
        let list = this.metricLeaves.get(leaf.metric.name);
        if (!list) this.metricLeaves.set(leaf.metric.name, (list = []));
        list.push({ r, l });
      } else if (leaf.event) {
        this.eventLeaves.push({ r, l });
        const id = leaf.event.ruleId;
        if (id) {
          let list = this.eventLeavesByRule.get(id);
          if (!list) this.eventLeavesByRule.set(id, (list = []));
          list.push({ r, l });
        } else this.eventLeavesAny.push({ r, l });
      } else this.logLeaves.push({ r, l });
      return l;
    };
    const walk = (n: Condition, neg: boolean): CNode => {
      if ('all' in n) return { all: n.all.map((c) => walk(c, neg)) };
      if ('any' in n) return { any: n.any.map((c) => walk(c, neg)) };
      if ('not' in n) return { not: walk(n.not, !neg) };
      if ('atLeast' in n) return { atLeast: n.atLeast, of: n.of.map((c) => walk(c, neg)) };
      if ('ref' in n) {
        let l = named.get(n.ref);
        if (!l) named.set(n.ref, (l = mk(rule.conditions![n.ref], neg)));
        return { leaf: l };
      }
      return { leaf: mk(n, neg) };
    };
    r.tree = walk(rule.when!, false);
    return r;
  }

  private matcher(leaf: Leaf): (x: never) => boolean {
    const topo = this.topo;
    const tagsOk = (tags: string[] | undefined, deviceId: string | undefined) =>
      !tags?.length ||
      (!!deviceId &&
        !!topo()
          .device(deviceId)
          ?.tags.some((t) => tags.includes(t)));
    if (leaf.event) {
      const c = leaf.event;
      const summary = pat(c.summary);
      const dedup = pat(c.dedupKey);
      const comp = pat(c.component);
      return ((e: VigilEvent) =>
        (!c.source || e.source === c.source) &&
        (!c.severity || atLeast(e.severity, c.severity)) &&
        (!c.ruleId || e.ruleId === c.ruleId) &&
        (!summary || summary(e.summary)) &&
        (!dedup || dedup(e.dedupKey)) &&
        (!comp || (e.component !== undefined && comp(e.component))) &&
        tagsOk(c.deviceTags, e.deviceId)) as (x: never) => boolean;
    }
    if (leaf.metric) {
      const m = leaf.metric;
      const labels = compileLabelMatcher(m.components);
      const v = m.value ?? 0;
      const cmp =
        m.op === '>'
          ? (x: number) => x > v
          : m.op === '>='
            ? (x: number) => x >= v
            : m.op === '<'
              ? (x: number) => x < v
              : m.op === '<='
                ? (x: number) => x <= v
                : () => true;
      return ((s: Sample) => labels(s.labels) && tagsOk(m.deviceTags, s.deviceId) && cmp(s.value)) as (
        x: never,
      ) => boolean;
    }
    const c = leaf.log!;
    const msg = pat(c.message);
    const app = pat(c.app);
    const host = pat(c.host);
    return ((l: LogRecord) =>
      (c.severity === undefined || l.severity <= c.severity) &&
      (!app || (l.app !== undefined && app(l.app))) &&
      (!host || host(l.hostname ?? l.sourceAddress)) &&
      (!msg || msg(l.message))) as (x: never) => boolean;
  }

  onEvent(e: VigilEvent, ts: number, out: EngineSignal[] = []): EngineSignal[] {
    if (e.source === 'correlation' || !this.eventLeaves.length) return out;
    const key = eventDeviceKey(e);
    const named = e.ruleId ? this.eventLeavesByRule.get(e.ruleId) : undefined;
    if (named)
      for (const { r, l } of named)
        if ((l.test as (x: VigilEvent) => boolean)(e)) this.add(r, l, key, { ts, eventId: e.id }, out);
    for (const { r, l } of this.eventLeavesAny)
      if ((l.test as (x: VigilEvent) => boolean)(e)) this.add(r, l, key, { ts, eventId: e.id }, out);
    return out;
  }

  onSample(s: Sample, out: EngineSignal[] = []): EngineSignal[] {
    const list = this.metricLeaves.get(s.metric);
    if (!list) return out;
    for (const { r, l } of list) {
      if (!(l.test as (x: Sample) => boolean)(s)) continue;
      if (l.last) {
        const sk = `${s.deviceId}\u0000${labelsKey(s.labels)}`;
        const prev = l.last.get(sk);
        l.last.set(sk, { ts: s.ts, v: s.value });
        if (!prev || s.ts <= prev.ts) continue;
        const rate = (s.value - prev.v) / ((s.ts - prev.ts) / 1000);
        const min = l.leaf.metric!.value ?? 0;
        if (l.leaf.metric!.op === 'rising' ? !(rate > min) : !(-rate > min)) continue;
      }
      this.add(r, l, s.deviceId, { ts: s.ts }, out);
    }
    return out;
  }

  onLog(log: LogRecord, out: EngineSignal[] = []): EngineSignal[] {
    if (!this.logLeaves.length) return out;
    for (const { r, l } of this.logLeaves)
      if ((l.test as (x: LogRecord) => boolean)(log))
        this.add(r, l, log.deviceId ?? log.hostname ?? log.sourceAddress, { ts: log.ts }, out);
    return out;
  }

  /** Where a fact is filed: its device for device and path scopes, else the partition it belongs to. */
  private fileKey(r: CRule, key: string): string | undefined {
    switch (r.rule.scope.by) {
      case 'device':
      case 'path':
        return key;
      case 'group':
        return this.topo().device(key)?.group;
      case 'site':
        return this.topo().device(key)?.location;
      case 'devices':
        return r.set!.has(key) ? 'devices' : undefined;
      default:
        return '*';
    }
  }

  private add(r: CRule, l: CLeaf, key: string, fact: Fact, out: EngineSignal[]) {
    const fk = this.fileKey(r, key);
    if (fk === undefined) return;
    let list = l.facts.get(fk);
    if (!list) {
      l.facts.set(fk, (list = []));
      r.keys.add(fk);
    }
    list.push(fact);
    const cutoff = fact.ts - r.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop].ts < cutoff) drop++;
    if (drop) list.splice(0, drop);
    // "At least N in the window" needs only the newest N facts, and causes only the newest MAX_CAUSES.
    const keep = Math.max(l.leaf.count, MAX_CAUSES);
    if (list.length > keep * 2) list.splice(0, list.length - keep);
    if (l.negated) return; // a fact under NOT can only make the rule false
    for (const p of this.partitions(r, key, fk)) {
      if (this.eval(r, r.tree, p, fact.ts)) out.push(this.derived(r, p, fact));
    }
  }

  private partitions(r: CRule, key: string, fk: string): string[] {
    const topo = this.topo();
    switch (r.rule.scope.by) {
      case 'device':
        return [key];
      case 'path': {
        // Only partitions that hold facts can match (NOT-only rules aside): devices below `key` with facts of this rule.
        const below = topo.descendants(key);
        if (!below.length) return [key];
        const out = [key];
        for (const k of r.keys) if (k !== key && topo.ancestors(k).includes(key)) out.push(k);
        return out;
      }
      default:
        return [fk];
    }
  }

  /** The fact lists that count for partition `p`: its own, plus its ancestors' for path scopes. */
  private lists(r: CRule, l: CLeaf, p: string): Fact[][] {
    const own = l.facts.get(p);
    if (r.rule.scope.by !== 'path') return own ? [own] : [];
    const out = own ? [own] : [];
    for (const a of this.topo().ancestors(p)) {
      const list = l.facts.get(a);
      if (list) out.push(list);
    }
    return out;
  }

  /** Facts in the window, counted up to `need` (no allocation on the hot path). */
  private count(r: CRule, l: CLeaf, p: string, now: number, need: number): number {
    const cutoff = now - r.windowMs;
    let n = 0;
    for (const list of this.lists(r, l, p)) {
      for (let i = list.length - 1; i >= 0; i--) {
        const f = list[i];
        if (f.ts < cutoff) break;
        if (f.ts <= now && ++n >= need) return n;
      }
    }
    return n;
  }

  private facts(r: CRule, l: CLeaf, p: string, now: number): Fact[] {
    const cutoff = now - r.windowMs;
    const out: Fact[] = [];
    for (const list of this.lists(r, l, p)) for (const f of list) if (f.ts >= cutoff && f.ts <= now) out.push(f);
    return out;
  }

  private eval(r: CRule, n: CNode, p: string, now: number): boolean {
    if ('all' in n) return n.all.every((c) => this.eval(r, c, p, now));
    if ('any' in n) return n.any.some((c) => this.eval(r, c, p, now));
    if ('not' in n) return !this.eval(r, n.not, p, now);
    if ('atLeast' in n) return n.of.filter((c) => this.eval(r, c, p, now)).length >= n.atLeast;
    return this.count(r, n.leaf, p, now, n.leaf.leaf.count) >= n.leaf.leaf.count;
  }

  private derived(r: CRule, p: string, fact: Fact): EngineSignal {
    const ts = fact.ts;
    const dedupKey = `correlation:${r.rule.id}:${p}`;
    const causes = new Set<string>();
    if (this.isOpen(dedupKey)) {
      if (fact.eventId) causes.add(fact.eventId);
    } else {
      const cutoff = ts - r.windowMs;
      for (const l of r.leaves) {
        if (l.negated || !l.leaf.event) continue;
        // The newest causes are the useful ones; a storm must not make one event link thousands.
        for (const list of this.lists(r, l, p))
          for (let i = list.length - 1; i >= 0 && causes.size < MAX_CAUSES; i--) {
            const f = list[i];
            if (f.ts < cutoff) break;
            if (f.ts <= ts && f.eventId) causes.add(f.eventId);
          }
      }
    }
    const by = r.rule.scope.by;
    const deviceId = by === 'device' || by === 'path' ? (this.topo().device(p) ? p : undefined) : undefined;
    const vars = {
      device: deviceId ? (this.topo().device(deviceId)?.name ?? p) : p,
      host: p,
      group: by === 'group' ? p : undefined,
      site: by === 'site' ? p : undefined,
      rule: r.rule.name ?? r.rule.id,
    };
    const sig: EngineSignal = {
      action: 'raise',
      dedupKey,
      source: 'correlation',
      ts,
      severity: r.rule.raise.severity,
      summary: renderTemplate(r.rule.raise.summary, vars),
      ruleId: r.rule.id,
      causes: [...causes],
      clearAfterS: r.rule.raise.clearAfterS ?? r.rule.windowS,
      suppressCauses: r.rule.raise.suppressCauses,
      details: { scope: by, partition: p, windowS: r.rule.windowS },
    };
    if (deviceId) sig.deviceId = deviceId;
    else if (by !== 'device' && by !== 'path') sig.component = p;
    else sig.details!.host = p;
    return sig;
  }
}
