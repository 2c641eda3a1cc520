import type { CompiledMibs, MibModuleInfo } from './compile.ts';
import { lowerAscii, type DescriptionStore } from './descriptions.ts';
import { PackedTable } from './packed.ts';
import { vendorFromSysObjectId } from './enterprises.ts';
import { formatInteger, formatOctets, formatTimeTicks } from './format.ts';
import { decodeInstance, encodeInstance, splitInstance, type IndexSpec } from './instance.ts';
import type { MibBrowser, MibError, MibNode, MibObjectDetails, MibSyntax, TranslatedOid } from './types.ts';

const NUMERIC = /^\.?\d+(\.\d+)*$/;
const HEX = /^(0x)?([0-9a-f]{2})([ :-]?[0-9a-f]{2})*$/i;

/** What the dictionary serves: packed nodes, their descriptions, and what the compile said. */
export interface DictionaryData extends Omit<CompiledMibs, 'packed' | 'count' | 'descriptions' | 'descriptionFiles'> {
  table: PackedTable;
  descriptions: DescriptionStore;
}

/** A dictionary straight from a compile (tests, a CLI run without a data directory): packed in memory. */
export function dictionaryFromCompiled(c: CompiledMibs): MibDictionaryImpl {
  const { header, columns } = c.packed;
  return new MibDictionaryImpl({
    table: new PackedTable(header, columns),
    descriptions: c.descriptions,
    modules: c.modules,
    errors: c.errors,
    files: c.files,
    compiledAt: c.compiledAt,
  });
}

/**
 * The compiled dictionary in memory: OID ↔ name both ways with instance suffixes, value formatting,
 * search and tree browsing. Build it with `loadMibDictionary` (cached) or `dictionaryFromCompiled` (tests).
 * @example dict.translate('1.3.6.1.2.1.2.2.1.10.3').full // 'IF-MIB::ifInOctets.3'
 */
export class MibDictionaryImpl implements MibBrowser {
  private readonly table: PackedTable;
  readonly modules: MibModuleInfo[];
  private readonly fileErrors: MibError[];
  private readonly store: DescriptionStore;
  // Built on first use (tree browsing, description search): start-up and translate need neither.
  private childIndex?: { start: Uint32Array; list: Uint32Array };
  private nodeOfDesc?: Int32Array;
  // Other names of the OIDs that have several (primary node → alias nodes), and each module's place on the search
  // path: built on first use by namesAt.
  private aliasIndex?: Map<number, number[]>;
  private modulePlace?: Map<string, number>;
  private readonly meta: { files: number; compiledAt: number };

  constructor(data: DictionaryData) {
    this.table = data.table;
    this.modules = data.modules;
    this.fileErrors = data.errors;
    this.store = data.descriptions;
    this.meta = { files: data.files, compiledAt: data.compiledAt };
  }

  /** The primary node at exactly this numeric OID. */
  node(oid: string): MibNode | undefined {
    const i = this.table.findOid(oid.startsWith('.') ? oid.slice(1) : oid);
    return i < 0 ? undefined : this.table.at(i);
  }

  /** The node for a name (`MODULE::name` or `name`), exact. */
  nodeByName(name: string): MibNode | undefined {
    const i = this.indexOfName(name);
    return i < 0 ? undefined : this.table.at(i);
  }

  /**
   * Every node defined at exactly this numeric OID, first the name net-snmp's tools show for it: when MIBs disagree
   * (`cisco5520WLC` in CISCO-PRODUCTS-MIB, `cisco5520Wlc` in a corrections module), snmptranslate names the OID after
   * the module it loaded first, which is the one found last on the search path (net-snmp loads modules in the reverse
   * of the order it finds them, a module's imports before it; within one module the later definition wins). The
   * order of imports is not kept in the dictionary, so a module that another one imports may be placed otherwise.
   * `translate` keeps the dictionary's own primary name.
   */
  namesAt(oid: string): MibNode[] {
    const at = this.table.findOid(oid.startsWith('.') ? oid.slice(1) : oid);
    if (at < 0) return [];
    const same = this.aliasesOf(at);
    if (!same.length) return [this.table.at(at)];
    const place = (this.modulePlace ??= new Map(this.modules.map((m, k) => [m.name, k] as const).reverse()));
    const t = this.table;
    const key = (i: number) => (t.isImplicit(i) ? -1 : (place.get(t.module(i)) ?? -1));
    const order = [at, ...same].sort((a, b) => key(b) - key(a) || b - a);
    return order.map((i) => t.at(i));
  }

  /** The other nodes of the OID of primary node i. */
  private aliasesOf(i: number): number[] {
    if (!this.aliasIndex) {
      const index = new Map<number, number[]>();
      const t = this.table;
      for (let k = 0; k < t.length; k++) {
        const p = t.primaryOf(k);
        if (p === k) continue;
        const list = index.get(p);
        if (list) list.push(k);
        else index.set(p, [k]);
      }
      this.aliasIndex = index;
    }
    return this.aliasIndex.get(i) ?? [];
  }

