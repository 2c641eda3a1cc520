/**
 * Adding MIB files to a compiled dictionary without compiling the rest again: when the search path only gained files
 * (every file compiled last time is still there, unchanged), the new files are parsed together with the files of the
 * modules they import (found through the last compile's module list), resolved with the dictionary as the last
 * resort for names, and their nodes are appended to the dictionary's. Anything else — a changed or removed file, a
 * new file redefining a module already there, or a new definition that would take an OID's name from an existing
 * one — is left to a full compile (undefined).
 */
import type { OidDef, ParsedModule } from './ast.ts';
import { readCache, readCacheHeader } from './cache.ts';
import {
  buildNode,
  CORE_MODULES,
  parseSources,
  resolvedDefs,
  type CompiledMibs,
  type MibModuleInfo,
} from './compile.ts';
import { fileDescriptionSink, type DescriptionSink } from './descriptions.ts';
import type { MibFile } from './files.ts';
import { packNodes } from './packed.ts';
import { Resolver, WELL_KNOWN } from './resolve.ts';
import type { MibNode } from './types.ts';

/** Descriptions of dependency modules are already in the dictionary: not kept twice. */
const discard: DescriptionSink = {
  add: () => -1,
  finish: () => ({ count: 0, get: () => undefined, search: () => undefined }),
};

export interface IncrementalResult {
  compiled: CompiledMibs;
  /** Files parsed: the new ones and those of the modules they import. */
  parsedFiles: number;
  addedFiles: number;
}

/**
 * Compiles only what `files` adds to the dictionary cached in `cacheDir`, into a complete CompiledMibs whose
 * description files (appended to the old ones) `writeCache` moves into place. Undefined: do a full compile.
 */
export function compileAdded(
  cacheDir: string,
  files: MibFile[],
  onProgress?: (done: number, total: number) => void,
): IncrementalResult | undefined {
  const header = readCacheHeader(cacheDir);
  if (!header?.sources?.length) return undefined;
  const now = new Map(files.map((f) => [f.path, f]));
  for (const [path, size, mtimeMs] of header.sources) {
    const f = now.get(path);
    if (!f || f.size !== size || f.mtimeMs !== mtimeMs) return undefined;
  }
  const before = new Set(header.sources.map(([path]) => path));
  const added = files.filter((f) => !before.has(f.path));
  if (!added.length || added.length > files.length / 2) return undefined;
  const base = readCache(cacheDir, undefined);
  if (!base) return undefined;

  // New descriptions are appended to the old ones, so ids already in the dictionary stay valid.
  const sink = fileDescriptionSink(cacheDir, { appendTo: cacheDir });
  try {
    const fresh = parseSources(
      added.map((f) => ({ file: f.path })),
      sink,
      onProgress,
    );
    const known = new Map(base.modules.map((m) => [m.name, m]));
    if (fresh.modules.some((m) => known.has(m.name))) return abort(sink);
    // The files of the modules the new ones import, and theirs in turn.
    const depFiles = new Set<string>();
    // The resolver falls back on the well-known modules when a vendor imports from the wrong place: parse them too.
    const queue = [...fresh.modules.flatMap((m) => [...m.imports.values()]), ...WELL_KNOWN];
    const deps: ParsedModule[] = [];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const file = known.get(name)?.file;
      if (!file || depFiles.has(file)) continue;
      depFiles.add(file);
      for (const m of parseSources([{ file }], discard).modules) {
        deps.push(m);
        queue.push(...m.imports.values());
      }
    }
    const t = base.table;
    const r = new Resolver([...deps, ...fresh.modules], (name) => {
      const i = t.findName(name);
      return i >= 0 ? t.oid(i) : undefined;
    });
    const v2 = new Set(
      [...deps, ...fresh.modules].filter((m) => m.defs.some((d) => d.kind === 'module')).map((m) => m.name),
    );
    for (const m of base.modules) if (m.oid) v2.add(m.name);
    const rank = (module: string): number => (CORE_MODULES.has(module) ? 0 : v2.has(module) ? 1 : 2);

    const infos: MibModuleInfo[] = [];
    const primaries: { mod: ParsedModule; def: OidDef; oid: string }[] = [];
    const aliases: { mod: ParsedModule; def: OidDef; oid: string }[] = [];
    const placed = new Map<string, { mod: ParsedModule; def: OidDef; names: string[] }>();
    for (const { mod, def, oid } of resolvedDefs(r, fresh.modules, infos)) {
      const q = `${mod.name}::${def.name}`;
      const existing = t.findOid(oid);
      if (existing >= 0) {
        // The dictionary has this OID: the new name is an alias, unless it would win the OID (a real definition
        // over a bare node, SMIv2 over SMIv1), which only a full compile orders right.
        if (!def.implicit && (t.isImplicit(existing) || rank(mod.name) < rank(t.module(existing)))) return abort(sink);
        aliases.push({ mod, def, oid });
        continue;
      }
      const first = placed.get(oid);
      if (!first) {
        placed.set(oid, { mod, def, names: [q] });
        primaries.push({ mod, def, oid });
      } else if (!first.names.includes(q)) {
        if (!def.implicit && (first.def.implicit || rank(mod.name) < rank(first.mod.name))) return abort(sink);
        first.names.push(q);
        aliases.push({ mod, def, oid });
      }
    }
    // The dictionary's nodes as they are (primaries, then aliases), then the new primaries, then the new aliases.
    const rows = [...primaries, ...aliases];
    const n = t.length;
    const node = (i: number): MibNode =>
      i < n ? t.build(i) : buildNode(r, rows[i - n].mod, rows[i - n].def, rows[i - n].oid);
    const packed = packNodes({
      length: n + rows.length,
      oid: (i) => (i < n ? t.oid(i) : rows[i - n].oid),
      name: (i) => (i < n ? t.name(i) : rows[i - n].def.name),
      node,
      descId: (i) => (i < n ? t.descId(i) : (rows[i - n].def.descId ?? -1)),
      implicit: (i) => (i < n ? t.isImplicit(i) : !!rows[i - n].def.implicit),
    });
    const descriptions = sink.finish();
    return {
      compiled: {
        packed,
        count: n + rows.length,
        descriptions,
        descriptionFiles: sink,
        modules: [...base.modules, ...infos],
        errors: [...base.errors, ...fresh.errors],
        files: files.length,
        compiledAt: Date.now(),
      },
      parsedFiles: added.length + depFiles.size,
      addedFiles: added.length,
    };
  } catch (error) {
    sink.abort();
    throw error;
  }
}

function abort(sink: { abort(): void }): undefined {
  sink.abort();
  return undefined;
}
