/** A job's progress line and its result table, as the CLI prints them (pure). */
import type { FoundDevice, JobProgress } from './job.ts';

/** One line: phase, a bar over the sweep (then over the SNMP trials), and the counts. */
export function progressLine(p: JobProgress): string {
  const total = Math.max(1, p.phase === 'sweep' ? p.addresses : Math.max(p.responders + p.followed, 1));
  const done = p.phase === 'sweep' ? p.swept : p.probed;
  const width = 24;
  const filled = Math.min(width, Math.round((done / total) * width));
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  return (
    `${p.phase.padEnd(5)} ${bar} ${p.addresses} addresses, ${p.responders} answered ping, ` +
    `${p.snmpAnswers}/${p.probed} answered SNMP, ${p.added} added, ${p.listed} listed, ${p.known} known` +
    (p.followed ? `, ${p.followed} neighbours followed` : '')
  );
}

/** The finds as a table: address, status, name, vendor, model, profile, device. */
export function foundTable(found: readonly FoundDevice[]): string {
  const rows = [
    ['ADDRESS', 'STATUS', 'SYSNAME', 'VENDOR', 'MODEL', 'PROFILE', 'DEVICE'],
    ...found.map((f) => [
      f.address,
      f.status,
      f.sysName ?? '',
      f.vendor ?? '',
      f.model ?? f.hardwareModel ?? '',
      f.profile,
      f.deviceId ?? '',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
