/**
 * The dictionary's nodes packed into a few typed arrays and byte buffers: ~100 bytes a node instead of the ~450 of
 * objects, strings and Maps, no JSON.parse at start-up (the cache file is read as it was written), and hash tables
 * over the bytes for OID and name lookups. Node objects are made only for the nodes someone asks for.
 */
import { memoryBytes, type ByteSource } from './bytes.ts';
import { entryAt } from './offsets.ts';
import type { MibNode, MibNodeKind, MibSyntax } from './types.ts';

/** Set in `kind` for implicit nodes. */
const IMPLICIT = 0x80;

export const KINDS: MibNodeKind[] = [
  'node',
  'module',
  'identity',
  'scalar',
  'table',
  'row',
  'column',
  'notification',
  'trap',
  'group',
  'compliance',
  'capabilities',
];

/** What a node's extras hold, as JSON: units, index parts, augments, objects; node references are node number + 1. */
interface PackedExtra {
  u?: string;
  i?: ([string, number] | [string, number, 1])[];
  a?: number;
  o?: [string, number][];
}

/** The typed columns, as written to and read from the cache's binary file (names are the section names). */
export interface PackedColumns {
  oidBytes: Uint8Array;
  oidOff: Uint32Array;
  /** Names joined by `\n` (so a search never matches across two). */
  nameBytes: Uint8Array;
  nameOff: Uint32Array;
  module: Uint32Array;
  kind: Uint8Array;
  /** Syntax number + 1 (0: none), into `syntaxes`. */
  syntax: Uint32Array;
  access: Uint16Array;
  status: Uint16Array;
  /** Description id, -1 for none. */
  descId: Int32Array;
  /** The first node of the same OID (itself for a primary node). */
  primary: Int32Array;
  extraBytes: Uint8Array;
  extraOff: Uint32Array;
  /** Open-addressing tables of node number + 1: primary nodes by OID, every node by name. */
  oidHash: Int32Array;
  nameHash: Int32Array;
}

/** The small part: string and syntax tables. */
export interface PackedHeader {
  strings: string[];
  /** The distinct syntaxes: as objects (a fresh compile), or as JSON texts parsed one by one when a node needs one. */
  syntaxes: (MibSyntax | string)[];
  /** How many nodes are primary (distinct OIDs). */
  primaries?: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashBytes(b: Uint8Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return h >>> 0;
}

function hashText(s: string, len: number): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), FNV_PRIME);
  return h >>> 0;
}

const tableSize = (n: number) => {
  let size = 1024;
  while (size < n * 1.5) size *= 2;
  return size;
};

/** What packing reads: the nodes in their final order (primary first for each OID, aliases after). */
export interface NodeSource {
  length: number;
  oid(i: number): string;
  name(i: number): string;
  /** The whole node; called once per node, so it may build the node on the spot. */
  node(i: number): MibNode;
  descId(i: number): number;
  /** Whether the node is an `org(3)`-style label inside another definition's OID value (a real definition wins it). */
  implicit?(i: number): boolean;
}

/** A source over nodes already in memory. */
export const nodeArraySource = (nodes: MibNode[], descIds: ArrayLike<number> = []): NodeSource => ({
  length: nodes.length,
  oid: (i) => nodes[i].oid,
  name: (i) => nodes[i].name,
  node: (i) => nodes[i],
  descId: (i) => descIds[i] ?? -1,
});