  /** Longest known prefix of an OID. */
  private longest(oid: string): MibNode | undefined {
    const i = this.table.longest(oid);
    return i < 0 ? undefined : this.table.at(i);
  }

  /** The description of node number i. */
  private descriptionOf(i: number): string | undefined {
    const id = this.table.descId(i);
    return id < 0 ? undefined : this.store.get(id);
  }

  /** The INDEX of the row a column (or row) belongs to, with each index object's syntax. */
  indexSpecs(node: MibNode): IndexSpec[] | undefined {
    let row: MibNode | undefined =
      node.kind === 'row'
        ? node
        : node.kind === 'column'
          ? this.node(node.oid.slice(0, node.oid.lastIndexOf('.')))
          : undefined;
    for (let hops = 0; row?.augments && !row.index && hops < 4; hops++) row = this.node(row.augments);
    if (!row?.index) return undefined;
    return row.index.map((part) => {
      const target = part.oid ? this.node(part.oid) : this.nodeByName(part.name);
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
    const out: TranslatedOid = {
      oid: clean,
      full: `${base}.${instance}`,
      module: node.module,
      name: node.name,
      instance,
    };
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
    let i = module ? this.table.findName(label, module) : -1;
    if (i < 0) i = this.table.findName(label);
    if (i < 0) return undefined;
    const node = this.table.at(i);
    if (dot < 0) return node.oid;
    const parts = splitInstance(rest.slice(dot + 1));
    if (!parts) return undefined;
    const sub = parts.every((p) => typeof p === 'number')
      ? (parts as number[])
      : encodeInstance(this.indexSpecs(node) ?? [], parts);
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
    if (
      typeof value === 'number' ||
      (typeof value === 'string' && /^-?\d+$/.test(value) && isIntegerSyntax(syntax, type))
    ) {
      const n = typeof value === 'number' ? value : BigInt(value);
      if (type === 'TimeTicks' && !syntax?.hint && !syntax?.enums) return formatTimeTicks(Number(n)) + units;
      return formatInteger(syntax, n) + units;
    }
    if (!syntax || (syntax.type !== 'OCTET STRING' && syntax.type !== 'BITS' && syntax.type !== 'Opaque'))
      return value + units;
    return formatOctets(syntax, toBytes(value, syntax)) + units;
  }

  formatBytes(oid: string, bytes: Uint8Array): string {
    const node = this.longest(oid.startsWith('.') ? oid.slice(1) : oid);
    return formatOctets(node?.syntax, bytes) + (node?.units ? ` ${node.units}` : '');
  }

  lookup(oidOrName: string): MibObjectDetails | undefined {
    const text = oidOrName.trim().replace(/^\./, '');
    const at = NUMERIC.test(text) ? this.table.findOid(text) : this.indexOfName(text);
    if (at < 0) return undefined;
    const node = this.table.at(at);
    const details: MibObjectDetails = { ...node };
    const description = this.descriptionOf(at);
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
    const primary = this.table.primaryOf(at);
    for (let i = 0; i < this.table.length; i++)
      if (i !== at && this.table.primaryOf(i) === primary)
        aliases.push(`${this.table.module(i)}::${this.table.name(i)}`);
    if (aliases.length) details.aliases = aliases;
    details.children = this.children(node.oid).length;
    const vendor = vendorFromSysObjectId(node.oid);
    if (vendor) details.vendor = vendor;
    return details;
  }

  /** Node number for a name as `lookup` takes it. */
  private indexOfName(name: string): number {
    const sep = name.indexOf('::');
    return sep >= 0 ? this.table.findName(name.slice(sep + 2), name.slice(0, sep)) : this.table.findName(name);
  }

  /** Description of the node at an OID (read from disk when the dictionary came from the cache). */
  description(oid: string): string | undefined {
    const i = this.table.findOid(oid);
    return i < 0 ? undefined : this.descriptionOf(i);
  }

  children(oid: string): MibNode[] {
    const clean = oid.startsWith('.') ? oid.slice(1) : oid;
    const index = (this.childIndex ??= this.buildChildIndex());
    // Children of the root are at slot 0; of node i at slot i + 1.
    const parent = clean === '' ? -1 : this.table.findOid(clean);
    if (clean !== '' && parent < 0) return [];
    const out: MibNode[] = [];
    for (let k = index.start[parent + 1]; k < index.start[parent + 2]; k++) out.push(this.table.at(index.list[k]));
    return out;
  }

  /** Parent → children over primary nodes, as two arrays (counts, then a list); a node whose parent is unnamed hangs from its nearest named ancestor. */
  private buildChildIndex(): { start: Uint32Array; list: Uint32Array } {
    const t = this.table;
    const n = t.length;
    const parentOf = new Int32Array(n).fill(-2);
    const count = new Uint32Array(n + 2);
    for (let i = 0; i < n; i++) {
      if (!t.isPrimary(i)) continue;
      const oid = t.oid(i);
      let parent = -1;
      for (let dot = oid.lastIndexOf('.'); dot > 0; dot = oid.lastIndexOf('.', dot - 1)) {
        const p = t.findOid(oid, dot);
        if (p >= 0) {
          parent = p;
          break;
        }
      }
      parentOf[i] = parent;
      count[parent + 2]++;
    }
    for (let k = 1; k < n + 2; k++) count[k] += count[k - 1];
    const list = new Uint32Array(count[n + 1]);
    const fill = count.slice(0, n + 1);
    for (let i = 0; i < n; i++) if (parentOf[i] !== -2) list[fill[parentOf[i] + 1]++] = i;
    const arcs = (oid: string) => oid.split('.').map(Number);
    for (let p = 0; p <= n; p++) {
      const from = count[p];
      const to = count[p + 1];
      if (to - from < 2) continue;
      const kids = Array.from(list.subarray(from, to)).map((i) => ({ i, a: arcs(t.oid(i)) }));
      kids.sort((x, y) => {
        for (let k = 0; k < Math.min(x.a.length, y.a.length); k++) if (x.a[k] !== y.a[k]) return x.a[k] - y.a[k];
        return x.a.length - y.a.length;
      });
      kids.forEach((kid, k) => (list[from + k] = kid.i));
    }
    return { start: count, list };
  }

  search(text: string, limit = 50): MibNode[] {
    const q = lowerAscii(text.trim());
    if (!q) return [];
    const t = this.table;
    // Exact names first, then names containing the text, then descriptions; each in node order.
    const exact: number[] = [];
    const partial: number[] = [];
    t.searchNames(q, (i, isExact) => {
      if (isExact) exact.push(i);
      else if (partial.length < limit) partial.push(i);
      return true;
    });
    const picked = [...exact, ...partial].slice(0, limit);
    if (picked.length < limit) {
      const taken = new Set(picked);
      const nodeOf = this.nodeOfDescription();
      this.store.search(q, (id) => {
        const i = nodeOf[id];
        if (i >= 0 && !taken.has(i)) {
          taken.add(i);
          picked.push(i);
        }
        return picked.length < limit;
      });
    }
    return picked.map((i) => t.at(i));
  }

  /** Description id → the first node that has it. */
  private nodeOfDescription(): Int32Array {
    if (!this.nodeOfDesc) {
      const map = new Int32Array(this.store.count).fill(-1);
      for (let i = this.table.length - 1; i >= 0; i--) {
        const id = this.table.descId(i);
        if (id >= 0 && id < map.length) map[id] = i;
      }
      this.nodeOfDesc = map;
    }
    return this.nodeOfDesc;
  }

  errors(): MibError[] {
    return this.fileErrors;
  }

  stats(): { nodes: number; modules: number; files: number; errors: number; compiledAt: number } {
    return {
      nodes: this.table.primaries,
      modules: this.modules.length,
      files: this.meta.files,
      errors: this.fileErrors.length,
      compiledAt: this.meta.compiledAt,
    };
  }
}

function isIntegerSyntax(syntax: MibSyntax | undefined, type?: string): boolean {
  if (type && /^(Integer|Integer32|Counter32|Counter64|Gauge32|Unsigned32|TimeTicks)$/.test(type)) return true;
  return (
    !!syntax &&
    syntax.type !== 'OCTET STRING' &&
    syntax.type !== 'BITS' &&
    syntax.type !== 'OBJECT IDENTIFIER' &&
    syntax.type !== 'IpAddress'
  );
}

/** Octet strings arrive as text when printable, else hex; hints that format binary data read the hex back. */
function toBytes(value: string, syntax: MibSyntax): Uint8Array {
  const textual = syntax.hint
    ? /^\d*[at]$/.test(syntax.hint)
    : !syntax.tc?.startsWith('Inet') && syntax.type !== 'BITS';
  // A fixed SIZE tells printable bytes ("ABCDEF" as a 6-byte MAC) from their hex form.
  const fixed = syntax.size && /^\d+$/.test(syntax.size) ? Number(syntax.size) : undefined;
  if (
    fixed !== undefined &&
    value.length === fixed &&
    !(HEX.test(value) && value.replace(/[^0-9a-f]/gi, '').length === fixed * 2)
  )
    return Uint8Array.from(Buffer.from(value, 'latin1'));
  if (!textual && HEX.test(value))
    return Uint8Array.from(Buffer.from(value.replace(/^0x/i, '').replace(/[ :-]/g, ''), 'hex'));
  return Uint8Array.from(Buffer.from(value, 'utf8'));
}
