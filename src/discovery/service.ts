/**
 * Discovery jobs as the running program keeps them: started on demand or on a schedule, a few at once, their progress
 * in memory while they run and in the store afterwards; devices found but not added listed for one-click adding.
 */
import type { SnmpSession } from '../collectors/snmp/session-types.ts';
import type { ProductDictionary } from '../mib/enterprises.ts';
import type { Clock } from '../model/clock.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import { VigilError } from '../model/errors.ts';
import type { Logger } from '../model/logger.ts';
import { TOPOLOGY_SNAPSHOT_PREFIX } from '../model/topology.ts';
import type { Store } from '../store/types.ts';
import { slugify, uniqueId } from '../model/ids.ts';
import type { DiscoveryConfig, DiscoveryJobSpec } from './config.ts';
import type { KnownIdentity } from './identity.ts';
import { type FoundDevice, type JobProgress, type RunningJob, startJob } from './job.ts';
import type { Decision } from './rules.ts';

export const JOBS_KEY = 'discovery.jobs';
export const FOUND_KEY = 'discovery.found';
export const IDENTITIES_KEY = 'discovery.identities';
export const jobFoundKey = (id: string) => `discovery.job.${id}`;
const KEEP_JOBS = 50;
const KEEP_FOUND_PER_JOB = 5000;
const MAX_RUNNING = 4;

export interface DiscoveryServiceOptions {
  config: DiscoveryConfig;
  store: Pick<Store, 'getKv' | 'setKv' | 'listKv' | 'transaction' | 'listDevices'>;
  clock: Clock;
  log: Logger;
  fpingPath: string;
  defaultPollIntervalS: number;
  devices(): Device[];
  profiles(): Record<string, SnmpCredentials>;
  /** Makes the inventory see devices just stored. */
  refreshInventory(): Promise<void>;
  openSession(address: string, creds: SnmpCredentials): SnmpSession;
  dictionary?(): ProductDictionary | undefined;
}

export interface AddOverrides {
  name?: string;
  group?: string;
  tags?: string[];
  profile?: string;
}

export interface DiscoveryService {
  start(): void;
  stop(): Promise<void>;
  /** Starts a job; throws VIGIL_VALIDATION for bad targets or unknown profiles, before anything is sent. */
  submit(spec: DiscoveryJobSpec, by: string): JobProgress;
  jobs(): Promise<JobProgress[]>;
  job(id: string): Promise<{ progress: JobProgress; found: FoundDevice[] } | undefined>;
  /** Resolves when the job has ended (tests, the CLI). */
  wait(id: string): Promise<JobProgress | undefined>;
  cancel(id: string): boolean;
  /** Devices found and listed, not (yet) added. */
  found(): Promise<FoundDevice[]>;
  addFound(id: string, overrides?: AddOverrides): Promise<Device>;
  dismissFound(id: string): Promise<boolean>;
}

/** The device a find becomes. */
function deviceFor(f: FoundDevice, d: Decision & AddOverrides, id: string, pollIntervalS: number): Device {
  const name = d.name ?? (f.sysName ? f.sysName.split('.')[0] : f.address);
  return {
    id,
    name,
    address: f.address,
    tags: d.tags ?? [],
    ...(d.group ? { group: d.group } : {}),
    icmp: { enabled: true },
    pollIntervalS: d.pollIntervalS ?? pollIntervalS,
    snmpProfile: d.profile ?? f.profile,
    origin: 'api',
  };
}

