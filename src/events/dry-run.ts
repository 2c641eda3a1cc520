import type { MibDictionary } from '../mib/types.ts';
import type { BusRecord, LogRecord, Sample, TrapRecord } from '../model/records.ts';
import type { Store } from '../store/types.ts';
import type { EventsConfig } from './config.ts';
import { type CoreChange, EventCore } from './core.ts';
import { syslogEvaluator, trapEvaluator, type SyslogRule, type TrapRule } from './external-rules.ts';
import type { CorrelationRule, ThresholdRule } from './rule-schema.ts';
import { ruleBody, type StoredRule } from '../model/event-store.ts';
import type { Topology } from './topology.ts';
import type { VigilEvent } from '../model/events.ts';

export interface DryRunEvent {
  dedupKey: string;
  deviceId?: string;
  component?: string;
  severity: string;
  summary: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  cleared: boolean;
  causes?: string[];
}
export interface DryRunResult {
  ruleId: string;
  from: number;
  to: number;
  replayed: { samples: number; events: number; logs: number; traps: number };
  /** What the rule would have raised, oldest first. */
  events: DryRunEvent[];
  truncated: boolean;
}

const MAX_RECORDS = 500_000;
const MAX_OCCURRENCES_PER_EVENT = 200;

/**
 * Replays the stored samples, events, logs and traps of [from, to] through the rule alone (built-ins off, no
 * store writes, no notifications) and returns what it would have raised. Stored events are replayed as their
 * occurrences spread between first and last seen, since only counts are kept.
 */
export async function dryRunRule(
  rule: StoredRule,
  ctx: { store: Store; topology: Topology; config: EventsConfig; from: number; to: number; dictionary?: MibDictionary },
): Promise<DryRunResult> {
  const { store, from, to } = ctx;
  const off = Object.fromEntries(
    Object.entries(ctx.config.builtins).map(([k, v]) => [k, { ...v, enabled: false }]),
  ) as EventsConfig['builtins'];
  const config: EventsConfig = { ...ctx.config, builtins: off, maintenance: [] };
  let n = 0;
  const core = new EventCore({
    config,
    topology: () => ctx.topology,
    maintenance: () => [],
    newId: () => `dry-${++n}`,
  });
  const thresholds = rule.kind === 'threshold' ? [rule as unknown as ThresholdRule] : [];
  const correlations = rule.kind === 'correlation' ? [rule as unknown as CorrelationRule] : [];
  core.setRules(thresholds, correlations);
  if (rule.kind === 'syslog') core.setLogEvaluator(syslogEvaluator([ruleBody<SyslogRule>(rule)]));
  if (rule.kind === 'trap') core.setTrapEvaluator(trapEvaluator([ruleBody<TrapRule>(rule)], () => ctx.dictionary));

  const records: { ts: number; r: BusRecord | { kind: 'stored-event'; ev: VigilEvent } }[] = [];
  const replayed = { samples: 0, events: 0, logs: 0, traps: 0 };
  let truncated = false;
  const push = (ts: number, r: (typeof records)[number]['r']) => {
    if (records.length >= MAX_RECORDS) truncated = true;
    else records.push({ ts, r });
  };

  const metrics = new Set<string>();
  if (rule.kind === 'threshold') metrics.add((rule as unknown as ThresholdRule).metric);
  if (rule.kind === 'correlation')
    for (const m of JSON.stringify(rule).matchAll(/"metric":\{"name":"([^"]+)"/g)) metrics.add(m[1]);
  for (const metric of metrics) {
    const devices = new Set((await store.latest(metric)).map((l) => l.deviceId));
    for (const deviceId of devices) {
      for (const series of await store.querySeries({ deviceId, metric, from, to, tier: 'raw' })) {
        for (const p of series.points) {
          const s: Sample = { kind: 'sample', deviceId, metric, labels: series.labels, ts: p.ts, value: p.value };
          push(p.ts, s);
          replayed.samples++;
        }
      }
    }
  }
  if (rule.kind === 'correlation' && JSON.stringify(rule).includes('"event":')) {
    for (const ev of await store.eventsBetween(from, to)) {
      if (ev.source === 'correlation') continue;
      const k = Math.min(ev.count, MAX_OCCURRENCES_PER_EVENT);
      for (let i = 0; i < k; i++)
        push(k === 1 ? ev.firstSeen : ev.firstSeen + ((ev.lastSeen - ev.firstSeen) * i) / (k - 1), {
          kind: 'stored-event',
          ev,
        });
      replayed.events++;
    }
  }
  if (
    (rule.kind === 'syslog' || (rule.kind === 'correlation' && JSON.stringify(rule).includes('"log":'))) &&
    'queryLogs' in store
  ) {
    let cursor: string | undefined;
    do {
      const page = await store.queryLogs({ from, to, limit: 1000, cursor });
      for (const l of page.logs) {
        push(l.ts, { ...(l as Omit<LogRecord, 'kind'>), kind: 'log' } as LogRecord);
        replayed.logs++;
      }
      cursor = page.nextCursor;
    } while (cursor && !truncated);
  }
  if (rule.kind === 'trap' && 'listTraps' in store) {
    let cursor: string | undefined;
    do {
      const page = await store.listTraps({ from, to, limit: 1000, cursor });
      for (const t of page.items) {
        push(t.receivedTs, { ...(t as Omit<TrapRecord, 'kind'>), kind: 'trap' } as TrapRecord);
        replayed.traps++;
      }
      cursor = page.nextCursor;
    } while (cursor && !truncated);
  }

  records.sort((a, b) => a.ts - b.ts);
  const changes: CoreChange[] = [];
  let nextTick = from + 60_000;
  for (const { ts, r } of records) {
    while (ts >= nextTick) {
      core.tick(nextTick, changes);
      nextTick += 60_000;
    }
    if (r.kind === 'stored-event') {
      const ev = r.ev;
      core.apply(
        {
          action: 'raise',
          dedupKey: `replay:${ev.id}`,
          source: ev.source,
          ts,
          deviceId: ev.deviceId,
          component: ev.component,
          severity: ev.severity,
          summary: ev.summary,
          details: ev.details,
          ruleId: ev.ruleId,
        },
        changes,
      );
    } else core.process(r, changes);
  }
  core.tick(to, changes);

  const byId = new Map<string, DryRunEvent>();
  for (const c of changes) {
    const e = c.event;
    if (e.dedupKey.startsWith('replay:')) continue;
    byId.set(e.id, {
      dedupKey: e.dedupKey,
      deviceId: e.deviceId,
      component: e.component,
      severity: e.severity,
      summary: e.summary,
      firstSeen: e.firstSeen,
      lastSeen: e.lastSeen,
      count: e.count,
      cleared: e.state === 'cleared',
      ...(e.causes?.length ? { causes: e.causes } : {}),
    });
  }
  return {
    ruleId: rule.id,
    from,
    to,
    replayed,
    events: [...byId.values()].sort((a, b) => a.firstSeen - b.firstSeen),
    truncated,
  };
}
