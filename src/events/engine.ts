import type { Bus, Subscription } from '../bus/types.ts';
import type { MibDictionary } from '../mib/types.ts';
import type { Clock } from '../model/clock.ts';
import type { Device } from '../model/device.ts';
import { VigilError } from '../model/errors.ts';
import type { Logger } from '../model/logger.ts';
import type { BusRecord } from '../model/records.ts';
import { TOPOLOGY_LINKS_KEY, type TopologyLink } from '../model/topology.ts';
import type { Store } from '../store/types.ts';
import type { InterfaceRow } from '../model/stored.ts';
import type { EngineSignal } from './book.ts';
import type { EventsConfig } from './config.ts';
import { type CoreChange, EventCore, portKey } from './core.ts';
import { PortMemory } from './port-memory.ts';
import type { PortVerdict } from '../model/port-watch.ts';
import { dryRunRule, type DryRunResult } from './dry-run.ts';
import { dryRunSettings, type SettingsDryRunResult } from './dry-run-settings.ts';
import { eventsConfigSchema } from './config.ts';
import {
  defaultTrapRules,
  syslogEvaluator,
  syslogRuleSchema,
  trapEvaluator,
  trapRuleSchema,
  type SyslogRule,
  type TrapRule,
} from './external-rules.ts';
import { validateMaintenance } from './maintenance.ts';
import type { MaintenanceWindow } from '../model/rules.ts';
import { type CorrelationRule, type ThresholdRule, validateRule } from './rule-schema.ts';
import { ruleBody, type StoredRule } from '../model/event-store.ts';
import { buildTopology, type Topology } from './topology.ts';
import type { EventHistoryEntry, EventNotifier, VigilEvent } from '../model/events.ts';

/**
 * Events written per store transaction by the timed write-behind: on this thread about 5 ms of SQLite work; to a
 * writer thread, the structured copy of a slice (about a millisecond), one slice in flight at a time.
 */
const PERSIST_SLICE = 150;
const PERSIST_SLICE_OFF_THREAD = 500;

export interface EventEngineOptions {
  store: Store;
  bus: Bus;
  clock: Clock;
  log: Logger;
  /** The whole config: `events`, plus `syslog.rules` and `traps.rules`. */
  config: { events: EventsConfig; syslog?: { rules?: unknown[] }; traps?: { rules?: unknown[] } };
  devices: () => Device[];
  dictionary?: () => MibDictionary | undefined;
  notifier?: EventNotifier;
  /**
   * Where event states and history are written, in call order (the store writer's thread in `vigil start`, see
   * `StoreWriter.writeEvents`). Default: `store.writeEvents`.
   */
  writeEvents?: (events: VigilEvent[], history: EventHistoryEntry[]) => Promise<void>;
}

/** `changes` deep-merged over `base` (objects merge, arrays and values replace). */
function mergeSettings(base: unknown, changes: unknown): unknown {
  if (
    !changes ||
    typeof changes !== 'object' ||
    Array.isArray(changes) ||
    !base ||
    typeof base !== 'object' ||
    Array.isArray(base)
  )
    return changes === undefined ? base : changes;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(changes as Record<string, unknown>)) out[k] = mergeSettings(out[k], v);
  return out;
}

/** `fn` run one call at a time, each once the last has settled: a reload started later is always applied later. */
function serialized(fn: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    const run = last.then(fn);
    last = run.catch(() => {});
    return run;
  };
}

/**
 * Every metric name `validateRule` asks about, with whether the store has seen it. `validateRule` takes a synchronous
 * check, so a first pass (everything known) collects the names, the store answers for them, and the real pass uses
 * those answers: the same verdicts as asking the store from inside it.
 */
async function storedMetrics(store: Store, raw: unknown): Promise<(metric: string) => boolean> {
  const asked = new Set<string>();
  try {
    validateRule(raw, (m) => (asked.add(m), true));
  } catch {
    // Its errors come again from the real pass.
  }
  const seen = new Set<string>();
  await Promise.all(
    [...asked].map(async (m) => {
      if ((await store.latest(m)).length > 0) seen.add(m);
    }),
  );
  return (m) => seen.has(m);
}

