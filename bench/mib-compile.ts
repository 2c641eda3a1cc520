/**
 * Cold compile of the whole shared MIB corpus, side by side with net-snmp's C parser:
 * `snmptranslate -M <all dirs> -m ALL -To` versus Vigil compiling the same directories, each in a fresh process.
 * Also prints the cached reload time (what `vigil start` pays when no MIB file changed).
 * Usage: npx tsx bench/mib-compile.ts            (3 rounds, median)
 *        VIGIL_BENCH_ROUNDS=7 npx tsx bench/mib-compile.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMibs } from '../src/mib/compile.ts';
import { loadMibDictionary } from '../src/mib/load.ts';
import { testDataDir } from '../test/harness/testdata.ts';

const root = resolve(import.meta.dirname, '..');
const corpus = join(testDataDir(), 'mibs');
const dirs = readdirSync(corpus).map((d) => join(corpus, d)).filter((d) => statSync(d).isDirectory());

if (process.argv[2] === '--child') {
  // The Vigil side, in its own process: read + parse + resolve every file.
  const started = performance.now();
  const c = compileMibs(dirs);
  console.log(JSON.stringify({ ms: performance.now() - started, nodes: c.packed.columns.primary.filter((p, i) => p === i).length, files: c.files, errors: c.errors.length }));
  process.exit(0);
}

const rounds = Number(process.env.VIGIL_BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const peer: number[] = [];
const vigilWall: number[] = [];
const vigilInside: number[] = [];
let peerOids = 0;
let child: { nodes: number; files: number; errors: number } | undefined;
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  const st = spawnSync('snmptranslate', ['-M', dirs.join(':'), '-m', 'ALL', '-Ln', '-To'], { encoding: 'latin1', maxBuffer: 1 << 28 });
  peer.push(performance.now() - t);
  if (st.status !== 0) throw new Error(`snmptranslate failed: ${st.stderr}`);
  peerOids = st.stdout.split('\n').filter(Boolean).length;
  t = performance.now();
  const v = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', cwd: root });
  vigilWall.push(performance.now() - t);
  if (v.status !== 0) throw new Error(`vigil child failed: ${v.stderr}`);
  const out = JSON.parse(v.stdout.trim().split('\n').pop()!);
  vigilInside.push(out.ms);
  child = out;
}

// Cached reload: compile once into a temp data dir, then time the reload.
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-mib-bench-'));
await loadMibDictionary({ dirs, excludeBuiltin: true, includeSystemMibs: false, dataDir });
const reload: number[] = [];
for (let r = 0; r < rounds; r++) {
  const d = await loadMibDictionary({ dirs, excludeBuiltin: true, includeSystemMibs: false, dataDir });
  if (!d.loadInfo.fromCache) throw new Error('cache not used');
  reload.push(d.loadInfo.ms);
}
rmSync(dataDir, { recursive: true, force: true });

const p = median(peer);
const w = median(vigilWall);
const i = median(vigilInside);
console.log(`corpus: ${dirs.length} dirs, ${child?.files} files; rounds: ${rounds} (median)`);
console.log(`net-snmp snmptranslate -m ALL -To : ${p.toFixed(0)} ms, ${peerOids} OIDs`);
console.log(`Vigil cold compile (fresh process): ${w.toFixed(0)} ms wall (${i.toFixed(0)} ms compiling, rest is node+tsx start-up), ${child?.nodes} OIDs, ${child?.errors} file errors`);
console.log(`ratio Vigil/net-snmp: ${(w / p).toFixed(2)} (process wall), ${(i / p).toFixed(2)} (compile only); goal <= 2`);
console.log(`Vigil cached reload: ${median(reload).toFixed(0)} ms`);
