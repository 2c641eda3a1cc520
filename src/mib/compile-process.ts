/**
 * The MIB compile's own process (started by `startCompileProcess`): compiles the search path into the cache in the
 * data directory and reports progress and a summary over the IPC channel. It is a process, not a worker thread,
 * because a worker cannot have a heap larger or smaller than the main one's `--max-old-space-size` (which the
 * `vigil` command always sets; nodejs/node#43991), and because some out-of-memory failures in a worker abort the
 * whole process (nodejs/node#47224). Here, running out of memory ends this process only.
 */
import type { Logger } from '../model/logger.ts';
import { compileToCache, type MibCompileSummary, type MibLoadOptions } from './load.ts';

/** What the parent sends once: the load options without the logger (which stays in the parent). */
export interface CompileRequest {
  opts: Omit<MibLoadOptions, 'log'>;
}

/** What the process sends back. */
export type CompileMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'log'; level: 'warn' | 'error'; msg: string; obj: Record<string, unknown> }
  | { type: 'done'; summary: MibCompileSummary; peakRssMb: number }
  | { type: 'failed'; message: string };

const send = (m: CompileMessage, then?: () => void) => process.send!(m, undefined, {}, then);

/** Logs of the compile (a cache that could not be written) go to the parent's logger. */
const forward = (level: 'warn' | 'error') => (obj: object | string, msg?: string) =>
  send({
    type: 'log',
    level,
    msg: typeof obj === 'string' ? obj : (msg ?? ''),
    obj: typeof obj === 'string' ? {} : { ...obj },
  });
const noop = () => {};
const log: Logger = { debug: noop, info: noop, warn: forward('warn'), error: forward('error'), child: () => log };

if (!process.send)
  throw new Error('compile-process.ts runs as a child process with an IPC channel (see startCompileProcess)');

const parent = process.ppid;

process.once('message', (request: CompileRequest) => {
  let message: CompileMessage;
  try {
    const { summary } = compileToCache({ ...request.opts, log }, (done, total) => {
      // The compile never yields, so a parent gone (killed hard) is seen here, not as a closed channel.
      if (process.ppid !== parent) process.exit(1);
      send({ type: 'progress', done, total });
    });
    message = { type: 'done', summary, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } catch (error) {
    message = { type: 'failed', message: (error as Error)?.message ?? String(error) };
  }
  // Exit only once the message is out: the compiled form dies with the process, the parent reads the cache.
  send(message, () => process.exit(0));
});
