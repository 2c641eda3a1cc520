/**
 * Vendor and model from sysObjectID, checked against recordings and net-snmp:
 * - the IANA registry copy: file size, load time, what it costs in memory once loaded (a fresh process, after GC), and
 *   a Map of every organization for comparison; lookup time;
 * - for each recording (`*.snmprec`, sysObjectID = value of 1.3.6.1.2.1.1.2.0), the vendor and the model with the
 *   MIBs compiled by Vigil, against `snmptranslate -m ALL -M <the same folders> -OS` (its name when it names the OID
 *   exactly, else none);
 * - every OID two or more MIBs name differently: the name `namesAt` puts first and the one `translate` gives, each
 *   against snmptranslate's.
 * Usage: npx tsx bench/sysobjectid.ts        (VIGIL_MIB_DIRS=a:b, VIGIL_DEVICES=dir to use other folders)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  ENTERPRISES,
  enterpriseRegistryFile,
  enterpriseRegistrySize,
  ianaOrganization,
  modelFromSysObjectId,
  vendorFromSysObjectId,
} from '../src/mib/enterprises.ts';
import { loadMibDictionary } from '../src/mib/load.ts';

if (process.argv[2] === '--memory') {
  // In a fresh process with --expose-gc: what loading the registry adds, then what a Map of it would.
  const gc = (globalThis as { gc?: () => void }).gc!;
  const mem = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
  };
  const before = mem();
  let t = performance.now();
  vendorFromSysObjectId('1.3.6.1.4.1.35047.2.12');
  const loadMs = performance.now() - t;
  const loaded = mem();
  const size = enterpriseRegistrySize();
  t = performance.now();
  let found = 0;
  for (let i = 0; i < 200_000; i++) if (vendorFromSysObjectId(`1.3.6.1.4.1.${(i * 7919) % 62_400}.1`)) found++;
  const lookupUs = ((performance.now() - t) * 1000) / 200_000;
  const map = new Map<number, string>();
  for (let n = 0; n < 63_000; n++) {
    const o = ianaOrganization(n);
    if (o !== undefined) map.set(n, o);
  }
  const withMap = mem();
  console.log(
    JSON.stringify({
      size,
      loadMs,
      lookupUs,
      found,
      registry: {
        rss: loaded.rss - before.rss,
        heap: loaded.heap - before.heap,
        external: loaded.external - before.external,
      },
      mapOnTop: { rss: withMap.rss - loaded.rss, heap: withMap.heap - loaded.heap, entries: map.size },
    }),
  );
  process.exit(0);
}

const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`;
const file = enterpriseRegistryFile();
console.log(`registry copy: ${file} (${file ? statSync(file).size : 0} bytes)`);
const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--memory'], {
  encoding: 'utf8',
});
const m = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
console.log(
  `loaded: ${m.size} organizations in ${m.loadMs?.toFixed(1)} ms; RSS +${mb(m.registry.rss)}, JS heap +${mb(m.registry.heap)}, ` +
    `buffers +${mb(m.registry.external)}; lookup ${m.lookupUs?.toFixed(2)} µs; ` +
    `a Map of the same would add RSS +${mb(m.mapOnTop.rss)}, heap +${mb(m.mapOnTop.heap)}`,
);
for (const n of [5089, 4881, 12124, 15983, 35047])
  console.log(`  ${n}: ${vendorFromSysObjectId(`1.3.6.1.4.1.${n}`)}  (IANA: ${ianaOrganization(n)})`);
console.log(`  short names kept: ${Object.keys(ENTERPRISES).length}`);

// The MIB folders as Vigil searches them: each given folder and its subfolders (sorted), the built-in set, the system's.
const given = process.env.VIGIL_MIB_DIRS ? process.env.VIGIL_MIB_DIRS.split(':') : ['/work/shared/mibs'];
const dict = await loadMibDictionary({ dirs: given, dataDir: join(tmpdir(), 'vigil-bench-sysobjectid') });
const folders: string[] = [];
const walk = (dir: string, depth: number) => {
  folders.push(dir);
  if (depth < 4)
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (!name.startsWith('.') && statSync(p).isDirectory()) walk(p, depth + 1);
    }
};
for (const dir of dict.loadInfo.searchPath) walk(dir, 0);
console.log(
  `MIBs: ${dict.stats().nodes} OIDs from ${dict.stats().files} files; snmptranslate -M ${folders.length} folders`,
);

/** snmptranslate's name for each OID: exact, or undefined when it names only a prefix. */
function netSnmp(oids: string[]): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let k = 0; k < oids.length; k += 200) {
    const batch = oids.slice(k, k + 200);
    const r = spawnSync('snmptranslate', ['-m', 'ALL', '-M', folders.join(':'), '-OS', ...batch.map((o) => `.${o}`)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const lines = r.stdout.split('\n').filter((l) => l.trim());
    if (lines.length !== batch.length) throw new Error(`snmptranslate: ${lines.length} answers for ${batch.length}`);
    for (const line of lines) {
      const label = line.slice(line.indexOf('::') + 2);
      out.push(/^[A-Za-z][\w-]*$/.test(label) ? label : undefined);
    }
  }
  return out;
}

const devices = process.env.VIGIL_DEVICES ?? '/work/shared/devices';
const rows = readdirSync(devices)
  .filter((f) => f.endsWith('.snmprec'))
  .sort()
  .map((f) => {
    const line = readFileSync(join(devices, f), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('1.3.6.1.2.1.1.2.0|'));
    return { device: basename(f, '.snmprec'), oid: line?.split('|')[2]?.trim() ?? '' };
  });
const theirs = netSnmp(rows.map((r) => r.oid));
let agree = 0;
console.log('\ndevice | sysObjectID | vendor | model | snmptranslate | agree');
rows.forEach((r, k) => {
  const model = modelFromSysObjectId(r.oid, dict);
  const same = model === theirs[k];
  if (same) agree++;
  console.log(
    `${r.device} | ${r.oid} | ${vendorFromSysObjectId(r.oid) ?? '—'} | ${model ?? '—'} | ${theirs[k] ?? '—'} | ${same ? 'yes' : 'NO'}`,
  );
});
console.log(`models agreeing with snmptranslate: ${agree} of ${rows.length}`);

// OIDs with two or more different names: namesAt's first and translate's, against snmptranslate.
const multi: string[] = [];
const t = (dict as unknown as { table: { length: number; primaryOf(i: number): number; oid(i: number): string } })
  .table;
const groups = new Set<number>();
for (let i = 0; i < t.length; i++) if (t.primaryOf(i) !== i) groups.add(t.primaryOf(i));
for (const p of groups) {
  const oid = t.oid(p);
  if (new Set(dict.namesAt(oid).map((n) => n.name)).size > 1) multi.push(oid);
}
const named = netSnmp(multi);
let first = 0;
let primary = 0;
const products = { n: 0, first: 0 };
multi.forEach((oid, k) => {
  if (dict.namesAt(oid)[0].name === named[k]) first++;
  if (dict.translate(oid).name === named[k]) primary++;
  if (modelFromSysObjectId(oid, dict) !== undefined) {
    products.n++;
    if (dict.namesAt(oid)[0].name === named[k]) products.first++;
  }
});
console.log(
  `\nOIDs with several names: ${multi.length}; snmptranslate's name is namesAt's first for ${first}, ` +
    `translate's for ${primary}; of those that would give a model: ${products.first} of ${products.n}`,
);
