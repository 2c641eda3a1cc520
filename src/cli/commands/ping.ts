import { icmpConfigSchema } from '../../collectors/icmp/config.ts';
import { pingOnce, type PingResult } from '../../collectors/icmp/run-fping.ts';
import { isHostAddress } from '../../model/address.ts';
import { VigilError } from '../../model/errors.ts';
import type { CommandModule } from './types.ts';

const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));

/** The table `vigil ping` prints (pure). */
export function formatPingTable(results: readonly PingResult[]): string {
  const rows = [['TARGET', 'SENT', 'RECV', 'LOSS%', 'MIN ms', 'AVG ms', 'MAX ms', 'JITTER ms', 'NOTE']];
  for (const r of results) {
    const note = [r.error, r.duplicates ? `${r.duplicates} duplicate(s)` : ''].filter(Boolean).join('; ');
    rows.push([
      r.target,
      String(r.sent),
      String(r.received),
      String(r.lossPct),
      fmt(r.minMs),
      fmt(r.avgMs),
      fmt(r.maxMs),
      fmt(r.jitterMs),
      note,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return (
    rows
      .map((row) =>
        row
          .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `vigil ping TARGET…`: one fping run, a table of loss, RTT and jitter. */
export const pingCommand: CommandModule = (program) => {
  program
    .command('ping')
    .description('ping targets with one fping process and print loss, min/avg/max RTT and jitter')
    .argument('<targets...>', 'IPv4/IPv6 addresses or names')
    .option('-c, --count <n>', 'probes per target', '3')
    .option('-p, --period <ms>', 'gap between probes to one target', '200')
    .option('-t, --timeout <ms>', 'wait for each reply', '1000')
    .option('-b, --size <bytes>', 'ICMP payload bytes', '56')
    .action(async (targets: string[], o: { count: string; period: string; timeout: string; size: string }) => {
      const bad = targets.filter((t) => !isHostAddress(t));
      if (bad.length)
        throw new VigilError(
          'VIGIL_VALIDATION',
          `ping: ${bad.map((t) => JSON.stringify(t)).join(', ')} ${bad.length > 1 ? 'are not IP addresses or host names' : 'is not an IP address or host name'}`,
        );
      const config = icmpConfigSchema.parse({
        count: Number(o.count),
        periodMs: Number(o.period),
        timeoutMs: Number(o.timeout),
        sizeBytes: Number(o.size),
      });
      const results = await pingOnce(targets, config);
      process.stdout.write(formatPingTable(results));
      if (results.some((r) => r.received === 0)) process.exitCode = 1;
    });
};
