import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledMibs, MibModuleInfo } from './compile.ts';
import type { MibFile } from './files.ts';
import { lazyTable, type NodeTable } from './table.ts';
import type { MibNode, MibNodeKind, MibSyntax } from './types.ts';

/** Bumped whenever the compiled form changes, so an old cache is recompiled rather than misread. */
export const CACHE_FORMAT = 6;

const KINDS: MibNodeKind[] = ['node', 'module', 'identity', 'scalar', 'table', 'row', 'column', 'notification', 'trap', 'group', 'compliance', 'capabilities'];

/** A reference to another node: its name and 1 + its node number (0 when unresolved), plus 1 for IMPLIED. */
type PackedRef = [string, number] | [string, number, 1];
interface PackedExtra {
  u?: string;
  i?: PackedRef[];
  a?: number;
  o?: PackedRef[];
}

/** The search path's fingerprint: every file's path, size and mtime, plus the cache format. */
export function fingerprint(files: MibFile[]): string {
  const h = createHash('sha1');
  h.update(`v${CACHE_FORMAT}\n`);
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

/**
 * Column-wise JSON: one array per field and shared syntax objects, because JSON.parse of a few big
 * arrays of strings is much faster than of 170k small objects (and than v8.deserialize of them).
 */
interface CacheFile {
  format: number;
  fingerprint: string;
  compiledAt: number;
  files: number;
  modules: CompiledMibs['modules'];
  errors: CompiledMibs['errors'];
  strings: string[];
  syntaxes: MibSyntax[];
  /** Whole OIDs: flat strings straight from JSON.parse hash faster into the OID map than strings built by concatenation. */
  oid: string[];
  name: string[];
  /** Per node: module, kind, syntax (+1, 0 none), access, status as indexes into `strings` (0 none) — 5 numbers. */
  cols: number[];
  /** Sparse extras by node index: units, index, augments, objects; OIDs in them are written as node numbers. */
  extra: Record<number, PackedExtra>;
}

const dictFile = (dir: string) => join(dir, 'mib-dictionary.json');
const descFile = (dir: string) => join(dir, 'mib-descriptions.json');

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes the compiled dictionary (and, apart, its descriptions) under `dir`. */
export function writeCache(dir: string, fp: string, c: CompiledMibs): void {
  mkdirSync(dir, { recursive: true });
  const strings: string[] = [''];
  const stringAt = new Map<string, number>([['', 0]]);
  const str = (s: string | undefined): number => {
    if (!s) return 0;
    let i = stringAt.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringAt.set(s, i);
    }
    return i;
  };
  const syntaxes: MibSyntax[] = [];
  const syntaxAt = new Map<MibSyntax, number>();
  const byText = new Map<string, number>();
  const syn = (s: MibSyntax | undefined): number => {
    if (!s) return 0;
    let i = syntaxAt.get(s);
    if (i === undefined) {
      const key = JSON.stringify(s);
      i = byText.get(key);
      if (i === undefined) {
        i = syntaxes.length;
        syntaxes.push(s);
        byText.set(key, i);
      }
      syntaxAt.set(s, i);
    }
    return i + 1;
  };
  const out: CacheFile = {
    format: CACHE_FORMAT,
    fingerprint: fp,
    compiledAt: c.compiledAt,
    files: c.files,
    modules: c.modules.map(({ revisions: _r, ...m }) => m),
    errors: c.errors,
    strings,
    syntaxes,
    oid: [],
    name: [],
    cols: [],
    extra: {},
  };
  const placed = new Map<string, number>();
  const extras: number[] = [];
  c.nodes.forEach((n, i) => {
    if (!placed.has(n.oid)) placed.set(n.oid, i);
    out.oid.push(n.oid);
    out.name.push(n.name);
    out.cols.push(str(n.module), KINDS.indexOf(n.kind), syn(n.syntax), str(n.access), str(n.status));
    if (n.units || n.index || n.augments || n.objects) extras.push(i);
  });
  const ref = (oid: string | undefined): number => (oid ? (placed.get(oid) ?? -1) + 1 : 0);
  for (const i of extras) {
    const n = c.nodes[i];
    const e: PackedExtra = {};
    if (n.units) e.u = n.units;
    if (n.index) e.i = n.index.map((p) => (p.implied ? [p.name, ref(p.oid), 1] : [p.name, ref(p.oid)]));
    if (n.augments) e.a = ref(n.augments);
    if (n.objects) e.o = n.objects.map((p) => [p.name, ref(p.oid)]);
    out.extra[i] = e;
  }
  writeAtomic(dictFile(dir), JSON.stringify(out));
  // Descriptions and module revisions are read only on demand (details, search), so they live apart.
  const revisions: Record<string, MibModuleInfo['revisions']> = {};
  for (const m of c.modules) if (m.revisions) revisions[m.name] = m.revisions;
  writeAtomic(descFile(dir), JSON.stringify({ descriptions: c.descriptions.map((d) => d ?? null), revisions }));
}

/** What a cache read gives the dictionary: metadata and a lazily built node table. */
export interface CachedMibs extends Omit<CompiledMibs, 'descriptions' | 'nodes'> {
  table: NodeTable;
}

/** Reads the cache when its fingerprint matches (any fingerprint when `fp` is undefined); undefined when missing, stale or unreadable. */
export function readCache(dir: string, fp: string | undefined): CachedMibs | undefined {
  let raw: CacheFile;
  try {
    raw = JSON.parse(readFileSync(dictFile(dir), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (raw.format !== CACHE_FORMAT || (fp !== undefined && raw.fingerprint !== fp)) return undefined;
  const { strings, syntaxes, cols, extra, oid } = raw;
  const ref = (r: number): string | undefined => (r ? oid[r - 1] : undefined);
  const build = (i: number): MibNode => {
    const c = i * 5;
    const n: MibNode = { oid: oid[i], name: raw.name[i], module: strings[cols[c]], kind: KINDS[cols[c + 1]] };
    if (cols[c + 2]) n.syntax = syntaxes[cols[c + 2] - 1];
    if (cols[c + 3]) n.access = strings[cols[c + 3]];
    if (cols[c + 4]) n.status = strings[cols[c + 4]];
    const e = extra[i];
    if (e) {
      if (e.u) n.units = e.u;
      if (e.i) n.index = e.i.map(([name, r, implied]) => ({ name, ...(r ? { oid: ref(r) } : {}), ...(implied ? { implied: true } : {}) }));
      if (e.a) n.augments = ref(e.a);
      if (e.o) n.objects = e.o.map(([name, r]) => (r ? { name, oid: ref(r) } : { name }));
    }
    return n;
  };
  const table = lazyTable({ oid, name: raw.name, module: (i) => strings[cols[i * 5]] }, build);
  return { table, modules: raw.modules, errors: raw.errors, files: raw.files, compiledAt: raw.compiledAt };
}

/** Reads the cached descriptions (parallel to the nodes) and module revisions; empty when missing. */
export function readDescriptions(dir: string): { descriptions: (string | undefined)[]; revisions: Record<string, MibModuleInfo['revisions']> } {
  try {
    const raw = JSON.parse(readFileSync(descFile(dir), 'utf8')) as { descriptions: (string | null)[]; revisions: Record<string, MibModuleInfo['revisions']> };
    return { descriptions: raw.descriptions.map((d) => d ?? undefined), revisions: raw.revisions ?? {} };
  } catch {
    return { descriptions: [], revisions: {} };
  }
}
