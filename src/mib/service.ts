import { getHeapStatistics } from 'node:v8';
import type { Logger } from '../model/logger.ts';
import {
  describeCompileFailure,
  MibCompileFailure,
  startCompileProcess,
  type CompileFailureKind,
  type CompileLimits,
  type StartCompile,
} from './compile-runner.ts';
import { loadMibDictionary, openCachedDictionary, type MibLoadInfo, type MibLoadOptions } from './load.ts';
import { currentFingerprintAsync } from './rescan.ts';
import type { MibBrowser } from './types.ts';

/** A dictionary as the service hands it out (`loadInfo` when it came from the loader). */
export type LoadedDictionary = MibBrowser & { loadInfo?: MibLoadInfo };

/** What `GET /api/v1/mib/status` answers: the compile's state and progress, and what answers translate and search. */
export interface MibStatus {
  /** `loading` until start-up has opened the cache (or found it must compile). */
  state: 'loading' | 'idle' | 'compiling' | 'failed';
  /** Files read and parsed so far of all, in the running compile (or the last one). */
  done: number;
  total: number;
  /** Start and end of the running (or last) compile, ms since the epoch. */
  startedAt?: number;
  finishedAt?: number;
  /**
   * What answers now: the dictionary of the files as they are, a previous one (kept while a compile runs or after
   * one failed), the built-in and system MIBs alone (no previous dictionary to keep), or nothing yet.
   */
  serving: 'current' | 'previous' | 'builtin' | 'none';
  nodes: number;
  files: number;
  /** Files that failed to parse (listed by /api/v1/mib/errors). */
  errors: number;
  compiledAt?: number;
  /** The last compile that failed, kept until one succeeds. */
  lastError?: { kind: CompileFailureKind; reason: string; at: number; done: number; total: number };
  /** The last compile that succeeded: wall time and the compile process's peak RSS. */
  lastCompile?: { ms: number; peakRssMb?: number; files: number; nodes: number; at: number };
  limits: CompileLimits;
  rescanS: number;
}

export interface MibServiceOptions {
  /** Search path and data directory; without a data directory the dictionary is compiled here, in this thread. */
  load: Omit<MibLoadOptions, 'log' | 'force'>;
  limits: CompileLimits;
  /** Rescan the search path this often, s (0 = never). */
  rescanS: number;
  log: Logger;
  /** Called whenever another dictionary starts answering (the composition root hands it to the API and the engine). */
  onDictionary(dict: LoadedDictionary | undefined): void;
  /** Seams for tests: the compile process, the search path's fingerprint, the cache, the built-in set, the heap. */
  startCompile?: StartCompile;
  fingerprint?: (opts: MibLoadOptions) => Promise<string>;
  openCached?: (dataDir: string, fp: string | undefined) => LoadedDictionary | undefined;
  loadBuiltin?: () => Promise<LoadedDictionary | undefined>;
  heap?: () => { limitBytes: number; usedBytes: number };
  now?: () => number;
  /** Progress lines in the log at most this often, ms (default 5000). */
  progressLogMs?: number;
}

