import type { CompiledMibs, MibModuleInfo } from './compile.ts';
import { arrayTable, type NodeTable } from './table.ts';
import { vendorFromSysObjectId } from './enterprises.ts';
import { formatInteger, formatOctets, formatTimeTicks } from './format.ts';
import { decodeInstance, encodeInstance, splitInstance, type IndexSpec } from './instance.ts';
import type { MibBrowser, MibError, MibNode, MibObjectDetails, MibSyntax, TranslatedOid } from './types.ts';

const NUMERIC = /^\.?\d+(\.\d+)*$/;
const HEX = /^(0x)?([0-9a-f]{2})([ :-]?[0-9a-f]{2})*$/i;

/** Where the descriptions come from: in memory, or read lazily (from the cache) on first use. */
export type DescriptionSource = (string | undefined)[] | (() => (string | undefined)[]);

/**
 * The compiled dictionary in memory: OID ↔ name both ways with instance suffixes, value formatting,
 * search and tree browsing. Build it with `loadMibDictionary` (cached) or from `compileMibs` (tests).
 * @example dict.translate('1.3.6.1.2.1.2.2.1.10.3').full // 'IF-MIB::ifInOctets.3'
 */
export class MibDictionaryImpl implements MibBrowser {
  private readonly table: NodeTable;
  readonly modules: MibModuleInfo[];
  private readonly fileErrors: MibError[];
  private readonly byOid = new Map<string, number>();
  // Name indexes are built on first use: start-up (and translate, the hot path) needs only byOid.
  private nameIndex?: Map<string, number>;
  private qualifiedIndex?: Map<string, number>;
  private childIndex?: Map<string, number[]>;
  private descriptionSource: DescriptionSource;
  private readonly meta: { files: number; compiledAt: number };

  constructor(data: Omit<CompiledMibs, 'descriptions' | 'nodes'> & ({ nodes: MibNode[] } | { table: NodeTable }), descriptions: DescriptionSource) {
    this.table = 'table' in data ? data.table : arrayTable(data.nodes);
    this.modules = data.modules;
    this.fileErrors = data.errors;
    this.meta = { files: data.files, compiledAt: data.compiledAt };
    this.descriptionSource = descriptions;
    const t = this.table;
    for (let i = 0; i < t.length; i++) {
      const oid = t.oid(i);
      if (!this.byOid.has(oid)) this.byOid.set(oid, i);
    }
  }

  private get byName(): Map<string, number> {
    if (!this.nameIndex) {
      this.nameIndex = new Map();
      for (let i = 0; i < this.table.length; i++) if (!this.nameIndex.has(this.table.name(i))) this.nameIndex.set(this.table.name(i), i);
    }
    return this.nameIndex;
  }

  private get byQualified(): Map<string, number> {
    if (!this.qualifiedIndex) {
      this.qualifiedIndex = new Map();
      for (let i = 0; i < this.table.length; i++) {
        const q = `${this.table.module(i)}::${this.table.name(i)}`;
        if (!this.qualifiedIndex.has(q)) this.qualifiedIndex.set(q, i);
      }
    }
    return this.qualifiedIndex;
  }

  private descriptions(): (string | undefined)[] {
    if (typeof this.descriptionSource === 'function') this.descriptionSource = this.descriptionSource();
    return this.descriptionSource;
  }

  /** Node number of a node object handed out by this dictionary. */
  private indexOf(node: MibNode): number {
    const primary = this.byOid.get(node.oid);
    if (primary !== undefined && this.table.at(primary) === node) return primary;
    for (let i = 0; i < this.table.length; i++) if (this.table.oid(i) === node.oid && this.table.at(i) === node) return i;
    return -1;
  }

  /** The primary node at exactly this numeric OID. */
  node(oid: string): MibNode | undefined {
    const i = this.byOid.get(oid.startsWith('.') ? oid.slice(1) : oid);
    return i === undefined ? undefined : this.table.at(i);
  }

  /** The node for a name (`MODULE::name` or `name`), exact. */
  nodeByName(name: string): MibNode | undefined {
    const i = name.includes('::') ? this.byQualified.get(name) : this.byName.get(name);
    return i === undefined ? undefined : this.table.at(i);
  }

  /** Longest known prefix of an OID. */
  private longest(oid: string): MibNode | undefined {
    let p = oid;
    for (;;) {
      const i = this.byOid.get(p);
      if (i !== undefined) return this.table.at(i);
      const dot = p.lastIndexOf('.');
      if (dot < 0) return undefined;
      p = p.slice(0, dot);
    }
  }