/** Packs nodes into columns. */
export function packNodes(src: NodeSource): { header: PackedHeader; columns: PackedColumns } {
  const n = src.length;
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
  // Weak: the resolver makes a fresh object for each refined syntax, and 390,000 of them must not all stay alive.
  const syntaxAt = new WeakMap<MibSyntax, number>();
  const syntaxByText = new Map<string, number>();
  const syn = (s: MibSyntax | undefined): number => {
    if (!s) return 0;
    let i = syntaxAt.get(s);
    if (i === undefined) {
      const key = JSON.stringify(s);
      i = syntaxByText.get(key);
      if (i === undefined) {
        i = syntaxes.length;
        syntaxes.push(s);
        syntaxByText.set(key, i);
      }
      syntaxAt.set(s, i);
    }
    return i + 1;
  };
  let oidLen = 0;
  let nameLen = 0;
  for (let i = 0; i < n; i++) {
    oidLen += src.oid(i).length;
    nameLen += src.name(i).length + 1;
  }
  const c: PackedColumns = {
    oidBytes: new Uint8Array(oidLen),
    oidOff: new Uint32Array(n + 1),
    nameBytes: new Uint8Array(nameLen),
    nameOff: new Uint32Array(n + 1),
    module: new Uint32Array(n),
    kind: new Uint8Array(n),
    syntax: new Uint32Array(n),
    access: new Uint16Array(n),
    status: new Uint16Array(n),
    descId: new Int32Array(n),
    primary: new Int32Array(n),
    extraBytes: new Uint8Array(0),
    extraOff: new Uint32Array(n + 1),
    oidHash: new Int32Array(tableSize(n)),
    nameHash: new Int32Array(tableSize(n)),
  };
  const oidBuf = Buffer.from(c.oidBytes.buffer);
  const nameBuf = Buffer.from(c.nameBytes.buffer);
  let o = 0;
  let m = 0;
  // The lookup table fills as nodes are placed: the first node of each OID goes into the OID hash and is the
  // primary of later ones (no map of 570,000 strings beside it).
  const table = new PackedTable({ strings, syntaxes }, c);
  // Units, index, augments and objects wait for a second pass: their OIDs become node numbers, known only when
  // every node has been placed. They are few; everything else is written now and the node object let go.
  const pending: number[] = [];
  for (let i = 0; i < n; i++) {
    const node = src.node(i);
    c.oidOff[i] = o;
    o += oidBuf.write(node.oid, o, 'latin1');
    c.nameOff[i] = m;
    m += nameBuf.write(node.name, m, 'latin1');
    c.nameBytes[m++] = 10;
    c.oidOff[i + 1] = o;
    c.nameOff[i + 1] = m;
    c.module[i] = str(node.module);
    c.kind[i] = KINDS.indexOf(node.kind) | (src.implicit?.(i) ? IMPLICIT : 0);
    c.syntax[i] = syn(node.syntax);
    c.access[i] = str(node.access);
    c.status[i] = str(node.status);
    c.descId[i] = src.descId(i);
    const first = table.findOid(node.oid);
    c.primary[i] = first >= 0 ? first : i;
    if (first < 0) table.insertOid(i);
    table.insertName(i);
    if (node.units || node.index || node.augments || node.objects) pending.push(i);
  }
  c.oidOff[n] = o;
  c.nameOff[n] = m;
  // Extras, with OIDs written as node numbers (resolved against the primary nodes).
  const ref = (oid: string | undefined) => (oid ? table.findOid(oid) + 1 : 0);
  const extras: string[] = [];
  let extraLen = 0;
  let next = 0;
  for (const i of pending) {
    const node = src.node(i);
    while (next <= i) c.extraOff[next++] = extraLen;
    const e: PackedExtra = {};
    if (node.units) e.u = node.units;
    if (node.index) e.i = node.index.map((p) => (p.implied ? [p.name, ref(p.oid), 1] : [p.name, ref(p.oid)]));
    if (node.augments) e.a = ref(node.augments);
    if (node.objects) e.o = node.objects.map((p) => [p.name, ref(p.oid)]);
    const json = JSON.stringify(e);
    extras.push(json);
    extraLen += Buffer.byteLength(json, 'latin1');
  }
  while (next <= n) c.extraOff[next++] = extraLen;
  c.extraBytes = new Uint8Array(extraLen);
  const extraBuf = Buffer.from(c.extraBytes.buffer);
  let x = 0;
  for (const json of extras) x += extraBuf.write(json, x, 'latin1');
  table.setExtras(c.extraBytes);
  let primaries = 0;
  for (let i = 0; i < n; i++) if (c.primary[i] === i) primaries++;
  return { header: { strings, syntaxes, primaries }, columns: c };
}

