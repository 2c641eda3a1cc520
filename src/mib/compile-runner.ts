import { fork } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../model/logger.ts';
import { silentLogger } from '../model/logger.ts';
import type { CompileMessage, CompileRequest } from './compile-process.ts';
import { cacheDirOf, type MibCompileSummary, type MibLoadOptions } from './load.ts';

/** The compile process's limits (`mib.compile` in the config). */
export interface CompileLimits {
  /** Heap ceiling of the compile process, MB. */
  maxMemoryMb: number;
  /** The compile is stopped after this long, s. */
  timeoutS: number;
}

/** Why a compile failed: `memory` and `timeout` are its limits, `crash` any other end of the process. */
export type CompileFailureKind = 'memory' | 'timeout' | 'crash' | 'error' | 'cancelled';

/** A compile that did not produce a dictionary, with how far it got. */
export class MibCompileFailure extends Error {
  constructor(
    readonly kind: CompileFailureKind,
    message: string,
    readonly done: number,
    readonly total: number,
  ) {
    super(message);
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * One line for the log, the API and the CLI, naming the limit that was reached.
 * @example describeCompileFailure(f, limits) // "out of memory after 3,120 of 5,583 files (mib.compile.maxMemoryMb 768)"
 */
export function describeCompileFailure(f: MibCompileFailure, limits: CompileLimits): string {
  const at = f.total
    ? f.done >= f.total
      ? ` after all ${fmt(f.total)} files were read`
      : ` after ${fmt(f.done)} of ${fmt(f.total)} files`
    : '';
  if (f.kind === 'memory') return `out of memory${at} (mib.compile.maxMemoryMb ${limits.maxMemoryMb})`;
  if (f.kind === 'timeout') return `${f.message}${at} (mib.compile.timeoutS ${limits.timeoutS})`;
  return `${f.message}${at}`;
}

export interface CompileResult {
  summary: MibCompileSummary;
  /** Peak RSS of the compile process, MB. */
  peakRssMb: number;
}

/** A running compile: its outcome (rejects with a `MibCompileFailure`) and a way to stop it. */
export interface CompileJob {
  result: Promise<CompileResult>;
  cancel(): void;
}

/** How the compile is started; `startCompileProcess` in Vigil, a fake in tests. */
export type StartCompile = (
  opts: MibLoadOptions,
  limits: CompileLimits,
  onProgress: (done: number, total: number) => void,
) => CompileJob;

const OUT_OF_MEMORY = /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY|out of memory/i;
/** Enough of the child's stderr to recognise V8's out-of-memory report and quote the last lines of a crash. */
const STDERR_KEEP = 16_384;

/** Node flags for the compile process: the heap limit, and tsx's loader when Vigil runs from its TypeScript sources. */
function childExecArgv(maxMemoryMb: number, entry: string): string[] {
  // A small young generation (the compile's garbage is short-lived token strings: 16 MB semi-spaces cost ~30 MB of RSS
  // at the peak for no measurable speed) and V8's memory-saving mode (another ~30 MB for ~1.5 s on 560,000 OIDs):
  // the compile is a background job, its footprint matters more than its seconds (bench/mib-compile.ts).
  const argv = [`--max-old-space-size=${maxMemoryMb}`, '--max-semi-space-size=1', '--optimize-for-size'];
  if (entry.endsWith('.ts')) argv.push('--import', import.meta.resolve('tsx'));
  return argv;
}

/**
 * A compile stopped before it wrote the cache leaves its temporary files (`<file>.<pid>.tmp`, tens of MB each): those
 * of `pid`, or of every process that is gone (a compile whose parent was killed). A running compile's (`vigil mib
 * compile` on the same data directory) are left alone.
 */
function removePartialCache(dir: string, pid?: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // No cache directory yet: nothing was written.
  }
  for (const name of names) {
    const owner = Number(/\.(\d+)\.tmp$/.exec(name)?.[1]);
    if (!owner || (owner !== pid && isAlive(owner))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Compiles the MIB search path into the cache in `opts.dataDir` in a child process with its own heap limit and a
 * deadline, niced so that collectors keep the CPU they need. Running out of memory or time ends the child only.
 * @example const job = startCompileProcess({ dirs, dataDir }, { maxMemoryMb: 768, timeoutS: 600 }, (d, n) => …); const { summary } = await job.result;
 */
export function startCompileProcess(
  opts: MibLoadOptions,
  limits: CompileLimits,
  onProgress: (done: number, total: number) => void,
  log: Logger = silentLogger,
): CompileJob {
  const here = import.meta.url;
  const entry = fileURLToPath(new URL(here.endsWith('.ts') ? './compile-process.ts' : './compile-process.js', here));
  // NODE_OPTIONS may carry the main process's heap size (the `vigil` command honours it); the child has its own.
  const nodeOptions = (process.env.NODE_OPTIONS ?? '').replace(/--max-old-space-size[= ]\S+/g, '').trim();
  if (opts.dataDir) removePartialCache(cacheDirOf(opts.dataDir));
  const child = fork(entry, [], {
    execArgv: childExecArgv(limits.maxMemoryMb, entry),
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  try {
    if (child.pid) setPriority(child.pid, 10);
  } catch {
    // Not allowed here (some containers): the compile then competes at normal priority.
  }
  let done = 0;
  let total = 0;
  let stderr = '';
  let outcome: { ok: CompileResult } | { failed: MibCompileFailure } | undefined;
  const fail = (kind: CompileFailureKind, message: string) =>
    (outcome ??= { failed: new MibCompileFailure(kind, message, done, total) });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
  });
  child.on('message', (m: CompileMessage) => {
    if (m.type === 'progress') {
      done = m.done;
      total = m.total;
      onProgress(done, total);
    } else if (m.type === 'log') log[m.level](m.obj, m.msg);
    else if (m.type === 'done') outcome ??= { ok: { summary: m.summary, peakRssMb: m.peakRssMb } };
    else if (m.type === 'failed') fail(OUT_OF_MEMORY.test(m.message) ? 'memory' : 'error', m.message);
  });
  const timer = setTimeout(() => {
    fail('timeout', `timed out after ${limits.timeoutS} s`);
    child.kill('SIGKILL');
  }, limits.timeoutS * 1000);
  timer.unref();

  const result = new Promise<CompileResult>((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      if ('ok' in outcome!) return resolve(outcome.ok);
      if (opts.dataDir && child.pid) removePartialCache(cacheDirOf(opts.dataDir), child.pid);
      reject(outcome!.failed);
    };
    child.on('error', (error) => {
      fail('crash', `compile process: ${error.message}`);
      // A process that never started sends no 'exit'.
      if (child.pid === undefined) settle();
      else child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => {
      if (!outcome) {
        if (OUT_OF_MEMORY.test(stderr)) fail('memory', 'out of memory');
        else {
          const last = stderr
            .trim()
            .split('\n')
            .filter((l) => l.trim())
            .slice(-1)[0]
            ?.trim();
          fail('crash', `compile process ended (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`);
        }
      }
      settle();
    });
  });
  const request: CompileRequest = {
    opts: {
      dirs: opts.dirs,
      includeSystemMibs: opts.includeSystemMibs,
      excludeBuiltin: opts.excludeBuiltin,
      dataDir: opts.dataDir,
      force: opts.force,
    },
  };
  // A child already gone makes this an 'error' event (handled above), not a throw.
  if (child.connected) child.send(request);
  return {
    result,
    cancel() {
      fail('cancelled', 'cancelled');
      child.kill('SIGKILL');
    },
  };
}
