import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledMibs } from './compile.ts';
import type { MibFile } from './files.ts';
import type { MibNode, MibNodeKind, MibSyntax } from './types.ts';

/** Bumped whenever the compiled form changes, so an old cache is recompiled rather than misread. */
export const CACHE_FORMAT = 3;

const KINDS: MibNodeKind[] = ['node', 'module', 'identity', 'scalar', 'table', 'row', 'column', 'notification', 'trap', 'group', 'compliance', 'capabilities'];

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
  oid: string[];
  name: string[];
  /** Per node: module, kind, syntax (+1, 0 none), access, status as indexes into `strings` (0 none) — 5 numbers. */
  cols: number[];
  /** Sparse extras by node index: units, index, augments, objects. */
  extra: Record<number, Pick<MibNode, 'units' | 'index' | 'augments' | 'objects'>>;
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
    modules: c.modules,
    errors: c.errors,
    strings,
    syntaxes,
    oid: [],
    name: [],
    cols: [],
    extra: {},
  };
  c.nodes.forEach((n, i) => {
    out.oid.push(n.oid);
    out.name.push(n.name);
    out.cols.push(str(n.module), KINDS.indexOf(n.kind), syn(n.syntax), str(n.access), str(n.status));
    if (n.units || n.index || n.augments || n.objects) {
      const e: CacheFile['extra'][number] = {};
      if (n.units) e.units = n.units;
      if (n.index) e.index = n.index;
      if (n.augments) e.augments = n.augments;
      if (n.objects) e.objects = n.objects;
      out.extra[i] = e;
    }
  });
  writeAtomic(dictFile(dir), JSON.stringify(out));
  writeAtomic(descFile(dir), JSON.stringify(c.descriptions.map((d) => d ?? null)));
}

/** Reads the cache when its fingerprint matches; undefined otherwise (missing, stale or unreadable). */
export function readCache(dir: string, fp: string): Omit<CompiledMibs, 'descriptions'> | undefined {
  let raw: CacheFile;
  try {
    raw = JSON.parse(readFileSync(dictFile(dir), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (raw.format !== CACHE_FORMAT || raw.fingerprint !== fp) return undefined;
  const { strings, syntaxes, cols, extra } = raw;
  const nodes: MibNode[] = new Array(raw.oid.length);
  for (let i = 0, c = 0; i < nodes.length; i++, c += 5) {
    const n: MibNode = { oid: raw.oid[i], name: raw.name[i], module: strings[cols[c]], kind: KINDS[cols[c + 1]] };
    if (cols[c + 2]) n.syntax = syntaxes[cols[c + 2] - 1];
    if (cols[c + 3]) n.access = strings[cols[c + 3]];
    if (cols[c + 4]) n.status = strings[cols[c + 4]];
    const e = extra[i];
    if (e) Object.assign(n, e);
    nodes[i] = n;
  }
  return { nodes, modules: raw.modules, errors: raw.errors, files: raw.files, compiledAt: raw.compiledAt };
}

/** Reads the cached descriptions (parallel to the nodes); empty when missing. */
export function readDescriptions(dir: string): (string | undefined)[] {
  try {
    return (JSON.parse(readFileSync(descFile(dir), 'utf8')) as (string | null)[]).map((d) => d ?? undefined);
  } catch {
    return [];
  }
}
