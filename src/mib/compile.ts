import { readFileSync } from 'node:fs';
import type { OidDef, ParsedModule } from './ast.ts';
import { listMibFiles } from './files.ts';
import { parseMibText } from './parser.ts';
import { Resolver } from './resolve.ts';
import type { MibError, MibNode, MibNodeKind } from './types.ts';

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
  /** Descriptions, parallel to `nodes`; kept apart so the hot structures stay small. */
  descriptions: (string | undefined)[];
  modules: MibModuleInfo[];
  errors: MibError[];
  files: number;
  compiledAt: number;
}

const objectKind = (r: Resolver, mod: ParsedModule, def: OidDef): MibNodeKind => {
  if (def.syntax?.type === 'SEQUENCE OF') return 'table';
  if (def.index || def.augments) return 'row';
  if (def.syntax && r.isSequence(mod, def.syntax.type)) return 'row';
  return 'scalar';
};

/** Parses and resolves MIB texts (in search-path order: earlier modules win name clashes). */
export function compileSources(sources: { file: string; text: string }[], now = Date.now()): CompiledMibs {
  const modules: ParsedModule[] = [];
  const errors: MibError[] = [];
  for (const { file, text } of sources) {
    try {
      const r = parseMibText(text, file);
      modules.push(...r.modules);
      errors.push(...r.errors);
    } catch (error) {
      // A parser bug on one file must not stop the others.
      errors.push({ file, line: 1, reason: `internal parser error: ${(error as Error).message}` });
    }
  }
  const r = new Resolver(modules);
  const nodes: MibNode[] = [];
  const descriptions: (string | undefined)[] = [];
  const primary = new Map<string, number>();
  const aliases: { node: MibNode; description?: string }[] = [];
  const seen = new Set<string>();
  const implicitAt = new Set<number>();
  const infos: MibModuleInfo[] = [];
  for (const mod of modules) {
    if (r.modules.get(mod.name) !== mod) {
      continue; // a later copy of a module already loaded from earlier in the search path
    }
    const info: MibModuleInfo = { name: mod.name, file: mod.file };
    infos.push(info);
    for (const def of mod.defs) {
      const oid = r.defOid(mod, def);
      if (!oid) continue;
      const key = `${oid} ${def.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const kind: MibNodeKind = def.kind === 'object' ? objectKind(r, mod, def) : def.kind;
      const node: MibNode = { oid, name: def.name, module: mod.name, kind };
      if (def.syntax) node.syntax = r.syntaxOf(mod, def.syntax);
      if (def.access) node.access = def.access;
      if (def.status) node.status = def.status;
      if (def.units) node.units = def.units;
      if (def.index) node.index = def.index.map((x) => ({ ...x, ...optOid(r.oidOf(mod, x.name)) }));
      if (def.augments) {
        const a = r.oidOf(mod, def.augments);
        if (a) node.augments = a;
      }
      if (def.objects) node.objects = def.objects.map((name) => ({ name, ...optOid(r.oidOf(mod, name)) }));
      if (def.kind === 'module') {
        info.oid = oid;
        if (def.lastUpdated) info.lastUpdated = def.lastUpdated;
        if (def.revisions) info.revisions = def.revisions;
      }
      const at = primary.get(oid);
      if (at === undefined) {
        if (def.implicit) implicitAt.add(nodes.length);
        primary.set(oid, nodes.length);
        nodes.push(node);
        descriptions.push(def.description);
      } else if (implicitAt.has(at) && !def.implicit) {
        implicitAt.delete(at);
        // An `org(3)`-style label loses to a real definition of the same OID.
        aliases.push({ node: nodes[at], description: descriptions[at] });
        nodes[at] = node;
        descriptions[at] = def.description;
      } else aliases.push({ node, description: def.description });
    }
  }
  // Columns: objects whose parent is a row.
  for (const node of nodes) {
    if (node.kind !== 'scalar') continue;
    const p = primary.get(node.oid.slice(0, node.oid.lastIndexOf('.')));
    if (p !== undefined && nodes[p].kind === 'row') node.kind = 'column';
  }
  for (const a of aliases) {
    if (a.node.kind === 'scalar') {
      const p = primary.get(a.node.oid.slice(0, a.node.oid.lastIndexOf('.')));
      if (p !== undefined && nodes[p].kind === 'row') a.node.kind = 'column';
    }
    nodes.push(a.node);
    descriptions.push(a.description);
  }
  return { nodes, descriptions, modules: infos, errors, files: sources.length, compiledAt: now };
}

const optOid = (oid: string | undefined): { oid?: string } => (oid ? { oid } : {});

/** Reads every MIB file under `dirs` (search-path order) and compiles them, synchronously. For tests and the CLI. */
export function compileMibs(dirs: string[]): CompiledMibs {
  const files = listMibFiles(dirs);
  return compileSources(files.map((f) => ({ file: f.path, text: readFileSync(f.path, 'latin1') })));
}
