/**
 * The records bench/store-backends.ts writes on each backend, built the way Vigil's collectors build them and the same
 * for every backend (deterministic from `now`): SNMP polls of 2,000 devices (src/collectors/snmp/poll-device.ts's
 * shape), decoded syslog lines (bench/syslog-corpus.ts), v2c traps decoded from real datagrams (bench/traps.ts's
 * varbinds), and event states with their history as the event engine's write-behind hands them over.
 */
import { integer, octets, oid, seq, TAG, unsigned } from '../src/model/ber.ts';
import { encodeCommunityMessage, encodePdu } from '../src/collectors/trap/encode.ts';
import { decodeMessage, PDU } from '../src/collectors/trap/message.ts';
import { pduToTrapRecord } from '../src/collectors/trap/record.ts';
import { RATE_METRICS } from '../src/collectors/snmp/interface-rates.ts';
import { decodeSyslog } from '../src/collectors/syslog/decode.ts';
import type { EventHistoryEntry, VigilEvent } from '../src/model/events.ts';
import type { BusRecord, LogRecord, Sample, Severity, TrapRecord } from '../src/model/records.ts';
import { bodies, message } from './syslog-corpus.ts';

export const DEVICES = 2000;
export const POLL_MS = 60_000;
/** Interfaces of device d: 4 to 44, 24 on average. */
export const interfacesOf = (d: number) => 4 + ((d * 7) % 41);
const RATES = Object.values(RATE_METRICS);
/** Samples one poll of device d makes: its rates and oper status per interface, and four of the device's own. */
export const samplesPerPoll = (d: number) => interfacesOf(d) * (RATES.length + 1) + 4;

/**
 * One poll of device `d` at `ts` (its `round`-th): per interface the 16 rates of ifTable/ifXTable counters
 * (ifHCIn/OutOctets → bps and utilisation, packets, errors, discards) and if.oper.status, labelled ifIndex and ifName,
 * with the interface's state; then uptime, CPU, memory and poll time, and the device's state: what `pollDevice`
 * publishes.
 */
export function pollRecords(d: number, ts: number, round: number): BusRecord[] {
  const deviceId = `d${d}`;
  const out: BusRecord[] = [];
  const sample = (metric: string, value: number, labels: Record<string, string>): Sample => ({
    kind: 'sample',
    deviceId,
    metric,
    labels,
    ts,
    value,
  });
  out.push(sample('sys.uptime.s', 86_400 * 30 + round * 60, {}));
  for (let i = 1; i <= interfacesOf(d); i++) {
    const name = `GigabitEthernet0/${i}`;
    const labels = { ifIndex: String(i), ifName: name };
    const base = ((d * 131 + i * 17 + round * 7) % 1000) * 1_000_003;
    RATES.forEach((metric, k) => out.push(sample(metric, base / (k + 1) + round, labels)));
    const oper = (d + i + round) % 97 === 0 ? 2 : 1;
    out.push(sample('if.oper.status', oper, labels));
    out.push({
      kind: 'interface-state',
      deviceId,
      ts,
      ifIndex: i,
      name,
      descr: name,
      type: 6,
      speedBps: 1e9,
      adminStatus: 1,
      operStatus: oper,
      inBps: base,
      outBps: base / 2,
      inUtilPct: (base / 1e9) * 100,
      outUtilPct: (base / 2e9) * 100,
    });
  }
  out.push(sample('cpu.load.pct', (d + round) % 100, {}));
  out.push(sample('mem.used.pct', (d * 3 + round) % 100, {}));
  out.push(sample('snmp.poll.ms', 20 + ((d + round) % 50), {}));
  out.push({
    kind: 'device-state',
    deviceId,
    ts,
    snmp: { ok: true, version: 'v2c', system: { sysName: deviceId, sysUpTimeCs: (86_400 * 30 + round * 60) * 100 } },
  });
  return out;
}

/** Every device polled once, spread over the poll interval that starts at `start`. */
export function pollRound(start: number, round: number): BusRecord[] {
  const out: BusRecord[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const r = pollRecords(d, start + Math.floor((d * POLL_MS) / DEVICES), round);
    for (const x of r) out.push(x);
  }
  return out;
}

let cachedBodies: ReturnType<typeof bodies> | undefined;
/**
 * Lines [from, to) of the `n` that `decodedCorpus(n, now)` makes, decoded the same way (one at a time, so that
 * 10 M lines need not be held at once).
 */
