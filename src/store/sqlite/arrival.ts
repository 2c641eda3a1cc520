import type { Database } from './driver.ts';

/**
 * For append-only tables whose ids grow with arrival (logs, traps): the first id whose `received_ts`
 * is >= `cutoff`, found by binary search over the ids, so that the table needs no index on its time column.
 * Undefined when the table is empty; one past the last id when every row is older. If the clock stepped back while
 * rows arrived, the boundary is approximate around the step.
 */
export function firstIdAtOrAfter(db: Database, table: 'logs' | 'traps', cutoff: number): number | undefined {
  const range = db.prepare(`SELECT MIN(id) AS lo, MAX(id) AS hi FROM ${table}`).get() as {
    lo: number | null;
    hi: number | null;
  };
  if (range.lo === null || range.hi === null) return undefined;
  const at = db.prepare(`SELECT received_ts AS t FROM ${table} WHERE id >= ? ORDER BY id LIMIT 1`);
  let lo = range.lo;
  let hi = range.hi + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = at.get(mid) as { t: number } | undefined;
    if (r && r.t < cutoff) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
