import { readFileSync } from 'node:fs';
import type { OidDef, ParsedModule, SyntaxSpec } from './ast.ts';
import { memoryDescriptions, type DescriptionSink, type DescriptionStore } from './descriptions.ts';
import { packNodes, type PackedColumns, type PackedHeader } from './packed.ts';
import { listMibFiles } from './files.ts';
import { parseMibText } from './parser.ts';
import { Resolver } from './resolve.ts';
import type { MibError, MibIndexPart, MibNode, MibNodeKind } from './types.ts';

/** A module as listed by the dictionary. */
export interface MibModuleInfo {
  name: string;
  file: string;
  oid?: string;
  lastUpdated?: string;
  revisions?: { date: string; description: string }[];
}

/** The flat compiled dictionary: what the cache stores and `MibDictionaryImpl` serves. */
export interface CompiledMibs {
  /**
   * The nodes, packed (see packed.ts): the primary node first for each OID; aliases (other names for an OID already
   * present) follow later. Packed during the compile, so that 570,000 node objects never exist at once.
   */
  packed: { header: PackedHeader; columns: PackedColumns };
  /** How many nodes (primary and aliases). */
  count: number;
  /** The descriptions, by id: in memory, or (spilled to files while compiling) empty until the cache is written. */
  descriptions: DescriptionStore;
  /** Set when the descriptions went to files: writing the cache moves them into place. */
  descriptionFiles?: { commit(): void };
  modules: MibModuleInfo[];
  errors: MibError[];
  files: number;
  compiledAt: number;
}

