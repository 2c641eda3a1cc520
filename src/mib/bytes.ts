/**
 * Byte sections of the packed dictionary (OIDs, names, extras: ~37 MB for 560,000 nodes), either in memory (a fresh
 * compile) or left in the cache file and read through a small block cache: the lookups that reach them compare a few
 * bytes, and the operating system's page cache, not Vigil's RSS, holds the rest.
 */
import { closeSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly length: number;
  /** Bytes [from, to) as latin1 text. */
  text(from: number, to: number): string;
  /** Whether bytes [from, to) equal the first `len` characters of `s` (latin1). */
  equals(from: number, to: number, s: string, len: number): boolean;
  /** Positions where `needle` (lowercase ASCII) occurs, matching bytes case-insensitively, until `visit` returns false. */
  scanLower(needle: Buffer, visit: (pos: number) => boolean): void;
}

const lowerByte = (x: number) => (x >= 65 && x <= 90 ? x | 32 : x);

/** ASCII-lowercased latin1 bytes into `out`, which may be `b` itself (MIB text is ASCII; other bytes stay). */
export function lowerCopy(b: Uint8Array, out: Buffer = Buffer.allocUnsafe(b.length)): Buffer {
  for (let i = 0; i < b.length; i++) out[i] = lowerByte(b[i]);
  return out;
}

/** Bytes in memory. */
export function memoryBytes(bytes: Uint8Array): ByteSource {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lower: Buffer | undefined;
  return {
    length: buf.length,
    text: (from, to) => buf.toString('latin1', from, to),
    equals(from, to, s, len) {
      if (to - from !== len) return false;
      for (let k = 0; k < len; k++) if (buf[from + k] !== s.charCodeAt(k)) return false;
      return true;
    },
    scanLower(needle, visit) {
      lower ??= lowerCopy(buf);
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) if (!visit(at)) return;
    },
  };
}

const BLOCK = 16 << 10;
const MAX_BLOCKS = 64; // 1 MB a section

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

/** Closes `fd` once `owner` is garbage (register each descriptor once: a second close could hit a reused number). */
export const closeWhenGone = (owner: object, fd: number) => closer.register(owner, fd);

/**
 * Bytes [offset, offset + length) of an open file, read on demand in 16 KB blocks (the last 64 kept); searches scan
 * the lowercased copy at `lowerOffset` when there is one. A newer cache
 * file written meanwhile is a new file (renamed into place), so what this descriptor reads never changes under it.
 */
export function fileBytes(fd: number, offset: number, length: number, lowerOffset?: number): ByteSource {
  // Fixed slots, reused: a lookup touches a few random blocks, and a fresh buffer for each would be megabytes of
  // garbage per thousand translations.
  // Not zero-filled: a slot is read into before it is used, so untouched slots cost no memory.
  const slots = Buffer.allocUnsafeSlow(BLOCK * MAX_BLOCKS);
  const slotOf = new Map<number, number>();
  let used = 0;
  let scratch = Buffer.alloc(0);
  const block = (n: number): Buffer => {
    let slot = slotOf.get(n);
    if (slot !== undefined) {
      slotOf.delete(n);
      slotOf.set(n, slot);
    } else {
      if (used < MAX_BLOCKS) slot = used++;
      else {
        const oldest = slotOf.keys().next().value as number;
        slot = slotOf.get(oldest)!;
        slotOf.delete(oldest);
      }
      readSync(fd, slots, slot * BLOCK, Math.min(BLOCK, length - n * BLOCK), offset + n * BLOCK);
      slotOf.set(n, slot);
    }
    return slots.subarray(slot * BLOCK, (slot + 1) * BLOCK);
  };
  /** Bytes [from, to): valid until the next read. */
  const read = (from: number, to: number): Buffer => {
    const first = Math.floor(from / BLOCK);
    const last = Math.floor((to - 1) / BLOCK);
    if (first === last) return block(first).subarray(from - first * BLOCK, to - first * BLOCK);
    if (scratch.length < to - from) scratch = Buffer.alloc(Math.max(to - from, 4096));
    readSync(fd, scratch, 0, to - from, offset + from);
    return scratch.subarray(0, to - from);
  };
  let chunk: Buffer | undefined;
  return {
    length,
    text: (from, to) => (to > from ? read(from, to).toString('latin1') : ''),
    equals(from, to, s, len) {
      if (to - from !== len) return false;
      const b = read(from, to);
      for (let k = 0; k < len; k++) if (b[k] !== s.charCodeAt(k)) return false;
      return true;
    },
    scanLower(needle, visit) {
      const CHUNK = 4 << 20;
      if (!chunk || chunk.length < CHUNK + needle.length) chunk = Buffer.alloc(CHUNK + needle.length);
      const buf = chunk;
      for (let start = 0; start < length; start += CHUNK) {
        // A lowercased copy of the section, when the file has one, is scanned as it is.
        const n = readSync(
          fd,
          buf,
          0,
          Math.min(CHUNK + needle.length - 1, length - start),
          (lowerOffset ?? offset) + start,
        );
        const view = lowerOffset === undefined ? lowerCopy(buf.subarray(0, n), buf.subarray(0, n)) : buf.subarray(0, n);
        for (let at = view.indexOf(needle); at >= 0 && at < CHUNK; at = view.indexOf(needle, at + 1))
          if (!visit(start + at)) return;
      }
    },
  };
}
