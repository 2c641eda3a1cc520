/**
 * Discovery benchmark (goal: ≤ 1.5× the floor). A /22 on loopback (127.X.Y.0/22, X and Y random) with N real snmpd
 * agents (Debian's snmpd, one process per device: its own engine ID and sysName) at random addresses of it, all on one
 * UDP port. Every 127/8 address answers ping, so both sides sweep 1,022 responders and try SNMP on each of them; only N
 * answer, the rest time out.
 * - Vigil: a test Vigil (SQLite store, collectors off), a job over the /22 through the API (POST
 *   /api/v1/discovery/jobs, defaultAction `add`), timed until it has ended with all N agents in the inventory.
 * - The floor: `fping -a -q -g` of the /22, then one `snmpget` of sysObjectID per responder, all in parallel
 *   (`xargs -P 1024`), one `bash -c` timed from here. Same fping timing (-t -r -i) and SNMP timeout/retries as Vigil's.
 *   A piped variant (`fping … | xargs …`, trials start while the sweep goes on, as Vigil's do) is shown for reference.
 * Each side runs --runs times, interleaved; medians are reported, with a breakdown.
 * Run: node --import tsx bench/discovery.ts [--agents 250] [--runs 3] [--concurrency 128,1024]
 *      [--snmp-timeout-ms 1000] [--snmp-retries 0] [--ping-timeout-ms 500] [--ping-retries 1] [--ping-interval-ms 1]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { discoveryConfigSchema } from '../src/discovery/config.ts';
import type { FoundDevice, JobProgress } from '../src/discovery/job.ts';
import { freeUdpPort, type RunningSnmpd, startSnmpd } from '../test/harness/snmpd.ts';
import { startTestVigil } from '../test/harness/vigil.ts';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '250' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '' },
    'snmp-timeout-ms': { type: 'string', default: '1000' },
    'snmp-retries': { type: 'string', default: '0' },
    'ping-timeout-ms': { type: 'string', default: '' },
    'ping-retries': { type: 'string', default: '' },
    'ping-interval-ms': { type: 'string', default: '' },
  },
});

const defaults = discoveryConfigSchema.parse({});
const AGENTS = Number(args.agents);
const RUNS = Number(args.runs);
const DEFAULT_CONCURRENCY = defaults.concurrency;
const CONCURRENCY = args.concurrency
  ? args.concurrency.split(',').map(Number)
  : [...new Set([128, DEFAULT_CONCURRENCY, 1024])].sort((a, b) => a - b);
const snmp = { timeoutMs: Number(args['snmp-timeout-ms']), retries: Number(args['snmp-retries']) };
const numberOr = (s: string | undefined, d: number) => (s ? Number(s) : d);
const ping = {
  timeoutMs: numberOr(args['ping-timeout-ms'], defaults.ping.timeoutMs),
  retries: numberOr(args['ping-retries'], defaults.ping.retries),
  intervalMs: numberOr(args['ping-interval-ms'], defaults.ping.intervalMs),
};
const HOSTS = 1022; // a /22 without its network and broadcast addresses
if (!(AGENTS >= 1 && AGENTS <= HOSTS)) throw new Error(`--agents: 1 to ${HOSTS}`);

// 127.X.Y.0/22 away from the ranges tests and other benches use (127.0/16, 127.77/16, 127.78/16).
const X = randomInt(100, 255);
const Y = randomInt(0, 64) * 4;
const net = `127.${X}.${Y}.0/22`;
const hostAt = (offset: number) => `127.${X}.${Y + (offset >> 8)}.${offset & 255}`;
const offsets = new Set<number>();
while (offsets.size < AGENTS) offsets.add(randomInt(1, HOSTS + 1));
const agentHosts = [...offsets].sort((a, b) => a - b).map(hostAt);
const community = `bench-${randomBytes(4).toString('hex')}`;

const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const load = () => {
  const avg = loadavg().map((l) => l.toFixed(2));
  return `load average ${avg.join(' ')} on ${availableParallelism()} CPUs`;
};

const agents: RunningSnmpd[] = [];
async function stopAgents(): Promise<void> {
  const all = agents.splice(0);
  for (let i = 0; i < all.length; i += 50) await Promise.allSettled(all.slice(i, i + 50).map((a) => a.stop()));
}
process.once('SIGINT', () => void stopAgents().finally(() => process.exit(130)));

async function startAgents(port: number): Promise<void> {
  const t = performance.now();
  for (let i = 0; i < agentHosts.length; i += 25) {
    const batch = agentHosts.slice(i, i + 25).map((host, j) =>
      startSnmpd({
        host,
        port,
        communities: [{ name: community }],
        extraConfig: [`sysName dev-${i + j + 1}`, `sysDescr Vigil discovery bench agent ${i + j + 1}`],
      }),
    );
    const started = await Promise.allSettled(batch);
    for (const s of started) if (s.status === 'fulfilled') agents.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  console.log(`${agents.length} snmpd agents started in ${ms(performance.now() - t)}`);
}

interface FloorRun {
  totalMs: number;
  sweepMs: number;
  snmpMs: number;
  responders: number;
  answers: number;
  cpuMs: number;
}

/** bash `times` output, second line (children): "0m1.234s 0m0.567s" → ms of user + system. */
const childCpuMs = (times: string) =>
  (times.trim().split('\n')[1] ?? '')
    .split(' ')
    .map((t) => /^(\d+)m([\d.]+)s$/.exec(t))
    .reduce((sum, m) => sum + (m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : 0), 0);

