/**
 * Parser throughput, one core: decodeSyslog over RFC 5424 and RFC 3164 messages built from ../shared/logs.
 * No peer parses in isolation, so the reference is the goal (300,000 msgs/s per core).
 * Run: npx tsx bench/syslog-parse.ts   (VIGIL_BENCH_N=2000000 for more)
 */
import { decodeSyslog } from '../src/collectors/syslog/decode.ts';
import { bodies, message } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 1_000_000);
const GOAL = 300_000;
const b = bodies();
const now = Date.now();
for (const [name, parity] of [
  ['rfc5424', 0],
  ['rfc3164', 1],
  ['3164 no PRI (as in shared/logs)', 2],
] as const) {
  const msgs = Array.from({ length: 4000 }, (_, k) => {
    const m = message(b[k % b.length], k * 2 + (parity === 2 ? 1 : parity), now);
    return Buffer.from(parity === 2 ? m.slice(m.indexOf('>') + 1) : m);
  });
  const opts = { receivedTs: now, sourceAddress: '127.0.0.1', transport: 'tcp' as const };
  for (let i = 0; i < 100_000; i++) decodeSyslog(msgs[i % msgs.length], opts); // warm up
  let sink = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += decodeSyslog(msgs[i % msgs.length], opts).message.length;
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const rate = N / s;
  console.log(
    `${name.padEnd(32)} vigil ${Math.round(rate).toLocaleString('en')} msgs/s/core   goal ${GOAL.toLocaleString('en')}   ratio ${(rate / GOAL).toFixed(2)}   (checksum ${sink % 997})`,
  );
}
