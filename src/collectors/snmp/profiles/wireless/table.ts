/** Reading walked SNMP table columns into rows (pure), and listing the columns a parser reads as walk roots. */
import type { VarBind } from '../../../../model/records.ts';
import { isExceptionType } from '../../varbind.ts';

export type Value = VarBind['value'];

/** One table as a parser reads it: the entry OID and the columns it uses (name → column sub-identifier). */
export interface TableSpec<C extends string = string> {
  entry: string;
  columns: Readonly<Record<C, number>>;
}

/** A row: the values of the columns present, by column name. */
export type Row<C extends string> = { [K in C]?: Value };

/** The column OIDs of the given tables plus any scalars: exactly the subtrees a poller walks for them. */
export function columnRoots(specs: readonly TableSpec[], scalars: readonly string[] = []): string[] {
  const roots = specs.flatMap((s) => Object.values<number>(s.columns).map((c) => `${s.entry}.${c}`));
  return [...new Set([...roots, ...scalars])];
}

/** The rows of each table, in the order of the specs. */
export type Tables<S extends readonly TableSpec[]> = {
  [I in keyof S]: S[I] extends TableSpec<infer C> ? Map<string, Row<C>> : never;
};

/**
 * The rows of several tables in one pass over the varbinds, each keyed by instance (the OID part after
 * `entry.column`). Varbinds of other tables, of columns a spec does not name, and exception values (noSuchInstance,
 * …) are skipped.
 * @example const [ifRows] = readTables(vbs, [{ entry: '1.3.6.1.2.1.2.2.1', columns: { descr: 2 } }]);
 */
export function readTables<const S extends readonly TableSpec[]>(vbs: readonly VarBind[], specs: S): Tables<S> {
  interface Target {
    byNumber: Map<string, string>;
    rows: Map<string, Record<string, Value>>;
  }
  const byEntry = new Map<string, Target>();
  const targets = specs.map((spec) => {
    const t: Target = { byNumber: new Map(), rows: new Map() };
    for (const [name, col] of Object.entries(spec.columns)) t.byNumber.set(String(col), name);
    byEntry.set(spec.entry, t);
    return t;
  });
  // One lookup per distinct entry length instead of a prefix test per table: the walks are long (a controller's
  // per-channel tables alone run to thousands of rows).
  const lengths = [...new Set(specs.map((s) => s.entry.length))];
  for (const vb of vbs) {
    const oid = vb.oid;
    for (const len of lengths) {
      if (oid.charCodeAt(len) !== 46) continue;
      const t = byEntry.get(oid.slice(0, len));
      if (!t) continue;
      const dot = oid.indexOf('.', len + 1);
      const name = dot < 0 ? undefined : t.byNumber.get(oid.slice(len + 1, dot));
      if (name !== undefined && !isExceptionType(vb.type)) {
        const index = oid.slice(dot + 1);
        let row = t.rows.get(index);
        if (!row) t.rows.set(index, (row = {}));
        row[name] = vb.value;
      }
      break;
    }
  }
  return targets.map((t) => t.rows) as Tables<S>;
}

/** The rows of one table (see readTables). */
export function readTable<C extends string>(vbs: readonly VarBind[], spec: TableSpec<C>): Map<string, Row<C>> {
  return readTables(vbs, [spec])[0];
}

/** The value of a scalar (`oid.0` or `oid` as given), or undefined. */
export function scalar(vbs: readonly VarBind[], oid: string): Value | undefined {
  const want = oid.endsWith('.0') ? oid : oid + '.0';
  for (const vb of vbs) if (vb.oid === want && !isExceptionType(vb.type)) return vb.value;
  return undefined;
}

/** True when any varbind lies under one of the roots. */
export function hasAny(vbs: readonly VarBind[], roots: readonly string[]): boolean {
  const prefixes = roots.map((r) => r + '.');
  return vbs.some((vb) => !isExceptionType(vb.type) && prefixes.some((p) => vb.oid.startsWith(p)));
}
