/**
 * A MIB collection the size operators load (LibreNMS and Netdisco ship ~5,000 files, ~560,000 OIDs), made from the
 * shared corpus without any download: the standards once, and the vendor folders several times over, each copy with
 * its module names and enterprise arcs rewritten so that nothing collides. Built once per machine into the temp
 * directory and reused.
 * @example const dirs = largeMibCorpus(); // one folder per vendor copy, e.g. /tmp/vigil-mib-corpus-v1-3/cisco-k2
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDataPath } from './testdata.ts';

/** Folders of standard modules: loaded once, never copied (their OIDs are fixed by the IETF). */
const STANDARDS = new Set(['rfc', 'net-snmp']);
const FORMAT = 1;
/** Each copy moves its enterprise arcs by this much: far above any enterprise number the corpus uses. */
const ARC_STEP = 1_000_000;

const DEFINITIONS = /^[ \t]*([A-Z][A-Za-z0-9-]*)[ \t\r\n]+DEFINITIONS\b/gm;

/** The module names a MIB text defines. */
function definedModules(text: string): string[] {
  return [...text.matchAll(DEFINITIONS)].map((m) => m[1]);
}

/** One copy of a vendor MIB text: its modules and the vendor modules it imports renamed, its enterprise arcs moved. */
export function rewriteMib(text: string, copy: number, vendorModules: Set<string>): string {
  const rename = (name: string) => (vendorModules.has(name) ? `${name}-K${copy}` : name);
  const shift = (n: string) => String(Number(n) + copy * ARC_STEP);
  return text
    .replace(DEFINITIONS, (whole, name: string) => whole.replace(name, rename(name)))
    .replace(
      /\bFROM([ \t\r\n]+)([A-Z][A-Za-z0-9-]*)/g,
      (_w, space: string, name: string) => `FROM${space}${rename(name)}`,
    )
    .replace(
      /\{(\s*)enterprises(\s+)(\d+)/g,
      (_w, a: string, b: string, n: string) => `{${a}enterprises${b}${shift(n)}`,
    )
    .replace(/enterprises\s*\(\s*1\s*\)(\s+)(\d+)/g, (_w, s: string, n: string) => `enterprises(1)${s}${shift(n)}`)
    .replace(
      /\b1(\s+)3(\s+)6(\s+)1(\s+)4(\s+)1(\s+)(\d+)/g,
      (_w, a: string, b: string, c: string, d: string, e: string, f: string, n: string) =>
        `1${a}3${b}6${c}1${d}4${e}1${f}${shift(n)}`,
    );
}

/**
 * Builds (once) and returns the folders of the large corpus: the shared standards, the shared vendor folders, and
 * `copies` rewritten copies of every vendor folder. `copies: 3` (the default) gives about 5,600 files and 560,000 OIDs.
 */
export function largeMibCorpus(copies = Number(process.env.VIGIL_MIB_COPIES ?? 3)): string[] {
  const source = testDataPath('mibs');
  const folders = readdirSync(source)
    .filter((d) => statSync(join(source, d)).isDirectory())
    .sort();
  const vendors = folders.filter((d) => !STANDARDS.has(d));
  const root = join(tmpdir(), `vigil-mib-corpus-v${FORMAT}-${copies}`);
  const dirs = [
    ...folders.map((d) => join(source, d)),
    ...Array.from({ length: copies }, (_, i) => vendors.map((v) => join(root, `${v}-k${i + 1}`))).flat(),
  ];
  if (existsSync(join(root, '.complete'))) return dirs;
  rmSync(root, { recursive: true, force: true });
  const building = `${root}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  const texts = new Map<string, string>();
  const vendorModules = new Set<string>();
  for (const v of vendors) {
    for (const f of readdirSync(join(source, v))) {
      const path = join(source, v, f);
      if (!statSync(path).isFile()) continue;
      const text = readFileSync(path, 'latin1');
      texts.set(`${v}/${f}`, text);
      for (const m of definedModules(text)) vendorModules.add(m);
    }
  }
  for (let k = 1; k <= copies; k++) {
    for (const [rel, text] of texts) {
      const [v, f] = rel.split('/');
      const dir = join(building, `${v}-k${k}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, f), rewriteMib(text, k, vendorModules), 'latin1');
    }
  }
  writeFileSync(join(building, '.complete'), `${new Date().toISOString()}\n`);
  try {
    renameSync(building, root);
  } catch {
    // Another process built it at the same time: use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  return dirs;
}