export function createDiscoveryService(opts: DiscoveryServiceOptions): DiscoveryService {
  const { store, clock, log, config } = opts;
  const running = new Map<string, RunningJob>();
  const timers: NodeJS.Timeout[] = [];

  // A job adding hundreds of devices refreshes the inventory at most once a second (and once at its end), not once
  // per device: each refresh re-reads every device.
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      void opts.refreshInventory().catch((e) => log.warn({ err: (e as Error).message }, 'inventory refresh failed'));
    }, 1000);
  };

  async function addDevice(f: FoundDevice, d: Decision & AddOverrides, refresh = true): Promise<Device> {
    const device = await store.transaction(async (tx) => {
      const ids = new Set((await tx.listDevices()).map((x) => x.id));
      const made = deviceFor(f, d, '', opts.defaultPollIntervalS);
      made.id = uniqueId(slugify(made.name), (c) => ids.has(c));
      await tx.putDevice(made);
      const idents = (await tx.getKv<Record<string, KnownIdentity>>(IDENTITIES_KEY)) ?? {};
      idents[made.id] = {
        id: made.id,
        addresses: [f.address],
        ...(f.sysName ? { sysName: f.sysName } : {}),
        macs: f.chassisMac ? [f.chassisMac] : [],
        ...(f.engineId ? { engineId: f.engineId } : {}),
      };
      await tx.setKv(IDENTITIES_KEY, idents);
      return made;
    });
    if (refresh) await opts.refreshInventory();
    else refreshSoon();
    return device;
  }

  async function knownIdentities(): Promise<KnownIdentity[]> {
    const idents = (await store.getKv<Record<string, KnownIdentity>>(IDENTITIES_KEY)) ?? {};
    const snaps = new Map<string, { sysName?: string; macs: string[]; addresses: string[] }>();
    for (const { key, value } of await store.listKv(TOPOLOGY_SNAPSHOT_PREFIX)) {
      const s = (value as { snapshot?: Record<string, unknown> })?.snapshot as
        | {
            sysName?: string;
            chassisMacs?: string[];
            interfaces?: { ifPhysAddress?: string }[];
            managementAddresses?: string[];
          }
        | undefined;
      if (!s) continue;
      snaps.set(key.slice(TOPOLOGY_SNAPSHOT_PREFIX.length), {
        ...(s.sysName ? { sysName: s.sysName } : {}),
        macs: [
          ...(s.chassisMacs ?? []),
          ...(s.interfaces ?? []).flatMap((i) => (i.ifPhysAddress ? [i.ifPhysAddress] : [])),
        ],
        addresses: s.managementAddresses ?? [],
      });
    }
    return opts.devices().map((d) => {
      const i = idents[d.id];
      const s = snaps.get(d.id);
      return {
        id: d.id,
        addresses: [d.address, ...(i?.addresses ?? []), ...(s?.addresses ?? [])],
        ...((i?.sysName ?? s?.sysName) ? { sysName: i?.sysName ?? s?.sysName } : {}),
        macs: [...(i?.macs ?? []), ...(s?.macs ?? [])],
        ...(i?.engineId ? { engineId: i.engineId } : {}),
      };
    });
  }

  async function persist(job: RunningJob): Promise<void> {
    const { progress, found } = job;
    await store.transaction(async (tx) => {
      const list = ((await tx.getKv<JobProgress[]>(JOBS_KEY)) ?? []).filter((j) => j.id !== progress.id);
      list.push(progress);
      await tx.setKv(JOBS_KEY, list.slice(-KEEP_JOBS));
      for (const old of list.slice(0, -KEEP_JOBS)) await tx.setKv(jobFoundKey(old.id), []);
      await tx.setKv(jobFoundKey(progress.id), found.slice(0, KEEP_FOUND_PER_JOB));
      const listed = found.filter((f) => f.status === 'listed');
      if (listed.length) {
        const addrs = new Set(listed.map((f) => f.address));
        const kept = ((await tx.getKv<FoundDevice[]>(FOUND_KEY)) ?? []).filter((f) => !addrs.has(f.address));
        await tx.setKv(FOUND_KEY, [...kept, ...listed].slice(-KEEP_FOUND_PER_JOB));
      }
    });
  }

  function submit(spec: DiscoveryJobSpec, by: string): JobProgress {
    if ([...running.values()].filter((j) => j.progress.state === 'running').length >= MAX_RUNNING)
      throw new VigilError('VIGIL_TOO_MANY_REQUESTS', `${MAX_RUNNING} discovery jobs are running; wait for one to end`);
    const profiles = opts.profiles();
    const unknown = (spec.profiles ?? []).filter((p) => !profiles[p]);
    if (unknown.length)
      throw new VigilError(
        'VIGIL_VALIDATION',
        `profiles: no credential profile named ${unknown.map((u) => `"${u}"`).join(', ')}`,
      );
    if (!Object.keys(profiles).length)
      throw new VigilError(
        'VIGIL_VALIDATION',
        'profiles: no credential profile exists; add one (Settings → Credentials) first',
      );
    const job = startJob(spec, by, {
      config,
      fpingPath: opts.fpingPath,
      devices: opts.devices,
      profiles: opts.profiles,
      addDevice: async (f, d) => (await addDevice(f, d, false)).id,
      knownIdentities,
      openSession: opts.openSession,
      dictionary: opts.dictionary,
      now: () => clock.now(),
    });
    running.set(job.progress.id, job);
    log.info(
      { job: job.progress.id, targets: spec.targets.length, addresses: job.progress.addresses, by },
      'discovery job started',
    );
    void job.done.then(async () => {
      try {
        if (job.progress.added) await opts.refreshInventory();
        await persist(job);
      } catch (e) {
        log.warn({ job: job.progress.id, err: (e as Error).message }, 'discovery job results could not be stored');
      }
      const p = job.progress;
      log.info(
        {
          job: p.id,
          state: p.state,
          responders: p.responders,
          snmp: p.snmpAnswers,
          added: p.added,
          listed: p.listed,
          known: p.known,
        },
        'discovery job ended',
      );
      // Kept a while for whoever is watching it, then the store answers.
      setTimeout(() => running.delete(p.id), 60_000).unref();
    });
    return job.progress;
  }

  return {
    start() {
      config.schedule.forEach((s, i) => {
        const { everyH, ...spec } = s;
        const run = () => {
          try {
            submit(spec, 'schedule');
          } catch (e) {
            log.warn({ schedule: s.name, err: (e as Error).message }, 'scheduled discovery job not started');
          }
        };
        const first = setTimeout(run, 60_000 + i * 1000);
        first.unref();
        const every = setInterval(run, everyH * 3_600_000);
        every.unref();
        timers.push(first, every);
      });
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      if (refreshTimer) clearTimeout(refreshTimer);
      for (const j of running.values()) j.cancel();
      await Promise.allSettled([...running.values()].map((j) => j.done));
    },
    submit,
    async jobs() {
      const stored = (await store.getKv<JobProgress[]>(JOBS_KEY)) ?? [];
      const live = [...running.values()].map((j) => j.progress);
      const ids = new Set(live.map((j) => j.id));
      return [...live, ...stored.filter((j) => !ids.has(j.id))].sort((a, b) => b.startedTs - a.startedTs);
    },
    async job(id) {
      const live = running.get(id);
      if (live) return { progress: live.progress, found: live.found };
      const progress = ((await store.getKv<JobProgress[]>(JOBS_KEY)) ?? []).find((j) => j.id === id);
      if (!progress) return undefined;
      return { progress, found: (await store.getKv<FoundDevice[]>(jobFoundKey(id))) ?? [] };
    },
    async wait(id) {
      const live = running.get(id);
      if (live) {
        await live.done;
        return live.progress;
      }
      return ((await store.getKv<JobProgress[]>(JOBS_KEY)) ?? []).find((j) => j.id === id);
    },
    cancel(id) {
      const live = running.get(id);
      if (live?.progress.state !== 'running') return false;
      live.cancel();
      return true;
    },
    found: async () => (await store.getKv<FoundDevice[]>(FOUND_KEY)) ?? [],
    async addFound(id, overrides = {}) {
      const f = ((await store.getKv<FoundDevice[]>(FOUND_KEY)) ?? []).find((x) => x.id === id);
      if (!f) throw new VigilError('VIGIL_NOT_FOUND', `no found device ${id}`);
      if (overrides.profile && !opts.profiles()[overrides.profile])
        throw new VigilError('VIGIL_VALIDATION', `profile: no credential profile named "${overrides.profile}"`);
      const existing = opts.devices().find((d) => d.address.toLowerCase() === f.address.toLowerCase());
      if (existing) throw new VigilError('VIGIL_CONFLICT', `${f.address} is already device "${existing.id}"`);
      const device = await addDevice(f, { ...(f.decision ?? { action: 'add', tags: [] }), ...overrides });
      await store.transaction(async (tx) =>
        tx.setKv(
          FOUND_KEY,
          ((await tx.getKv<FoundDevice[]>(FOUND_KEY)) ?? []).filter((x) => x.id !== id),
        ),
      );
      return device;
    },
    async dismissFound(id) {
      return store.transaction(async (tx) => {
        const all = (await tx.getKv<FoundDevice[]>(FOUND_KEY)) ?? [];
        const rest = all.filter((x) => x.id !== id);
        if (rest.length === all.length) return false;
        await tx.setKv(FOUND_KEY, rest);
        return true;
      });
    },
  };
}
