/** Counters of the syslog listeners: per transport and per sender. Plain numbers, read by `stats()`. */

export interface SourceCounters {
  address: string;
  deviceId?: string;
  messages: number;
  bytes: number;
  parseFailures: number;
  lastSeen: number;
}

export interface StreamCounters {
  enabled: boolean;
  port?: number;
  received: number;
  bytes: number;
  truncated: number;
  connectionsTotal: number;
  connectionsOpen: number;
  /** `syslog.<tcp|tls>.maxConnections`, for reading `connectionsOpen` against. */
  maxConnections?: number;
  /** Closed on arrival because `maxConnections` were already open. */
  connectionsRefused: number;
  /** Closed after `idleTimeoutS` without data. */
  connectionsIdleClosed: number;
  framingErrors: number;
  /** Times a connection was paused because the bus (the store) was behind. */
  pauses: number;
  /** TLS only: handshakes that failed (bad or missing client certificate, protocol errors). */
  handshakeErrors: number;
}

export function streamCounters(enabled: boolean, maxConnections?: number): StreamCounters {
  return {
    enabled,
    received: 0,
    bytes: 0,
    truncated: 0,
    connectionsTotal: 0,
    connectionsOpen: 0,
    maxConnections,
    connectionsRefused: 0,
    connectionsIdleClosed: 0,
    framingErrors: 0,
    pauses: 0,
    handshakeErrors: 0,
  };
}

/** Per-sender counters, at most `max` senders tracked one by one (spoofed UDP sources must not grow memory). */
export function sourceTable(max: number) {
  const sources = new Map<string, SourceCounters>();
  let overflowMessages = 0;
  return {
    count(address: string, bytes: number, failed: boolean, now: number, deviceId: string | undefined): void {
      let s = sources.get(address);
      if (!s) {
        if (sources.size >= max) {
          overflowMessages++;
          return;
        }
        sources.set(address, (s = { address, messages: 0, bytes: 0, parseFailures: 0, lastSeen: now }));
      }
      s.messages++;
      s.bytes += bytes;
      if (failed) s.parseFailures++;
      s.lastSeen = now;
      if (deviceId) s.deviceId = deviceId;
      else delete s.deviceId;
    },
    list: (): SourceCounters[] => [...sources.values()].map((s) => ({ ...s })).sort((a, b) => b.messages - a.messages),
    get overflowMessages() {
      return overflowMessages;
    },
  };
}
