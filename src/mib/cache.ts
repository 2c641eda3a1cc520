import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledMibs } from './compile.ts';
import { fileDescriptionSink, openFileDescriptions, type DescriptionStore } from './descriptions.ts';
import type { MibFile } from './files.ts';
import { PackedTable, type PackedColumns, type PackedHeader } from './packed.ts';

/** Bumped whenever the compiled form changes, so an old cache is recompiled rather than misread. */
export const CACHE_FORMAT = 8;

/** The search path's fingerprint: every file's path, size and mtime, plus the cache format. */
export function fingerprint(files: MibFile[]): string {
  const h = createHash('sha1');
  h.update(`v${CACHE_FORMAT}\n`);
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

type ColumnName = keyof PackedColumns;
const ARRAYS: Record<ColumnName, new (b: ArrayBuffer, o: number, n: number) => PackedColumns[ColumnName]> = {
  oidBytes: Uint8Array,
  oidOff: Uint32Array,
  nameBytes: Uint8Array,
  nameOff: Uint32Array,
  module: Uint32Array,
  kind: Uint8Array,
  syntax: Uint32Array,
  access: Uint16Array,
  status: Uint16Array,
  descId: Int32Array,
  primary: Int32Array,
  extraBytes: Uint8Array,
  extraOff: Uint32Array,
  oidHash: Int32Array,
  nameHash: Int32Array,
};

/** The small JSON file beside the binary columns. */
interface CacheHeader extends PackedHeader {
  format: number;
  fingerprint: string;
  /** Written into both files, so a reader never pairs a header with another compile's columns. */
  stamp: string;
  compiledAt: number;
  files: number;
  modules: CompiledMibs['modules'];
  errors: CompiledMibs['errors'];
  /** Where each column sits in the binary file: byte offset (8-aligned) and element count. */
  sections: Record<ColumnName, [number, number]>;
  binBytes: number;
}

const headerFile = (dir: string) => join(dir, 'mib-dictionary.json');
const columnsFile = (dir: string) => join(dir, 'mib-dictionary.bin');
const STAMP_BYTES = 16;

function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Writes the compiled dictionary under `dir`: the columns in one binary file read back as they are, a small JSON
 * header, and the description files (moved in from the compile's spill, or written from memory).
 */
export function writeCache(dir: string, fp: string, c: CompiledMibs): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { header, columns } = c.packed;
  const stamp = randomBytes(STAMP_BYTES);
  const sections = {} as Record<ColumnName, [number, number]>;
  let size = STAMP_BYTES;
  for (const name of Object.keys(ARRAYS) as ColumnName[]) {
    size = Math.ceil(size / 8) * 8;
    sections[name] = [size, columns[name].length];
    size += columns[name].byteLength;
  }
  const out: CacheHeader = {
    format: CACHE_FORMAT,
    fingerprint: fp,
    stamp: stamp.toString('hex'),
    compiledAt: c.compiledAt,
    files: c.files,
    modules: c.modules.map(({ revisions: _r, ...m }) => m),
    errors: c.errors,
    ...header,
    sections,
    binBytes: size,
  };
  if (c.descriptionFiles) c.descriptionFiles.commit();
  else {
    const sink = fileDescriptionSink(dir);
    for (let id = 0; id < c.descriptions.count; id++) sink.add(c.descriptions.get(id) ?? '');
    sink.finish();
    sink.commit();
  }
  // Column by column into the file: one more copy of 90 MB would be the compile's peak.
  const tmp = `${columnsFile(dir)}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, stamp, 0, STAMP_BYTES, 0);
    for (const name of Object.keys(ARRAYS) as ColumnName[]) {
      const a = columns[name];
      if (a.byteLength) writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 0, a.byteLength, sections[name][0]);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, columnsFile(dir));
  writeAtomic(headerFile(dir), JSON.stringify(out));
  removeOldCacheFiles(dir);
}

/** What a cache read gives the dictionary. */
export interface CachedMibs extends Omit<CompiledMibs, 'descriptions' | 'packed' | 'count' | 'descriptionFiles'> {
  table: PackedTable;
  descriptions: DescriptionStore;
}

/** Reads the cache when its fingerprint matches (any fingerprint when `fp` is undefined); undefined when missing, stale or unreadable. */
export function readCache(dir: string, fp: string | undefined): CachedMibs | undefined {
  let header: CacheHeader;
  let bin: Buffer;
  try {
    header = JSON.parse(readFileSync(headerFile(dir), 'utf8')) as CacheHeader;
    if (header.format !== CACHE_FORMAT || (fp !== undefined && header.fingerprint !== fp)) return undefined;
    bin = readFileSync(columnsFile(dir));
  } catch {
    return undefined;
  }
  if (bin.length !== header.binBytes || bin.subarray(0, STAMP_BYTES).toString('hex') !== header.stamp) return undefined;
  // Typed arrays need their element alignment; a large file read is its own ArrayBuffer at offset 0, but be sure.
  if (bin.byteOffset % 8 !== 0) bin = Buffer.from(Uint8Array.prototype.slice.call(bin));
  const columns = {} as Record<ColumnName, unknown>;
  for (const name of Object.keys(ARRAYS) as ColumnName[]) {
    const [offset, count] = header.sections[name];
    columns[name] = new ARRAYS[name](bin.buffer as ArrayBuffer, bin.byteOffset + offset, count);
  }
  const table = new PackedTable({ strings: header.strings, syntaxes: header.syntaxes }, columns as unknown as PackedColumns);
  return { table, descriptions: openFileDescriptions(dir), modules: header.modules, errors: header.errors, files: header.files, compiledAt: header.compiledAt };
}

/** Removes the files of an older cache format (the JSON columns of format 6 and before). */
export function removeOldCacheFiles(dir: string): void {
  for (const f of ['mib-descriptions.json']) rmSync(join(dir, f), { force: true });
}