  /** The INDEX of the row a column (or row) belongs to, with each index object's syntax. */
  indexSpecs(node: MibNode): IndexSpec[] | undefined {
    let row: MibNode | undefined = node.kind === 'row' ? node : node.kind === 'column' ? this.node(node.oid.slice(0, node.oid.lastIndexOf('.'))) : undefined;
    for (let hops = 0; row?.augments && !row.index && hops < 4; hops++) row = this.node(row.augments);
    if (!row?.index) return undefined;
    return row.index.map((part) => {
      const target = part.oid ? this.node(part.oid) : this.byName.has(part.name) ? this.table.at(this.byName.get(part.name)!) : undefined;
      return target?.syntax ? { part, syntax: target.syntax } : { part };
    });
  }

  translate(oid: string): TranslatedOid {
    const clean = oid.startsWith('.') ? oid.slice(1) : oid;
    const node = NUMERIC.test(clean) ? this.longest(clean) : undefined;
    if (!node) return { oid: clean, full: clean };
    const base = `${node.module}::${node.name}`;
    if (node.oid.length === clean.length) return { oid: clean, full: base, module: node.module, name: node.name };
    const instance = clean.slice(node.oid.length + 1);
    const out: TranslatedOid = { oid: clean, full: `${base}.${instance}`, module: node.module, name: node.name, instance };
    if (node.kind === 'column') {
      const specs = this.indexSpecs(node);
      const decoded = specs && decodeInstance(specs, instance.split('.').map(Number));
      if (decoded) {
        out.index = decoded.map(({ name, value }) => ({ name, value }));
        out.full = `${base}.${decoded.map((d) => d.text).join('.')}`;
      }
    }
    return out;
  }

  resolve(name: string): string | undefined {
    const text = name.trim();
    if (NUMERIC.test(text)) return text.startsWith('.') ? text.slice(1) : text;
    const sep = text.indexOf('::');
    const module = sep >= 0 ? text.slice(0, sep) : undefined;
    const rest = sep >= 0 ? text.slice(sep + 2) : text.startsWith('.') ? text.slice(1) : text;
    const dot = rest.indexOf('.');
    const label = dot < 0 ? rest : rest.slice(0, dot);
    const i = module ? this.byQualified.get(`${module}::${label}`) ?? this.byName.get(label) : this.byName.get(label);
    if (i === undefined) return undefined;
    const node = this.table.at(i);
    if (dot < 0) return node.oid;
    const parts = splitInstance(rest.slice(dot + 1));
    if (!parts) return undefined;
    const sub = parts.every((p) => typeof p === 'number') ? (parts as number[]) : encodeInstance(this.indexSpecs(node) ?? [], parts);
    if (!sub) return undefined;
    return sub.length ? `${node.oid}.${sub.join('.')}` : node.oid;
  }

