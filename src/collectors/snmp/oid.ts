/** Numeric OID helpers (pure). */

/** Compares two dotted numeric OIDs in SNMP lexicographic order. */
export function compareOids(a: string, b: string): number {
  const pa = a.replace(/^\./, '').split('.');
  const pb = b.replace(/^\./, '').split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d) return d < 0 ? -1 : 1;
  }
  return pa.length === pb.length ? 0 : pa.length < pb.length ? -1 : 1;
}

/** True when `oid` is strictly inside the subtree `root`. */
export const isUnder = (oid: string, root: string) => oid.startsWith(root + '.');

/** The instance part after `column.` (e.g. `3` for ifDescr.3), or undefined when not under it. */
export const instanceOf = (oid: string, column: string): string | undefined =>
  isUnder(oid, column) ? oid.slice(column.length + 1) : undefined;
