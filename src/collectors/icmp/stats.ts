/** Pure ICMP maths: loss, RTT statistics, jitter, and the up/down state machine. */

export interface PingStats {
  sent: number;
  received: number;
  lossPct: number;
  minMs?: number;
  avgMs?: number;
  maxMs?: number;
  /** Mean absolute difference of consecutive received RTTs (RFC 3550-style without smoothing); undefined with < 2 replies. */
  jitterMs?: number;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Statistics of one target's probes (`null` = timed out). `sent` defaults to the number of probes listed. */
export function pingStats(rttsMs: readonly (number | null)[], sent = rttsMs.length): PingStats {
  const got = rttsMs.filter((v): v is number => v !== null && Number.isFinite(v));
  const received = Math.min(got.length, sent);
  const lossPct = sent > 0 ? round3(((sent - received) / sent) * 100) : 100;
  if (!got.length) return { sent, received, lossPct };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of got) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let jitterMs: number | undefined;
  if (got.length >= 2) {
    let d = 0;
    for (let i = 1; i < got.length; i++) d += Math.abs(got[i] - got[i - 1]);
    jitterMs = round3(d / (got.length - 1));
  }
  return { sent, received, lossPct, minMs: min, avgMs: round3(sum / got.length), maxMs: max, jitterMs };
}

/** Reachability of one device across cycles. */
export interface ReachabilityState {
  /** undefined until the first decision: up after one answered cycle, down after `downAfter` failed ones. */
  up?: boolean;
  consecutiveFailures: number;
  /** When `up` last changed. */
  changedTs?: number;
}

/** Next reachability state after one cycle in which the device did (`answered`) or did not answer. */
export function nextReachability(
  prev: ReachabilityState | undefined,
  answered: boolean,
  downAfter: number,
  ts: number,
): ReachabilityState {
  const p = prev ?? { consecutiveFailures: 0 };
  if (answered) return { up: true, consecutiveFailures: 0, changedTs: p.up === true ? p.changedTs : ts };
  const failures = p.consecutiveFailures + 1;
  if (failures >= downAfter)
    return { up: false, consecutiveFailures: failures, changedTs: p.up === false ? p.changedTs : ts };
  return { up: p.up, consecutiveFailures: failures, changedTs: p.changedTs };
}
