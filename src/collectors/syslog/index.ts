/**
 * The syslog collector: UDP, TCP and TLS (RFC 5425) listeners around the pure framer and decoder.
 * TCP/TLS connections are paused while a publish is pending, so what was accepted is stored; UDP cannot wait, so
 * datagrams that arrive while the bus is saturated are dropped and counted, as are the kernel's own drops.
 * Each stream listener holds at most `maxConnections` and closes connections idle for `idleTimeoutS`, both counted.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { CollectorContext, Emit, ListeningCollector } from '../types.ts';
import type { LogRecord } from '../../model/records.ts';
import { VigilError } from '../../model/errors.ts';
import { listenTcp, normalizeAddress } from './bind.ts';
import type { SyslogConfig } from './config.ts';
import { decodeSyslog } from './decode.ts';
import { createFramer, type Frame } from './framing.ts';
import { readSocketDrops, readUdpSystemCounters, type UdpSystemCounters } from './kernel-drops.ts';
import { sourceTable, streamCounters, type StreamCounters } from './stats.ts';
import { timezoneResolver } from './timezone.ts';
import { startUdpReceiver, type UdpReceiver } from './udp-receiver.ts';

export type { SyslogConfig } from './config.ts';
export { decodeSyslog } from './decode.ts';

/** A syslog collector; `ports` tells where it listens once started (useful with port 0). */
export interface SyslogCollector extends ListeningCollector {
  readonly ports: { udp?: number; tcp?: number; tls?: number };
  stats(): SyslogStats;
}

// A type alias (not an interface) so that it is assignable to ListeningCollector's Record<string, unknown>.
export type SyslogStats = {
  messages: number;
  parseFailures: number;
  udp: {
    enabled: boolean;
    port?: number;
    rcvbufBytes?: number;
    received: number;
    bytes: number;
    truncated: number;
    /** Dropped by Vigil because the bus was saturated. */
    droppedBusy: number;
    kernel: { socketDrops?: number; systemRcvbufErrorsSinceStart?: number; systemInErrorsSinceStart?: number };
  };
  tcp: StreamCounters & Record<string, unknown>;
  tls: StreamCounters & Record<string, unknown>;
  sources: ReturnType<ReturnType<typeof sourceTable>['list']>;
  /** Messages from senders beyond `syslog.maxSources`, counted together. */
  otherSourcesMessages: number;
};

const DEVICE_CACHE_MS = 10_000;

