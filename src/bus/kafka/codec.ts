/**
 * The compact binary encoding records cross Kafka in: one message holds a batch of records of one kind.
 *
 * Layout: version byte (CODEC_VERSION), kind byte, record count (varint), the batch's base time (number), then the
 * records, each laid out as codec-kinds.ts says. Integers are LEB128 varints (zigzag where signed); a number is a
 * varint with a low 0 bit when it is an integer (|x| < 2^51, not −0) else 0x01 and a float64, so NaN, ±Infinity and
 * −0 cross exactly; times are their difference from the base (the first record's). A string is its UTF-8 byte
 * length ×2 and the bytes (length ×2 + 1 and UTF-16LE for one with a lone surrogate, which UTF-8 cannot hold).
 * Repeated strings go through a table built as the batch is read (0 + the string the first time, index + 1 after;
 * a batch of one only adds), an OID as its last arc + 1 and its parent through the table, and a sample's labels
 * object shared between records (one per interface) is sent once and comes back shared. Optional fields follow a
 * presence bitmask, so an absent field stays absent. bench/bus-codec.ts measures it against JSON.
 *
 * `decodeBatch` on untrusted bytes throws only a CodecError (`code` VIGIL_CODEC, `reason` version | kind |
 * truncated | corrupt): it never reads past the end, never trusts a count the bytes left could not hold, and bounds
 * nesting. Fields outside a record's interface are not carried, except on events (the engine publishes VigilEvents:
 * their fields have bits of their own, and any other field goes as a free-form value).
 *
 * @example
 * const msg = encodeBatch(samples);          // Buffer: one Kafka message
 * const again = decodeBatch(msg);            // deepStrictEqual to samples
 */
import type {
  BusRecord,
  DeviceState,
  EventRecord,
  InterfaceState,
  LogRecord,
  RecordKind,
  Sample,
  TopologyRecord,
  WirelessRecord,
  TrapRecord,
} from '../../model/records.ts';
import { CodecError, Reader, Writer } from './codec-io.ts';
import * as k from './codec-kinds.ts';

export { CodecError, type CodecErrorReason } from './codec-io.ts';

export const CODEC_VERSION = 1;

interface KindCodec {
  code: number;
  write(w: Writer, r: BusRecord): void;
  read(r: Reader): BusRecord;
  /** The time the batch's others are sent relative to. */
  time(r: BusRecord): number;
}

function layout<R extends BusRecord>(
  code: number,
  write: (w: Writer, r: R) => void,
  read: (r: Reader) => R,
  time: (r: R) => number,
): KindCodec {
  return { code, write: write as KindCodec['write'], read, time: time as KindCodec['time'] };
}

const KINDS: Record<RecordKind, KindCodec> = {
  sample: layout<Sample>(1, k.writeSample, k.readSample, (r) => r.ts),
  'device-state': layout<DeviceState>(2, k.writeDeviceState, k.readDeviceState, (r) => r.ts),
  'interface-state': layout<InterfaceState>(3, k.writeInterfaceState, k.readInterfaceState, (r) => r.ts),
  log: layout<LogRecord>(4, k.writeLog, k.readLog, (r) => r.receivedTs),
  trap: layout<TrapRecord>(5, k.writeTrap, k.readTrap, (r) => r.receivedTs),
  event: layout<EventRecord>(6, k.writeEvent, k.readEvent, (r) => r.lastSeen),
  topology: layout<TopologyRecord>(7, k.writeTopology, k.readTopology, (r) => r.ts),
  wireless: layout<WirelessRecord>(8, k.writeWireless, k.readWireless, (r) => r.ts),
};
const BY_CODE: (KindCodec | undefined)[] = [];
for (const c of Object.values(KINDS)) BY_CODE[c.code] = c;

/**
 * One Kafka message's worth of records, all of one kind (a CodecError with reason 'kind' when they are mixed).
 * An empty batch is three bytes (kind 0).
 */
export function encodeBatch(records: readonly BusRecord[]): Buffer {
  const w = new Writer();
  w.byte(CODEC_VERSION);
  if (records.length === 0) {
    w.byte(0);
    w.varint(0);
    return w.finish();
  }
  const kind = records[0].kind;
  const c = KINDS[kind];
  if (!Object.hasOwn(KINDS, kind)) throw new CodecError('kind', `no layout for records of kind ${kind}`);
  w.byte(c.code);
  w.varint(records.length);
  w.table = records.length > 1;
  const t = c.time(records[0]);
  w.base = Number.isSafeInteger(t) ? t : 0;
  w.num(w.base);
  for (const r of records) {
    if (r.kind !== kind) throw new CodecError('kind', `a batch holds one kind: ${r.kind} among ${kind}`);
    c.write(w, r);
  }
  return w.finish();
}

/** The records of one message `encodeBatch` made; anything else throws a CodecError. */
export function decodeBatch(buf: Uint8Array): BusRecord[] {
  const r = new Reader(buf);
  try {
    const version = r.byte();
    if (version !== CODEC_VERSION)
      throw new CodecError('version', `version ${version}; this codec reads ${CODEC_VERSION}`);
    const code = r.byte();
    const n = r.count();
    if (code === 0 && n === 0 && r.left === 0) return [];
    const c = BY_CODE[code];
    if (!c) throw new CodecError('kind', `unknown record kind ${code}`);
    r.base = r.num();
    const out: BusRecord[] = [];
    for (let i = 0; i < n; i++) out.push(c.read(r));
    if (r.left !== 0) throw new CodecError('corrupt', `${r.left} bytes after the last record`);
    return out;
  } catch (e) {
    if (e instanceof CodecError) throw e;
    // A bug of ours rather than of the bytes; still the caller's one error to handle (and dead-letter).
    throw new CodecError('corrupt', e instanceof Error ? e.message : String(e), { cause: e });
  }
}
