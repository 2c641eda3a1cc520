/** The progress line `vigil store migrate` redraws on a terminal, and its summary table. Pure: text in, text out. */
import type { TableCount } from './copy.ts';

const n = (x: number) => x.toLocaleString('en-US');

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/**
 * @example progressLine({ table: 'logs', copied: 500, total: 1000 }, 2, 30)
 * // 'logs             [###############...............]  50%  500 of 1,000 rows  250 rows/s  2s left'
 */
export function progressLine(
  p: { table: string; copied: number; total: number },
  elapsedS: number,
  width = 30,
): string {
  const share = p.total ? Math.min(1, p.copied / p.total) : 1;
  const filled = Math.round(share * width);
  const rate = elapsedS > 0 ? p.copied / elapsedS : 0;
  const left = rate > 0 ? (p.total - p.copied) / rate : Number.POSITIVE_INFINITY;
  return [
    p.table.padEnd(16),
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`,
    `${String(Math.floor(share * 100)).padStart(3)}%`,
    ` ${n(p.copied)} of ${n(p.total)} rows`,
    ` ${n(Math.round(rate))} rows/s`,
    ` ${duration(left)} left`,
  ].join(' ');
}

/** One line per table: source and target counts, and whether they agree. */
export function countsTable(counts: readonly TableCount[]): string {
  const rows = counts.map((c) => [c.table, n(c.source), n(c.target), c.source === c.target ? 'ok' : 'DIFFERS']);
  const head = ['table', 'SQLite', 'PostgreSQL', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
