import type { Logger } from '../model/logger.ts';
import type { Emit, PolledCollector } from './types.ts';

export interface RunnerStats {
  cycles: number;
  skipped: number;
  failed: number;
  lastStartTs?: number;
  lastDurationMs?: number;
  lastError?: string;
  running: boolean;
}

/**
 * Runs a polled collector every `intervalMs`. A cycle still running when the next is due is skipped
 * and counted, never stacked. A cycle that outlives `timeoutMs` is aborted.
 */
export function runPolled(
  collector: PolledCollector,
  emit: Emit,
  opts: { intervalMs: number; timeoutMs?: number; log: Logger; runImmediately?: boolean },
) {
  const stats: RunnerStats = { cycles: 0, skipped: 0, failed: 0, running: false };
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let controller: AbortController | undefined;

  async function cycle(): Promise<void> {
    if (stats.running) {
      stats.skipped++;
      opts.log.warn({ collector: collector.name, skipped: stats.skipped }, 'cycle still running; skipped this one');
      return;
    }
    stats.running = true;
    stats.lastStartTs = Date.now();
    controller = new AbortController();
    const timeout = opts.timeoutMs ? setTimeout(() => controller?.abort(), opts.timeoutMs) : undefined;
    try {
      await collector.collect(emit, controller.signal);
      stats.cycles++;
    } catch (error) {
      stats.failed++;
      stats.lastError = error instanceof Error ? error.message : String(error);
      opts.log.error({ collector: collector.name, err: stats.lastError }, 'cycle failed');
    } finally {
      if (timeout) clearTimeout(timeout);
      stats.lastDurationMs = Date.now() - stats.lastStartTs;
      stats.running = false;
    }
  }

  return {
    stats,
    start() {
      timer = setInterval(() => {
        current = cycle();
      }, opts.intervalMs);
      timer.unref?.();
      if (opts.runImmediately !== false) current = cycle();
    },
    /** Runs one cycle now (used by tests and `vigil ping`). */
    runOnce: () => cycle(),
    async stop() {
      if (timer) clearInterval(timer);
      controller?.abort();
      await current;
      await collector.stop?.();
    },
  };
}
