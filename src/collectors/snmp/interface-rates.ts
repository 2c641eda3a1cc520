/** Rates of one interface between two polls (pure): picks HC counters when both polls have them. */
import { counterRate, octetsToBps, utilisationPct, discontinuityChanged, type CounterValue } from './rates.ts';
import { IF_COUNTERS, speedBps, type IfCounterName, type InterfaceRow } from './profiles/interfaces.ts';

/** What Vigil remembers of an interface between polls. */
export interface InterfaceMemory {
  counters: Partial<Record<IfCounterName, CounterValue>>;
  discontinuityCs?: number;
  operStatus?: number;
  lastChangeTs?: number;
}

export interface InterfaceRates {
  inBps?: number;
  outBps?: number;
  inUtilPct?: number;
  outUtilPct?: number;
  inPps?: number;
  outPps?: number;
  inUcastPps?: number;
  outUcastPps?: number;
  inMcastPps?: number;
  outMcastPps?: number;
  inBcastPps?: number;
  outBcastPps?: number;
  inErrorsPerSec?: number;
  outErrorsPerSec?: number;
  inDiscardsPerSec?: number;
  outDiscardsPerSec?: number;
}

/** Keeps counters small in memory: numbers while exact (< 2^53), strings beyond. */
const small = (v: CounterValue | undefined): CounterValue | undefined => {
  if (v === undefined || typeof v === 'number') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : String(v);
};

/**
 * The counters kept between polls, one object per interface of every device (2,000 devices hold ~60,000).
 * Built as one literal with every name in a fixed order, so V8 gives all of them one compact shape (~300 bytes);
 * filled name by name in varying orders they turned into hash-table objects of ~1.5 kB each (87 MB at 2,000 devices).
 */
export function compactCounters(c: InterfaceRow['counters']): InterfaceMemory['counters'] {
  return {
    inOctets: small(c.inOctets),
    inUcastPkts: small(c.inUcastPkts),
    inNUcastPkts: small(c.inNUcastPkts),
    inDiscards: small(c.inDiscards),
    inErrors: small(c.inErrors),
    outOctets: small(c.outOctets),
    outUcastPkts: small(c.outUcastPkts),
    outNUcastPkts: small(c.outNUcastPkts),
    outDiscards: small(c.outDiscards),
    outErrors: small(c.outErrors),
    inMulticastPkts: small(c.inMulticastPkts),
    inBroadcastPkts: small(c.inBroadcastPkts),
    outMulticastPkts: small(c.outMulticastPkts),
    outBroadcastPkts: small(c.outBroadcastPkts),
    hcInOctets: small(c.hcInOctets),
    hcInUcastPkts: small(c.hcInUcastPkts),
    hcInMulticastPkts: small(c.hcInMulticastPkts),
    hcInBroadcastPkts: small(c.hcInBroadcastPkts),
    hcOutOctets: small(c.hcOutOctets),
    hcOutUcastPkts: small(c.hcOutUcastPkts),
    hcOutMulticastPkts: small(c.hcOutMulticastPkts),
    hcOutBroadcastPkts: small(c.hcOutBroadcastPkts),
  } satisfies Record<IfCounterName, CounterValue | undefined>;
}

/**
 * Rates from `prev` to `cur` over `times` (seconds on the rate time base). Everything is a gap when
 * `reset` (agent restarted) or the interface's counter discontinuity time changed.
 */
export function interfaceRates(
  prev: InterfaceMemory | undefined,
  cur: InterfaceRow,
  times: { prevS: number; curS: number } | undefined,
  reset: boolean,
): InterfaceRates {
  if (!prev || !times || reset || discontinuityChanged(prev.discontinuityCs, cur.discontinuityCs)) return {};
  const speed = speedBps(cur);
  // A 32-bit "wrap" implying more than twice the link speed was really an unnoticed reset: a gap, not a spike.
  const maxOctetsPerS = speed ? (speed / 8) * 2 : undefined;
  const rate = (name: IfCounterName, max?: number) => {
    const p = prev.counters[name];
    const c = cur.counters[name];
    if (p === undefined || c === undefined) return undefined;
    return counterRate({ value: p, timeS: times.prevS }, { value: c, timeS: times.curS }, IF_COUNTERS[name].bits, max);
  };
  const pick = (hc: IfCounterName, low: IfCounterName, max?: number) =>
    prev.counters[hc] !== undefined && cur.counters[hc] !== undefined ? rate(hc, max) : rate(low, max);

  const inOctets = pick('hcInOctets', 'inOctets', maxOctetsPerS);
  const outOctets = pick('hcOutOctets', 'outOctets', maxOctetsPerS);
  const r: InterfaceRates = {
    inBps: octetsToBps(inOctets),
    outBps: octetsToBps(outOctets),
    inUcastPps: pick('hcInUcastPkts', 'inUcastPkts'),
    outUcastPps: pick('hcOutUcastPkts', 'outUcastPkts'),
    inMcastPps: pick('hcInMulticastPkts', 'inMulticastPkts'),
    outMcastPps: pick('hcOutMulticastPkts', 'outMulticastPkts'),
    inBcastPps: pick('hcInBroadcastPkts', 'inBroadcastPkts'),
    outBcastPps: pick('hcOutBroadcastPkts', 'outBroadcastPkts'),
    inErrorsPerSec: rate('inErrors'),
    outErrorsPerSec: rate('outErrors'),
    inDiscardsPerSec: rate('inDiscards'),
    outDiscardsPerSec: rate('outDiscards'),
  };
  r.inUtilPct = utilisationPct(r.inBps, speed);
  r.outUtilPct = utilisationPct(r.outBps, speed);
  // Total packets: unicast + multicast + broadcast, or unicast + non-unicast on agents without ifXTable.
  const total = (u?: number, m?: number, b?: number, nu?: number) =>
    u === undefined ? undefined : m !== undefined || b !== undefined ? u + (m ?? 0) + (b ?? 0) : u + (nu ?? 0);
  r.inPps = total(r.inUcastPps, r.inMcastPps, r.inBcastPps, rate('inNUcastPkts'));
  r.outPps = total(r.outUcastPps, r.outMcastPps, r.outBcastPps, rate('outNUcastPkts'));
  for (const k of Object.keys(r) as (keyof InterfaceRates)[]) if (r[k] === undefined) delete r[k];
  return r;
}

/** Metric names of the rates, as documented in docs/collectors.md. */
export const RATE_METRICS: Record<keyof InterfaceRates, string> = {
  inBps: 'if.in.bps',
  outBps: 'if.out.bps',
  inUtilPct: 'if.in.util.pct',
  outUtilPct: 'if.out.util.pct',
  inPps: 'if.in.pps',
  outPps: 'if.out.pps',
  inUcastPps: 'if.in.ucast.pps',
  outUcastPps: 'if.out.ucast.pps',
  inMcastPps: 'if.in.mcast.pps',
  outMcastPps: 'if.out.mcast.pps',
  inBcastPps: 'if.in.bcast.pps',
  outBcastPps: 'if.out.bcast.pps',
  inErrorsPerSec: 'if.in.errors.ps',
  outErrorsPerSec: 'if.out.errors.ps',
  inDiscardsPerSec: 'if.in.discards.ps',
  outDiscardsPerSec: 'if.out.discards.ps',
};
