/**
 * The RMON step of a poll: whether the device is an RMON probe (checked at its first poll and once a day after), and
 * when it is, its etherStats rows read and turned into rate samples (`rmon.*`, labelled by the row and its interface).
 */
import type { EtherStatsRates, EtherStatsRow } from '../../model/rmon.ts';
import type { Sample } from '../../model/records.ts';
import {
  etherStatsRates,
  historySamplesAfter,
  lastSampleIndexes,
  parseEtherHistory,
  parseEtherStats,
  parseHistoryControl,
  RMON_ROOTS,
} from './profiles/rmon.ts';
import type { SnmpSession, WalkOptions } from './session-types.ts';

export interface RmonMemory {
  /** When the device was last asked whether it has etherStats rows, and the answer. */
  checkedMs: number;
  present: boolean;
  rows?: Map<number, EtherStatsRow>;
  wallMs?: number;
  /** The probe's history control entries (index → bucket length, interface), read with the daily check. */
  histories?: Map<number, { intervalS?: number; ifIndex?: number }>;
  /** Per history, the last bucket imported (etherHistorySampleIndex). */
  imported?: Map<number, number>;
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
  sysUpTimeCs: number | undefined,
  interfaces: ReadonlyMap<number, { name: string; speedBps?: number }>,
  sample: (metric: string, value: number, labels: Record<string, string>) => Sample,
): Promise<{ samples: Sample[]; memory: RmonMemory }> {
  let present = prev?.present ?? false;
  let checkedMs = prev?.checkedMs ?? -Infinity;
  let histories = prev?.histories;
  if (ts - checkedMs >= RECHECK_MS) {
    const probe = await session.walkLimited(`${RMON_ROOTS.etherStatsTable}.1.1`, { ...opts, maxResults: 1 });
    const control = parseHistoryControl(
      (await session.walkLimited(RMON_ROOTS.historyControlTable, { ...opts, maxResults: 10_000 })).varbinds,
    );
    histories = new Map(control.filter((c) => c.status === undefined || c.status === 'valid').map((c) => [c.index, c]));
    present = probe.varbinds.length > 0 || histories.size > 0;
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
  const memory: RmonMemory = { checkedMs, present, rows: new Map(), wallMs: ts, ...(histories ? { histories } : {}) };
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
  // The probe's own buckets, so that what happened before Vigil first polled is seen too: each imported once.
  if (histories?.size && sysUpTimeCs !== undefined) {
    const all = parseEtherHistory(await session.walk(RMON_ROOTS.etherHistoryTable, opts));
    const last = rebooted ? new Map<number, number>() : (prev?.imported ?? new Map<number, number>());
    const fresh = historySamplesAfter(all, last, { sysUpTimeCs, wallMs: ts });
    memory.imported = lastSampleIndexes(fresh, last);
    for (const h of fresh) {
      const control = histories.get(h.index);
      if (!control?.intervalS || h.intervalStartTs === undefined) continue;
      const labels: Record<string, string> = {
        history: String(h.index),
        interval: String(control.intervalS),
        ...(control.ifIndex !== undefined ? { ifIndex: String(control.ifIndex) } : {}),
        ...(control.ifIndex !== undefined && interfaces.get(control.ifIndex)
          ? { ifName: interfaces.get(control.ifIndex)!.name }
          : {}),
      };
      const at = (metric: string, value: number | undefined) => {
        if (value !== undefined) samples.push({ ...sample(metric, value, labels), ts: h.intervalStartTs! });
      };
      at('rmon.hist.bps', h.octets !== undefined ? (h.octets * 8) / control.intervalS : undefined);
      at('rmon.hist.pps', h.pkts !== undefined ? h.pkts / control.intervalS : undefined);
      at('rmon.hist.util.pct', h.utilizationHundredthsPct !== undefined ? h.utilizationHundredthsPct / 100 : undefined);
      const errs = [h.crcAlignErrors, h.undersizePkts, h.oversizePkts, h.fragments, h.jabbers];
      at('rmon.hist.errors', errs.every((e) => e !== undefined) ? errs.reduce((a, b) => a! + b!, 0) : undefined);
    }
  } else if (prev?.imported) memory.imported = prev.imported;
  return { samples, memory };
}
