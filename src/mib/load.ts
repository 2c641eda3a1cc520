import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../model/logger.ts';
import { silentLogger } from '../model/logger.ts';
import { fingerprint, readCache, readDescriptions, writeCache } from './cache.ts';
import { compileSources } from './compile.ts';
import { MibDictionaryImpl } from './dictionary.ts';
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

/**
 * Loads the MIB dictionary: from the cache in `dataDir` when no file on the search path changed
 * (mtime+size fingerprint), else compiles every file and rewrites the cache. Never throws for bad MIB files:
 * they are listed by `errors()`.
 * @example const mib = await loadMibDictionary({ dirs: config.mib.dirs, includeSystemMibs: config.mib.includeSystemMibs, dataDir: config.dataDir, log });
 */
export async function loadMibDictionary(opts: MibLoadOptions = {}): Promise<MibDictionaryImpl & { loadInfo: MibLoadInfo }> {
  const log = opts.log ?? silentLogger;
  const started = performance.now();
  const searchPath = mibSearchPath(opts);
  const files = listMibFiles(searchPath);
  const fp = fingerprint(files);
  const cacheDir = opts.dataDir ? join(opts.dataDir, 'mib') : undefined;
  if (cacheDir && !opts.force) {
    const dict = fromCache(cacheDir, fp, started, searchPath);
    if (dict) {
      log.info({ nodes: dict.stats().nodes, ms: Math.round(dict.loadInfo.ms) }, 'mib dictionary loaded from cache');
      return dict;
    }
  }
  const compileStarted = performance.now();
  const unreadable: MibError[] = [];
  // Synchronous reads: start-up waits for the dictionary anyway, and they beat 1,700 queued async reads.
  const sources: { file: string; text: string }[] = [];
  for (const f of files) {
    try {
      sources.push({ file: f.path, text: readFileSync(f.path, 'latin1') });
    } catch (error) {
      unreadable.push({ file: f.path, line: 1, reason: `unreadable: ${(error as Error).message}` });
    }
  }
  const compiled = compileSources(sources);
  compiled.errors.push(...unreadable);
  const compileMs = performance.now() - compileStarted;
  let dict: (MibDictionaryImpl & { loadInfo: MibLoadInfo }) | undefined;
  if (cacheDir) {
    try {
      writeCache(cacheDir, fp, compiled);
      // Names and descriptions are slices of the file texts; reloading from the cache lets ~100 MB of source go.
      dict = fromCache(cacheDir, fp, started, searchPath);
    } catch (error) {
      log.warn({ err: (error as Error).message, dir: cacheDir }, 'mib cache not written; the dictionary will be compiled again next start');
    }
  }
  dict ??= Object.assign(new MibDictionaryImpl(compiled, compiled.descriptions), { loadInfo: { fromCache: false, ms: 0, searchPath } });
  dict.loadInfo.fromCache = false;
  dict.loadInfo.ms = performance.now() - started;
  dict.loadInfo.compileMs = compileMs;
  const loadInfo = dict.loadInfo;
  for (const e of compiled.errors) log.warn({ file: e.file, line: e.line, module: e.module }, `mib file skipped: ${e.reason}`);
  log.info({ nodes: dict.stats().nodes, files: files.length, errors: compiled.errors.length, ms: Math.round(loadInfo.ms) }, 'mib dictionary compiled');
  return dict;
}

function fromCache(cacheDir: string, fp: string, started: number, searchPath: string[]): (MibDictionaryImpl & { loadInfo: MibLoadInfo }) | undefined {
  const cached = readCache(cacheDir, fp);
  if (!cached) return undefined;
  const dict = new MibDictionaryImpl(cached, () => {
    const { descriptions, revisions } = readDescriptions(cacheDir);
    for (const m of cached.modules) if (revisions[m.name]) m.revisions = revisions[m.name];
    return descriptions;
  });
  return Object.assign(dict, { loadInfo: { fromCache: true, ms: performance.now() - started, searchPath } });
}
