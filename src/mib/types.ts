/**
 * The MIB dictionary as the rest of Vigil uses it (poller, trap receiver, api, cli).
 * Built by the compiler in this folder; records keep numeric OIDs and are translated when shown.
 */
export interface TranslatedOid {
  oid: string;
  /** `IF-MIB::ifInOctets.3`, or the numeric OID when unknown. */
  full: string;
  module?: string;
  name?: string;
  /** Instance part after the object, e.g. `3`, and its decoded index values when the table's INDEX is known. */
  instance?: string;
  index?: { name: string; value: string }[];
}

export interface MibDictionary {
  /** Numeric OID → names (longest known prefix). */
  translate(oid: string): TranslatedOid;
  /** `IF-MIB::ifInOctets.3`, `ifInOctets.3` or numeric → numeric OID, or undefined. */
  resolve(name: string): string | undefined;
  /** A value formatted from the object's syntax: enums `up(1)`, display hints, units. */
  formatValue(oid: string, value: string | number | null, type?: string): string;
}

/** Kinds of dictionary nodes. */
export type MibNodeKind =
  | 'node'
  | 'module'
  | 'identity'
  | 'scalar'
  | 'table'
  | 'row'
  | 'column'
  | 'notification'
  | 'trap'
  | 'group'
  | 'compliance'
  | 'capabilities';

/** An object's syntax after following its TEXTUAL-CONVENTION chain to the base type. */
export interface MibSyntax {
  /** Base type: INTEGER, Integer32, Unsigned32, Gauge32, Counter32, Counter64, TimeTicks, IpAddress, Opaque, OCTET STRING, OBJECT IDENTIFIER, BITS, SEQUENCE OF. */
  type: string;
  /** The textual convention named in SYNTAX (e.g. DisplayString, PhysAddress), when any. */
  tc?: string;
  tcModule?: string;
  /** Enumerations (INTEGER) or named bits (BITS): [name, number]. */
  enums?: [string, number][];
  hint?: string;
  range?: string;
  size?: string;
  /** For `SEQUENCE OF Entry`. */
  of?: string;
}

export interface MibIndexPart {
  name: string;
  /** Numeric OID of the index object, when it resolved. */
  oid?: string;
  implied?: boolean;
}

/** One entry of the flat dictionary. */
export interface MibNode {
  oid: string;
  name: string;
  module: string;
  kind: MibNodeKind;
  syntax?: MibSyntax;
  access?: string;
  status?: string;
  units?: string;
  index?: MibIndexPart[];
  /** OID of the row this row AUGMENTS. */
  augments?: string;
  /** OBJECTS of a notification / VARIABLES of a trap, as `MODULE::name` or names when unresolved. */
  objects?: { name: string; oid?: string }[];
}

/** Object details for `show` and `/api/v1/mib/objects/…`. */
export interface MibObjectDetails extends MibNode {
  description?: string;
  /** The table and row this column or row belongs to. */
  table?: { oid: string; name: string };
  row?: { oid: string; name: string };
  /** Index of the row (own or, for AUGMENTS, the augmented row's). */
  rowIndex?: MibIndexPart[];
  /** Other names defined for the same OID (`MODULE::name`). */
  aliases?: string[];
  /** Vendor of the enterprise subtree the OID sits in (IANA enterprise number), e.g. `Cisco`. */
  vendor?: string;
  children?: number;
}

/** Browsing and search on top of the core dictionary (api, cli). */
export interface MibBrowser extends MibDictionary {
  /** Node for a numeric OID or a name (`IF-MIB::ifDescr`, `ifDescr`), exact match. */
  lookup(oidOrName: string): MibObjectDetails | undefined;
  /** Children of a node (numeric OID), sorted by sub-identifier. */
  children(oid: string): MibNode[];
  /** Names or descriptions containing `text` (case-insensitive), names first. */
  search(text: string, limit?: number): MibNode[];
  /** Value formatting from raw bytes (exact, unlike a printable-or-hex string). */
  formatBytes(oid: string, bytes: Uint8Array): string;
  /** Files that failed to load. */
  errors(): MibError[];
  stats(): { nodes: number; modules: number; files: number; errors: number; compiledAt: number };
}

/** A file (or module) that failed, with where and why. */
export interface MibError {
  file: string;
  module?: string;
  line: number;
  reason: string;
}