  formatValue(oid: string, value: string | number | null, type?: string): string {
    if (value === null) return type === 'Null' || !type ? '' : String(type);
    const node = this.longest(oid.startsWith('.') ? oid.slice(1) : oid);
    const syntax = node?.syntax;
    const units = node?.units ? ` ${node.units}` : '';
    if (type === 'ObjectIdentifier' || syntax?.type === 'OBJECT IDENTIFIER') {
      if (typeof value === 'string' && NUMERIC.test(value)) return this.translate(value).full;
    }
    if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value) && isIntegerSyntax(syntax, type))) {
      const n = typeof value === 'number' ? value : BigInt(value);
      if (type === 'TimeTicks' && !syntax?.hint && !syntax?.enums) return formatTimeTicks(Number(n)) + units;
      return formatInteger(syntax, n) + units;
    }
    if (!syntax || syntax.type !== 'OCTET STRING' && syntax.type !== 'BITS' && syntax.type !== 'Opaque') return value + units;
    return formatOctets(syntax, toBytes(value, syntax)) + units;
  }

  formatBytes(oid: string, bytes: Uint8Array): string {
    const node = this.longest(oid.startsWith('.') ? oid.slice(1) : oid);
    return formatOctets(node?.syntax, bytes) + (node?.units ? ` ${node.units}` : '');
  }

  lookup(oidOrName: string): MibObjectDetails | undefined {
    const text = oidOrName.trim();
    const node = NUMERIC.test(text) ? this.node(text) : this.nodeByName(text.startsWith('.') ? text.slice(1) : text);
    if (!node) return undefined;
    const at = this.indexOf(node);
    const details: MibObjectDetails = { ...node };
    const description = this.descriptions()[at];
    if (description !== undefined) details.description = description;
    if (node.kind === 'column' || node.kind === 'row') {
      const rowOid = node.kind === 'row' ? node.oid : node.oid.slice(0, node.oid.lastIndexOf('.'));
      const row = this.node(rowOid);
      const table = this.node(rowOid.slice(0, rowOid.lastIndexOf('.')));
      if (row) details.row = { oid: row.oid, name: row.name };
      if (table) details.table = { oid: table.oid, name: table.name };
      const specs = this.indexSpecs(node);
      if (specs) details.rowIndex = specs.map((s) => s.part);
    }
    const aliases: string[] = [];
    for (let i = 0; i < this.table.length; i++) if (i !== at && this.table.oid(i) === node.oid) aliases.push(`${this.table.module(i)}::${this.table.name(i)}`);
    if (aliases.length) details.aliases = aliases;
    details.children = this.children(node.oid).length;
    const vendor = vendorFromSysObjectId(node.oid);
    if (vendor) details.vendor = vendor;
    return details;
  }

  /** Description of the node at an OID (loads descriptions on first use). */
  description(oid: string): string | undefined {
    const i = this.byOid.get(oid);
    return i === undefined ? undefined : this.descriptions()[i];
  }

  children(oid: string): MibNode[] {
    if (!this.childIndex) this.childIndex = this.buildChildIndex();
    const clean = oid.startsWith('.') ? oid.slice(1) : oid;
    return (this.childIndex.get(clean) ?? []).map((i) => this.table.at(i));
  }

  /** Parent → children over primary nodes; a node whose parent is unnamed hangs from its nearest named ancestor. */
  private buildChildIndex(): Map<string, number[]> {
    const index = new Map<string, number[]>();
    for (const [oid, i] of this.byOid) {
      let p = oid;
      let parent = '';
      for (;;) {
        const dot = p.lastIndexOf('.');
        if (dot < 0) break;
        p = p.slice(0, dot);
        if (this.byOid.has(p)) {
          parent = p;
          break;
        }
      }
      let list = index.get(parent);
      if (!list) index.set(parent, (list = []));
      list.push(i);
    }
    const arcs = (oid: string) => oid.split('.').map(Number);
    for (const list of index.values()) {
      list.sort((a, b) => {
        const x = arcs(this.table.oid(a));
        const y = arcs(this.table.oid(b));
        for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
        return x.length - y.length;
      });
    }
    return index;
  }

  search(text: string, limit = 50): MibNode[] {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    const out: MibNode[] = [];
    const taken = new Set<number>();
    // Exact names first, then names containing the text, then descriptions.
    const t = this.table;
    for (let i = 0; i < t.length && out.length < limit; i++) {
      if (t.name(i).toLowerCase() === q) {
        out.push(t.at(i));
        taken.add(i);
      }
    }
    for (let i = 0; i < t.length && out.length < limit; i++) {
      if (!taken.has(i) && t.name(i).toLowerCase().includes(q)) {
        out.push(t.at(i));
        taken.add(i);
      }
    }
    if (out.length < limit) {
      const d = this.descriptions();
      for (let i = 0; i < t.length && out.length < limit; i++) {
        if (!taken.has(i) && d[i]?.toLowerCase().includes(q)) out.push(t.at(i));
      }
    }
    return out;
  }

  errors(): MibError[] {
    return this.fileErrors;
  }

  stats(): { nodes: number; modules: number; files: number; errors: number; compiledAt: number } {
    return { nodes: this.byOid.size, modules: this.modules.length, files: this.meta.files, errors: this.fileErrors.length, compiledAt: this.meta.compiledAt };
  }
}

function isIntegerSyntax(syntax: MibSyntax | undefined, type?: string): boolean {
  if (type && /^(Integer|Integer32|Counter32|Counter64|Gauge32|Unsigned32|TimeTicks)$/.test(type)) return true;
  return !!syntax && syntax.type !== 'OCTET STRING' && syntax.type !== 'BITS' && syntax.type !== 'OBJECT IDENTIFIER' && syntax.type !== 'IpAddress';
}

/** Octet strings arrive as text when printable, else hex; hints that format binary data read the hex back. */
function toBytes(value: string, syntax: MibSyntax): Uint8Array {
  const textual = syntax.hint ? /^\d*[at]$/.test(syntax.hint) : !syntax.tc?.startsWith('Inet') && syntax.type !== 'BITS';
  // A fixed SIZE tells printable bytes ("ABCDEF" as a 6-byte MAC) from their hex form.
  const fixed = syntax.size && /^\d+$/.test(syntax.size) ? Number(syntax.size) : undefined;
  if (fixed !== undefined && value.length === fixed && !(HEX.test(value) && value.replace(/[^0-9a-f]/gi, '').length === fixed * 2)) return Uint8Array.from(Buffer.from(value, 'latin1'));
  if (!textual && HEX.test(value)) return Uint8Array.from(Buffer.from(value.replace(/^0x/i, '').replace(/[ :-]/g, ''), 'hex'));
  return Uint8Array.from(Buffer.from(value, 'utf8'));
}
