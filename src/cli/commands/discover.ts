import { loadConfig } from '../../config/load.ts';
import { discoveryJobSpecSchema, type DiscoveryJobSpec } from '../../discovery/config.ts';
import type { FoundDevice, JobProgress } from '../../discovery/job.ts';
import { openDiscovery } from '../../discovery/open.ts';
import { foundTable, progressLine } from '../../discovery/report.ts';
import { formatIssues } from '../../config/load.ts';
import { createInventory } from '../../inventory/index.ts';
import { systemClock } from '../../model/clock.ts';
import { VigilError } from '../../model/errors.ts';
import { silentLogger } from '../../model/logger.ts';
import { openStore } from '../../store/open.ts';
import type { CommandModule } from './types.ts';

interface DiscoverOptions {
  config?: string;
  exclude?: string[];
  profile?: string[];
  depth: string;
  ping: boolean;
  add?: boolean;
  server?: string;
  json?: boolean;
}

/** Draws progress on stderr: redrawn in place on a terminal, a line per phase change (and every 5 s) otherwise. */
function progressWriter() {
  const tty = process.stderr.isTTY;
  let last = 0;
  let lastPhase = '';
  return {
    draw(p: JobProgress) {
      const now = Date.now();
      if (tty) {
        if (now - last > 100) process.stderr.write(`\r${progressLine(p)}`);
      } else if (p.phase !== lastPhase || now - last > 5000) process.stderr.write(`${progressLine(p)}\n`);
      else return;
      last = now;
      lastPhase = p.phase;
    },
    end(p: JobProgress) {
      process.stderr.write(`${tty ? '\r' : ''}${progressLine(p)}\n`);
    },
  };
}

/** Runs the job in this process, on the config's store and credential profiles. */
async function runHere(spec: DiscoveryJobSpec, opts: DiscoverOptions) {
  const config = loadConfig(opts.config ?? process.env.VIGIL_CONFIG);
  const store = await openStore(config);
  try {
    const inventory = await createInventory(store, config, silentLogger);
    const discovery = openDiscovery({
      config: config.discovery,
      fpingPath: config.icmp.fpingPath,
      pollIntervalS: config.snmp.intervalS,
      store,
      clock: systemClock,
      log: silentLogger,
      inventory,
    });
    const progress = discovery.submit(spec, 'cli');
    const out = progressWriter();
    const timer = setInterval(() => out.draw(progress), 200);
    const cancel = () => discovery.cancel(progress.id);
    process.once('SIGINT', cancel);
    try {
      await discovery.wait(progress.id);
    } finally {
      clearInterval(timer);
      process.off('SIGINT', cancel);
    }
    out.end(progress);
    const job = await discovery.job(progress.id);
    return { progress, found: job?.found ?? [] };
  } finally {
    await store.close();
  }
}

/** Runs the job on a running Vigil through its API (token in VIGIL_TOKEN). */
async function runOnServer(spec: DiscoveryJobSpec, server: string) {
  const token = process.env.VIGIL_TOKEN;
  if (!token)
    throw new VigilError('VIGIL_BAD_REQUEST', 'set VIGIL_TOKEN to an API token (vigil token create) to use --server');
  const base = `${server.replace(/\/+$/, '')}/api/v1`;
  const call = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(base + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    const body = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    if (!r.ok)
      throw new VigilError('VIGIL_BAD_REQUEST', `${server}: ${r.status} ${String(body.message ?? body.error ?? '')}`);
    return body;
  };
  let progress = (await call('/discovery/jobs', {
    method: 'POST',
    body: JSON.stringify(spec),
  })) as unknown as JobProgress;
  const out = progressWriter();
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    void call(`/discovery/jobs/${progress.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => {});
  };
  process.once('SIGINT', cancel);
  try {
    let job = progress as JobProgress & { found?: FoundDevice[] };
    while (job.state === 'running') {
      out.draw(job);
      await new Promise((r) => setTimeout(r, cancelled ? 200 : 500));
      job = (await call(`/discovery/jobs/${progress.id}`)) as unknown as JobProgress & { found: FoundDevice[] };
    }
    progress = job;
    out.end(job);
    return { progress: job, found: job.found ?? [] };
  } finally {
    process.off('SIGINT', cancel);
  }
}

/** `vigil discover 10.0.0.0/22 …`: one discovery job, with progress, then what it found. */
export const discoverCommand: CommandModule = (program) => {
  program
    .command('discover')
    .description(
      'sweep ranges and addresses with ping, try SNMP with the credential profiles, follow LLDP/CDP neighbours, ' +
        'and add (or list) what answers by the discovery rules',
    )
    .argument('<targets...>', 'CIDR ranges (10.0.0.0/22), a-b ranges (10.0.0.10-20) and addresses (seeds)')
    .option('-x, --exclude <specs...>', 'ranges and addresses never touched')
    .option('-p, --profile <names...>', 'credential profiles to try, in this order (default: all, SNMPv3 first)')
    .option('-d, --depth <n>', 'follow LLDP/CDP neighbours this many hops (inside discovery.allowedRanges)', '0')
    .option('--no-ping', 'try SNMP on every address instead of only those that answer ping')
    .option('--add', 'add devices no rule decides about (default: the configured defaultAction, normally list)')
    .option('--server <url>', 'run it on a running Vigil through its API (token in VIGIL_TOKEN)')
    .option('-c, --config <file>', 'YAML config file (store, credential profiles, discovery rules)')
    .option('--json', 'print the result as JSON')
    .action(async (targets: string[], opts: DiscoverOptions) => {
      const parsed = discoveryJobSpecSchema.safeParse({
        targets,
        exclude: opts.exclude ?? [],
        ...(opts.profile ? { profiles: opts.profile } : {}),
        depth: Number(opts.depth),
        ping: opts.ping,
        ...(opts.add ? { defaultAction: 'add' } : {}),
      });
      if (!parsed.success) throw new VigilError('VIGIL_BAD_REQUEST', formatIssues(parsed.error).join('; '));
      const { progress, found } = opts.server
        ? await runOnServer(parsed.data, opts.server)
        : await runHere(parsed.data, opts);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...progress, found }, null, 2)}\n`);
      else if (found.length) process.stdout.write(`${foundTable(found)}\n`);
      else process.stdout.write('no device answered SNMP\n');
      if (progress.state === 'failed') {
        process.stderr.write(`vigil: discovery failed: ${progress.error ?? 'unknown error'}\n`);
        process.exitCode = 1;
      } else if (progress.state === 'cancelled') process.exitCode = 130;
      else if (!opts.server && progress.added)
        process.stderr.write(
          'devices were added to the store: a running Vigil picks them up at its next restart (or use --server)\n',
        );
    });
};
