import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../model/logger.ts';
import { silentLogger } from '../model/logger.ts';
import { fingerprint, readCache, writeCache } from './cache.ts';
import { fileDescriptionSink } from './descriptions.ts';
import { compileAdded } from './incremental.ts';
import { compileSources, type CompiledMibs } from './compile.ts';
import { dictionaryFromCompiled, MibDictionaryImpl } from './dictionary.ts';
import { listMibFiles } from './files.ts';
import type { MibError } from './types.ts';

/** Where Debian and most distributions put MIBs (net-snmp's own, plus snmp-mibs-downloader's when installed). */
export const SYSTEM_MIB_DIR = '/usr/share/snmp/mibs';

/** The built-in minimal MIB set shipped with Vigil (IETF and Net-SNMP modules). */
export function builtinMibDir(): string {
  const here = fileURLToPath(new URL('./builtin/', import.meta.url));
  if (existsSync(here)) return here;
  // From dist/mib the MIB text files stay in src/mib/builtin (tsc copies no .txt files).
  return fileURLToPath(new URL('../../src/mib/builtin/', import.meta.url));
}

export interface MibLoadOptions {
  /** Extra directories, searched first (their modules win over built-in ones of the same name). */
  dirs?: string[];
  /** Add /usr/share/snmp/mibs when present (default true). */
  includeSystemMibs?: boolean;
  /** Leave out the built-in set (tests comparing one corpus). Default false. */
  excludeBuiltin?: boolean;
  /** Data directory for the compiled cache; without one the dictionary is compiled every time. */
  dataDir?: string;
  log?: Logger;
  /** Ignore the cache and compile. */
  force?: boolean;
}

/** What a load did, for logs, the CLI and /api/v1/mib/errors. */
export interface MibLoadInfo {
  fromCache: boolean;
  /** Whole load: list, fingerprint, read or compile (+ cache write). */
  ms: number;
  /** Reading and compiling the files, when compiled. */
  compileMs?: number;
  searchPath: string[];
}

/** The MIB search path: configured dirs, then the built-in set, then the system directory when present. */
export function mibSearchPath(opts: MibLoadOptions): string[] {
  const path = [...(opts.dirs ?? [])];
  if (!opts.excludeBuiltin) path.push(builtinMibDir());
  if ((opts.includeSystemMibs ?? true) && existsSync(SYSTEM_MIB_DIR)) path.push(SYSTEM_MIB_DIR);
  return path;
}

/** What one compile did: the summary a worker sends back, without the dictionary itself. */
export interface MibCompileSummary {
  fingerprint: string;
  files: number;
  nodes: number;
  errors: MibError[];
  compileMs: number;
  /** False when the cache could not be written (the dictionary then exists only in `compiled`). */
  cached: boolean;
  /** Set when only added files were compiled onto the last dictionary: how many were added, and parsed in all. */
  incremental?: { addedFiles: number; parsedFiles: number };
}

/** Progress of a compile: files read and parsed so far, of all. */
export type MibCompileProgress = (done: number, total: number) => void;

/**
 * Reads and compiles every file on the search path and writes the cache under `<dataDir>/mib` (when a data
 * directory is given). This is the heavy part: run it where running out of memory cannot take the rest down.
 * Returns the compiled form too, for callers without a data directory.
 */
export function compileToCache(
  opts: MibLoadOptions,
  onProgress?: MibCompileProgress,
): { summary: MibCompileSummary; compiled: CompiledMibs } {
  const log = opts.log ?? silentLogger;
  const searchPath = mibSearchPath(opts);
  const files = listMibFiles(searchPath);
  const fp = fingerprint(files);
  const started = performance.now();
  if (opts.dataDir && !opts.force) {
    // Files only added since the last compile: compile those (and what they import) onto it.
    const cacheDir = cacheDirOf(opts.dataDir);
    try {
      const inc = compileAdded(cacheDir, files, onProgress);
      if (inc) {
        writeCache(cacheDir, fp, inc.compiled, files);
        const summary: MibCompileSummary = {
          fingerprint: fp,
          files: files.length,
          nodes: inc.compiled.count,
          errors: inc.compiled.errors,
          compileMs: performance.now() - started,
          cached: true,
          incremental: { addedFiles: inc.addedFiles, parsedFiles: inc.parsedFiles },
        };
        log.info(
          { added: inc.addedFiles, parsed: inc.parsedFiles, ms: Math.round(summary.compileMs) },
          'mib files added to the dictionary without compiling the rest',
        );
        return { summary, compiled: inc.compiled };
      }
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'adding mib files to the dictionary failed; compiling everything');
    }
  }
  // Files are read one at a time as the compile reaches them, and descriptions go straight to files in the cache
  // directory (moved into place only when the cache is written): neither stays in the heap.
  let spill: ReturnType<typeof fileDescriptionSink> | undefined;
  if (opts.dataDir) {
    try {
      mkdirSync(cacheDirOf(opts.dataDir), { recursive: true, mode: 0o700 });
      spill = fileDescriptionSink(cacheDirOf(opts.dataDir));
    } catch (error) {
      log.warn(
        { err: (error as Error).message, dir: cacheDirOf(opts.dataDir) },
        'mib cache directory not writable; descriptions kept in memory',
      );
    }
  }
  let compiled: CompiledMibs;
  try {
    compiled = compileSources(
      files.map((f) => ({ file: f.path })),
      { onProgress, descriptions: spill },
    );
  } catch (error) {
    spill?.abort();
    throw error;
  }
  const compileMs = performance.now() - started;
  let cached = false;
  if (opts.dataDir && spill) {
    try {
      writeCache(cacheDirOf(opts.dataDir), fp, compiled, files);
      cached = true;
    } catch (error) {
      spill.abort();
      log.warn(
        { err: (error as Error).message, dir: cacheDirOf(opts.dataDir) },
        'mib cache not written; the dictionary will be compiled again next start',
      );
    }
  }
  return {
    summary: {
      fingerprint: fp,
      files: files.length,
      nodes: compiled.count,
      errors: compiled.errors,
      compileMs,
      cached,
    },
    compiled,
  };
}

