import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import type { Services } from './api/context.ts';
import { buildApi } from './api/server.ts';
import { sessionResolver } from './api/sessions.ts';
import { registerWebUi } from './api/static.ts';
import { createMemoryBus } from './bus/memory.ts';
import { openBus } from './bus/open.ts';
import { defaultNodeId, partsOf } from './config/cluster.ts';
import type { Bus } from './bus/types.ts';
import { collectors, type CollectorDeps, type CollectorEntry } from './collectors/registry.ts';
import { runPolled } from './collectors/runner.ts';
import type { CollectorContext, ListeningCollector, PolledCollector } from './collectors/types.ts';
import { listenError } from './model/listen-error.ts';
import type { VigilConfig } from './config/schema.ts';
import { openSnmpSession } from './collectors/snmp/session.ts';
import { createInventory, type Inventory } from './inventory/index.ts';
import { probeLocalAgent } from './inventory/probe-local.ts';
import { createLogger } from './logging.ts';
import { createEventEngine } from './events/engine.ts';
import { createMibService, type LoadedDictionary } from './mib/service.ts';
import { createNotifier } from './notify/notifier.ts';
import { type Clock, systemClock } from './model/clock.ts';
import type { Logger } from './model/logger.ts';
import { openStore } from './store/open.ts';
import { startHeartbeat } from './cluster/heartbeat.ts';
import { VIGIL_VERSION } from './model/version.ts';
import { startStoreWriter } from './store/writer.ts';
import type { Store } from './store/types.ts';
import { createTopologyService, type TopologyService } from './topology/service.ts';
import { openDiscovery } from './discovery/open.ts';
import { createWirelessService } from './wireless/service.ts';
import type { Device } from './model/device.ts';