/** Modules whose names win over copies of the same name elsewhere. */
export const CORE_MODULES = new Set(['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'RFC1155-SMI']);

const isRow = (r: Resolver, mod: ParsedModule, def: OidDef): boolean =>
  def.kind === 'object' &&
  (!!def.index ||
    !!def.augments ||
    (!!def.syntax && def.syntax.type !== 'SEQUENCE OF' && r.isSequence(mod, def.syntax.type)));

const objectKind = (r: Resolver, mod: ParsedModule, def: OidDef): MibNodeKind => {
  if (def.syntax?.type === 'SEQUENCE OF') return 'table';
  if (isRow(r, mod, def)) return 'row';
  // A column sits right under its row, which its module defines (checked by name: no OID text to cut).
  const parent = def.sub.indexOf('.') < 0 ? r.localDef(mod, def.parent) : undefined;
  if (parent && isRow(r, mod, parent)) return 'column';
  return 'scalar';
};

/** Options of a compile. */
export interface CompileOptions {
  now?: number;
  onProgress?: (done: number, total: number) => void;
  /** Where descriptions go as they are parsed (default: memory). A file sink keeps ~90 MB of text out of the heap. */
  descriptions?: DescriptionSink & { commit?(): void };
}

/**
 * Parses and resolves MIB files (in search-path order: earlier modules win name clashes). A source without `text` is
 * read when its turn comes, so only one file's bytes are in memory at a time.
 */
/**
 * Parses files in order, one at a time (a source without `text` is read when its turn comes), sending descriptions to
 * `sink` as they come. Identifiers and syntaxes are shared across all the files of one call.
 */
export function parseSources(
  sources: { file: string; text?: Buffer | string }[],
  sink: DescriptionSink,
  onProgress?: (done: number, total: number) => void,
): { modules: ParsedModule[]; errors: MibError[] } {
  const modules: ParsedModule[] = [];
  const errors: MibError[] = [];
  let done = 0;
  const pool = new Map<string, string>();
  const specs = new Map<string, SyntaxSpec>();
  for (const { file, text } of sources) {
    if (onProgress && done++ % 100 === 0) onProgress(done - 1, sources.length);
    let bytes: Buffer | string;
    try {
      bytes = text ?? readFileSync(file);
    } catch (error) {
      errors.push({ file, line: 1, reason: `unreadable: ${(error as Error).message}` });
      continue;
    }
    try {
      const r = parseMibText(bytes, file, pool, specs);
      for (const m of r.modules) {
        // Descriptions leave the heap now; the nodes keep only their ids. TC descriptions and revision texts
        // are never shown, so they are not kept at all.
        for (const d of m.defs) {
          if (d.description !== undefined) {
            d.descId = sink.add(d.description);
            d.description = undefined;
          }
          d.revisions = undefined;
        }
        for (const t of m.types.values()) t.description = undefined;
        modules.push(m);
      }
      errors.push(...r.errors);
    } catch (error) {
      // A parser bug on one file must not stop the others.
      errors.push({ file, line: 1, reason: `internal parser error: ${(error as Error).message}` });
    }
  }
  onProgress?.(sources.length, sources.length);
  return { modules, errors };
}

export function compileSources(
  sources: { file: string; text?: Buffer | string }[],
  opts: CompileOptions = {},
): CompiledMibs {
  const { now = Date.now(), onProgress } = opts;
  const sink = opts.descriptions ?? memoryDescriptions();
  // The strings and specs stay referenced from the definitions; the lookup tables that made them unique go with
  // parseSources' return.
  const { modules, errors } = parseSources(sources, sink, onProgress);
  const r = new Resolver(modules);
  // Every definition with an OID, in the order met (search path, then file order): two parallel arrays, not an
  // object each, since there are 570,000 of them.
  const defs: OidDef[] = [];
  const mods: ParsedModule[] = [];
  const infos: MibModuleInfo[] = [];
  const v2 = new Set(modules.filter((m) => m.defs.some((d) => d.kind === 'module')).map((m) => m.name));
  const rank = (module: string): number => (CORE_MODULES.has(module) ? 0 : v2.has(module) ? 1 : 2);
  for (const { mod, def } of resolvedDefs(r, modules, infos)) {
    defs.push(def);
    mods.push(mod);
  }
  const oidOf = (k: number) => r.defOid(mods[k], defs[k])!;
  // Definitions of one OID side by side (sorted by OID, then by when they were met): no map of 570,000 OIDs.
  const byOid = new Uint32Array(defs.length);
  for (let k = 0; k < byOid.length; k++) byOid[k] = k;
  byOid.sort((a, b) => {
    const x = oidOf(a);
    const y = oidOf(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  // Per OID: the primary definition, and the others as aliases, each placed when the definition that made it one
  // was met, so that the order is that of reading every definition in turn.
  const primaryOf = new Int32Array(defs.length).fill(-1);
  const aliasKeys: number[] = [];
  const aliasDefs: number[] = [];
  for (let g = 0; g < byOid.length; ) {
    const oid = oidOf(byOid[g]);
    let end = g + 1;
    while (end < byOid.length && oidOf(byOid[end]) === oid) end++;
    let prim = byOid[g];
    const firstMet = prim;
    if (end - g > 1) {
      let implicit = !!defs[prim].implicit;
      const seen = [`${mods[prim].name}::${defs[prim].name}`];
      for (let x = g + 1; x < end; x++) {
        const k = byOid[x];
        const q = `${mods[k].name}::${defs[k].name}`;
        if (seen.includes(q)) continue;
        seen.push(q);
        if (!defs[k].implicit && (implicit || rank(mods[k].name) < rank(mods[prim].name))) {
          // An `org(3)`-style label loses to a real definition of the same OID; a copy of a core name
          // (a vendor's own `enterprises`) to the SMI module's, and an SMIv1 copy (RFC1213-MIB::sysDescr)
          // to its SMIv2 successor (SNMPv2-MIB::sysDescr), as net-snmp shows them.
          aliasKeys.push(k);
          aliasDefs.push(prim);
          prim = k;
          implicit = false;
        } else {
          aliasKeys.push(k);
          aliasDefs.push(k);
        }
      }
    }
    primaryOf[firstMet] = prim;
    g = end;
  }
  // Final order: primaries by when their OID was first met, then aliases by when they became aliases.
  let primaryCount = 0;
  for (let k = 0; k < defs.length; k++) if (primaryOf[k] >= 0) primaryCount++;
  const order = new Uint32Array(primaryCount + aliasKeys.length);
  let placed = 0;
  for (let k = 0; k < defs.length; k++) if (primaryOf[k] >= 0) order[placed++] = primaryOf[k];
  const aliasOrder = aliasKeys.map((_, x) => x).sort((a, b) => aliasKeys[a] - aliasKeys[b] || a - b);
  for (const x of aliasOrder) order[placed++] = aliasDefs[x];
  const packed = packNodes({
    length: order.length,
    oid: (i) => oidOf(order[i]),
    name: (i) => defs[order[i]].name,
    node: (i) => buildNode(r, mods[order[i]], defs[order[i]], oidOf(order[i])),
    descId: (i) => defs[order[i]].descId ?? -1,
    implicit: (i) => !!defs[order[i]].implicit,
  });
  const descriptions = sink.finish();
  return {
    packed,
    count: order.length,
    descriptions,
    ...(opts.descriptions?.commit ? { descriptionFiles: opts.descriptions as { commit(): void } } : {}),
    modules: infos,
    errors,
    files: sources.length,
    compiledAt: now,
  };
}

/**
 * Every definition that resolved to an OID, module by module in order (a later copy of a module loaded from earlier
 * in the search path is passed over); each module's info goes to `infos` as it is reached.
 */
export function* resolvedDefs(
  r: Resolver,
  modules: ParsedModule[],
  infos: MibModuleInfo[],
): Generator<{ mod: ParsedModule; def: OidDef; oid: string }> {
  for (const mod of modules) {
    if (r.modules.get(mod.name) !== mod) continue;
    const info: MibModuleInfo = { name: mod.name, file: mod.file };
    infos.push(info);
    for (const def of mod.defs) {
      const oid = r.defOid(mod, def);
      if (!oid) continue;
      if (def.kind === 'module') {
        info.oid = oid;
        if (def.lastUpdated) info.lastUpdated = def.lastUpdated;
      }
      yield { mod, def, oid };
    }
  }
}

export function buildNode(r: Resolver, mod: ParsedModule, def: OidDef, oid: string): MibNode {
  const kind: MibNodeKind = def.kind === 'object' ? objectKind(r, mod, def) : def.kind;
  const node: MibNode = { oid, name: def.name, module: mod.name, kind };
  if (def.syntax) node.syntax = r.syntaxOf(mod, def.syntax);
  if (def.access) node.access = def.access;
  if (def.status) node.status = def.status;
  if (def.units) node.units = def.units;
  if (def.index) {
    node.index = [];
    for (const x of def.index) {
      const part: MibIndexPart = { name: x.name };
      const o = r.oidOf(mod, x.name);
      if (o) part.oid = o;
      if (x.implied) part.implied = true;
      node.index.push(part);
    }
  }
  if (def.augments) {
    const a = r.oidOf(mod, def.augments);
    if (a) node.augments = a;
  }
  if (def.objects) {
    node.objects = [];
    for (const name of def.objects) {
      const o = r.oidOf(mod, name);
      node.objects.push(o ? { name, oid: o } : { name });
    }
  }
  return node;
}

/** Reads every MIB file under `dirs` (search-path order) and compiles them, synchronously. For tests and the CLI. */
export function compileMibs(dirs: string[]): CompiledMibs {
  const files = listMibFiles(dirs);
  return compileSources(files.map((f) => ({ file: f.path })));
}
