/**
 * The main thread's side of the UDP syslog receiver (see udp-thread.ts): starts the thread, takes its batches,
 * names the device of each sender, counts sources, and publishes the records on the bus in one go per batch.
 */
import type { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode, VigilError } from '../../model/errors.ts';
import { siblingModule, startModuleWorker } from '../../model/module-worker.ts';
import type { LogRecord } from '../../model/records.ts';
import { type LogColumns, unpackLogs } from '../../model/log-columns.ts';
import type { SyslogConfig } from './config.ts';

export interface UdpThreadData {
  host: string;
  port: number;
  rcvbufBytes: number;
  maxMessageBytes: number;
  defaultPri: number;
  defaultTimezone: string;
  timezones: SyslogConfig['timezones'];
  maxInFlight: number;
  shared: SharedArrayBuffer;
  /** Nice value the thread asks for itself (negative: ahead of the others; needs CAP_SYS_NICE). */
  nice: number;
}

export interface UdpThreadCounters {
  received: number;
  bytes: number;
  truncated: number;
  droppedBusy: number;
}

export type UdpThreadMessage =
  | { type: 'ready'; port: number; rcvbufBytes?: number }
  | { type: 'bind-error'; message: string; code?: string }
  | { type: 'error'; message: string }
  | { type: 'batch'; logs: LogColumns; bytes: Uint32Array; counters: UdpThreadCounters }
  | { type: 'counters'; counters: UdpThreadCounters }
  | { type: 'closed'; counters: UdpThreadCounters };

export interface UdpReceiver {
  port: number;
  rcvbufBytes?: number;
  counters(): UdpThreadCounters;
  /** Says whether the bus is saturated (the thread then drops and counts instead of handing over). */
  setSaturated(saturated: boolean): void;
  /** Times the thread died and was started again. */
  restarts(): number;
  /** Ends the thread as a crash would (for tests of the restart). */
  crashThread(): Promise<void>;
  stop(): Promise<void>;
}

/** Records handed over and not yet published, past which the thread drops (and counts) instead. */
const MAX_IN_FLIGHT = 50_000;

/**
 * @param onBatch gets each batch's records (deviceId not yet set) and their datagram sizes, on the main thread.
 */
export function startUdpReceiver(
  config: SyslogConfig,
  onBatch: (records: LogRecord[], bytes: Uint32Array) => void,
  onError: (message: string) => void,
): Promise<UdpReceiver> {
  const shared = new SharedArrayBuffer(8);
  const flags = new Int32Array(shared);
  const data: UdpThreadData = {
    host: config.udp.host,
    port: config.udp.port,
    rcvbufBytes: config.udp.rcvbufBytes,
    maxMessageBytes: config.maxMessageBytes,
    defaultPri: config.defaultPri,
    defaultTimezone: config.defaultTimezone,
    timezones: config.timezones,
    maxInFlight: MAX_IN_FLIGHT,
    shared,
    nice: -5,
  };
  const add = (a: UdpThreadCounters, b: UdpThreadCounters): UdpThreadCounters => ({
    received: a.received + b.received,
    bytes: a.bytes + b.bytes,
    truncated: a.truncated + b.truncated,
    droppedBusy: a.droppedBusy + b.droppedBusy,
  });
  /** Counters of threads that ended (a restarted thread counts from zero). */
  let past: UdpThreadCounters = { received: 0, bytes: 0, truncated: 0, droppedBusy: 0 };
  let current: UdpThreadCounters = { ...past };
  let stopping = false;
  let worker: Worker | undefined;
  let gone: Promise<void> = Promise.resolve();
  let restarts = 0;

  /** Starts a thread; resolves once its socket is bound (on `data.port`, which is the bound port after the first). */
  function spawnThread(): Promise<{ port: number; rcvbufBytes?: number }> {
    Atomics.store(flags, 0, 0);
    // The thread holds a batch or two at a time.
    const w = startModuleWorker(siblingModule(import.meta.url, 'udp-thread'), data, {
      maxOldGenerationSizeMb: 64,
      maxYoungGenerationSizeMb: 48,
    });
    worker = w;
    gone = new Promise<void>((r) =>
      w.once('exit', (code) => {
        past = add(past, current);
        current = { received: 0, bytes: 0, truncated: 0, droppedBusy: 0 };
        r();
        if (stopping || worker !== w) return;
        // A thread that dies (out of its memory limit, a bug) must not leave the port unread: start another.
        restarts++;
        onError(`UDP receiver thread exited (${code}); starting another (restart ${restarts})`);
        setTimeout(
          () =>
            void (stopping ? Promise.resolve() : spawnThread()).catch((e: Error) =>
              onError(`UDP receiver thread could not restart: ${e.message}`),
            ),
          Math.min(30_000, 100 * 2 ** Math.min(restarts, 8)),
        ).unref();
      }),
    );
    return new Promise((resolve, reject) => {
      let started = false;
      w.on('message', (m: UdpThreadMessage) => {
        switch (m.type) {
          case 'ready':
            started = true;
            resolve({ port: m.port, rcvbufBytes: m.rcvbufBytes });
            break;
          case 'bind-error': {
            const code = (m.code && m.code in ERROR_CODES ? m.code : 'VIGIL_CONFIG') as ErrorCode;
            stopping = true;
            void w.terminate();
            reject(new VigilError(code, m.message));
            break;
          }
          case 'error':
            onError(m.message);
            break;
          case 'batch': {
            current = m.counters;
            const records = unpackLogs(m.logs);
            Atomics.sub(flags, 0, records.length);
            onBatch(records, m.bytes);
            break;
          }
          case 'counters':
          case 'closed':
            current = m.counters;
            break;
        }
      });
      w.on('error', (e) => {
        if (!started) reject(e);
        else onError(e.message);
      });
    });
  }

  return spawnThread().then(({ port, rcvbufBytes }) => {
    data.port = port;
    return {
      port,
      rcvbufBytes,
      counters: () => add(past, current),
      setSaturated: (s: boolean) => Atomics.store(flags, 1, s ? 1 : 0),
      restarts: () => restarts,
      async crashThread() {
        const g = gone;
        await worker?.terminate();
        await g;
      },
      async stop() {
        stopping = true;
        worker?.postMessage('close');
        await gone;
      },
    };
  });
}
