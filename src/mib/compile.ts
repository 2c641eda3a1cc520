import { readFileSync } from 'node:fs';
import type { OidDef, ParsedModule } from './ast.ts';
import { memoryDescriptions, type DescriptionSink, type DescriptionStore } from './descriptions.ts';
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
  /** Primary node first for each OID; aliases (other names for an OID already present) follow it later in the list. */
  nodes: MibNode[];
  /** Description id of each node (parallel to `nodes`), -1 for none. */
  descIds: number[];
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
const CORE_MODULES = new Set(['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'RFC1155-SMI']);

const isRow = (r: Resolver, mod: ParsedModule, def: OidDef): boolean =>
  def.kind === 'object' && (!!def.index || !!def.augments || (!!def.syntax && def.syntax.type !== 'SEQUENCE OF' && r.isSequence(mod, def.syntax.type)));

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
export function compileSources(sources: { file: string; text?: Buffer | string }[], opts: CompileOptions = {}): CompiledMibs {
  const { now = Date.now(), onProgress } = opts;
  const sink = opts.descriptions ?? memoryDescriptions();
  const modules: ParsedModule[] = [];
  const errors: MibError[] = [];
  let done = 0;
  const pool = new Map<string, string>();
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
      const r = parseMibText(bytes, file, pool);
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
  const r = new Resolver(modules);
  const nodes: MibNode[] = [];
  const descIds: number[] = [];
  const primary = new Map<string, number>();
  const aliases: { node: MibNode; descId: number }[] = [];
  const implicitAt = new Set<number>();
  /** Names already placed at an OID that has more than one (rare), to drop exact repeats. */
  const multi = new Map<string, string[]>();
  const infos: MibModuleInfo[] = [];
  const v2 = new Set(modules.filter((m) => m.defs.some((d) => d.kind === 'module')).map((m) => m.name));
  const rank = (module: string): number => (CORE_MODULES.has(module) ? 0 : v2.has(module) ? 1 : 2);
  for (const mod of modules) {
    if (r.modules.get(mod.name) !== mod) continue; // a later copy of a module loaded from earlier in the search path
    const info: MibModuleInfo = { name: mod.name, file: mod.file };
    infos.push(info);
    for (const def of mod.defs) {
      const oid = r.defOid(mod, def);
      if (!oid) continue;
      const at = primary.get(oid);
      if (at !== undefined) {
        let seen = multi.get(oid);
        if (!seen) multi.set(oid, (seen = [`${nodes[at].module}::${nodes[at].name}`]));
        const q = `${mod.name}::${def.name}`;
        if (seen.includes(q)) continue;
        seen.push(q);
      }
      const node = buildNode(r, mod, def, oid);
      if (def.kind === 'module') {
        info.oid = oid;
        if (def.lastUpdated) info.lastUpdated = def.lastUpdated;
      }
      if (at === undefined) {
        if (def.implicit) implicitAt.add(nodes.length);
        primary.set(oid, nodes.length);
        nodes.push(node);
        descIds.push(def.descId ?? -1);
      } else if (!def.implicit && (implicitAt.has(at) || rank(mod.name) < rank(nodes[at].module))) {
        // An `org(3)`-style label loses to a real definition of the same OID; a copy of a core name
        // (a vendor's own `enterprises`) to the SMI module's, and an SMIv1 copy (RFC1213-MIB::sysDescr)
        // to its SMIv2 successor (SNMPv2-MIB::sysDescr), as net-snmp shows them.
        implicitAt.delete(at);
        aliases.push({ node: nodes[at], descId: descIds[at] });
        nodes[at] = node;
        descIds[at] = def.descId ?? -1;
      } else aliases.push({ node, descId: def.descId ?? -1 });
    }
  }
  for (const a of aliases) {
    nodes.push(a.node);
    descIds.push(a.descId);
  }
  const descriptions = sink.finish();
  return { nodes, descIds, descriptions, ...(opts.descriptions?.commit ? { descriptionFiles: opts.descriptions as { commit(): void } } : {}), modules: infos, errors, files: sources.length, compiledAt: now };
}

function buildNode(r: Resolver, mod: ParsedModule, def: OidDef, oid: string): MibNode {
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