/** PEM text as is, else the contents of the file it names. */
function pem(value: string | undefined, key: string): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (e) {
    throw new VigilError(
      'VIGIL_CONFIG',
      `${key}: cannot read ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/**
 * @example
 * const syslog = createSyslogCollector(ctx, config.syslog);
 * await syslog.start((r) => ctx.bus.publish(r));
 */
export function createSyslogCollector(ctx: CollectorContext, config: SyslogConfig): SyslogCollector {
  const tzFor = timezoneResolver(config.timezones ?? [], config.defaultTimezone);
  const sources = sourceTable(config.maxSources ?? 10_000);
  const tlsWanted = config.tls.enabled && !!config.tls.cert && !!config.tls.key;
  const counters = {
    messages: 0,
    parseFailures: 0,
    udp: {
      enabled: config.udp.enabled,
      port: undefined as number | undefined,
      rcvbufBytes: undefined as number | undefined,
      received: 0,
      bytes: 0,
      truncated: 0,
      droppedBusy: 0,
    },
    tcp: streamCounters(config.tcp.enabled, config.tcp.maxConnections),
    tls: streamCounters(tlsWanted, config.tls.maxConnections),
  };
  const ports: SyslogCollector['ports'] = {};
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  /** How long a stop waits at most for open connections to hand over what they sent, and the quiet that ends it. */
  const STOP_GRACE_MS = 10_000;
  const STOP_QUIET_MS = 1000;
  const lastData = new WeakMap<Socket, number>();
  let lastAccept = 0;
  let udpReceiver: UdpReceiver | undefined;
  /** The thread's counters, kept after it stopped. */
  let udpCounters: (() => Partial<SyslogStats['udp']>) | undefined;
  let kernelBaseline: UdpSystemCounters | undefined;
  const deviceCache = new Map<string, { id: string | undefined; at: number }>();

  function deviceIdFor(address: string, now: number): string | undefined {
    const hit = deviceCache.get(address);
    if (hit && now - hit.at < DEVICE_CACHE_MS) return hit.id;
    const id = ctx.deviceByAddress(address)?.id;
    if (deviceCache.size > 100_000) deviceCache.clear();
    deviceCache.set(address, { id, at: now });
    return id;
  }

  /** Names the sender's device and counts the record (messages, parse failures, per source). */
  function account(rec: LogRecord, bytes: number, now: number): void {
    const deviceId = deviceIdFor(rec.sourceAddress, now);
    if (deviceId) rec.deviceId = deviceId;
    const failed = rec.flags?.includes('unparsed') ?? false;
    counters.messages++;
    if (failed) counters.parseFailures++;
    sources.count(rec.sourceAddress, bytes, failed, now, deviceId);
  }

  function toRecord(bytes: Buffer, address: string, transport: LogRecord['transport'], truncated: boolean): LogRecord {
    const now = ctx.clock.now();
    const rec = decodeSyslog(bytes, {
      receivedTs: now,
      sourceAddress: address,
      transport,
      defaultTimezone: tzFor(address),
      defaultPri: config.defaultPri,
      truncated,
    });
    account(rec, bytes.length, now);
    return rec;
  }

  /** One TCP or TLS connection: frames in order, paused while a publish is pending, closed when idle. */
  function onConnection(socket: Socket, transport: 'tcp' | 'tls', c: StreamCounters, emit: Emit): void {
    const address = normalizeAddress(socket.remoteAddress);
    const framer = createFramer({ maxMessageBytes: config.maxMessageBytes });
    const idleMs = config[transport].idleTimeoutS * 1000;
    let backlog: Frame[] = [];
    let draining = false;
    let ended = false;
    sockets.add(socket);
    c.connectionsTotal++;
    c.connectionsOpen++;

    // The idle timer runs only while the peer could send: a pause for the bus is Vigil's wait, not the peer's silence.
    if (idleMs > 0) socket.setTimeout(idleMs);
    socket.on('timeout', () => {
      c.connectionsIdleClosed++;
      ctx.log.debug({ address, transport, idleTimeoutS: idleMs / 1000 }, 'syslog: closing an idle connection');
      socket.destroy();
    });
    const pauseForBus = () => {
      if (socket.isPaused()) return;
      socket.pause();
      if (idleMs > 0) socket.setTimeout(0);
      c.pauses++;
    };
    const resumeAfterBus = () => {
      if (!socket.isPaused() || socket.destroyed) return;
      if (idleMs > 0) socket.setTimeout(idleMs);
      socket.resume();
    };

    async function drain(): Promise<void> {
      draining = true;
      try {
        while (backlog.length) {
          const frames = backlog;
          backlog = [];
          for (const f of frames) {
            c.received++;
            if (f.truncated) c.truncated++;
            const pending = emit(toRecord(f.bytes, address, transport, f.truncated));
            if (pending) {
              pauseForBus();
              await pending;
            }
          }
        }
      } catch (e) {
        ctx.log.error({ err: (e as Error).message, address }, 'syslog: publishing failed; closing the connection');
        socket.destroy();
      } finally {
        draining = false;
      }
      if (ended) socket.end();
      else resumeAfterBus();
    }

    function add(frames: Frame[]): void {
      if (!frames.length) return;
      for (const f of frames) backlog.push(f);
      if (!draining) void drain();
    }

    lastData.set(socket, Date.now());
    lastAccept = Date.now();
    socket.on('data', (chunk: Buffer) => {
      lastData.set(socket, Date.now());
      c.bytes += chunk.length;
      const before = framer.errors;
      add(framer.push(chunk));
      c.framingErrors += framer.errors - before;
    });
    socket.on('end', () => {
      ended = true;
      const before = framer.errors;
      add(framer.end());
      c.framingErrors += framer.errors - before;
      if (!draining) socket.end();
    });
    socket.on('error', (e) => ctx.log.debug({ err: e.message, address }, 'syslog: connection error'));
    socket.on('close', () => {
      c.connectionsOpen--;
      sockets.delete(socket);
    });
  }

  /**
   * UDP is received and decoded on a thread of its own (udp-receiver.ts), so that the main thread's pauses never let
   * the kernel's buffer overflow; here each batch gets its devices and source counts and is published in one go.
   */
  async function startUdp(emit: Emit): Promise<void> {
    const u = counters.udp;
    let saturated = false;
    let receiver: UdpReceiver | undefined;
    const onBatch = (records: LogRecord[], bytes: Uint32Array) => {
      const now = ctx.clock.now();
      for (let i = 0; i < records.length; i++) {
        account(records[i], bytes[i], now);
        void emit(records[i]);
      }
      // UDP cannot be paused: while the bus is full the thread drops and counts, and keeps reading.
      const r = receiver;
      if (ctx.bus.saturated && !saturated && r) {
        saturated = true;
        r.setSaturated(true);
        void ctx.bus.whenReady().then(() => {
          saturated = false;
          r.setSaturated(false);
        });
      }
    };
    receiver = await startUdpReceiver(config, onBatch, (message) =>
      ctx.log.warn({ err: message }, 'syslog: UDP socket error'),
    );
    udpReceiver = receiver;
    udpCounters = () => receiver.counters();
    u.port = ports.udp = receiver.port;
    u.rcvbufBytes = receiver.rcvbufBytes;
    // Linux reports twice the size set; less than asked means net.core.rmem_max capped it, and bursts will be lost.
    const asked = config.udp.rcvbufBytes;
    if (asked && receiver.rcvbufBytes !== undefined && receiver.rcvbufBytes < asked) {
      ctx.log.warn(
        { requested: asked, effective: receiver.rcvbufBytes },
        `syslog: the kernel capped the UDP receive buffer below syslog.udp.rcvbufBytes (net.core.rmem_max); at high rates datagrams will be lost in bursts. Raise it: sysctl -w net.core.rmem_max=${asked}`,
      );
    }
    kernelBaseline = readUdpSystemCounters();
  }

  async function startStream(kind: 'tcp' | 'tls', emit: Emit): Promise<void> {
    const c = counters[kind];
    const cfg = config[kind];
    let server: Server;
    if (kind === 'tls') {
      const t = config.tls;
      const ca = pem(t.ca, 'syslog.tls.ca');
      server = createTlsServer(
        {
          cert: pem(t.cert, 'syslog.tls.cert'),
          key: pem(t.key, 'syslog.tls.key'),
          ...(ca ? { ca } : {}),
          requestCert: t.requireClientCert,
          rejectUnauthorized: t.requireClientCert,
        },
        (s: TLSSocket) => onConnection(s, 'tls', c, emit),
      );
      server.on('tlsClientError', () => c.handshakeErrors++);
    } else server = createServer((s) => onConnection(s, 'tcp', c, emit));
    // Node closes connections beyond the cap as they arrive (before any TLS handshake) and reports each as 'drop'.
    server.maxConnections = cfg.maxConnections;
    let lastWarning = -Infinity;
    server.on('drop', (d?: { remoteAddress?: string }) => {
      c.connectionsRefused++;
      const now = ctx.clock.now();
      if (now - lastWarning < 60_000) return;
      lastWarning = now;
      ctx.log.warn(
        { address: normalizeAddress(d?.remoteAddress), open: c.connectionsOpen, refused: c.connectionsRefused },
        `syslog: ${kind} connection refused: syslog.${kind}.maxConnections (${cfg.maxConnections}) are open`,
      );
    });
    servers.push(server);
    c.port = ports[kind] = await listenTcp(server, kind, cfg.host, cfg.port);
  }

  const collector: SyslogCollector = {
    name: 'syslog',
    ports,
    async start(emit) {
      try {
        if (config.udp.enabled) await startUdp(emit);
        if (config.tcp.enabled) await startStream('tcp', emit);
        if (tlsWanted) await startStream('tls', emit);
      } catch (e) {
        await collector.stop();
        throw e;
      }
      ctx.log.info({ ports }, 'syslog: listening');
    },
    async stop() {
      // What TCP already acknowledged is published before the stop. The kernel completes connections and takes
      // their data before Vigil accepts them: so the listeners go on accepting, and connections are read on, until
      // every one has closed (a peer that finished sending has ended its side: it closes once read) or been quiet
      // for STOP_QUIET_MS (a relay that keeps its connection open) with no new one for as long; at most
      // STOP_GRACE_MS. Then the listeners close and what is left is cut.
      const until = Date.now() + STOP_GRACE_MS;
      for (;;) {
        const now = Date.now();
        const quiet = (s: Socket) => now - (lastData.get(s) ?? 0) > STOP_QUIET_MS && !s.isPaused();
        if (now >= until || (now - lastAccept > STOP_QUIET_MS && [...sockets].every(quiet))) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const closing = servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r())));
      for (const s of sockets) s.destroy();
      if (udpReceiver) {
        const r = udpReceiver;
        udpReceiver = undefined;
        await r.stop();
      }
      await Promise.all(closing);
    },
    stats() {
      const now = ports.udp !== undefined ? readUdpSystemCounters() : undefined;
      const kernel: SyslogStats['udp']['kernel'] = {};
      if (ports.udp !== undefined && udpReceiver) kernel.socketDrops = readSocketDrops(ports.udp);
      if (now && kernelBaseline) {
        kernel.systemRcvbufErrorsSinceStart = now.rcvbufErrors - kernelBaseline.rcvbufErrors;
        kernel.systemInErrorsSinceStart = now.inErrors - kernelBaseline.inErrors;
      }
      return {
        messages: counters.messages,
        parseFailures: counters.parseFailures,
        udp: { ...counters.udp, ...(udpCounters?.() ?? {}), kernel },
        tcp: { ...counters.tcp },
        tls: { ...counters.tls },
        sources: sources.list(),
        otherSourcesMessages: sources.overflowMessages,
      };
    },
  };
  return collector;
}
