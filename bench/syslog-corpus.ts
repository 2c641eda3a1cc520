/** Message bodies for the syslog benchmarks: the real lines in ../shared/logs (or $VIGIL_TESTDATA), re-wrapped as RFC 5424 and 3164. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDataDir } from '../test/harness/testdata.ts';
import { decodeSyslog } from '../src/collectors/syslog/decode.ts';
import type { LogRecord } from '../src/model/records.ts';

const shared = testDataDir();

interface Body {
  host: string;
  app: string;
  pid?: string;
  text: string;
}

/** Host, tag, pid and text of every shared sample line. */
export function bodies(): Body[] {
  const out: Body[] = [];
  for (const f of ['Linux_2k.log', 'OpenSSH_2k.log']) {
    for (const line of readFileSync(join(shared, 'logs', f), 'utf8').split(/\r?\n/)) {
      const m = /^\w{3}\s+\d+ [\d:]+ (\S+) ([^\s[:]+)(?:\[(\d+)\])?:? ?(.*)$/.exec(line);
      if (m) out.push({ host: m[1], app: m[2], pid: m[3], text: m[4] });
    }
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Message i, alternating RFC 5424 and RFC 3164; `tag` makes every message findable by a unique word. */
export function message(b: Body, i: number, ts: number): string {
  const d = new Date(ts);
  const pri = 8 + (i % 8) + 8 * (i % 3);
  if (i % 2 === 0) return `<${pri}>1 ${d.toISOString()} ${b.host} ${b.app} ${b.pid ?? '-'} - - ${b.text} seq${i}`;
  const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `<${pri}>${stamp} ${b.host} ${b.app}${b.pid ? `[${b.pid}]` : ''}: ${b.text} seq${i}`;
}

/**
 * `n` messages decoded as the receiver would, received one millisecond apart up to now from 65,536 senders:
 * the records the store benchmarks write.
 */
export function decodedCorpus(n: number, now = Date.now()): LogRecord[] {
  const b = bodies();
  const records: LogRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = message(b[i % b.length], i, now - (n - i));
    records[i] = decodeSyslog(Buffer.from(m), {
      receivedTs: now - (n - i),
      sourceAddress: `10.0.${(i >> 8) & 255}.${i & 255}`,
      transport: 'tcp',
    });
  }
  return records;
}

/** `n` datagrams, RFC 5424 and 3164 alternating, each findable by its `seq<i>` word. */
export function* syslogPackets(n: number, now = Date.now()): Generator<Buffer> {
  const b = bodies();
  for (let i = 0; i < n; i++) yield Buffer.from(message(b[i % b.length], i, now));
}
