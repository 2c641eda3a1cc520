/**
 * One discovery job: the sweep, the SNMP trials (started as soon as an address answers, while the sweep goes on), the
 * neighbours followed, and the rules applied to each device found. Reports progress as it goes; cancellable.
 */
import { randomUUID } from 'node:crypto';
import type { SnmpSession } from '../collectors/snmp/session-types.ts';
import type { ProductDictionary } from '../mib/enterprises.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import { isVigilError } from '../model/errors.ts';
import type { DiscoveryConfig, DiscoveryJobSpec } from './config.ts';
import type { Decision } from '../model/discovery.ts';
import { IdentityIndex, identityOf, type KnownIdentity } from './identity.ts';
import type { FoundDevice, JobProgress } from '../model/discovery.ts';
import { type Credential, probeAddress } from './probe.ts';
import { compileRules } from './rules.ts';
import { sweep } from './sweep.ts';
import { inRanges, parseRange, planTargets, type Range4, type TargetPlan } from './targets.ts';

export interface JobDeps {
  config: DiscoveryConfig;
  fpingPath: string;
  devices(): Device[];
  profiles(): Record<string, SnmpCredentials>;
  /** Adds a device made from a find; resolves with its id. */
  addDevice(found: FoundDevice, decision: Decision): Promise<string>;
  /** Identities of the devices already in the inventory (addresses, sysName, MACs, engine IDs). */
  knownIdentities(): Promise<KnownIdentity[]>;
  openSession(address: string, creds: SnmpCredentials): SnmpSession;
  dictionary?(): ProductDictionary | undefined;
  now(): number;
}

/** The credentials a job tries, in order: the named profiles as given, else every profile with SNMPv3 ones first. */
export function jobCredentials(spec: DiscoveryJobSpec, profiles: Record<string, SnmpCredentials>): Credential[] {
  const names =
    spec.profiles ??
    Object.keys(profiles).sort((a, b) => {
      const v3 = (n: string) => (profiles[n].version === 'v3' ? 0 : 1);
      return v3(a) - v3(b) || (a < b ? -1 : 1);
    });
  return names.map((name) => ({ name, creds: profiles[name] })).filter((c) => c.creds);
}

/** The ranges neighbours may be followed into: the allowed ranges when set, else the job's own targets. */
export function followScope(plan: TargetPlan, config: DiscoveryConfig): Range4[] {
  return config.allowedRanges.length
    ? config.allowedRanges.map((r, i) => parseRange(r, `discovery.allowedRanges[${i}]`, true))
    : plan.scope;
}

export type { FoundDevice, JobProgress } from '../model/discovery.ts';

export interface RunningJob {
  progress: JobProgress;
  found: FoundDevice[];
  done: Promise<void>;
  cancel(): void;
}

/**
 * Starts a job (validated: planTargets throws VIGIL_VALIDATION before anything is sent). `onChange` is called after
 * each step so that a caller can publish progress.
 */