/** A rule as the API lists it: where it lives decides whether it can be edited. */
export type ListedRule = StoredRule & { origin: 'config' | 'api' | 'builtin' };

export interface EventEngine {
  start(): void;
  stop(): Promise<void>;
  /** Evaluates records directly (what the bus subscription does); resolves once changes are stored and published. */
  process(records: BusRecord[]): Promise<void>;
  /** Applies a signal as if an evaluator produced it. */
  raise(signal: EngineSignal): Promise<VigilEvent | undefined>;
  /** Runs time-driven work now (timeouts, no-data, maintenance ends, notification groups and re-notification). */
  tick(): Promise<void>;
  acknowledge(id: string, actor: string, comment?: string): Promise<VigilEvent>;
  unacknowledge(id: string, actor: string, comment?: string): Promise<VigilEvent>;
  close(id: string, actor: string, comment?: string): Promise<VigilEvent>;
  /** An event with its history and the events it links (causes, and events that name it as a cause). */
  describe(id: string): Promise<
    | {
        event: VigilEvent;
        history: EventHistoryEntry[];
        causes: VigilEvent[];
        derived: VigilEvent[];
        children: VigilEvent[];
      }
    | undefined
  >;
  activeEvents(): VigilEvent[];
  listRules(): Promise<ListedRule[]>;
  getRule(id: string): Promise<ListedRule | undefined>;
  /** Validates (VIGIL_RULE_INVALID naming the part) and stores a rule; takes effect once it resolves. */
  /** Creates or replaces; with `create`, an id already taken (here or in the config file) is a conflict. */
  saveRule(raw: unknown, opts?: { create?: boolean }): Promise<StoredRule>;
  /** Re-reads rules and maintenance windows from the store: what another node's API changed. */
  reload(): Promise<void>;
  validate(raw: unknown): Promise<StoredRule>;
  deleteRule(id: string): Promise<boolean>;
  dryRun(ruleOrId: string | unknown, hours: number): Promise<DryRunResult>;
  /**
   * The noise settings (builtins.interfaceDown, incidents, flapping, …) merged over the running ones, replayed over
   * the last `hours` of stored history beside the running ones (VIGIL_VALIDATION names a bad key).
   */
  dryRunSettings(changes: unknown, hours: number): Promise<SettingsDryRunResult & { settings: EventsConfig }>;
  /** The windows in force (config + store), as loaded at start and after each change through this engine. */
  maintenanceWindows(): (MaintenanceWindow & { origin: 'config' | 'api' })[];
  /** Creates or replaces; with `create`, an id already taken is a conflict. */
  saveMaintenance(raw: unknown, opts?: { create?: boolean }): Promise<MaintenanceWindow>;
  deleteMaintenance(id: string): Promise<boolean>;
  readonly topology: Topology;
  /** Each interface of a device as stored, with whether its going down is an alarm and why. */
  interfacesWithWatch(deviceId: string): Promise<(InterfaceRow & { watch: PortVerdict })[]>;
  /** Writes pending event changes to the store now; resolves once they are committed. */
  flush(): Promise<void>;
  stats(): Promise<{ active: number; processed: number; changes: number; thresholds: number; correlations: number }>;
}

/**
 * The event engine: consumes device/interface states, samples, logs and traps from the bus, evaluates built-ins,
 * thresholds, syslog/trap rules and correlations, keeps events (store + bus, kind 'event') and calls the notifier.
 * @example
 * const engine = await createEventEngine({ store, bus, clock: systemClock, log, config, devices: () => inventory.list(), notifier });
 * engine.start();
 */
