/**
 * The bus codec (src/bus/kafka/codec.ts) against JSON, per record kind: CPU of encode + decode, µs per record, and
 * bytes per record, for the codec with batches of 1, 100 and 1000 records per message, JSON.stringify/JSON.parse per
 * record (one message each) and JSON of a whole batch (an array per message). Both sides go to and from bytes
 * (Buffer), as a Kafka client needs. The records are the realistic ones of the store bench: SNMP polls of 2,000
 * devices (samples, interface and device states: bench/store-backends-records.ts), decoded syslog lines
 * (bench/syslog-corpus.ts's decodedCorpus, which needs the shared test data), v2c traps decoded from datagrams with
 * their wire varbinds (bench/traps.ts's), and the event engine's write-behind events.
 * Note that JSON drops a trap's wire varbinds (a symbol key) and turns NaN into null: its trap bytes carry less.
 *
 * Usage: npx tsx bench/bus-codec.ts        (VIGIL_BENCH_RECORDS=20000 records per kind; VIGIL_BENCH_MS=500 per cell)
 */
import { decodeBatch, encodeBatch } from '../src/bus/kafka/codec.ts';
import type { BusRecord, RecordKind } from '../src/model/records.ts';
import { DEVICES, eventSlices, pollRecords, traps } from './store-backends-records.ts';
import { decodedCorpus } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_RECORDS ?? 20_000);
const MS = Number(process.env.VIGIL_BENCH_MS ?? 500);
const now = Date.UTC(2026, 10, 25, 12);

function polled(): Map<RecordKind, BusRecord[]> {
  const by = new Map<RecordKind, BusRecord[]>([
    ['sample', []],
    ['interface-state', []],
    ['device-state', []],
  ]);
  for (let d = 0; d < DEVICES; d++)
    for (const r of pollRecords(d, now + Math.floor((d * 60_000) / DEVICES), 1)) {
      const list = by.get(r.kind)!;
      if (list.length < N) list.push(r);
    }
  return by;
}

const corpus: [RecordKind, BusRecord[]][] = [
  ...polled(),
  ['log', decodedCorpus(N, now)],
  ['trap', traps(N, now)],
  ['event', eventSlices(N, now).flatMap((s) => s.events)],
];

const chunks = (list: BusRecord[], size: number) => {
  const out: BusRecord[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

interface Cell {
  encUs: number;
  decUs: number;
  bytes: number;
}

/**
 * Encodes every message, then decodes every result, over and over until MS have passed; per record figures from the
 * fastest round of each (the least disturbed by whatever else the machine runs).
 */
function measure<M>(
  messages: BusRecord[][],
  records: number,
  encode: (b: BusRecord[]) => M,
  decode: (m: M) => unknown,
  size: (m: M) => number,
): Cell {
  let encoded = messages.map(encode);
  const bytes = encoded.reduce((n, m) => n + size(m), 0);
  for (const m of encoded) decode(m); // warm-up
  let enc = Infinity;
  let dec = Infinity;
  let rounds = 0;
  const until = performance.now() + MS;
  while (performance.now() < until || rounds < 3) {
    const t0 = performance.now();
    encoded = messages.map(encode);
    const t1 = performance.now();
    for (const m of encoded) decode(m);
    dec = Math.min(dec, performance.now() - t1);
    enc = Math.min(enc, t1 - t0);
    rounds++;
  }
  const per = (ms: number) => (ms * 1000) / records;
  return { encUs: per(enc), decUs: per(dec), bytes: bytes / records };
}

const codec = (b: BusRecord[]) => encodeBatch(b);
const jsonRecord = (b: BusRecord[]) => Buffer.from(JSON.stringify(b[0]));
const jsonBatch = (b: BusRecord[]) => Buffer.from(JSON.stringify(b));
const size = (m: Buffer) => m.length;
const parse = (m: Buffer) => JSON.parse(m.toString());

const cpu = (x: Cell) => x.encUs + x.decUs;
const WIDTHS = [16, 6, 9, 7, 7, 8, 12, 8, 14, 8, 12, 12, 12, 13];
const row = (cells: string[]) => console.log(cells.map((c, i) => (i ? c.padStart(WIDTHS[i]) : c.padEnd(16))).join(''));

console.log(`bus codec vs JSON: ${N} records per kind; µs of encode + decode per record, bytes per record`);
console.log('(ratios: codec ÷ JSON one record per message, and ÷ JSON of the same batch as one array)');
row(
  ['kind', 'batch', 'codec µs', 'enc', 'dec', 'B/rec', 'JSON/rec µs', 'B/rec', 'JSON/batch µs', 'B/rec'].concat([
    'CPU ÷/rec',
    'CPU ÷/batch',
    'size ÷/rec',
    'size ÷/batch',
  ]),
);
for (const [kind, list] of corpus) {
  const perRecord = measure(chunks(list, 1), list.length, jsonRecord, parse, size);
  for (const batch of [1, 100, 1000]) {
    const messages = chunks(list, batch);
    const c = measure(messages, list.length, codec, decodeBatch, size);
    const j = batch === 1 ? perRecord : measure(messages, list.length, jsonBatch, parse, size);
    row([
      kind,
      String(batch),
      cpu(c).toFixed(2),
      c.encUs.toFixed(2),
      c.decUs.toFixed(2),
      c.bytes.toFixed(1),
      cpu(perRecord).toFixed(2),
      perRecord.bytes.toFixed(1),
      cpu(j).toFixed(2),
      j.bytes.toFixed(1),
      (cpu(c) / cpu(perRecord)).toFixed(2),
      (cpu(c) / cpu(j)).toFixed(2),
      (c.bytes / perRecord.bytes).toFixed(2),
      (c.bytes / j.bytes).toFixed(2),
    ]);
  }
}
