import type { OidDef, ParsedModule, SyntaxSpec, TypeDef } from './ast.ts';
import type { MibSyntax } from './types.ts';

/** Types that end a TEXTUAL-CONVENTION chain (SMIv1 names mapped to their SMIv2 equivalents). */
const BASE_TYPES: Record<string, string> = {
  INTEGER: 'INTEGER',
  Integer32: 'Integer32',
  Unsigned32: 'Unsigned32',
  Gauge32: 'Gauge32',
  Gauge: 'Gauge32',
  Counter32: 'Counter32',
  Counter: 'Counter32',
  Counter64: 'Counter64',
  TimeTicks: 'TimeTicks',
  IpAddress: 'IpAddress',
  NetworkAddress: 'IpAddress',
  Opaque: 'Opaque',
  'OCTET STRING': 'OCTET STRING',
  'OBJECT IDENTIFIER': 'OBJECT IDENTIFIER',
  BITS: 'BITS',
  'SEQUENCE OF': 'SEQUENCE OF',
  SEQUENCE: 'SEQUENCE',
  CHOICE: 'CHOICE',
};

/** Modules that satisfy imports vendors get wrong (wrong module named, or module absent). */
export const WELL_KNOWN = [
  'SNMPv2-SMI',
  'SNMPv2-TC',
  'SNMPv2-CONF',
  'RFC1155-SMI',
  'RFC1213-MIB',
  'RFC-1212',
  'RFC-1215',
  'SNMPv2-MIB',
  'IF-MIB',
];

const ROOTS: Record<string, string> = { iso: '1', ccitt: '0', 'joint-iso-ccitt': '2' };

/**
 * Resolves names across modules: a module's own definitions first, then its IMPORTS by module name,
 * then well-known modules, then any module defining the name (how net-snmp links by label), so that
 * vendor files with wrong or missing imports still resolve.
 */
export class Resolver {
  readonly modules = new Map<string, ParsedModule>();
  private readonly local = new Map<ParsedModule, Map<string, OidDef>>();
  private readonly loaded: ParsedModule[];
  /** Names found only by scanning every module (vendor files with wrong imports): rare, so scanned, then remembered. */
  private readonly scanned = new Map<string, { mod: ParsedModule; def: OidDef } | null>();
  private readonly globalTypes = new Map<string, { mod: ParsedModule; td: TypeDef }>();
  private readonly syntaxMemo = new Map<ParsedModule, Map<string, MibSyntax>>();

  /**
   * @param external OIDs of names no loaded module defines, from elsewhere (a compiled dictionary that an incremental
   *   compile adds to), asked last.
   */
  constructor(
    modules: ParsedModule[],
    private readonly external?: (name: string) => string | undefined,
  ) {
    for (const mod of modules) {
      if (!this.modules.has(mod.name)) this.modules.set(mod.name, mod);
    }
    this.loaded = modules;
    // One small map per module: far cheaper to build than one map of every name in the corpus.
    for (const mod of modules) {
      const local = new Map<string, OidDef>();
      for (const def of mod.defs) {
        const prev = local.get(def.name);
        if (!prev || (prev.implicit && !def.implicit)) local.set(def.name, def);
      }
      this.local.set(mod, local);
      for (const [name, td] of mod.types) if (!this.globalTypes.has(name)) this.globalTypes.set(name, { mod, td });
    }
  }

  /** Numeric OID of a name as seen from a module, or undefined. */
  oidOf(mod: ParsedModule, name: string, depth = 0): string | undefined {
    const def = this.local.get(mod)?.get(name);
    if (def) {
      const r = this.defOid(mod, def);
      if (r) return r;
    }
    if (depth < 8) {
      const from = mod.imports.get(name);
      const src = from === undefined ? undefined : this.modules.get(from);
      if (src && src !== mod) {
        const r = this.oidOf(src, name, depth + 1);
        if (r) return r;
      }
    }
    const root = ROOTS[name];
    if (root) return root;
    if (depth === 0) {
      for (const wk of WELL_KNOWN) {
        const m = this.modules.get(wk);
        const d = m && this.local.get(m)?.get(name);
        if (d && m) {
          const r = this.defOid(m, d);
          if (r) return r;
        }
      }
      const g = this.scan(name);
      if (g && g.mod !== mod) return this.defOid(g.mod, g.def) ?? undefined;
      if (this.external) return this.external(name);
    }
    return undefined;
  }