/**
 * Lookups over packed columns.
 * @example const t = new PackedTable(header, columns); t.findOid('1.3.6.1.2.1.1.1') // node number or -1
 */
export class PackedTable {
  readonly length: number;
  private readonly made: (MibNode | undefined)[];
  private readonly oidMask: number;
  private readonly nameMask: number;
  /** String number of each module name, for qualified lookups (made on the first one). */
  private moduleIds?: Map<string, number>;
  private readonly oidText: ByteSource;
  private readonly nameText: ByteSource;
  private extraText: ByteSource;
  /**
   * Over columns in memory, or with the byte sections (OIDs, names, extras) left in the cache file and the columns
   * that only aliases and descriptions need (`primary`, `descId`) read from it when first asked for.
   */
  constructor(
    private readonly header: PackedHeader,
    readonly c: PackedColumns,
    bytes?: { oid: ByteSource; name: ByteSource; extra: ByteSource },
    private readonly loadColumn?: (name: 'primary' | 'descId') => Int32Array,
  ) {
    this.length = c.module.length;
    this.made = new Array(this.length);
    this.oidMask = c.oidHash.length - 1;
    this.nameMask = c.nameHash.length - 1;
    this.oidText = bytes?.oid ?? memoryBytes(c.oidBytes);
    this.nameText = bytes?.name ?? memoryBytes(c.nameBytes);
    this.extraText = bytes?.extra ?? memoryBytes(c.extraBytes);
  }

  /** Adds node i (already written) to the OID hash: at pack time; the tables are stored in the cache. */
  insertOid(i: number): void {
    const { c } = this;
    let slot = hashBytes(c.oidBytes, c.oidOff[i], c.oidOff[i + 1]) & this.oidMask;
    while (c.oidHash[slot] !== 0) slot = (slot + 1) & this.oidMask;
    c.oidHash[slot] = i + 1;
  }

  /** Adds node i (already written) to the name hash. */
  insertName(i: number): void {
    const { c } = this;
    let slot = hashBytes(c.nameBytes, c.nameOff[i], c.nameOff[i + 1] - 1) & this.nameMask;
    while (c.nameHash[slot] !== 0) slot = (slot + 1) & this.nameMask;
    c.nameHash[slot] = i + 1;
  }

  /** The extras column, once packing has written it. */
  setExtras(bytes: Uint8Array): void {
    this.extraText = memoryBytes(bytes);
  }

  oid(i: number): string {
    return this.oidText.text(this.c.oidOff[i], this.c.oidOff[i + 1]);
  }
  name(i: number): string {
    return this.nameText.text(this.c.nameOff[i], this.c.nameOff[i + 1] - 1);
  }
  module(i: number): string {
    return this.header.strings[this.c.module[i]];
  }
  private lazy(name: 'primary' | 'descId'): Int32Array {
    if (this.c[name].length !== this.length && this.loadColumn) this.c[name] = this.loadColumn(name);
    return this.c[name];
  }
  /** How many nodes have an OID of their own. */
  get primaries(): number {
    if (this.header.primaries === undefined) {
      let n = 0;
      for (let i = 0; i < this.length; i++) if (this.isPrimary(i)) n++;
      this.header.primaries = n;
    }
    return this.header.primaries;
  }
  isPrimary(i: number): boolean {
    return this.lazy('primary')[i] === i;
  }
  /** The first node of node i's OID. */
  primaryOf(i: number): number {
    return this.lazy('primary')[i];
  }
  descId(i: number): number {
    return this.lazy('descId')[i];
  }
  /** Whether node i is an `org(3)`-style label (see NodeSource.implicit). */
  isImplicit(i: number): boolean {
    return (this.c.kind[i] & IMPLICIT) !== 0;
  }

