/**
 * Memory of `vigil start` as a separate process (what an operator runs), polling N simulated devices:
 * the built code (dist/, no tsx), the bin's heap ceiling, the store writer thread — all counted, since RSS is read
 * from /proc for the whole Vigil process. The simulated agents run in another process (bench/snmp-agents.ts).
 *   npx tsx bench/memory-process.ts [--devices 2000] [--cycles 3] [--interval 10] [--large-mibs] [--logs-rate 100000]
 * --large-mibs: with `mib.dirs` at the collection operators load (test/harness/mib-corpus.ts, ~560,000 OIDs), its
 * dictionary compiled into the data directory beforehand, so that Vigil opens it at start and holds it throughout.
 * --logs-rate: syslog over UDP at this many msgs/s meanwhile (bench/udp-blast.c, needs cc), the whole run long; what
 * Vigil could not take is dropped and counted, and memory must stay bounded all the same.
 * There is no peer in Debian; the goal (RSS < 400 MB) is the reference.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { freeTcpPort, freeUdpPort } from '../test/harness/ports.ts';
import { syslogPackets } from './syslog-corpus.ts';
import { buildUdpBlast, writePacketFile } from './udp-blast.ts';
import { compileToCache } from '../src/mib/load.ts';
import { largeMibCorpus } from '../test/harness/mib-corpus.ts';
import { testDataPath } from '../test/harness/testdata.ts';
import { agentAddress, startAgents } from './snmp-agents.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    cycles: { type: 'string', default: '3' },
    interval: { type: 'string', default: '10' },
    'large-mibs': { type: 'boolean', default: false },
    'logs-rate': { type: 'string', default: '0' },
  },
});
const logsRate = Number(values['logs-rate']);
const n = Number(values.devices);
const cycles = Number(values.cycles);
const intervalS = Number(values.interval);
const root = new URL('..', import.meta.url).pathname;

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')],
  { stdio: 'inherit' },
);
if (build.status !== 0) throw new Error('tsc failed');

const dir = mkdtempSync(join(tmpdir(), 'vigil-memproc-'));
const agents = await startAgents({ devices: n, dataDir: testDataPath('devices') });
const port = await freeTcpPort();
const syslogPort = await freeUdpPort();
const configFile = join(dir, 'vigil.yaml');
const mibDirs = values['large-mibs'] ? largeMibCorpus() : [];
if (mibDirs.length) {
  const t = Date.now();
  const { summary } = compileToCache({ dirs: mibDirs, dataDir: join(dir, 'data') });
  console.log(
    `dictionary of ${summary.nodes} nodes from ${summary.files} files compiled beforehand in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
}
writeFileSync(
  configFile,
  stringify({
    dataDir: join(dir, 'data'),
    log: { level: 'warn' },
    http: { host: '127.0.0.1', port },
    icmp: { enabled: false, monitorLocalhost: false },
    syslog: {
      udp: logsRate ? { enabled: true, host: '127.0.0.1', port: syslogPort } : { enabled: false },
      tcp: { enabled: false },
      tls: { enabled: false },
    },
    traps: { enabled: false },
    snmp: { intervalS, probeLocalAgent: false },
    mib: { dirs: mibDirs },
    devices: Array.from({ length: n }, (_, i) => ({
      name: `sim${i}`,
      address: agentAddress(i),
      icmp: { enabled: false },
      pollIntervalS: intervalS,
      snmp: { version: 'v2c', community: 'public', port: agents.port, timeoutMs: 2000, retries: 1 },
    })),
  }),
);

const vigil = spawn(process.execPath, [join(root, 'bin/vigil.js'), 'start', '--config', configFile], {
  env: { ...process.env, VIGIL_USE_DIST: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
/** RSS of the process that runs Vigil: the bin re-executes itself once, so it is the bin's only child. */
function vigilRssMb(): number {
  const child = spawnSync('pgrep', ['-P', String(vigil.pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')[0];
  if (!child) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

let peak = 0;
const samples: number[] = [];
const t0 = Date.now();
const until = t0 + (cycles * intervalS + 30) * 1000;
let blaster: ReturnType<typeof spawn> | undefined;
if (logsRate) {
  await new Promise((r) => setTimeout(r, 3000));
  const exe = buildUdpBlast(dir);
  writePacketFile(join(dir, 'packets'), syslogPackets(50_000));
  blaster = spawn(
    exe,
    [String(syslogPort), String(logsRate), String(logsRate * (cycles * intervalS + 30)), '1', join(dir, 'packets')],
    { stdio: 'ignore' },
  );
}
while (Date.now() < until) {
  await new Promise((r) => setTimeout(r, 500));
  const rss = vigilRssMb();
  peak = Math.max(peak, rss);
  samples.push(rss);
  if (samples.length % 10 === 0)
    process.stdout.write(`  ${Math.round((Date.now() - t0) / 1000)} s: ${Math.round(rss)} MB\n`);
}
const polled = await fetch(`http://127.0.0.1:${port}/api/v1/stats/runtime`).then(
  () => true,
  () => false,
);
blaster?.kill();
let logs = '';
if (logsRate) {
  const { Database } = await import('../src/store/sqlite/driver.ts');
  const db = new Database(join(dir, 'data', 'vigil.db'), { readonly: true });
  const stored = (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM logs').get() as { n: number }).n;
  db.close();
  logs = `; syslog over UDP offered at ${logsRate.toLocaleString('en')} msgs/s: ${stored.toLocaleString('en')} stored (${Math.round(stored / ((Date.now() - t0) / 1000 - 3)).toLocaleString('en')}/s)`;
}
vigil.kill('SIGTERM');
await new Promise((r) => vigil.once('exit', r));
await agents.stop();
rmSync(dir, { recursive: true, force: true });
const settled = samples.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, samples.length);
console.log(
  `vigil start (dist, bin defaults${mibDirs.length ? ', the large MIB collection loaded' : ''}) polling ${n} simulated devices every ${intervalS} s for ${Math.round((Date.now() - t0) / 1000)} s${polled ? '' : ' (API not answering at the end!)'}${logs}`,
);
console.log(
  `  peak RSS ${Math.round(peak)} MB, last 5 s average ${Math.round(settled)} MB; goal < 400 MB → ratio ${(400 / peak).toFixed(2)} (goal / measured)`,
);
