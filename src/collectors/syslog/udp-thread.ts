/**
 * The UDP syslog receiver's thread: it owns the socket, decodes each datagram and hands the records to the main
 * thread in batches (columns, see model/log-columns.ts). Its event loop does nothing else, so a pause of the main
 * thread (a garbage collection, an event-engine pass, a store batch being packed) never leaves the socket unread
 * long enough for the kernel's buffer to overflow. What the main thread has not yet taken is bounded: past
 * `maxInFlight` records (shared counter) or while the main thread says the bus is saturated, datagrams are read,
 * counted as `droppedBusy` and dropped here, where it is visible, rather than in the kernel.
 */
import { createSocket } from 'node:dgram';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LogRecord } from '../../model/records.ts';
import { logColumnBuffers, packLogs } from '../../model/log-columns.ts';
import { bindUdp, normalizeAddress } from './bind.ts';
import { decodeSyslog } from './decode.ts';
import { timezoneResolver } from './timezone.ts';
import type { UdpThreadData, UdpThreadMessage } from './udp-receiver.ts';

const data = workerData as UdpThreadData;

// Scheduled ahead of the other threads when the process may (Linux, CAP_SYS_NICE): a datagram the kernel holds
// waits for this thread alone, and a few milliseconds without CPU at 100,000 msgs/s fill the receive buffer.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0 && data.nice !== 0) setPriority(tid, data.nice);
} catch {
  // Not Linux, or not allowed: the default priority.
}
const tzFor = timezoneResolver(data.timezones, data.defaultTimezone);
/** [0]: records posted and not yet taken by the main thread; [1]: 1 while the bus is saturated. */
const shared = new Int32Array(data.shared);
const BATCH = 2_000;

const counters = { received: 0, bytes: 0, truncated: 0, droppedBusy: 0 };
let batch: LogRecord[] = [];
let sizes: number[] = [];
let scheduled = false;
const post = (m: UdpThreadMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

function flush() {
  scheduled = false;
  if (!batch.length) return;
  const logs = packLogs(batch);
  const bytes = Uint32Array.from(sizes);
  Atomics.add(shared, 0, batch.length);
  batch = [];
  sizes = [];
  post({ type: 'batch', logs, bytes, counters: { ...counters } }, [...logColumnBuffers(logs), bytes.buffer]);
}

const socket = createSocket({
  type: data.host.includes(':') ? 'udp6' : 'udp4',
  ...(data.rcvbufBytes ? { recvBufferSize: data.rcvbufBytes } : {}),
});
socket.on('message', (msg, rinfo) => {
  counters.received++;
  counters.bytes += msg.length;
  if (Atomics.load(shared, 1) === 1 || Atomics.load(shared, 0) + batch.length >= data.maxInFlight) {
    counters.droppedBusy++;
    return;
  }
  const truncated = msg.length > data.maxMessageBytes;
  if (truncated) counters.truncated++;
  const address = normalizeAddress(rinfo.address);
  const rec = decodeSyslog(truncated ? msg.subarray(0, data.maxMessageBytes) : msg, {
    receivedTs: Date.now(),
    sourceAddress: address,
    transport: 'udp',
    defaultTimezone: tzFor(address),
    defaultPri: data.defaultPri,
    truncated,
  });
  batch.push(rec);
  sizes.push(msg.length);
  if (batch.length >= BATCH) flush();
  else if (!scheduled) {
    scheduled = true;
    // After the event loop has read what the kernel holds (libuv reads up to 32 datagrams per wake-up).
    setImmediate(flush);
  }
});
socket.on('error', (e) => post({ type: 'error', message: e.message }));
// Counters also when nothing is handed over (everything dropped while the bus is saturated).
setInterval(() => post({ type: 'counters', counters: { ...counters } }), 1000).unref();

parentPort!.on('message', (m: 'close') => {
  if (m !== 'close') return;
  flush();
  socket.close(() => {
    post({ type: 'closed', counters: { ...counters } });
    parentPort!.close();
  });
});

bindUdp(socket, data.host, data.port).then(
  (port) => {
    let rcvbuf: number | undefined;
    try {
      rcvbuf = socket.getRecvBufferSize();
    } catch {
      // Not every platform reports it.
    }
    post({ type: 'ready', port, rcvbufBytes: rcvbuf });
  },
  (e: Error & { code?: string; vigilCode?: string }) =>
    post({ type: 'bind-error', message: e.message, code: (e as { code?: string }).code }),
);