export interface VigilHandle {
  config: VigilConfig;
  store: Store;
  bus: Bus;
  inventory: Inventory;
  app: FastifyInstance;
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:8080 */
  url: string;
  /** The running parts the API reads (inventory, MIB dictionary, event engine, notifier). */
  services: Services;
  /** What `GET /api/v1/stats/runtime` answers: each collector's and the bus's counters. */
  runtimeStats(): Record<string, unknown>;
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

/**
 * The composition root: builds every part from the config, wires them, and owns start and stop.
 * @example const vigil = await startVigil(loadConfig(undefined)); … await vigil.stop();
 */
export async function startVigil(
  config: VigilConfig,
  opts: { log?: Logger; clock?: Clock; webDistDir?: string } = {},
): Promise<VigilHandle> {
  const log = opts.log ?? createLogger(config.log.level);
  const clock = opts.clock ?? systemClock;
  const store = await openStore(config);
  const parts = partsOf(config.node.roles);
  const nodeId = config.node.id ?? defaultNodeId(config.http.port);
  let bus: Bus;
  try {
    bus = await openBus(config.bus, nodeId, log, config.dataDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  const localSnmp =
    config.snmp.enabled && config.snmp.probeLocalAgent && config.icmp.monitorLocalhost
      ? await probeLocalAgent(openSnmpSession)
      : undefined;
  const inventory = await createInventory(store, config, log, { localSnmp });
  const stoppables: Stoppable[] = [];
  const stats: Record<string, () => unknown> = {};
  // The MIB dictionary now serving: replaced when a compile finishes; every reader asks for it when it needs it.
  let dictionary: LoadedDictionary | undefined;

  // A node that is not a processor keeps a writer for the API's event writes (acknowledgements), fed no records.
  const writer = startStoreWriter(parts.processors ? bus : createMemoryBus(), store, {
    ownWriter: config.store.writerThread,
    onError: (error) =>
      log.error(
        { err: (error as Error)?.message },
        'store writer: a write could not be committed; its records are lost',
      ),
    // Once at the first failure, then every ~5 min of the same outage (the pause between attempts grows to 5 s).
    onRetry: (error, attempt) => {
      if (attempt === 1 || attempt % 60 === 0)
        log.warn(
          { err: (error as Error)?.message, attempt },
          'store writer: store unavailable; holding records and retrying',
        );
    },
  });
  // The dictionary opens from its cache, or compiles in a process of its own (a collection too big for its limits
  // fails alone); until a compile is done the previous dictionary, or the built-in MIBs, answer.
  const mib = createMibService({
    load: {
      dirs: config.mib.dirs,
      includeSystemMibs: config.mib.includeSystemMibs,
      excludeBuiltin: config.mib.excludeBuiltin,
      dataDir: config.dataDir,
    },
    limits: config.mib.compile,
    rescanS: config.mib.rescanS,
    log: log.child({ part: 'mib' }),
    onDictionary: (loaded) => {
      dictionary = loaded;
    },
  });
  const mibLoad = mib
    .start()
    .catch((error: unknown) => log.error({ err: (error as Error).message }, 'MIB dictionary failed to load'));
  stoppables.push(mib);
  const notifier = await createNotifier({
    store,
    clock,
    log: log.child({ part: 'notify' }),
    config: config.notify,
    device: (id) => inventory.get(id),
  });
  // The event engine's devices, with parents derived from the learned links where none is set by hand. The same
  // list is returned while neither changes (the engine rebuilds its dependency tree when the list changes).
  let derived: { list?: Device[]; parents?: ReadonlyMap<string, string>; out: Device[] } = { out: [] };
  const withDerivedParents = (list: Device[]): Device[] => {
    const parents = topology?.parents() ?? new Map<string, string>();
    if (derived.list === list && derived.parents === parents) return derived.out;
    const out = parents.size
      ? list.map((d) => (d.parentId || !parents.has(d.id) ? d : { ...d, parentId: parents.get(d.id) }))
      : list;
    derived = { list, parents, out };
    return out;
  };
  let topology: TopologyService | undefined;
  const events = await createEventEngine({
    store,
    bus,
    clock,
    log: log.child({ part: 'events' }),
    config,
    devices: () => withDerivedParents(inventory.devices()),
    dictionary: () => dictionary,
    notifier,
    writeEvents: (events, history) => writer.writeEvents(events, history),
  });
  // Any node answers for rules and events through the API; only processors run the engine on records.
  if (parts.processors) events.start();
  stoppables.push(events);
  const topoConfig = config.snmp.topology;
  topology = createTopologyService({
    store,
    bus,
    clock,
    log: log.child({ part: 'topology' }),
    devices: () => inventory.devices(),
    raise: (signal) => events.raise(signal),
    lostSeverity: topoConfig.linkLostSeverity,
    changedSeverity: topoConfig.linkChangedSeverity,
    root: topoConfig.root,
  });
  const wireless = createWirelessService({
    store,
    bus,
    log: log.child({ part: 'wireless' }),
    raise: (signal) => events.raise(signal),
    severity: config.snmp.wireless.apDownSeverity,
  });
  if (parts.processors) wireless.start();
  stoppables.push(wireless);
  const topo = topology;
  if (parts.processors) await topo.start();
  stoppables.push(topo);
  stats.topology = () => topo.stats();
  const discovery = openDiscovery({
    config: config.discovery,
    fpingPath: config.icmp.fpingPath,
    pollIntervalS: config.snmp.intervalS,
    store,
    clock,
    log: log.child({ part: 'discovery' }),
    inventory,
    dictionary: () => dictionary,
  });
  if (parts.collectors) discovery.start();
  stoppables.push(discovery);
  const services: Services = {
    topology: topo,
    discovery,
    wireless,
    inventory,
    get mib() {
      return dictionary;
    },
    mibStatus: () => mib.status(),
    events,
    notifier,
  };

  // A collector polls the devices of its site only (one process, or no site set anywhere: all of them).
  const site = config.node.site;
  const ofSite = (d: { site?: string }) => (d.site ?? 'default') === site;
  const ctx: CollectorContext = {
    bus,
    clock,
    log,
    devices: () => (config.node.roles.includes('all') ? inventory.devices() : inventory.devices().filter(ofSite)),
    deviceByAddress: (a) => inventory.deviceByAddress(a),
  };
  const emit = (r: Parameters<Bus['publish']>[0]) => bus.publish(r);

  const polled: { collector: PolledCollector; intervalS: number }[] = [];
  const listening: ListeningCollector[] = [];
  const collectorDeps: CollectorDeps = { ctx, config, engineState: store, dictionary: () => dictionary };
  for (const entry of Object.values(collectors) as CollectorEntry[]) {
    if (!parts.collectors || !entry.enabled(config)) continue;
    if (entry.kind === 'polled')
      polled.push({ collector: entry.create(collectorDeps), intervalS: entry.intervalS(config) });
    else listening.push(entry.create(collectorDeps));
  }

  try {
    for (const l of listening) {
      await l.start(emit);
      stoppables.push(l);
      stats[l.name] = () => l.stats?.();
    }
    for (const { collector, intervalS } of polled) {
      const runner = runPolled(collector, emit, {
        intervalMs: intervalS * 1000,
        log: log.child({ collector: collector.name }),
      });
      runner.start();
      stoppables.push(runner);
      stats[collector.name] = () => ({ runner: runner.stats, ...collector.stats?.() });
    }
  } catch (error) {
    for (const s of stoppables.reverse()) await s.stop();
    await bus.close();
    await writer.close();
    await store.close();
    throw error;
  }

  // One pass at a time: a pass slower than the interval is not started again beside itself.
  let maintaining = false;
  const maintenance = setInterval(async () => {
    if (maintaining || !parts.processors) return;
    maintaining = true;
    try {
      await store.maintain(clock.now(), config.store.retentionDays);
      await store.purgeSessions(clock.now());
      await store.maintainLogs(clock.now(), config.syslog.retention);
      // Traps were kept forever: nothing called their prune.
      await store.pruneTraps(clock.now() - config.traps.retentionDays * 86_400_000);
      // Batch ids are kept a day past a week, Kafka's usual retention: no older batch can be delivered again.
      await store.pruneBatches(clock.now() - 8 * 86_400_000);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'store maintenance failed');
    } finally {
      maintaining = false;
    }
  }, config.store.maintenanceIntervalS * 1000);
  maintenance.unref();

  stats.node = () => ({ id: nodeId, roles: config.node.roles, site: config.node.site, bus: config.bus.kind });
  const kafkaStats = (bus as { kafkaStats?: () => unknown }).kafkaStats;
  if (kafkaStats) stats.kafka = () => kafkaStats();
  // Split over several processes, devices added through another node's API reach this one from the store, and rules
  // and maintenance windows reach its event engine. One process sees its own changes at once: no timer.
  const refresher = config.node.roles.includes('all')
    ? undefined
    : setInterval(() => {
        void inventory.refresh().catch((e) => log.warn({ err: (e as Error).message }, 'inventory refresh failed'));
        if (parts.processors)
          void events.reload().catch((e) => log.warn({ err: (e as Error).message }, 'rules reload failed'));
      }, config.node.refreshS * 1000);
  refresher?.unref();
  const runtimeStats = () => Object.fromEntries(Object.entries(stats).map(([k, f]) => [k, f()]));
  const app = await buildApi(
    {
      store,
      bus,
      config,
      clock,
      log,
      services,
      runtimeStats,
    },
    { resolvers: [sessionResolver(store, clock)] },
  );
  registerWebUi(app, { distDir: opts.webDistDir ?? fileURLToPath(new URL('../web/dist', import.meta.url)) });
  let url: string;
  try {
    url = await app.listen({ port: config.http.port, host: config.http.host });
  } catch (error) {
    for (const s of stoppables.reverse()) await s.stop();
    await bus.close();
    await writer.close();
    await store.close();
    throw listenError(['http', 'port'], config.http.port, error as NodeJS.ErrnoException);
  }
  const address = app.server.address();
  if (address && typeof address === 'object') {
    const host =
      address.family === 'IPv6'
        ? `[${address.address === '::' ? '::1' : address.address}]`
        : address.address === '0.0.0.0'
          ? '127.0.0.1'
          : address.address;
    url = `${config.http.tls ? 'https' : 'http'}://${host}:${address.port}`;
  }
  log.info({ url, dataDir: config.dataDir, devices: inventory.devices().length }, 'vigil started');
  const startedTs = Date.now();
  const heartbeat = startHeartbeat({
    store,
    intervalMs: config.node.heartbeatS * 1000,
    log,
    report: () => {
      const k = kafkaStats?.() as
        | { producer?: { pending: number; spool?: { records: number } }; groups?: Record<string, { lag: number }> }
        | undefined;
      return {
        id: nodeId,
        roles: config.node.roles,
        site: config.node.site,
        version: VIGIL_VERSION,
        url,
        startedTs,
        lag: k?.groups ? Object.values(k.groups).reduce((a, g) => a + g.lag, 0) : undefined,
        pending: k?.producer?.pending,
        spooled: k?.producer?.spool?.records,
      };
    },
  });

  let stopped = false;
  return {
    config,
    store,
    bus,
    inventory,
    app,
    url,
    services,
    runtimeStats,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(maintenance);
      await heartbeat.stop();
      await mibLoad;
      await app.close();
      for (const s of stoppables.reverse()) await s.stop();
      // A store down at stop gets 15 s to come back; then what is still queued is reported lost.
      writer.finishWithin(15_000);
      // The memory bus holds records only here: they are written before the end. Kafka keeps what was not
      // committed, for the next processor: its consumers stop after their batch, its producer sends what it holds.
      if (config.bus.kind === 'memory') await bus.drain();
      clearInterval(refresher);
      await bus.close();
      await writer.close();
      await store.close();
      log.info({}, 'vigil stopped');
    },
  };
}