export interface MibService {
  /** Opens the cached dictionary when it is current; otherwise serves what there is and compiles in the background. */
  start(): Promise<void>;
  status(): MibStatus;
  dictionary(): LoadedDictionary | undefined;
  /** Compiles when the search path changed since the dictionary (or the last failed compile) was made. */
  rescan(): Promise<void>;
  /** The running compile, if any (for tests and shutdown). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const fmt = (n: number) => n.toLocaleString('en-US');
/** Heap per node of an opened dictionary, bytes, until one has been measured (560k nodes ≈ 165 MB today). */
const DEFAULT_BYTES_PER_NODE = 400;

/**
 * The MIB dictionary as a running Vigil keeps it: opened from the cache, compiled in a child process with its own
 * memory and time limits whenever the search path changed (at start and on every rescan), swapped in when the
 * compile is done. A compile that fails costs only itself: the previous dictionary (or the built-in set) answers on.
 * @example const mib = createMibService({ load: { dirs, dataDir }, limits: config.mib.compile, rescanS: 60, log, onDictionary: (d) => (dictionary = d) }); await mib.start();
 */
export function createMibService(o: MibServiceOptions): MibService {
  const log = o.log;
  const now = o.now ?? Date.now;
  const startCompile: StartCompile =
    o.startCompile ?? ((opts, limits, onProgress) => startCompileProcess(opts, limits, onProgress, log));
  const fingerprint = o.fingerprint ?? currentFingerprintAsync;
  const openCached = o.openCached ?? ((dataDir: string, fp: string | undefined) => openCachedDictionary(dataDir, fp));
  const loadBuiltin =
    o.loadBuiltin ??
    (() =>
      loadMibDictionary({ includeSystemMibs: o.load.includeSystemMibs, excludeBuiltin: o.load.excludeBuiltin }).then(
        (d) => (d.stats().nodes ? d : undefined),
      ));
  const heap =
    o.heap ??
    (() => ({ limitBytes: getHeapStatistics().heap_size_limit, usedBytes: getHeapStatistics().used_heap_size }));
  const progressLogMs = o.progressLogMs ?? 5000;
  const dataDir = o.load.dataDir && o.load.dataDir !== ':memory:' ? o.load.dataDir : undefined;

  let dict: LoadedDictionary | undefined;
  let serving: MibStatus['serving'] = 'none';
  /** Fingerprint of the files the serving dictionary was compiled from (only when `current`). */
  let dictFp: string | undefined;
  /** Fingerprint of the files a compile failed on: not tried again until the files change. */
  let failedFp: string | undefined;
  let state: MibStatus['state'] = 'loading';
  let done = 0;
  let total = 0;
  let startedAt: number | undefined;
  let finishedAt: number | undefined;
  let lastError: MibStatus['lastError'];
  let lastCompile: MibStatus['lastCompile'];
  let job: ReturnType<StartCompile> | undefined;
  let compiling: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let scanning = false;
  let stopped = false;
  let bytesPerNode = DEFAULT_BYTES_PER_NODE;

  const nodesOf = (d: LoadedDictionary | undefined) => d?.stats().nodes ?? 0;
  function serve(next: LoadedDictionary | undefined, as: MibStatus['serving'], fp?: string): void {
    dict = next;
    serving = next ? as : 'none';
    dictFp = as === 'current' ? fp : undefined;
    o.onDictionary(next);
  }

  /** Opens a cache, learning how much heap a node takes to judge the next swap. */
  function open(fp: string | undefined): LoadedDictionary | undefined {
    const before = heap().usedBytes;
    let opened: LoadedDictionary | undefined;
    try {
      opened = openCached(dataDir!, fp);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'MIB cache could not be opened');
      return undefined;
    }
    const nodes = nodesOf(opened);
    const grown = heap().usedBytes - before;
    if (nodes >= 50_000 && grown > 0) bytesPerNode = grown / nodes;
    return opened;
  }

  async function serveBuiltin(): Promise<void> {
    try {
      serve(await loadBuiltin(), 'builtin');
    } catch (error) {
      log.error({ err: (error as Error).message }, 'built-in MIBs failed to load');
    }
  }

  /**
   * Swaps in the freshly compiled cache. Both dictionaries live in the heap for a moment; when that would not fit
   * under the main heap's ceiling, the old one is let go first (the built-in set answers for that second).
   */
  async function swapIn(fp: string, nodes: number): Promise<LoadedDictionary | undefined> {
    const { limitBytes, usedBytes } = heap();
    const need = nodes * bytesPerNode;
    if (nodesOf(dict) > 10_000 && limitBytes - usedBytes < need * 1.25) {
      log.info(
        { headroomMb: Math.round((limitBytes - usedBytes) / 1e6), needMb: Math.round(need / 1e6) },
        'MIB dictionary: not enough heap for the old and the new side by side; the built-in MIBs answer while the new one opens',
      );
      await serveBuiltin();
    }
    return open(fp);
  }

  function describeServing(): string {
    if (serving === 'current' || serving === 'previous')
      return `keeping the previous dictionary (${fmt(nodesOf(dict))} OIDs)`;
    if (serving === 'builtin') return `serving the built-in MIBs only (${fmt(nodesOf(dict))} OIDs)`;
    return 'no MIB dictionary is loaded';
  }