export function startJob(spec: DiscoveryJobSpec, by: string, deps: JobDeps, onChange?: () => void): RunningJob {
  const { config } = deps;
  const plan = planTargets(spec.targets, spec.exclude, {
    maxAddresses: config.maxAddresses,
    allowed: config.allowedRanges,
  });
  const excludes = spec.exclude.map((e, i) => parseRange(e, `exclude[${i}]`, true));
  const scope = followScope(plan, config);
  const credentials = jobCredentials(spec, deps.profiles());
  const rules = compileRules([...spec.rules, ...config.rules], spec.defaultAction ?? config.defaultAction);
  const controller = new AbortController();
  const signal = controller.signal;
  const progress: JobProgress = {
    id: randomUUID(),
    ...(spec.name ? { name: spec.name } : {}),
    spec,
    state: 'running',
    phase: spec.ping ? 'sweep' : 'snmp',
    startedTs: deps.now(),
    by,
    addresses: plan.addresses.length + plan.ipv6.length,
    excluded: plan.excluded,
    swept: 0,
    responders: 0,
    probed: 0,
    snmpAnswers: 0,
    followed: 0,
    added: 0,
    listed: 0,
    known: 0,
    ignored: 0,
  };
  const found: FoundDevice[] = [];
  const changed = () => onChange?.();

  const done = (async () => {
    const known = new IdentityIndex(await deps.knownIdentities());
    const mine = new IdentityIndex();
    const visited = new Set<string>();
    const queue: { address: string; hop: number }[] = [];
    let active = 0;
    // Idle workers wait here: an address queued wakes one of them, the end of the work wakes them all.
    const idle: (() => void)[] = [];
    const kickOne = () => idle.shift()?.();
    const kick = () => {
      for (const w of idle.splice(0)) w();
    };

    const enqueue = (address: string, hop: number) => {
      if (visited.has(address)) return;
      visited.add(address);
      queue.push({ address, hop });
      kickOne();
    };

    const handle = async (address: string, hop: number) => {
      const result = await probeAddress(address, credentials, deps.openSession, {
        follow: hop < spec.depth,
        dictionary: deps.dictionary?.(),
        signal,
      }).catch((e) => {
        if (isVigilError(e)) return undefined;
        throw e;
      });
      progress.probed++;
      if (!result || signal.aborted) return changed();
      progress.snmpAnswers++;
      const base = { ...result, id: randomUUID(), jobId: progress.id, ts: deps.now(), hop };
      for (const n of result.neighbourAddresses)
        if (inRanges(n, scope) && !inRanges(n, excludes) && !visited.has(n)) {
          progress.followed++;
          enqueue(n, hop + 1);
        }
      const twin = mine.match(result);
      if (twin) {
        found.push({ ...base, action: 'list', status: 'duplicate', deviceId: twin.id, matchedBy: twin.reason });
        return changed();
      }
      const existing = known.match(result);
      if (existing) {
        progress.known++;
        mine.add(identityOf(existing.id, result));
        found.push({ ...base, action: 'list', status: 'known', deviceId: existing.id, matchedBy: existing.reason });
        return changed();
      }
      const decision = rules.decide(result);
      const f: FoundDevice = {
        ...base,
        action: decision.action,
        ...(decision.rule ? { rule: decision.rule } : {}),
        status: decision.action === 'add' ? 'added' : decision.action === 'list' ? 'listed' : 'ignored',
      };
      mine.add(identityOf(f.id, result));
      if (decision.action === 'add') {
        f.deviceId = await deps.addDevice(f, decision);
        known.add({ ...identityOf(f.deviceId, result) });
        progress.added++;
      } else if (decision.action === 'list') {
        f.decision = decision;
        progress.listed++;
      } else progress.ignored++;
      found.push(f);
      changed();
    };

    let sweepDone = !spec.ping;
    const sweeping = spec.ping
      ? sweep(plan.addresses, {
          fpingPath: deps.fpingPath,
          ...config.ping,
          signal,
          onAlive: (ip) => {
            progress.responders++;
            enqueue(ip, 0);
            changed();
          },
        }).finally(() => {
          sweepDone = true;
          progress.swept = plan.addresses.length;
          progress.phase = 'snmp';
          changed();
          kick();
        })
      : Promise.resolve(new Set<string>());
    if (!spec.ping) {
      for (const a of plan.addresses) enqueue(a, 0);
      progress.responders = plan.addresses.length;
      progress.swept = plan.addresses.length;
    }
    for (const a of plan.ipv6) enqueue(a, 0);
    sweeping.catch(() => kick());

    const workers: Promise<void>[] = [];
    let failure: unknown;
    const worker = async () => {
      while (!signal.aborted) {
        const next = queue.shift();
        if (!next) {
          if (sweepDone && active === 0) return kick();
          await new Promise<void>((r) => idle.push(r));
          continue;
        }
        active++;
        try {
          await handle(next.address, next.hop);
        } catch (e) {
          failure ??= e;
          controller.abort();
        } finally {
          active--;
          if (sweepDone && active === 0 && !queue.length) kick();
        }
      }
      kick();
    };
    for (let i = 0; i < config.concurrency; i++) workers.push(worker());
    const swept = await sweeping.then(
      () => undefined,
      (e: unknown) => e,
    );
    await Promise.all(workers);
    progress.phase = 'done';
    progress.finishedTs = deps.now();
    if (failure || (swept && !signal.aborted)) {
      progress.state = 'failed';
      const e = failure ?? swept;
      progress.error = e instanceof Error ? e.message : String(e);
    } else progress.state = signal.aborted ? 'cancelled' : 'done';
    changed();
  })().catch((e: unknown) => {
    progress.state = 'failed';
    progress.phase = 'done';
    progress.error = e instanceof Error ? e.message : String(e);
    progress.finishedTs = deps.now();
    changed();
  });

  return { progress, found, done, cancel: () => controller.abort() };
}