  /** A module's own definition of a name. */
  localDef(mod: ParsedModule, name: string): OidDef | undefined {
    return this.local.get(mod)?.get(name);
  }

  /** The first module (a real definition before an `org(3)`-style label) defining a name. */
  private scan(name: string): { mod: ParsedModule; def: OidDef } | null {
    let hit = this.scanned.get(name);
    if (hit !== undefined) return hit;
    hit = null;
    for (const mod of this.loaded) {
      const def = this.local.get(mod)?.get(name);
      if (def && (!hit || (hit.def.implicit && !def.implicit))) {
        hit = { mod, def };
        if (!def.implicit) break;
      }
    }
    this.scanned.set(name, hit);
    return hit;
  }

  /** OID of one definition (memoised on the def; null while in progress or unresolvable). */
  defOid(mod: ParsedModule, def: OidDef): string | undefined {
    const r = def;
    if (r.oid !== undefined) return r.oid ?? undefined;
    r.oid = null;
    let base: string | undefined;
    if (def.parent === '') base = '';
    else base = this.oidOf(mod, def.parent);
    if (base === undefined) return undefined;
    const joined = base === '' ? def.sub : def.sub === '' ? base : `${base}.${def.sub}`;
    if (joined === '') return undefined;
    // One flat copy: a joined string is a tree of its parts (V8 cons strings), which costs twice its text once
    // something hashes it, for each of 570,000 OIDs.
    const oid = Buffer.from(joined, 'latin1').toString('latin1');
    r.oid = oid;
    return oid;
  }

  private typeOf(mod: ParsedModule, name: string, depth = 0): { mod: ParsedModule; td: TypeDef } | undefined {
    const td = mod.types.get(name);
    if (td) return { mod, td };
    if (depth < 8) {
      const from = mod.imports.get(name);
      const src = from === undefined ? undefined : this.modules.get(from);
      if (src && src !== mod) {
        const r = this.typeOf(src, name, depth + 1);
        if (r) return r;
      }
    }
    if (depth === 0) {
      for (const wk of WELL_KNOWN) {
        const m = this.modules.get(wk);
        const t = m?.types.get(name);
        if (m && t) return { mod: m, td: t };
      }
      return this.globalTypes.get(name);
    }
    return undefined;
  }

  /** Follows a type reference through TEXTUAL-CONVENTIONs to its base type, memoised per module and name. */
  private resolveRef(mod: ParsedModule, name: string): MibSyntax {
    let memo = this.syntaxMemo.get(mod);
    if (!memo) this.syntaxMemo.set(mod, (memo = new Map()));
    const hit = memo.get(name);
    if (hit) return hit;
    const out: MibSyntax = { type: name };
    let cur: SyntaxSpec = { type: name };
    let curMod = mod;
    for (let depth = 0; depth < 12; depth++) {
      const base = BASE_TYPES[cur.type];
      if (base) {
        out.type = base;
        break;
      }
      const found = this.typeOf(curMod, cur.type);
      if (!found) break; // unknown type: keep its name
      if (found.td.tc && !out.tc) {
        out.tc = cur.type;
        out.tcModule = found.mod.name;
      }
      if (!out.hint && found.td.hint) out.hint = found.td.hint;
      cur = found.td.syntax;
      curMod = found.mod;
      if (!out.enums && cur.enums) out.enums = cur.enums;
      if (!out.range && cur.range) out.range = cur.range;
      if (!out.size && cur.size) out.size = cur.size;
      out.type = cur.type;
    }
    memo.set(name, out);
    return out;
  }

  /** A SYNTAX clause resolved to its base type, with the object's own refinements on top. */
  syntaxOf(mod: ParsedModule, spec: SyntaxSpec): MibSyntax {
    if (spec.type === 'SEQUENCE OF') return { type: 'SEQUENCE OF', ...(spec.of ? { of: spec.of } : {}) };
    const ref = this.resolveRef(mod, spec.type);
    if (!spec.enums && !spec.range && !spec.size) return ref; // shared object: dedupes in the cache
    const out: MibSyntax = { ...ref };
    if (spec.enums) out.enums = spec.enums;
    if (spec.range) out.range = spec.range;
    if (spec.size) out.size = spec.size;
    return out;
  }

  /** Whether a type name is (or resolves to) a SEQUENCE, i.e. names a table row. */
  isSequence(mod: ParsedModule, name: string): boolean {
    return this.resolveRef(mod, name).type === 'SEQUENCE';
  }
}
