/**
 * The RMON step of a poll: whether the device is an RMON probe (checked at its first poll and once a day after), and
 * when it is, its etherStats rows read and turned into rate samples (`rmon.*`, labelled by the row and its interface).
 */
import type { EtherStatsRates, EtherStatsRow } from '../../model/rmon.ts';
import type { Sample } from '../../model/records.ts';
import { etherStatsRates, parseEtherStats, RMON_ROOTS } from './profiles/rmon.ts';
import type { SnmpSession, WalkOptions } from './session-types.ts';

export interface RmonMemory {
  /** When the device was last asked whether it has etherStats rows, and the answer. */
  checkedMs: number;
  present: boolean;
  rows?: Map<number, EtherStatsRow>;
  wallMs?: number;
}

const RECHECK_MS = 86_400_000;

/** Rate metric of each EtherStatsRates field, with the label the size buckets share. */
export const RMON_METRICS: Record<keyof EtherStatsRates, { metric: string; size?: string }> = {
  bps: { metric: 'rmon.bps' },
  pps: { metric: 'rmon.pps' },
  broadcastPps: { metric: 'rmon.bcast.pps' },
  multicastPps: { metric: 'rmon.mcast.pps' },
  dropEventsPerSec: { metric: 'rmon.drops.ps' },
  crcAlignErrorsPerSec: { metric: 'rmon.crc.ps' },
  undersizePerSec: { metric: 'rmon.undersize.ps' },
  oversizePerSec: { metric: 'rmon.oversize.ps' },
  fragmentsPerSec: { metric: 'rmon.fragments.ps' },
  jabbersPerSec: { metric: 'rmon.jabbers.ps' },
  collisionsPerSec: { metric: 'rmon.collisions.ps' },
  errorsPerSec: { metric: 'rmon.errors.ps' },
  pkts64Pps: { metric: 'rmon.size.pps', size: '64' },
  pkts65to127Pps: { metric: 'rmon.size.pps', size: '65-127' },
  pkts128to255Pps: { metric: 'rmon.size.pps', size: '128-255' },
  pkts256to511Pps: { metric: 'rmon.size.pps', size: '256-511' },
  pkts512to1023Pps: { metric: 'rmon.size.pps', size: '512-1023' },
  pkts1024to1518Pps: { metric: 'rmon.size.pps', size: '1024-1518' },
  utilPct: { metric: 'rmon.util.pct' },
};

/**
 * Runs the RMON step. `interfaces` gives names and speeds (from this poll's interface walk) for labels and
 * utilisation; `rebooted` makes every rate a gap.
 */
export async function pollRmon(
  session: SnmpSession,
  opts: WalkOptions,
  prev: RmonMemory | undefined,
  ts: number,
  rebooted: boolean,
  interfaces: ReadonlyMap<number, { name: string; speedBps?: number }>,
  sample: (metric: string, value: number, labels: Record<string, string>) => Sample,
): Promise<{ samples: Sample[]; memory: RmonMemory }> {
  let present = prev?.present ?? false;
  let checkedMs = prev?.checkedMs ?? -Infinity;
  if (ts - checkedMs >= RECHECK_MS) {
    const probe = await session.walkLimited(`${RMON_ROOTS.etherStatsTable}.1.1`, { ...opts, maxResults: 1 });
    present = probe.varbinds.length > 0;
    checkedMs = ts;
  }
  if (!present) return { samples: [], memory: { checkedMs, present } };
  const varbinds = [
    ...(await session.walk(RMON_ROOTS.etherStatsTable, opts)),
    ...(await session.walk(RMON_ROOTS.etherStatsHighCapacityTable, opts)),
  ];
  const rows = parseEtherStats(varbinds);
  const seconds = prev?.wallMs !== undefined ? (ts - prev.wallMs) / 1000 : 0;
  const samples: Sample[] = [];
  const memory: RmonMemory = { checkedMs, present, rows: new Map(), wallMs: ts };
  for (const row of rows) {
    memory.rows!.set(row.index, row);
    const iface = row.ifIndex !== undefined ? interfaces.get(row.ifIndex) : undefined;
    const labels: Record<string, string> = {
      index: String(row.index),
      ...(row.ifIndex !== undefined ? { ifIndex: String(row.ifIndex) } : {}),
      ...(iface ? { ifName: iface.name } : {}),
    };
    const rates = etherStatsRates(prev?.rows?.get(row.index), row, seconds, iface?.speedBps, rebooted);
    for (const [k, v] of Object.entries(rates) as [keyof EtherStatsRates, number][]) {
      const m = RMON_METRICS[k];
      samples.push(sample(m.metric, v, m.size ? { ...labels, size: m.size } : labels));
    }
  }
  return { samples, memory };
}