/** The floor as a shell runs it; `piped` starts the snmpgets while fping still sweeps. */
async function runFloor(port: number, piped: boolean): Promise<FloorRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-floor-'));
  const fping = `fping -a -q -t ${ping.timeoutMs} -r ${ping.retries} -i ${ping.intervalMs} -g ${net}`;
  const snmpget =
    `xargs -P 1024 -I{} snmpget -v2c -c ${community} -t ${snmp.timeoutMs / 1000} -r ${snmp.retries} ` +
    `-On {}:${port} 1.3.6.1.2.1.1.2.0 > ${dir}/answers 2>/dev/null`;
  const script = piped
    ? `t0=$EPOCHREALTIME; ${fping} | tee ${dir}/alive | ${snmpget}; t1=$EPOCHREALTIME; echo "$t0 $t0 $t1"; times`
    : `t0=$EPOCHREALTIME; ${fping} > ${dir}/alive; t1=$EPOCHREALTIME; ${snmpget} < ${dir}/alive; ` +
      `t2=$EPOCHREALTIME; echo "$t0 $t1 $t2"; times`;
  try {
    const t = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
      });
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const totalMs = performance.now() - t;
    const [marks, ...times] = out.trim().split('\n');
    const [t0, t1, t2] = marks.split(' ').map((s) => Number(s) * 1000);
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean);
    return {
      totalMs,
      sweepMs: t1 - t0,
      snmpMs: t2 - t1,
      responders: lines('alive').length,
      answers: lines('answers').filter((l) => l.includes('= OID:')).length,
      cpuMs: childCpuMs(times.join('\n')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VigilRun {
  totalMs: number;
  jobMs: number;
  sweepMs: number;
  lastAddedMs: number;
  responders: number;
  answers: number;
  added: number;
  inventory: number;
  cpuMs: number;
  /** Peak RSS during the job over RSS before it (this process holds the test Vigil). */
  rssGrowthMb: number;
}

/** One job in a fresh test Vigil (so no device is known yet), timed from the POST until it has ended. */
async function runVigil(port: number, concurrency: number): Promise<VigilRun> {
  const vigil = await startTestVigil({
    credentials: { bench: { version: 'v2c', community, port, timeoutMs: snmp.timeoutMs, retries: snmp.retries } },
    discovery: { maxAddresses: 1024, concurrency, snmp, ping },
  });
  try {
    const discovery = vigil.services.discovery;
    if (!discovery) throw new Error('the test Vigil has no discovery service');
    const cpu = process.cpuUsage();
    const t = performance.now();
    const r = await vigil.api('/api/v1/discovery/jobs', {
      method: 'POST',
      json: { targets: [net], profiles: ['bench'], defaultAction: 'add' },
    });
    if (r.status !== 202) throw new Error(`POST /api/v1/discovery/jobs: ${r.status} ${await r.text()}`);
    const { id } = (await r.json()) as JobProgress;
    // The live progress is in memory: sampled here for the end of the sweep, without the API's JSON in the way.
    let sweepMs = Number.NaN;
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      void discovery.job(id).then((j) => {
        if (Number.isNaN(sweepMs) && j && j.progress.phase !== 'sweep') sweepMs = performance.now() - t;
      });
    }, 10);
    let progress: JobProgress | undefined;
    try {
      progress = await discovery.wait(id);
    } finally {
      clearInterval(sampler);
    }
    const totalMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (progress?.state !== 'done') throw new Error(`job ${id} ended ${progress?.state}: ${progress?.error}`);
    const job = (await (await vigil.api(`/api/v1/discovery/jobs/${id}`)).json()) as JobProgress & {
      found: FoundDevice[];
    };
    const addedTs = job.found.filter((f) => f.status === 'added').map((f) => f.ts);
    const [a, b] = net.split('/')[0].split('.');
    return {
      totalMs,
      jobMs: (job.finishedTs ?? Number.NaN) - job.startedTs,
      sweepMs,
      lastAddedMs: Math.max(...addedTs) - job.startedTs,
      responders: job.responders,
      answers: job.snmpAnswers,
      added: job.added,
      inventory: vigil.inventory.devices().filter((d) => d.address.startsWith(`${a}.${b}.`)).length,
      cpuMs: (used.user + used.system) / 1000,
      rssGrowthMb: (rssPeak - rssBefore) / 2 ** 20,
    };
  } finally {
    await vigil.stop();
  }
}