export function logLines(n: number, from: number, to: number, now: number): LogRecord[] {
  const b = (cachedBodies ??= bodies());
  const out: LogRecord[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    out[i - from] = decodeSyslog(Buffer.from(message(b[i % b.length], i, now - (n - i))), {
      receivedTs: now - (n - i),
      sourceAddress: `10.0.${(i >> 8) & 255}.${i & 255}`,
      transport: 'tcp',
    });
  }
  return out;
}

/** bench/traps.ts's varbinds: sysUpTime, snmpTrapOID (linkDown / linkUp), ifIndex, ifDescr, ifOperStatus. */
function varbindList(i: number): Buffer {
  return seq(
    seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(1000 + i, TAG.TimeTicks)),
    seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid(i % 2 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.6.3.1.1.5.4')),
    seq(oid(`1.3.6.1.2.1.2.2.1.1.${i % 48}`), integer(i % 48)),
    seq(oid(`1.3.6.1.2.1.2.2.1.2.${i % 48}`), octets(`GigabitEthernet0/${i % 48}`)),
    seq(oid(`1.3.6.1.2.1.2.2.1.8.${i % 48}`), integer(1 + (i % 2))),
  );
}

/**
 * `n` v2c traps as the receiver makes them (decoded from 5,000 distinct datagrams, the varbinds' wire form kept),
 * from 2,000 agents, received a tenth of a millisecond apart up to `now`.
 */
export function traps(n: number, now: number): TrapRecord[] {
  const packets = Array.from({ length: 5000 }, (_, i) =>
    encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, i, varbindList(i))),
  );
  const out: TrapRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = decodeMessage(packets[i % packets.length]);
    if (m.version === 'v3') throw new Error('not a community message');
    const d = i % DEVICES;
    out[i] = pduToTrapRecord(m.pdu, {
      receivedTs: now - Math.floor((n - i) / 10),
      sourceAddress: `10.1.${d >> 8}.${d & 255}`,
      version: 'v2c',
      community: m.community,
      deviceByAddress: () => ({ id: `d${d}` }),
    });
  }
  return out;
}

const SEVERITY_OF: Severity[] = ['warning', 'minor', 'major', 'critical'];

/**
 * `n` event states in slices of `slice` (the engine's write-behind hands the writer 500 at a time) with their history:
 * the first half opens n/2 threshold events (one 'opened' entry each), the second half updates the same events
 * (count and last seen; every fifth cleared, with a 'cleared' entry): a storm's writes.
 */
export function eventSlices(
  n: number,
  now: number,
  slice = 500,
): { events: VigilEvent[]; history: EventHistoryEntry[] }[] {
  const half = Math.ceil(n / 2);
  const make = (k: number, second: boolean): { event: VigilEvent; entry?: EventHistoryEntry } => {
    const d = k % DEVICES;
    const ifIndex = 1 + (k % interfacesOf(d));
    const severity = SEVERITY_OF[k % 4];
    const cleared = second && k % 5 === 0;
    const firstSeen = now - 600_000 + (k % 1000);
    const lastSeen = second ? now - 1000 + (k % 1000) : firstSeen;
    const id = `ev${String(k).padStart(8, '0')}`;
    const event: VigilEvent = {
      kind: 'event',
      id,
      dedupKey: `threshold:th${k % 800}:d${d}:ifIndex=${ifIndex}`,
      source: 'threshold',
      deviceId: `d${d}`,
      component: `ifIndex=${ifIndex}`,
      severity,
      state: cleared ? 'cleared' : 'open',
      firstSeen,
      lastSeen,
      count: second ? 2 : 1,
      summary: `if.in.util.pct on d${d} GigabitEthernet0/${ifIndex} above ${severity === 'critical' ? 95 : 80}`,
      details: { metric: 'if.in.util.pct', value: 80 + (k % 20), threshold: 80, labels: { ifIndex: String(ifIndex) } },
      ruleId: `th${k % 800}`,
      ...(cleared ? { clearedTs: lastSeen, clearReason: 'recovered' as const } : {}),
    };
    const entry: EventHistoryEntry | undefined = !second
      ? { eventId: id, ts: firstSeen, actor: 'system', action: 'opened', details: { severity } }
      : cleared
        ? { eventId: id, ts: lastSeen, actor: 'system', action: 'cleared' }
        : undefined;
    return { event, entry };
  };
  const out: { events: VigilEvent[]; history: EventHistoryEntry[] }[] = [];
  for (let j = 0; j < n; j += slice) {
    const events: VigilEvent[] = [];
    const history: EventHistoryEntry[] = [];
    for (let i = j; i < Math.min(n, j + slice); i++) {
      const { event, entry } = make(i % half, i >= half);
      events.push(event);
      if (entry) history.push(entry);
    }
    out.push({ events, history });
  }
  return out;
}