/** Where the compiled dictionary lives in a data directory. */
export const cacheDirOf = (dataDir: string) => join(dataDir, 'mib');

/** The fingerprint of the search path as it is now: what a cache must match to be current. */
export function currentFingerprint(opts: MibLoadOptions): string {
  return fingerprint(listMibFiles(mibSearchPath(opts)));
}

/**
 * Opens the compiled dictionary in `<dataDir>/mib`: only when it matches `fp`, or whatever is there (the last good
 * dictionary, kept while a newer compile failed) when `fp` is undefined. Undefined when there is none.
 */
export function openCachedDictionary(
  dataDir: string,
  fp: string | undefined,
  searchPath: string[] = [],
): (MibDictionaryImpl & { loadInfo: MibLoadInfo }) | undefined {
  return fromCache(cacheDirOf(dataDir), fp, performance.now(), searchPath);
}

/**
 * Loads the MIB dictionary: from the cache in `dataDir` when no file on the search path changed
 * (mtime+size fingerprint), else compiles every file and rewrites the cache. Never throws for bad MIB files:
 * they are listed by `errors()`.
 * @example const mib = await loadMibDictionary({ dirs: config.mib.dirs, includeSystemMibs: config.mib.includeSystemMibs, dataDir: config.dataDir, log });
 */
export async function loadMibDictionary(
  opts: MibLoadOptions = {},
): Promise<MibDictionaryImpl & { loadInfo: MibLoadInfo }> {
  const log = opts.log ?? silentLogger;
  const started = performance.now();
  const searchPath = mibSearchPath(opts);
  if (opts.dataDir && !opts.force) {
    const dict = openCachedDictionary(opts.dataDir, currentFingerprint(opts), searchPath);
    if (dict) {
      dict.loadInfo.ms = performance.now() - started;
      log.info({ nodes: dict.stats().nodes, ms: Math.round(dict.loadInfo.ms) }, 'mib dictionary loaded from cache');
      return dict;
    }
  }
  const { summary, compiled } = compileToCache(opts);
  // Names and descriptions are slices of the file texts; reloading from the cache lets ~100 MB of source go.
  const dict =
    (summary.cached && opts.dataDir
      ? openCachedDictionary(opts.dataDir, summary.fingerprint, searchPath)
      : undefined) ??
    Object.assign(dictionaryFromCompiled(compiled), {
      loadInfo: { fromCache: false, ms: 0, searchPath } as MibLoadInfo,
    });
  dict.loadInfo.fromCache = false;
  dict.loadInfo.ms = performance.now() - started;
  dict.loadInfo.compileMs = summary.compileMs;
  for (const e of summary.errors)
    log.warn({ file: e.file, line: e.line, module: e.module }, `mib file skipped: ${e.reason}`);
  log.info(
    {
      nodes: dict.stats().nodes,
      files: summary.files,
      errors: summary.errors.length,
      ms: Math.round(dict.loadInfo.ms),
    },
    'mib dictionary compiled',
  );
  return dict;
}

function fromCache(
  cacheDir: string,
  fp: string | undefined,
  started: number,
  searchPath: string[],
): (MibDictionaryImpl & { loadInfo: MibLoadInfo }) | undefined {
  const cached = readCache(cacheDir, fp);
  if (!cached) return undefined;
  const dict = new MibDictionaryImpl(cached);
  return Object.assign(dict, { loadInfo: { fromCache: true, ms: performance.now() - started, searchPath } });
}
