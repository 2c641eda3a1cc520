/**
 * The main thread's side of the UDP syslog receiver (see udp-thread.ts): starts the thread, takes its batches,
 * names the device of each sender, counts sources, and publishes the records on the bus in one go per batch.
 */
import type { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode, VigilError } from '../../model/errors.ts';
import { siblingModule, startModuleWorker } from '../../model/module-worker.ts';
import type { LogRecord } from '../../model/records.ts';
import { type LogColumns, unpackLogs } from '../../store/log-columns.ts';
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
  stop(): Promise<void>;
}

/** Records handed over and not yet published, past which the thread drops (and counts) instead. */
const MAX_IN_FLIGHT = 50_000;

/**
 * @param onBatch gets each batch's records (deviceId not yet set) and their datagram sizes, on the main thread.
 */
export function startUdpReceiver(config: SyslogConfig, onBatch: (records: LogRecord[], bytes: Uint32Array) => void, onError: (message: string) => void): Promise<UdpReceiver> {
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
  // The thread holds a batch or two at a time.
  const worker: Worker = startModuleWorker(siblingModule(import.meta.url, 'udp-thread'), data, { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 48 });
  let counters: UdpThreadCounters = { received: 0, bytes: 0, truncated: 0, droppedBusy: 0 };
  let exited = false;
  const gone = new Promise<void>((r) => worker.once('exit', () => ((exited = true), r())));

  return new Promise((resolve, reject) => {
    let started = false;
    worker.on('message', (m: UdpThreadMessage) => {
      switch (m.type) {
        case 'ready':
          started = true;
          resolve({
            port: m.port,
            rcvbufBytes: m.rcvbufBytes,
            counters: () => counters,
            setSaturated: (s) => Atomics.store(flags, 1, s ? 1 : 0),
            async stop() {
              if (!exited) worker.postMessage('close');
              await gone;
            },
          });
          break;
        case 'bind-error': {
          const code = (m.code && m.code in ERROR_CODES ? m.code : 'VIGIL_CONFIG') as ErrorCode;
          void worker.terminate();
          reject(new VigilError(code, m.message));
          break;
        }
        case 'error':
          onError(m.message);
          break;
        case 'batch': {
          counters = m.counters;
          const records = unpackLogs(m.logs);
          Atomics.sub(flags, 0, records.length);
          onBatch(records, m.bytes);
          break;
        }
        case 'counters':
        case 'closed':
          counters = m.counters;
          break;
      }
    });
    worker.on('error', (e) => {
      if (!started) reject(e);
      else onError(e.message);
    });
  });
}