export async function createEventEngine(opts: EventEngineOptions): Promise<EventEngine> {
  const { store, bus, clock, log, notifier } = opts;
  const cfg = opts.config.events;
  let deviceList: Device[] | undefined;
  let topo: Topology = buildTopology([]);
  const topology = () => {
    const list = opts.devices();
    if (list !== deviceList) {
      deviceList = list;
      topo = buildTopology(list);
      core?.devicesChanged(list);
    }
    return topo;
  };
  // Read on every record (maintenance flags), so kept in memory: loaded here and after each change made through us.
  let windows: (MaintenanceWindow & { origin: 'config' | 'api' })[] = [];
  const loadWindows = serialized(async () => {
    const stored = await store.listMaintenance();
    windows = [
      ...cfg.maintenance.map((w) => ({ ...w, origin: 'config' as const })),
      ...stored.map((w) => ({ ...w, origin: 'api' as const })),
    ];
  });

  // Ports a topology link ends on are uplinks (watched); the links change rarely, so they are read every 30 s. The
  // read runs behind the records that asked for it (never a store read on their path): they see the set last read.
  let uplinkSet: ReadonlySet<string> = new Set();
  let uplinksRead = -Infinity;
  let uplinksReading = false;
  async function readUplinks() {
    uplinksRead = clock.now();
    const set = new Set<string>();
    for (const l of (await store.getKv<TopologyLink[]>(TOPOLOGY_LINKS_KEY)) ?? []) {
      if (l.aIfIndex !== undefined) set.add(portKey(l.a, l.aIfIndex));
      if (l.b !== undefined && l.bIfIndex !== undefined) set.add(portKey(l.b, l.bIfIndex));
    }
    uplinkSet = set;
  }
  const uplinks = () => {
    if (!uplinksReading && clock.now() - uplinksRead >= 30_000) {
      uplinksReading = true;
      void readUplinks()
        .catch((e) => log.warn({ err: (e as Error)?.message ?? String(e) }, 'reading topology links failed'))
        .finally(() => (uplinksReading = false));
    }
    return uplinkSet;
  };

  const [, , portRows, active] = await Promise.all([
    loadWindows(),
    readUplinks(),
    store.listInterfaceStatuses(),
    store.listActiveEvents(),
  ]);
  const ports = new PortMemory();
  ports.load(portRows);

  const core: EventCore = new EventCore({ config: cfg, topology, maintenance: () => windows, ports, uplinks });
  core.load(active);
  notifier?.setEventLookup((id) => core.book.get(id));

  const configSyslog = (opts.config.syslog?.rules ?? []) as SyslogRule[];
  const configTraps = (opts.config.traps?.rules ?? defaultTrapRules) as TrapRule[];

  const loadRules = serialized(async () => {
    const stored = await store.listRules();
    const pick = <T>(kind: string) => stored.filter((r) => r.kind === kind) as unknown as T[];
    const thresholds = [...cfg.thresholds, ...pick<ThresholdRule>('threshold')];
    const correlations = [...cfg.correlations, ...pick<CorrelationRule>('correlation')];
    core.setRules(thresholds, correlations);
    core.setLogEvaluator(syslogEvaluator([...configSyslog, ...pick<StoredRule>('syslog').map(ruleBody<SyslogRule>)]));
    core.setTrapEvaluator(
      trapEvaluator(
        [...configTraps, ...pick<StoredRule>('trap').map(ruleBody<TrapRule>)],
        opts.dictionary ?? (() => undefined),
      ),
    );
  });
  await loadRules();

  let processed = 0;
  let changeCount = 0;
  let sub: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  // Write-behind: a storm updates the same events many times a second; the store gets the latest state once per interval.
  // The timed write goes in slices, yielding to the event loop between them: one SQLite transaction of thousands of
  // upserts on this thread would hold every record queued behind it for a hundred milliseconds or more. With a writer
  // thread (`opts.writeEvents`) this thread only copies each slice; the next slice goes when the last is committed.
  const pendingEvents = new Map<string, VigilEvent>();
  let pendingHistory: EventHistoryEntry[] = [];
  let persistTimer: NodeJS.Timeout | undefined;
  let slicing: NodeJS.Immediate | undefined;
  let writing: Promise<void> = Promise.resolve();
  const slice = opts.writeEvents ? PERSIST_SLICE_OFF_THREAD : PERSIST_SLICE;
  const writeEvents =
    opts.writeEvents ?? ((events: VigilEvent[], history: EventHistoryEntry[]) => store.writeEvents(events, history));
  const failed = (e: unknown) => log.error({ err: (e as Error)?.message ?? String(e) }, 'storing events failed');
  /** Sends up to `max` pending events (and as much history) to be written in one transaction, after those before. */
  function persistSome(max: number): Promise<void> | undefined {
    if (!pendingEvents.size && !pendingHistory.length) return undefined;
    const events: VigilEvent[] = [];
    for (const [id, e] of pendingEvents) {
      if (events.length >= max) break;
      events.push(e);
      pendingEvents.delete(id);
    }
    const history = pendingHistory.length <= max ? pendingHistory : pendingHistory.slice(0, max);
    pendingHistory = history === pendingHistory ? [] : pendingHistory.slice(max);
    const written = writing.then(() => writeEvents(events, history)).catch(failed);
    writing = written;
    return written;
  }
  const hasPending = () => pendingEvents.size > 0 || pendingHistory.length > 0;
  /** Writes everything pending now (operator actions, reads that must see the latest state, stop). */
  async function persist(): Promise<void> {
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = undefined;
    if (slicing) clearImmediate(slicing);
    slicing = undefined;
    persistSome(Infinity);
    await writing;
  }
  function persistSlice() {
    persistTimer = undefined;
    slicing = undefined;
    // The next slice once this one is written, after the event loop has had a turn.
    void persistSome(slice)?.then(() => {
      if (!slicing && !persistTimer && hasPending()) slicing = setImmediate(persistSlice);
    });
  }

  async function commit(changes: CoreChange[], now = false): Promise<void> {
    if (!changes.length) return;
    changeCount += changes.length;
    const dirty = new Map<string, VigilEvent>();
    for (const c of changes) {
      dirty.set(c.event.id, c.event);
      pendingEvents.set(c.event.id, c.event);
      for (const h of c.history) pendingHistory.push(h);
    }
    if (now || cfg.persistIntervalMs === 0) await persist();
    else if (!persistTimer && !slicing) {
      persistTimer = setTimeout(persistSlice, cfg.persistIntervalMs);
      persistTimer.unref?.();
    }
    if (notifier) {
      for (const c of changes) {
        if (c.change === 'suppressed') notifier.suppress(c.event.id);
        else if (c.notify) notifier.notify(c.event, c.notify);
      }
    }
    // Not awaited: the bus's backpressure counts every subscriber, this engine included, so waiting here for room
    // while our own input queue is full would deadlock. Event volume is a small fraction of the input.
    for (const e of dirty.values()) void bus.publish({ ...e });
  }

  async function process(records: BusRecord[]) {
    const changes: CoreChange[] = [];
    topology();
    for (const r of records) {
      try {
        core.process(r, changes);
      } catch (e) {
        log.warn({ kind: r.kind, err: (e as Error).message }, 'event rule evaluation failed; record skipped');
      }
    }
    processed += records.length;
    await commit(changes);
  }

  async function tick() {
    const now = clock.now();
    const changes: CoreChange[] = [];
    topology();
    core.tick(now, changes);
    await commit(changes);
    notifier?.tick();
    if (now - lastPrune > 3_600_000) {
      lastPrune = now;
      await store.pruneEvents(now - cfg.retentionDays * 86_400_000);
    }
  }

  async function operate(id: string, what: 'acknowledge' | 'unacknowledge' | 'close', actor: string, comment?: string) {
    const active = core.book.get(id);
    if (!active) {
      if (await store.getEvent(id)) throw new VigilError('VIGIL_CONFLICT', `event ${id} is already cleared`);
      throw new VigilError('VIGIL_NOT_FOUND', `no event ${id}`);
    }
    if (what === 'acknowledge' && active.state === 'acknowledged')
      throw new VigilError('VIGIL_CONFLICT', `event ${id} is already acknowledged`);
    if (what === 'unacknowledge' && active.state !== 'acknowledged')
      throw new VigilError('VIGIL_CONFLICT', `event ${id} is not acknowledged`);
    const now = clock.now();
    const changes = what === 'close' ? core.close(id, now, actor, comment) : [core[what](id, now, actor, comment)!];
    const main = changes[0];
    // An incident's acknowledgement (or close) covers its children.
    if (active.source === 'incident') {
      const note = comment ? `${comment} (with incident ${id})` : `with incident ${id}`;
      for (const child of core.incidentChildren(id)) {
        if (what === 'acknowledge' && child.state !== 'acknowledged')
          changes.push(core.acknowledge(child.id, now, actor, note)!);
        else if (what === 'unacknowledge' && child.state === 'acknowledged')
          changes.push(core.unacknowledge(child.id, now, actor, note)!);
        else if (what === 'close') changes.push(...core.close(child.id, now, actor, note));
      }
    }
    await commit(changes, true);
    return { ...main.event };
  }

  async function stored(raw: unknown): Promise<StoredRule> {
    const kind = (raw as { kind?: unknown })?.kind;
    if (kind === 'syslog' || kind === 'trap') {
      const { kind: _k, ...rest } = raw as Record<string, unknown>;
      const r = (kind === 'syslog' ? syslogRuleSchema : trapRuleSchema).safeParse(rest);
      if (!r.success) {
        const lines = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
        throw new VigilError(
          'VIGIL_RULE_INVALID',
          `rule "${String((raw as { id?: unknown }).id ?? '(no id)')}": ${lines.join('; ')}`,
          lines,
        );
      }
      return { ...(r.data as object), kind } as StoredRule;
    }
    return validateRule(raw, await storedMetrics(store, raw)) as unknown as StoredRule;
  }

  const configRules = (): ListedRule[] => [
    ...cfg.thresholds.map((r) => ({ ...r, origin: 'config' as const })),
    ...cfg.correlations.map((r) => ({ ...r, origin: 'config' as const })),
    ...configSyslog.map((r) => ({ ...(r as object), kind: 'syslog', origin: 'config' as const }) as ListedRule),
    ...configTraps.map((r) => ({ ...(r as object), kind: 'trap', origin: 'config' as const }) as ListedRule),
  ];

  const engine: EventEngine = {
    get topology() {
      return topology();
    },
    start() {
      if (sub || !cfg.enabled) return;
      sub = bus.subscribe('event-engine', (batch) => process(batch), {
        kinds: ['sample', 'device-state', 'interface-state', 'log', 'trap'],
        maxBatch: 2000,
        // Split over processors, a rebalance hands this engine devices another one watched: their open events
        // come from the store, so that the next record updates them instead of opening them a second time.
        onAssign: async () => {
          const adopted = core.adopt(await store.listActiveEvents());
          if (adopted) log.info({ adopted }, 'events: took over open events after a rebalance');
        },
      });
      timer = setInterval(
        () => void tick().catch((e) => log.error({ err: (e as Error).message }, 'event tick failed')),
        cfg.tickMs,
      );
      timer.unref?.();
    },
    async stop() {
      sub?.unsubscribe();
      sub = undefined;
      if (timer) clearInterval(timer);
      timer = undefined;
      await persist();
      notifier?.flush();
      await notifier?.idle();
    },
    process,
    async raise(signal) {
      const changes: CoreChange[] = [];
      topology();
      core.apply(signal, changes);
      await commit(changes);
      return core.book.byDedupKey(signal.dedupKey) ?? changes.find((c) => c.event.dedupKey === signal.dedupKey)?.event;
    },
    tick,
    async interfacesWithWatch(deviceId) {
      const rows = await store.listInterfaces(deviceId);
      topology();
      return rows.map((row) => ({
        ...row,
        watch: core.portVerdict(deviceId, {
          ifIndex: row.ifIndex,
          name: row.name,
          alias: row.alias,
          descr: row.descr,
          seenUp: row.seenUp,
        }),
      }));
    },
    flush: () => persist(),
    acknowledge: (id, actor, comment) => operate(id, 'acknowledge', actor, comment),
    unacknowledge: (id, actor, comment) => operate(id, 'unacknowledge', actor, comment),
    close: (id, actor, comment) => operate(id, 'close', actor, comment),
    async describe(id) {
      await persist();
      const event = core.book.get(id) ?? (await store.getEvent(id));
      if (!event) return undefined;
      const [causes, derived, children, history] = await Promise.all([
        store.getEvents(event.causes ?? []),
        store.getEvents(
          (event.partOf ?? []).concat(event.suppressed?.startsWith('correlation:') ? [event.suppressed.slice(12)] : []),
        ),
        event.source === 'incident'
          ? store.listEvents({ incidentId: id, limit: 1000 }).then((p) => p.events)
          : ([] as VigilEvent[]),
        store.eventHistory(id),
      ]);
      return {
        event: { ...event },
        history,
        causes,
        derived: [...new Map(derived.map((d) => [d.id, d])).values()],
        children,
      };
    },
    activeEvents: () => [...core.book.active()].map((e) => ({ ...e })),
    listRules: async () => [
      ...configRules(),
      ...(await store.listRules()).map((r) => ({ ...r, origin: 'api' as const })),
    ],
    getRule: async (id) => (await engine.listRules()).find((r) => r.id === id),
    validate: stored,
    async reload() {
      await Promise.all([loadRules(), loadWindows()]);
    },
    async saveRule(raw, opts) {
      const rule = await stored(raw);
      if (configRules().some((r) => r.id === rule.id))
        throw new VigilError('VIGIL_CONFLICT', `rule "${rule.id}" is defined in the config file; change it there`);
      await store.putRule(rule, clock.now(), opts);
      await loadRules();
      return rule;
    },
    async deleteRule(id) {
      if (configRules().some((r) => r.id === id))
        throw new VigilError('VIGIL_CONFLICT', `rule "${id}" is defined in the config file; remove it there`);
      const ok = await store.deleteRule(id);
      if (ok) await loadRules();
      return ok;
    },
    async dryRun(ruleOrId, hours) {
      const raw = typeof ruleOrId === 'string' ? await engine.getRule(ruleOrId) : ruleOrId;
      if (!raw) throw new VigilError('VIGIL_NOT_FOUND', `no rule ${String(ruleOrId)}`);
      const { origin: _o, ...rule } = raw as ListedRule;
      const now = clock.now();
      return dryRunRule(await stored(rule), {
        store,
        topology: topology(),
        config: cfg,
        from: now - hours * 3_600_000,
        to: now,
        dictionary: opts.dictionary?.(),
      });
    },
    async dryRunSettings(changes, hours) {
      const parsed = eventsConfigSchema.safeParse(mergeSettings(cfg, changes));
      if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `events.${i.path.map(String).join('.')}: ${i.message}`);
        throw new VigilError('VIGIL_VALIDATION', `settings: ${lines.join('; ')}`, lines);
      }
      const now = clock.now();
      const proposed = { ...parsed.data, maintenance: cfg.maintenance };
      return {
        ...(await dryRunSettings(cfg, proposed, {
          store,
          topology: topology(),
          from: now - hours * 3_600_000,
          to: now,
        })),
        settings: proposed,
      };
    },
    maintenanceWindows: () => windows,
    async saveMaintenance(raw, opts) {
      const w = validateMaintenance(raw);
      if (cfg.maintenance.some((c) => c.id === w.id))
        throw new VigilError('VIGIL_CONFLICT', `maintenance window "${w.id}" is defined in the config file`);
      await store.putMaintenance(w, opts);
      await loadWindows();
      return w;
    },
    async deleteMaintenance(id) {
      const ok = await store.deleteMaintenance(id);
      await loadWindows();
      return ok;
    },
    async stats() {
      const [thresholds, correlations] = await Promise.all([
        store.listRules('threshold'),
        store.listRules('correlation'),
      ]);
      return {
        active: core.book.size,
        processed,
        changes: changeCount,
        thresholds: cfg.thresholds.length + thresholds.length,
        correlations: cfg.correlations.length + correlations.length,
      };
    },
  };
  return engine;
}
