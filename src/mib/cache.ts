import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { closeWhenGone, fileBytes, lowerCopy, type ByteSource } from './bytes.ts';
import { join } from 'node:path';
import type { CompiledMibs } from './compile.ts';
import { fileDescriptionSink, openFileDescriptions, type DescriptionStore } from './descriptions.ts';
import type { MibFile } from './files.ts';
import { PackedTable, type PackedColumns, type PackedHeader } from './packed.ts';

/** Bumped whenever the compiled form changes, so an old cache is recompiled rather than misread. */
export const CACHE_FORMAT = 13;

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
  sections: Record<ColumnName | 'nameLower', [number, number]>;
  binBytes: number;
  /** The files compiled (path, size, mtime): what an incremental compile checks it only adds to. */
  sources?: [string, number, number][];
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
export function writeCache(dir: string, fp: string, c: CompiledMibs, sources?: MibFile[]): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { header, columns } = c.packed;
  const stamp = randomBytes(STAMP_BYTES);
  const sections = {} as Record<ColumnName | 'nameLower', [number, number]>;
  let size = STAMP_BYTES;
  for (const name of Object.keys(ARRAYS) as ColumnName[]) {
    size = Math.ceil(size / 8) * 8;
    sections[name] = [size, columns[name].length];
    size += columns[name].byteLength;
  }
  // The names lowercased, for search to scan on disk (written from the names in chunks, never a whole copy in memory).
  sections.nameLower = [size, columns.nameBytes.length];
  size += columns.nameBytes.length;
  const out: CacheHeader = {
    format: CACHE_FORMAT,
    fingerprint: fp,
    stamp: stamp.toString('hex'),
    compiledAt: c.compiledAt,
    files: c.files,
    modules: c.modules.map(({ revisions: _r, ...m }) => m),
    errors: c.errors,
    strings: header.strings,
    primaries: header.primaries,
    syntaxes: header.syntaxes.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))),
    sections,
    binBytes: size,
    ...(sources ? { sources: sources.map((f): [string, number, number] => [f.path, f.size, f.mtimeMs]) } : {}),
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
      if (a.byteLength)
        writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 0, a.byteLength, sections[name][0]);
    }
    const piece = Buffer.alloc(1 << 20);
    for (let from = 0; from < columns.nameBytes.length; from += piece.length) {
      const part = columns.nameBytes.subarray(from, from + piece.length);
      writeSync(fd, lowerCopy(part, piece.subarray(0, part.length)), 0, part.length, sections.nameLower[0] + from);
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

/** The cache's header alone (what was compiled from which files), or undefined. */
export function readCacheHeader(
  dir: string,
): Pick<CacheHeader, 'format' | 'fingerprint' | 'sources' | 'modules' | 'errors' | 'files'> | undefined {
  try {
    const h = JSON.parse(readFileSync(headerFile(dir), 'utf8')) as CacheHeader;
    return h.format === CACHE_FORMAT ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Sections left in the file and read on demand: bytes only a few of which any lookup compares. */
const ON_DISK = new Set<ColumnName>(['oidBytes', 'nameBytes', 'extraBytes']);
/** Columns read only when first needed: aliases (`primary`) and descriptions (`descId`). */
const LAZY = new Set<ColumnName>(['primary', 'descId']);

/**
 * Reads the cache when its fingerprint matches (any fingerprint when `fp` is undefined); undefined when missing, stale
 * or unreadable. The typed columns are read into memory as written; OIDs, names and extras stay in the file.
 */
export function readCache(dir: string, fp: string | undefined): CachedMibs | undefined {
  let header: CacheHeader;
  let fd: number | undefined;
  try {
    header = JSON.parse(readFileSync(headerFile(dir), 'utf8')) as CacheHeader;
    if (header.format !== CACHE_FORMAT || (fp !== undefined && header.fingerprint !== fp)) return undefined;
    fd = openSync(columnsFile(dir), 'r');
    const stamp = Buffer.alloc(STAMP_BYTES);
    readSync(fd, stamp, 0, STAMP_BYTES, 0);
    if (fstatSync(fd).size !== header.binBytes || stamp.toString('hex') !== header.stamp) {
      closeSync(fd);
      return undefined;
    }
    const columns = {} as Record<ColumnName, unknown>;
    const bytes = {} as Record<'oidBytes' | 'nameBytes' | 'extraBytes', ByteSource>;
    for (const name of Object.keys(ARRAYS) as ColumnName[]) {
      const [offset, count] = header.sections[name];
      if (ON_DISK.has(name)) {
        bytes[name as 'oidBytes'] = fileBytes(
          fd,
          offset,
          count,
          name === 'nameBytes' ? header.sections.nameLower[0] : undefined,
        );
        columns[name] = new Uint8Array(0);
        continue;
      }
      columns[name] = LAZY.has(name) ? new ARRAYS[name](new ArrayBuffer(0), 0, 0) : readColumn(fd, header, name);
    }
    const open = fd;
    const table = new PackedTable(
      { strings: header.strings, syntaxes: header.syntaxes, primaries: header.primaries },
      columns as unknown as PackedColumns,
      { oid: bytes.oidBytes, name: bytes.nameBytes, extra: bytes.extraBytes },
      (name) => readColumn(open, header, name) as Int32Array,
    );
    closeWhenGone(table, fd);
    return {
      table,
      descriptions: openFileDescriptions(dir),
      modules: header.modules,
      errors: header.errors,
      files: header.files,
      compiledAt: header.compiledAt,
    };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

/** One typed column read from the cache file into an array of its own. */
function readColumn(fd: number, header: CacheHeader, name: ColumnName): PackedColumns[ColumnName] {
  const [offset, count] = header.sections[name];
  const width = (ARRAYS[name] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const buf = new ArrayBuffer(count * width);
  readSync(fd, new Uint8Array(buf), 0, count * width, offset);
  return new ARRAYS[name](buf, 0, count);
}

/** Removes the files of an older cache format (the JSON columns of format 6 and before). */
export function removeOldCacheFiles(dir: string): void {
  for (const f of ['mib-descriptions.json']) rmSync(join(dir, f), { force: true });
}
