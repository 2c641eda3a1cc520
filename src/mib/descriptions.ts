/**
 * DESCRIPTION texts: 90 MB for a 560,000-OID collection, read only when one object is shown or a search asks. While
 * compiling they go to files as they are parsed (not to the heap); the dictionary reads one by offset, and searches
 * scan a lowercased copy in chunks. Texts are latin1 bytes, as the MIB files are read.
 */
import { lowerCopy } from './bytes.ts';
import { entryAt } from './offsets.ts';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Descriptions by id (the order they were added in). */
export interface DescriptionStore {
  readonly count: number;
  get(id: number): string | undefined;
  /** Ids whose text contains `needle` (already lowercased, ASCII), in id order, until `visit` returns false. */
  search(needle: string, visit: (id: number) => boolean): void;
}

/** Where descriptions go while compiling. */
export interface DescriptionSink {
  /** Adds a text and returns its id. */
  add(text: string): number;
  /** Ends adding: the store to read them from. */
  finish(): DescriptionStore;
}

const TEXT = 'mib-descriptions.txt';
const LOWER = 'mib-descriptions.lower';
const INDEX = 'mib-descriptions.idx';

/** ASCII lowercase of a search text, matching what the lowered copy holds. */
export const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 32));

/** Descriptions kept in memory (tests, a compile without a data directory). */
export function memoryDescriptions(): DescriptionSink & DescriptionStore {
  const texts: string[] = [];
  const store: DescriptionSink & DescriptionStore = {
    get count() {
      return texts.length;
    },
    add: (text) => texts.push(text) - 1,
    finish: () => store,
    get: (id) => texts[id],
    search(needle, visit) {
      for (let i = 0; i < texts.length; i++) if (lowerAscii(texts[i]).includes(needle) && !visit(i)) return;
    },
  };
  return store;
}

/** A growing list of byte offsets (a typed array that doubles), 8 bytes an entry. */
class OffsetList {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.data.buffer, 0, this.length * 8);
  }
}

/**
 * Writes descriptions to `<dir>/mib-descriptions.*.tmp` as they come; `finish()` moves them into place (`commit`) so a
 * failed compile never replaces the files of the last good dictionary.
 * @example const sink = fileDescriptionSink(cacheDir); const id = sink.add(def.description); … sink.finish();
 */
export function fileDescriptionSink(
  dir: string,
  opts: { appendTo?: string } = {},
): DescriptionSink & { commit(): void; abort(): void } {
  const tmp = (name: string) => join(dir, `${name}.${process.pid}.tmp`);
  const offsets = new OffsetList();
  let pos = 0;
  if (opts.appendTo) {
    // An incremental compile: the last dictionary's texts first, with their ids unchanged, then the new ones.
    const base = readFileSync(join(opts.appendTo, INDEX));
    const starts = new Float64Array(base.buffer, base.byteOffset, base.byteLength / 8);
    for (let i = 0; i < starts.length - 1; i++) offsets.push(starts[i]);
    pos = starts[starts.length - 1] ?? 0;
    copyFileSync(join(opts.appendTo, TEXT), tmp(TEXT));
    copyFileSync(join(opts.appendTo, LOWER), tmp(LOWER));
    chmodSync(tmp(TEXT), 0o600);
    chmodSync(tmp(LOWER), 0o600);
  }
  const text = openSync(tmp(TEXT), opts.appendTo ? 'a' : 'w', 0o600);
  const lower = openSync(tmp(LOWER), opts.appendTo ? 'a' : 'w', 0o600);
  // Writes are batched: one syscall per ~1 MB, not per description.
  let batch = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const flush = () => {
    if (!used) return;
    writeSync(text, batch, 0, used);
    writeSync(lower, lowerCopy(batch.subarray(0, used), batch.subarray(0, used)), 0, used);
    used = 0;
  };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    flush();
    offsets.push(pos);
    closeSync(text);
    closeSync(lower);
  };
  return {
    add(s) {
      offsets.push(pos);
      const need = s.length; // latin1: one byte a char
      if (used + need > batch.length) {
        flush();
        if (need > batch.length) batch = Buffer.allocUnsafe(need);
      }
      batch.write(s, used, 'latin1');
      used += need;
      pos += need;
      return offsets.length - 1;
    },
    finish() {
      close();
      const idx = offsets.toBuffer();
      const indexTmp = tmp(INDEX);
      const fd = openSync(indexTmp, 'w', 0o600);
      writeSync(fd, idx);
      closeSync(fd);
      return { count: offsets.length - 1, get: () => undefined, search: () => undefined };
    },
    commit() {
      for (const name of [TEXT, LOWER, INDEX]) renameSync(tmp(name), join(dir, name));
    },
    abort() {
      close();
      for (const name of [TEXT, LOWER, INDEX]) rmSync(tmp(name), { force: true });
    },
  };
}

/**
 * Reads descriptions from the files in `dir`: the offsets are loaded (8 bytes a text), the texts stay on disk.
 * @example const d = openFileDescriptions(cacheDir); d.get(42);
 */
export function openFileDescriptions(dir: string, opts: { chunkBytes?: number } = {}): DescriptionStore {
  let offsets: Float64Array | undefined;
  const index = () => {
    if (!offsets) {
      try {
        const raw = readFileSync(join(dir, INDEX));
        offsets = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
      } catch {
        offsets = new Float64Array([0]);
      }
    }
    return offsets;
  };
  const read = (file: string, from: number, length: number): Buffer => {
    const fd = openSync(join(dir, file), 'r');
    try {
      const b = Buffer.allocUnsafe(length);
      const n = readSync(fd, b, 0, length, from);
      return b.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  };
  return {
    get count() {
      return index().length - 1;
    },
    get(id) {
      const o = index();
      if (id < 0 || id >= o.length - 1) return undefined;
      const len = o[id + 1] - o[id];
      try {
        return read(TEXT, o[id], len).toString('latin1');
      } catch {
        return undefined;
      }
    },
    search(needle, visit) {
      const o = index();
      const total = o[o.length - 1];
      if (!needle || !total) return;
      const pattern = Buffer.from(needle, 'latin1');
      const CHUNK = opts.chunkBytes ?? 8 << 20;
      let fd: number;
      try {
        fd = openSync(join(dir, LOWER), 'r');
      } catch {
        return;
      }
      try {
        const buf = Buffer.allocUnsafe(CHUNK + pattern.length);
        let lastId = -1;
        for (let start = 0; start < total; start += CHUNK) {
          // Each chunk overlaps the next by the needle's length, so a match across the seam is found once.
          const len = readSync(fd, buf, 0, Math.min(CHUNK + pattern.length - 1, total - start), start);
          const view = buf.subarray(0, len);
          for (let at = view.indexOf(pattern); at >= 0 && at < CHUNK; at = view.indexOf(pattern, at + 1)) {
            const id = entryAt(o, start + at);
            // A match must lie inside one text, not across two.
            if (id === lastId || start + at + pattern.length > o[id + 1]) continue;
            lastId = id;
            if (!visit(id)) return;
            // Skip the rest of this text: one hit per description.
            const next = o[id + 1] - start;
            if (next > at) at = next - 1;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}
