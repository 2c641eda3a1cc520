/**
 * Log records in columns, the form in which a batch crosses between threads (pure): the syslog receiver thread
 * hands its batches to the main thread this way, and the store writer hands log batches to its thread this way.
 * Copying an object between threads costs per object and per property (about a microsecond per log record each
 * way, a tenth of the receiving thread at 100,000 msgs/s); here a batch is typed arrays (moved, not copied), the
 * distinct short texts once each (a flood repeats the same few senders, hosts and apps), and the messages as one
 * array of strings (copied as flat strings).
 */
import type { LogRecord } from './records.ts';

/** Short texts per record, in this order; index 0 of `strings` stands for absent. */
export const LOG_TEXTS = 6;
const TRANSPORTS: LogRecord['transport'][] = ['udp', 'tcp', 'tls'];

export interface LogColumns {
  count: number;
  /** Per record: receivedTs, ts, facility, severity, transport (index into udp/tcp/tls). */
  numbers: Float64Array;
  /** Per record: sourceAddress, deviceId, hostname, app, procid, msgid, as indexes into `strings` (0: absent). */
  texts: Uint32Array;
  strings: string[];
  messages: string[];
  /** Per record, the rare parts as JSON (structuredData, rawBase64, flags), or null when it has none. */
  extras: (string | null)[];
}

const NUMS = 5;

/** Packs log records into columns. */
export function packLogs(logs: readonly LogRecord[]): LogColumns {
  const n = logs.length;
  const numbers = new Float64Array(NUMS * n);
  const texts = new Uint32Array(LOG_TEXTS * n);
  const strings: string[] = [''];
  const index = new Map<string, number>();
  const id = (text: string | undefined): number => {
    if (text === undefined) return 0;
    let i = index.get(text);
    if (i === undefined) {
      i = strings.push(text) - 1;
      index.set(text, i);
    }
    return i;
  };
  const messages: string[] = new Array(n);
  const extras: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = logs[i];
    const k = NUMS * i;
    numbers[k] = l.receivedTs;
    numbers[k + 1] = l.ts;
    numbers[k + 2] = l.facility;
    numbers[k + 3] = l.severity;
    numbers[k + 4] = TRANSPORTS.indexOf(l.transport);
    const t = LOG_TEXTS * i;
    texts[t] = id(l.sourceAddress);
    texts[t + 1] = id(l.deviceId);
    texts[t + 2] = id(l.hostname);
    texts[t + 3] = id(l.app);
    texts[t + 4] = id(l.procid);
    texts[t + 5] = id(l.msgid);
    messages[i] = l.message;
    extras[i] =
      l.structuredData || l.rawBase64 !== undefined || l.flags?.length
        ? JSON.stringify([l.structuredData ?? null, l.rawBase64 ?? null, l.flags ?? null])
        : null;
  }
  return { count: n, numbers, texts, strings, messages, extras };
}

/** The typed arrays' buffers, to move (not copy) with `postMessage`. */
export const logColumnBuffers = (c: LogColumns): ArrayBuffer[] => [
  c.numbers.buffer as ArrayBuffer,
  c.texts.buffer as ArrayBuffer,
];

/** One record's fields, read from the columns without building an object (the store writes from this). */
export interface LogRow {
  receivedTs: number;
  ts: number;
  facility: number;
  severity: number;
  transport: LogRecord['transport'];
  sourceAddress: string;
  deviceId: string | undefined;
  hostname: string | undefined;
  app: string | undefined;
  procid: string | undefined;
  msgid: string | undefined;
  message: string;
  structuredData: LogRecord['structuredData'] | undefined;
  rawBase64: string | undefined;
  flags: string[] | undefined;
}

/** Calls `f` with each record's fields in turn (one reused object: copy what you keep). */
export function forEachLogRow(c: LogColumns, f: (row: LogRow) => void): void {
  const s = c.strings;
  const text = (k: number) => (k === 0 ? undefined : s[k]);
  const row: LogRow = {
    receivedTs: 0,
    ts: 0,
    facility: 0,
    severity: 0,
    transport: 'udp',
    sourceAddress: '',
    deviceId: undefined,
    hostname: undefined,
    app: undefined,
    procid: undefined,
    msgid: undefined,
    message: '',
    structuredData: undefined,
    rawBase64: undefined,
    flags: undefined,
  };
  for (let i = 0; i < c.count; i++) {
    const k = NUMS * i;
    const t = LOG_TEXTS * i;
    row.receivedTs = c.numbers[k];
    row.ts = c.numbers[k + 1];
    row.facility = c.numbers[k + 2];
    row.severity = c.numbers[k + 3];
    row.transport = TRANSPORTS[c.numbers[k + 4]] ?? 'udp';
    row.sourceAddress = s[c.texts[t]];
    row.deviceId = text(c.texts[t + 1]);
    row.hostname = text(c.texts[t + 2]);
    row.app = text(c.texts[t + 3]);
    row.procid = text(c.texts[t + 4]);
    row.msgid = text(c.texts[t + 5]);
    row.message = c.messages[i];
    const x = c.extras[i];
    if (x === null) {
      row.structuredData = undefined;
      row.rawBase64 = undefined;
      row.flags = undefined;
    } else {
      const [sd, raw, flags] = JSON.parse(x) as [LogRecord['structuredData'] | null, string | null, string[] | null];
      row.structuredData = sd ?? undefined;
      row.rawBase64 = raw ?? undefined;
      row.flags = flags ?? undefined;
    }
    f(row);
  }
}

/** The records back as objects (absent fields left out, as the decoder makes them). */
export function unpackLogs(c: LogColumns): LogRecord[] {
  const out: LogRecord[] = new Array(c.count);
  let i = 0;
  forEachLogRow(c, (r) => {
    const l: LogRecord = {
      kind: 'log',
      receivedTs: r.receivedTs,
      sourceAddress: r.sourceAddress,
      transport: r.transport,
      facility: r.facility,
      severity: r.severity,
      ts: r.ts,
      message: r.message,
    };
    if (r.deviceId !== undefined) l.deviceId = r.deviceId;
    if (r.hostname !== undefined) l.hostname = r.hostname;
    if (r.app !== undefined) l.app = r.app;
    if (r.procid !== undefined) l.procid = r.procid;
    if (r.msgid !== undefined) l.msgid = r.msgid;
    if (r.structuredData !== undefined) l.structuredData = r.structuredData;
    if (r.rawBase64 !== undefined) l.rawBase64 = r.rawBase64;
    if (r.flags !== undefined) l.flags = r.flags;
    out[i++] = l;
  });
  return out;
}
