/**
 * A collector's disk buffer for the time the brokers are away: encoded messages are appended, in order, to segment
 * files in a directory of their own; when the brokers answer again they are read back oldest first and sent, and a
 * segment is deleted once all of it is sent. Bounded by bytes and by age: past either, the oldest segments are
 * dropped whole, and their records counted as dropped. A segment half sent when the process stopped is sent again
 * from its start at the next start: processors store each batch id once, so nothing is stored twice.
 *
 * Entry layout: u32 length of the rest, u64 (float64) written-at ms, u32 records, then four length-prefixed parts
 * (u32 each): topic, key, headers (JSON), value; and u32 partition.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { OutMessage } from './producer.ts';

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  maxAgeMs: number;
  /** Segment size past which a new one is started. */
  segmentBytes?: number;
  now?: () => number;
}

export interface SpoolStats {
  /** Records in the spool now, and their bytes on disk. */
  records: number;
  bytes: number;
  /** Records written to the spool, sent from it, and dropped by its bounds, since start. */
  spooled: number;
  replayed: number;
  dropped: number;
}

interface Segment {
  seq: number;
  path: string;
  bytes: number;
  records: number;
  /** Newest entry's time: the segment is past the age bound when this is. */
  newest: number;
}

const NAME = /^seg-(\d{12})\.bin$/;

export interface Spool {
  readonly empty: boolean;
  append(messages: readonly OutMessage[]): void;
  /** The oldest messages, up to `max` (at most one segment's worth); `ack` once sent. */
  peek(max: number): OutMessage[];
  /** The first `n` messages of the last `peek` were sent. */
  ack(n: number): void;
  stats(): SpoolStats;
  close(): void;
}

export function openSpool(o: SpoolOptions): Spool {
  const now = o.now ?? Date.now;
  const segmentBytes = o.segmentBytes ?? 16 * 1024 * 1024;
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const segments: Segment[] = [];
  const stats = { spooled: 0, replayed: 0, dropped: 0 };
  // Segments left by an earlier run are sent first, in order.
  for (const f of readdirSync(o.dir).sort()) {
    const m = NAME.exec(f);
    if (!m) continue;
    const path = join(o.dir, f);
    const buf = readFileSync(path);
    segments.push({ seq: Number(m[1]), path, bytes: buf.length, ...summary(buf) });
  }
  let fd: number | undefined;
  /** The head segment's entries read for sending, and how many of them were sent. */
  let head: { seq: number; entries: (OutMessage & { writtenAt: number })[]; sent: number } | undefined;

  const total = () => segments.reduce((a, s) => a + s.bytes, 0);

  function dropHead(): void {
    const s = segments.shift();
    if (!s) return;
    if (fd !== undefined && !segments.length) {
      closeSync(fd);
      fd = undefined;
    }
    const sent = head?.seq === s.seq ? head.entries.slice(0, head.sent).reduce((a, e) => a + e.records, 0) : 0;
    stats.dropped += s.records - sent;
    if (head?.seq === s.seq) head = undefined;
    unlinkSync(s.path);
  }

  function enforce(): void {
    while (segments.length > 1 && total() > o.maxBytes) dropHead();
    while (segments.length && now() - segments[0].newest > o.maxAgeMs) dropHead();
  }

  return {
    get empty() {
      return segments.length === 0;
    },
    append(messages) {
      for (const m of messages) {
        let tail = segments.at(-1);
        if (!tail || tail.bytes >= segmentBytes || fd === undefined) {
          if (fd !== undefined) closeSync(fd);
          const seq = (tail?.seq ?? 0) + 1;
          const path = join(o.dir, `seg-${String(seq).padStart(12, '0')}.bin`);
          fd = openSync(path, 'a', 0o600);
          tail = { seq, path, bytes: 0, records: 0, newest: 0 };
          segments.push(tail);
        }
        const buf = encodeEntry(m, now());
        writeSync(fd, buf);
        tail.bytes += buf.length;
        tail.records += m.records;
        tail.newest = now();
        stats.spooled += m.records;
      }
      enforce();
    },
    peek(max) {
      enforce();
      const s = segments[0];
      if (!s) return [];
      if (head?.seq !== s.seq) {
        // The segment being written is read as far as it goes; a new one takes the writes from now.
        if (segments.length === 1 && fd !== undefined) {
          closeSync(fd);
          fd = undefined;
        }
        head = { seq: s.seq, entries: parse(readFileSync(s.path)), sent: 0 };
      }
      return head.entries.slice(head.sent, head.sent + max).map(({ writtenAt: _w, ...m }) => m);
    },
    ack(n) {
      if (!head) return;
      const done = head.entries.slice(head.sent, head.sent + n);
      head.sent += done.length;
      const records = done.reduce((a, e) => a + e.records, 0);
      stats.replayed += records;
      const s = segments[0];
      s.records -= records;
      if (head.sent >= head.entries.length) {
        segments.shift();
        unlinkSync(s.path);
        head = undefined;
      }
    },
    stats: () => ({ records: segments.reduce((a, s) => a + s.records, 0), bytes: total(), ...stats }),
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function part(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length);
  return Buffer.concat([len, b]);
}

function encodeEntry(m: OutMessage, writtenAt: number): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeDoubleLE(writtenAt, 0);
  fixed.writeUInt32LE(m.records, 8);
  fixed.writeUInt32LE(m.partition, 12);
  const body = Buffer.concat([
    fixed,
    part(Buffer.from(m.topic)),
    part(Buffer.from(m.key)),
    part(Buffer.from(JSON.stringify(m.headers))),
    part(m.value),
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  return Buffer.concat([len, body]);
}

/** A segment's record count and newest entry time, read from the entries' fixed fields only (no copies). */
function summary(buf: Buffer): { records: number; newest: number } {
  let records = 0;
  let newest = 0;
  for (let at = 0; at + 4 <= buf.length; ) {
    const len = buf.readUInt32LE(at);
    if (len < 32 || at + 4 + len > buf.length) break;
    newest = Math.max(newest, buf.readDoubleLE(at + 4));
    records += buf.readUInt32LE(at + 12);
    at += 4 + len;
  }
  return { records, newest };
}

/** The entries of a segment; a torn last entry (the process died while writing it) is left out. */
function parse(buf: Buffer): (OutMessage & { writtenAt: number })[] {
  const out: (OutMessage & { writtenAt: number })[] = [];
  let at = 0;
  while (at + 4 <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (len < 32 || at + 4 + len > buf.length) break;
    let p = at + 4;
    const writtenAt = buf.readDoubleLE(p);
    const records = buf.readUInt32LE(p + 8);
    const partition = buf.readUInt32LE(p + 12);
    p += 16;
    const next = () => {
      const n = buf.readUInt32LE(p);
      const b = buf.subarray(p + 4, p + 4 + n);
      p += 4 + n;
      return b;
    };
    try {
      const topic = next().toString();
      const key = next().toString();
      const headers = JSON.parse(next().toString()) as Record<string, string>;
      const value = Buffer.from(next());
      out.push({ topic, partition, key, headers, value, records, writtenAt });
    } catch {
      break;
    }
    at += 4 + len;
  }
  return out;
}