  async function compile(fp: string): Promise<void> {
    state = 'compiling';
    done = 0;
    total = 0;
    startedAt = now();
    finishedAt = undefined;
    let lastLog = startedAt;
    log.info(
      { dirs: o.load.dirs?.length ?? 0, serving, nodes: nodesOf(dict) },
      `MIB compile started in its own process (mib.compile.maxMemoryMb ${o.limits.maxMemoryMb}); ${serving === 'none' ? 'names stay numeric' : `the ${serving} dictionary answers`} meanwhile`,
    );
    job = startCompile({ ...o.load, dataDir }, o.limits, (d, t) => {
      done = d;
      total = t;
      if (now() - lastLog >= progressLogMs && d < t) {
        lastLog = now();
        log.info(
          { done: d, total: t },
          `MIB compile: ${fmt(d)} of ${fmt(t)} files (${Math.floor((100 * d) / Math.max(t, 1))} %)`,
        );
      }
    });
    try {
      const { summary, peakRssMb } = await job.result;
      job = undefined;
      if (stopped) return;
      if (!summary.cached)
        throw new MibCompileFailure(
          'error',
          `the compiled dictionary could not be written to ${dataDir}`,
          summary.files,
          summary.files,
        );
      const next = await swapIn(summary.fingerprint, summary.nodes);
      if (!next)
        throw new MibCompileFailure(
          'error',
          'the compiled dictionary could not be read back from the cache',
          summary.files,
          summary.files,
        );
      serve(next, 'current', summary.fingerprint);
      failedFp = undefined;
      lastError = undefined;
      state = 'idle';
      finishedAt = now();
      lastCompile = {
        ms: finishedAt - startedAt,
        peakRssMb,
        files: summary.files,
        nodes: summary.nodes,
        at: finishedAt,
      };
      for (const e of summary.errors.slice(0, 100))
        log.warn({ file: e.file, line: e.line, module: e.module }, `mib file skipped: ${e.reason}`);
      if (summary.errors.length > 100)
        log.warn({ more: summary.errors.length - 100 }, 'more MIB files skipped: see GET /api/v1/mib/errors');
      log.info(
        {
          nodes: summary.nodes,
          files: summary.files,
          errors: summary.errors.length,
          ms: lastCompile.ms,
          compileMs: Math.round(summary.compileMs),
          peakRssMb,
        },
        `MIB dictionary compiled: ${fmt(summary.nodes)} OIDs from ${fmt(summary.files)} files in ${(lastCompile.ms / 1000).toFixed(1)} s (compile process peak RSS ${fmt(peakRssMb)} MB)`,
      );
    } catch (error) {
      job = undefined;
      const f =
        error instanceof MibCompileFailure
          ? error
          : new MibCompileFailure('error', (error as Error)?.message ?? String(error), done, total);
      if (f.kind === 'cancelled' || stopped) return;
      failedFp = fp;
      state = 'failed';
      finishedAt = now();
      const reason = describeCompileFailure(f, o.limits);
      lastError = { kind: f.kind, reason, at: finishedAt, done: f.done, total: f.total };
      if (serving === 'current') serving = 'previous';
      else if (serving === 'none') await serveBuiltin();
      log.error({ kind: f.kind, done: f.done, total: f.total }, `MIB compile failed: ${reason}; ${describeServing()}`);
    }
  }

  function startCompileOnce(fp: string): Promise<void> {
    if (stopped) return Promise.resolve();
    compiling ??= compile(fp).finally(() => (compiling = undefined));
    return compiling;
  }

  const service: MibService = {
    async start() {
      if (!dataDir) {
        // Tests and the CLI without a data directory: compiled here, as before, with nothing to fall back on.
        try {
          serve(await loadMibDictionary({ ...o.load, log }), 'current');
          state = 'idle';
        } catch (error) {
          state = 'failed';
          lastError = { kind: 'error', reason: (error as Error).message, at: now(), done: 0, total: 0 };
          log.error({ err: (error as Error).message }, 'MIB dictionary failed to load');
        }
        return;
      }
      const fp = await fingerprint({ ...o.load, dataDir });
      if (stopped) return;
      const current = open(fp);
      if (current) {
        serve(current, 'current', fp);
        state = 'idle';
        log.info(
          { nodes: nodesOf(current), ms: Math.round(current.loadInfo?.ms ?? 0) },
          'MIB dictionary loaded from cache',
        );
      } else {
        const previous = open(undefined);
        if (previous) serve(previous, 'previous');
        else await serveBuiltin();
        void startCompileOnce(fp);
      }
      if (o.rescanS > 0 && !stopped) {
        timer = setInterval(() => void service.rescan(), o.rescanS * 1000);
        timer.unref();
      }
    },
    status() {
      const stats = dict?.stats();
      return {
        state,
        done,
        total,
        ...(startedAt !== undefined ? { startedAt } : {}),
        ...(finishedAt !== undefined ? { finishedAt } : {}),
        serving,
        nodes: stats?.nodes ?? 0,
        files: stats?.files ?? 0,
        errors: stats?.errors ?? 0,
        ...(stats?.compiledAt ? { compiledAt: stats.compiledAt } : {}),
        ...(lastError ? { lastError } : {}),
        ...(lastCompile ? { lastCompile } : {}),
        limits: o.limits,
        rescanS: o.rescanS,
      };
    },
    dictionary: () => dict,
    async rescan() {
      if (!dataDir || stopped || compiling || scanning) return;
      scanning = true;
      try {
        const fp = await fingerprint({ ...o.load, dataDir });
        if (stopped || compiling || fp === dictFp || fp === failedFp) return;
        log.info({}, 'MIB files changed on the search path: compiling them');
        void startCompileOnce(fp);
      } catch (error) {
        log.warn({ err: (error as Error).message }, 'MIB rescan failed');
      } finally {
        scanning = false;
      }
    },
    async settled() {
      while (compiling) await compiling;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      job?.cancel();
      await service.settled();
    },
  };
  return service;
}