function check(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: ${got}, expected ${want}`);
}

async function main(): Promise<void> {
  const port = await freeUdpPort(agentHosts[0]);
  console.log(`Discovery bench: ${net} (${HOSTS} addresses), ${AGENTS} snmpd agents on UDP ${port}, ${RUNS} runs`);
  console.log(
    `  ping: timeoutMs ${ping.timeoutMs}, retries ${ping.retries}, intervalMs ${ping.intervalMs} ` +
      `(fping -t ${ping.timeoutMs} -r ${ping.retries} -i ${ping.intervalMs})`,
  );
  console.log(
    `  snmp: timeoutMs ${snmp.timeoutMs}, retries ${snmp.retries} ` +
      `(snmpget -t ${snmp.timeoutMs / 1000} -r ${snmp.retries}); Vigil's defaults: ${defaults.snmp.timeoutMs} ms, ` +
      `${defaults.snmp.retries} retry`,
  );
  console.log(
    `  Vigil concurrency: ${CONCURRENCY.map((c) => (c === DEFAULT_CONCURRENCY ? `${c} (default)` : c)).join(', ')}`,
  );
  console.log(`  ${load()}`);
  await startAgents(port);

  const floor: FloorRun[] = [];
  const piped: FloorRun[] = [];
  const vigil = new Map<number, VigilRun[]>(CONCURRENCY.map((c) => [c, []]));
  for (let run = 1; run <= RUNS; run++) {
    const f = await runFloor(port, false);
    check('floor: responders', f.responders, HOSTS);
    check('floor: sysObjectID answers', f.answers, AGENTS);
    floor.push(f);
    console.log(
      `run ${run} floor: ${ms(f.totalMs)} (fping ${ms(f.sweepMs)}, snmpget ${ms(f.snmpMs)}, cpu ${ms(f.cpuMs)})`,
    );
    const p = await runFloor(port, true);
    check('piped floor: answers', p.answers, AGENTS);
    piped.push(p);
    console.log(`run ${run} floor, piped: ${ms(p.totalMs)} (cpu ${ms(p.cpuMs)})`);
    for (const c of CONCURRENCY) {
      const v = await runVigil(port, c);
      check(`Vigil c=${c}: responders`, v.responders, HOSTS);
      check(`Vigil c=${c}: SNMP answers`, v.answers, AGENTS);
      check(`Vigil c=${c}: added`, v.added, AGENTS);
      check(`Vigil c=${c}: devices in the inventory`, v.inventory, AGENTS);
      vigil.get(c)!.push(v);
      console.log(
        `run ${run} Vigil c=${c}: ${ms(v.totalMs)} (sweep ended ${ms(v.sweepMs)}, last device added ` +
          `${ms(v.lastAddedMs)}, job ${ms(v.jobMs)}, cpu ${ms(v.cpuMs)}, RSS +${v.rssGrowthMb.toFixed(0)} MB)`,
      );
    }
  }

  const med = <T>(runs: T[], key: keyof T) => median(runs.map((r) => r[key] as number));
  const floorMs = med(floor, 'totalMs');
  const dead = HOSTS - AGENTS;
  console.log(`\nMedians of ${RUNS} runs, ${net}, ${AGENTS} agents, ${HOSTS} ping responders, ${dead} silent on SNMP`);
  console.log(
    `Floor (fping -g, then ${HOSTS} snmpget in parallel): ${ms(floorMs)} ` +
      `= fping ${ms(med(floor, 'sweepMs'))} + snmpget ${ms(med(floor, 'snmpMs'))}; cpu ${ms(med(floor, 'cpuMs'))}`,
  );
  console.log(`Floor, piped (fping | xargs snmpget, for reference): ${ms(med(piped, 'totalMs'))}`);
  // What the floor would be without the cost of starting 1,022 snmpget processes (it grows with the machine's load).
  const ideal = med(floor, 'sweepMs') + snmp.timeoutMs * (snmp.retries + 1);
  console.log(`Floor without process starts (fping + one trial timeout): ${ms(ideal)}`);
  for (const c of CONCURRENCY) {
    const runs = vigil.get(c)!;
    const total = med(runs, 'totalMs');
    const ratio = total / floorMs;
    // A worker is held by a silent address for the whole trial: the SNMP phase takes about this long at least.
    const waitMs = Math.max(1, dead / c) * snmp.timeoutMs * (snmp.retries + 1);
    console.log(
      `Vigil, concurrency ${c}${c === DEFAULT_CONCURRENCY ? ' (default)' : ''}: ${ms(total)}, ` +
        `ratio ${ratio.toFixed(2)} (goal ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'}), ` +
        `${(total / ideal).toFixed(2)}× the floor without process starts`,
    );
    console.log(
      `  sweep ended ${ms(med(runs, 'sweepMs'))}, last device added ${ms(med(runs, 'lastAddedMs'))}, ` +
        `job ended ${ms(med(runs, 'jobMs'))}; cpu ${ms(med(runs, 'cpuMs'))}, RSS +${med(runs, 'rssGrowthMb').toFixed(0)} MB; ` +
        `silent-address waits ≈ max(1, ${dead}/${c}) × ${snmp.timeoutMs} ms × ${snmp.retries + 1} = ${ms(waitMs)}`,
    );
  }
}

try {
  await main();
  console.log(`(${load()})`);
} finally {
  await stopAgents();
}
