/** What the parser extracts from one MIB module, before names are resolved across modules. */

/** A syntax as written: a base type or a type reference, refined by enums, a range or a size. */
export interface SyntaxSpec {
  /** `INTEGER`, `OCTET STRING`, `OBJECT IDENTIFIER`, `BITS`, `SEQUENCE OF`, `SEQUENCE`, `CHOICE`, or a type name (`DisplayString`). */
  type: string;
  /** Named numbers of INTEGER or BITS. */
  enums?: [string, number][];
  /** Value range as written, e.g. `0..65535` or `1..10 | 20`. */
  range?: string;
  /** SIZE as written, e.g. `0..255` or `6`. */
  size?: string;
  /** For `SEQUENCE OF Entry`: the entry type. */
  of?: string;
}

export type DefKind =
  | 'node'
  | 'module'
  | 'identity'
  | 'object'
  | 'notification'
  | 'trap'
  | 'group'
  | 'compliance'
  | 'capabilities';

/** One OID-valued definition. `parent` is a name (or `''` for a purely numeric value) and `sub` the dotted numbers after it. */
export interface OidDef {
  name: string;
  parent: string;
  sub: string;
  kind: DefKind;
  /** Offset in the source, turned into a line only when reporting. */
  at: number;
  syntax?: SyntaxSpec;
  units?: string;
  access?: string;
  status?: string;
  description?: string;
  /** Where the description went once the compile took it out of the heap. */
  descId?: number;
  index?: { name: string; implied?: boolean }[];
  augments?: string;
  /** OBJECTS of a NOTIFICATION-TYPE or VARIABLES of a TRAP-TYPE. */
  objects?: string[];
  revisions?: { date: string; description: string }[];
  lastUpdated?: string;
  /** Intermediate named components (`org(3)`) are nodes of their own, flagged so a real definition wins. */
  implicit?: boolean;
  /** The resolver's memo: the numeric OID, null while being resolved or when unresolvable. */
  oid?: string | null;
}

/** A type assignment: a TEXTUAL-CONVENTION or a plain `Name ::= <type>`. */
export interface TypeDef {
  name: string;
  syntax: SyntaxSpec;
  hint?: string;
  status?: string;
  description?: string;
  tc: boolean;
}

export interface ParsedModule {
  name: string;
  file: string;
  /** Symbol → the module it is imported from. */
  imports: Map<string, string>;
  defs: OidDef[];
  types: Map<string, TypeDef>;
}

export type { MibError } from './types.ts';
