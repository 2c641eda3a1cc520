/**
 * The OID dictionary at the size operators load, side by side with net-snmp's C parser on the same folders:
 * - cold compile: `snmptranslate -M <dirs> -m ALL -Tz` versus Vigil compiling the same folders into its cache, each in a
 *   fresh process, wall time and peak RSS (GNU time's maxrss for snmptranslate, getrusage for Vigil's process);
 * - start from the cache, the dictionary's steady RSS, translate p99 and search p50 over all descriptions.
 * Corpus: the shared standards plus 3 rewritten copies of the shared vendor folders (~5,600 files, ~560,000 OIDs;
 * test/harness/mib-corpus.ts), or VIGIL_MIB_DIRS (colon-separated) for a real collection.
 * Usage: npx tsx bench/mib-compile.ts              (3 rounds, median)
 *        VIGIL_BENCH_ROUNDS=5 VIGIL_MIB_HEAP_MB=384 npx tsx bench/mib-compile.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToCache, openCachedDictionary } from '../src/mib/load.ts';
import { largeMibCorpus } from '../test/harness/mib-corpus.ts';

const root = resolve(import.meta.dirname, '..');
const dirs = process.env.VIGIL_MIB_DIRS ? process.env.VIGIL_MIB_DIRS.split(':') : largeMibCorpus();
const opts = (dataDir: string) => ({ dirs, excludeBuiltin: true, includeSystemMibs: false, dataDir });
// The flags the compile process gets from compile-runner.ts, with mib.compile.maxMemoryMb's default.
const heapMb = Number(process.env.VIGIL_MIB_HEAP_MB ?? 512);
const childFlags = [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=1', '--optimize-for-size'];

if (process.argv[2] === '--compile') {
  // The Vigil side, in its own process (as the compile runs beside `vigil start`): read, parse, resolve, write the cache.
  const started = performance.now();
  const { summary } = compileToCache(opts(process.argv[3]));
  console.log(
    JSON.stringify({
      ms: performance.now() - started,
      nodes: summary.nodes,
      files: summary.files,
      errors: summary.errors.length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}
if (process.argv[2] === '--open') {
  // A fresh process opening the cache, as `vigil start` does, then the lookups an operator's day makes.
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const before = process.memoryUsage().rss;
  let t = performance.now();
  const dict = openCachedDictionary(process.argv[3], undefined)!;
  const openMs = performance.now() - t;
  const oids: string[] = [];
  for (let i = 0; i < 20_000; i++)
    oids.push(`1.3.6.1.${i % 3 ? '4.1.9.9' : '2.1.2.2.1'}.${(i * 7) % 500}.1.${i % 40}.${i}`);
  const lat: number[] = [];
  for (const oid of oids) {
    t = performance.now();
    dict.translate(oid);
    lat.push(performance.now() - t);
  }
  const searches: number[] = [];
  for (const q of [
    'temperature',
    'power supply',
    'octets',
    'bgp peer',
    'fan',
    'zzqx-nothing',
    'interface',
    'vlan',
    'optical',
    'threshold',
    'cpu',
    'memory pool',
  ]) {
    t = performance.now();
    dict.search(q, 50);
    searches.push(performance.now() - t);
  }
  gc();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      openMs,
      nodes: dict.stats().nodes,
      steadyRssMb: (process.memoryUsage().rss - before) / 1e6,
      translateP50: sorted(lat)[lat.length >> 1],
      translateP99: sorted(lat)[Math.floor(lat.length * 0.99)],
      searchP50: sorted(searches)[searches.length >> 1],
      searchMax: sorted(searches).at(-1),
    }),
  );
  process.exit(0);
}

const rounds = Number(process.env.VIGIL_BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const self = fileURLToPath(import.meta.url);
const peer = { ms: [] as number[], rss: [] as number[], oids: 0 };
const vigil = { ms: [] as number[], rss: [] as number[], nodes: 0, files: 0, errors: 0 };
let dataDir = '';
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  const st = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', 'snmptranslate', '-M', dirs.join(':'), '-m', 'ALL', '-Ln', '-Tz'],
    { encoding: 'latin1', maxBuffer: 1 << 28 },
  );
  peer.ms.push(performance.now() - t);
  if (st.status !== 0) throw new Error(`snmptranslate failed: ${st.stderr.slice(-500)}`);
  peer.oids = st.stdout.split('\n').filter(Boolean).length;
  peer.rss.push(Number(st.stderr.trim().split('\n').pop()) / 1024);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-mib-bench-'));
  t = performance.now();
  const v = spawnSync(process.execPath, [...childFlags, '--import', 'tsx', self, '--compile', dataDir], {
    encoding: 'utf8',
    cwd: root,
  });
  vigil.ms.push(performance.now() - t);
  if (v.status !== 0) throw new Error(`vigil compile failed: ${v.stderr.slice(-800)}`);
  const out = JSON.parse(v.stdout.trim().split('\n').pop()!);
  vigil.rss.push(out.maxRssMb);
  Object.assign(vigil, { nodes: out.nodes, files: out.files, errors: out.errors });
}
// The same compile as an installed Vigil runs it: the JavaScript build in dist/ (no TypeScript loader in the process).
spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')],
  { stdio: 'inherit', cwd: root },
);
const distRss: number[] = [];
const distMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const out = mkdtempSync(join(tmpdir(), 'vigil-mib-bench-dist-'));
  const script = `import { compileToCache } from ${JSON.stringify(join(root, 'dist', 'mib', 'load.js'))}; compileToCache({ dirs: ${JSON.stringify(dirs)}, excludeBuiltin: true, includeSystemMibs: false, dataDir: ${JSON.stringify(out)} }); console.log(process.resourceUsage().maxRSS / 1024);`;
  const t = performance.now();
  const d = spawnSync(process.execPath, [...childFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: root,
  });
  distMs.push(performance.now() - t);
  rmSync(out, { recursive: true, force: true });
  if (d.status !== 0) throw new Error(`vigil compile (dist) failed: ${d.stderr.slice(-800)}`);
  distRss.push(Number(d.stdout.trim().split('\n').pop()));
}
const opened: Record<string, number>[] = [];
for (let r = 0; r < rounds; r++) {
  const o = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--open', dataDir], {
    encoding: 'utf8',
    cwd: root,
  });
  if (o.status !== 0) throw new Error(`vigil open failed: ${o.stderr.slice(-800)}`);
  opened.push(JSON.parse(o.stdout.trim().split('\n').pop()!));
}
rmSync(dataDir, { recursive: true, force: true });
const tsxRss = (() => {
  const b = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', 'console.log(process.resourceUsage().maxRSS / 1024)'],
    { encoding: 'utf8', cwd: root },
  );
  return Number(b.stdout.trim());
})();
const pick = (k: string) => median(opened.map((o) => o[k] as number));
const p = { ms: median(peer.ms), rss: median(peer.rss) };
const v = { ms: median(vigil.ms), rss: median(vigil.rss) };
console.log(`corpus: ${dirs.length} folders, ${vigil.files} files; rounds: ${rounds} (median)`);
console.log(
  `net-snmp snmptranslate -m ALL -Tz : ${p.ms.toFixed(0)} ms, peak RSS ${p.rss.toFixed(0)} MB, ${peer.oids} OIDs`,
);
console.log(
  `Vigil compile (own process, heap ${heapMb} MB): ${v.ms.toFixed(0)} ms, peak RSS ${v.rss.toFixed(0)} MB (of which ~${tsxRss.toFixed(0)} MB is node + the tsx loader before any work), ${vigil.nodes} nodes, ${vigil.errors} file errors`,
);
console.log(
  `Vigil compile from dist/ (as installed): ${median(distMs).toFixed(0)} ms, peak RSS ${median(distRss).toFixed(0)} MB`,
);
console.log(
  `ratio Vigil/net-snmp: time ${(v.ms / p.ms).toFixed(2)} (goal <= 1), peak RSS ${(v.rss / p.rss).toFixed(2)} from source, ${(median(distRss) / p.rss).toFixed(2)} from dist/ (goal <= 2)`,
);
console.log(
  `Vigil start from cache: ${pick('openMs').toFixed(0)} ms (goal < 2000); dictionary steady RSS ${pick('steadyRssMb').toFixed(0)} MB after translates and searches (goal <= 150)`,
);
console.log(
  `translate p50 ${(pick('translateP50') * 1000).toFixed(1)} µs, p99 ${(pick('translateP99') * 1000).toFixed(1)} µs (goal < 1 ms); search over all descriptions p50 ${pick('searchP50').toFixed(1)} ms, max ${pick('searchMax').toFixed(1)} ms (goal p50 < 100 ms)`,
);