  /** The primary node whose OID is the first `len` characters of `oid`, or -1. */
  findOid(oid: string, len = oid.length): number {
    const { c } = this;
    for (let slot = hashText(oid, len) & this.oidMask; ; slot = (slot + 1) & this.oidMask) {
      const at = c.oidHash[slot];
      if (at === 0) return -1;
      if (this.oidText.equals(c.oidOff[at - 1], c.oidOff[at], oid, len)) return at - 1;
    }
  }

  /** The longest prefix of `oid` (dot-separated) that is a node, or -1. */
  longest(oid: string): number {
    let len = oid.length;
    for (;;) {
      const i = this.findOid(oid, len);
      if (i >= 0) return i;
      const dot = oid.lastIndexOf('.', len - 1);
      if (dot <= 0) return -1;
      len = dot;
    }
  }

  /** The first node (lowest number) named `name`, in `module` when given; -1 when none. */
  findName(name: string, module?: string): number {
    const { c } = this;
    const moduleId =
      module === undefined
        ? -1
        : ((this.moduleIds ??= new Map(this.header.strings.map((x, k) => [x, k]))).get(module) ?? -1);
    if (module !== undefined && moduleId < 0) return -1;
    let best = -1;
    for (let slot = hashText(name, name.length) & this.nameMask; ; slot = (slot + 1) & this.nameMask) {
      const at = c.nameHash[slot];
      if (at === 0) return best;
      const i = at - 1;
      if (
        (best < 0 || i < best) &&
        (moduleId < 0 || c.module[i] === moduleId) &&
        this.nameText.equals(c.nameOff[i], c.nameOff[i + 1] - 1, name, name.length)
      )
        best = i;
    }
  }

  /** Every node whose name contains `needle` (lowercased, ASCII), exact matches flagged, in node order. */
  searchNames(needle: string, visit: (i: number, exact: boolean) => boolean): void {
    const { c } = this;
    const pattern = Buffer.from(needle, 'latin1');
    let last = -1;
    this.nameText.scanLower(pattern, (at) => {
      const i = entryAt(c.nameOff, at);
      if (i === last) return true;
      last = i;
      return visit(i, c.nameOff[i] === at && c.nameOff[i + 1] - 1 - at === pattern.length);
    });
  }

  /** Syntax k, parsed from its JSON on first use (26,000 syntaxes would be ~10 MB of objects, most never shown). */
  private syntaxAt(k: number): MibSyntax {
    const s = this.header.syntaxes[k];
    if (typeof s !== 'string') return s;
    const parsed = JSON.parse(s) as MibSyntax;
    this.header.syntaxes[k] = parsed;
    return parsed;
  }

  /** Node i as an object (made once, then kept). */
  at(i: number): MibNode {
    return (this.made[i] ??= this.build(i));
  }

  /** Node i as a fresh object, not kept (for walking every node once). */
  build(i: number): MibNode {
    const { c, header } = this;
    const n: MibNode = {
      oid: this.oid(i),
      name: this.name(i),
      module: header.strings[c.module[i]],
      kind: KINDS[c.kind[i] & ~IMPLICIT],
    };
    if (c.syntax[i]) n.syntax = this.syntaxAt(c.syntax[i] - 1);
    if (c.access[i]) n.access = header.strings[c.access[i]];
    if (c.status[i]) n.status = header.strings[c.status[i]];
    if (c.extraOff[i + 1] > c.extraOff[i]) {
      const e = JSON.parse(this.extraText.text(c.extraOff[i], c.extraOff[i + 1])) as PackedExtra;
      const ref = (r: number) => (r ? this.oid(r - 1) : undefined);
      if (e.u) n.units = e.u;
      if (e.i)
        n.index = e.i.map(([name, r, implied]) => ({
          name,
          ...(r ? { oid: ref(r) } : {}),
          ...(implied ? { implied: true } : {}),
        }));
      if (e.a) n.augments = ref(e.a);
      if (e.o) n.objects = e.o.map(([name, r]) => (r ? { name, oid: ref(r) } : { name }));
    }
    return n;
  }
}
