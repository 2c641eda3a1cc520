/** `vigil cluster status`: every node seen, from the heartbeats in the shared store. Pure: reports in, text out. */
import type { NodeReport } from './heartbeat.ts';

export type NodeState = 'up' | 'late' | 'gone';

/** Up while heartbeats come on time; late after 3 missed; gone after a minute without one (at least 10 missed). */
export function nodeState(r: NodeReport, now: number): NodeState {
  const age = now - r.heartbeatTs;
  if (age <= 3 * r.intervalMs) return 'up';
  return age <= Math.max(60_000, 10 * r.intervalMs) ? 'late' : 'gone';
}

const ago = (ms: number) =>
  ms < 1000 ? 'now' : ms < 120_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`;

export function statusTable(reports: readonly NodeReport[], now: number): string {
  const rows = [...reports]
    .sort((a, b) => a.site.localeCompare(b.site) || a.id.localeCompare(b.id))
    .map((r) => [
      r.id,
      r.roles.join(','),
      r.site,
      r.version,
      nodeState(r, now),
      ago(now - r.heartbeatTs),
      r.lag === undefined ? '-' : String(r.lag),
      r.pending === undefined ? '-' : String(r.pending),
      r.spooled === undefined ? '-' : String(r.spooled),
    ]);
  const head = ['node', 'roles', 'site', 'version', 'state', 'heartbeat', 'lag', 'pending', 'on disk'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
