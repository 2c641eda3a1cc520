/**
 * The SNMP notification receiver: a thin UDP shell (IPv4 and IPv6) around the pure processor.
 * Decodes v1/v2c/v3 traps and informs, answers informs and engine discovery, and emits TrapRecords.
 */
import { createCipheriv } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { MibDictionary } from '../../mib/types.ts';
import { unmapIPv4 } from '../../model/address.ts';
import type { TrapRecord } from '../../model/records.ts';
import type { CollectorContext, Emit, ListeningCollector } from '../types.ts';
import type { TrapConfig } from './config.ts';
import { loadLocalEngine, type EngineStateStore } from './engine.ts';
import { createProcessor, type TrapProcessor } from './process.ts';
import { pduToTrapRecord } from './record.ts';
import { TrapCounters } from './stats.ts';
import type { UsmUser } from './usm.ts';
import { listenError } from '../../model/listen-error.ts';

export interface TrapCollectorOptions {
  /** The MIB dictionary, when loaded; used for readable log lines only (records keep numeric OIDs). */
  dictionary?: () => MibDictionary | undefined;
  /** Keeps the receiver's engine ID and boots across restarts (the store's KV). */
  engineState?: EngineStateStore;
}

export interface TrapCollector extends ListeningCollector {
  /** Bound addresses (the real port when configured with 0). */
  addresses(): { address: string; family: string; port: number }[];
  /** The engine ID informs must be sent to, hex. */
  engineId(): string | undefined;
}

function bind(type: 'udp4' | 'udp6', host: string, port: number, receiveBufferBytes: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, ipv6Only: type === 'udp6', reuseAddr: false });
    const onError = (e: NodeJS.ErrnoException) => {
      socket.close();
      reject(e);
    };
    socket.once('error', onError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onError);
      try {
        socket.setRecvBufferSize(receiveBufferBytes);
      } catch {
        /* capped by the kernel; the default still works */
      }
      resolve(socket);
    });
  });
}

/**
 * Creates the trap receiver.
 * @example const traps = createTrapCollector(ctx, config.traps, { dictionary: () => mib, engineState: store }); await traps.start(emit);
 */
export function createTrapCollector(
  ctx: CollectorContext,
  config: TrapConfig,
  opts: TrapCollectorOptions = {},
): TrapCollector {
  const counters = new TrapCounters(config.maxTrackedSources);
  const log = ctx.log.child({ collector: 'trap' });
  let sockets: Socket[] = [];
  let processor: TrapProcessor | undefined;
  let engineHex: string | undefined;
  let emitFailures = 0;
  let pending: TrapRecord[] = [];

  function onMessage(socket: Socket, emit: Emit, buf: Buffer, rinfo: RemoteInfo): void {
    const source = unmapIPv4(rinfo.address);
    counters.receivedFrom(source);
    const now = ctx.clock.now();
    const outcome = processor!.process(buf, now);
    if (outcome.kind === 'drop') {
      counters.droppedFrom(source, outcome.reason);
      if (outcome.reply)
        send(socket, outcome.reply, rinfo, () =>
          outcome.reason === 'duplicate' ? counters.informsAcknowledged++ : counters.reportsSent++,
        );
      return;
    }
    if (outcome.kind === 'reply') {
      counters.discoveries++;
      send(socket, outcome.reply, rinfo, () => counters.reportsSent++);
      return;
    }
    // UDP cannot be slowed down: when the consumers are behind, drop and count (an unanswered inform is resent).
    if (ctx.bus.saturated) {
      counters.droppedFrom(source, 'bus-saturated');
      return;
    }
    if (outcome.reply) send(socket, outcome.reply, rinfo, () => counters.informsAcknowledged++);
    const record = pduToTrapRecord(outcome.pdu, {
      receivedTs: now,
      sourceAddress: source,
      version: outcome.version,
      community: outcome.community,
      user: outcome.user,
      deviceByAddress: ctx.deviceByAddress,
    });
    counters.acceptedFrom(source);
    pending.push(record);
    if (pending.length === 1) setImmediate(() => flush(emit));
  }

  // Records go out once per event-loop turn rather than one by one, so that consumers (the store writer's
  // transactions above all) see batches of hundreds during a burst instead of batches of one.
  function flush(emit: Emit): void {
    const batch = pending;
    pending = [];
    for (const record of batch) {
      try {
        const p = emit(record);
        if (p) p.catch(onEmitError);
      } catch (e) {
        onEmitError(e);
      }
    }
  }

  function onEmitError(e: unknown): void {
    if (emitFailures++ % 1000 === 0)
      log.error({ err: (e as Error).message, failures: emitFailures }, 'trap emit failed');
  }

  function send(socket: Socket, reply: Buffer, rinfo: RemoteInfo, onSent: () => void): void {
    socket.send(reply, rinfo.port, rinfo.address, (err) => {
      if (err) log.warn({ err: err.message, to: rinfo.address }, 'trap reply not sent');
      else onSent();
    });
  }

  async function bindAll(): Promise<Socket[]> {
    const out: Socket[] = [];
    try {
      out.push(
        await bind(config.host.includes(':') ? 'udp6' : 'udp4', config.host, config.port, config.receiveBufferBytes),
      );
    } catch (e) {
      throw listenError(['traps', 'port'], config.port, e as NodeJS.ErrnoException);
    }
    const port = out[0].address().port;
    if (config.host6 && !config.host.includes(':')) {
      try {
        out.push(await bind('udp6', config.host6, port, config.receiveBufferBytes));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
          for (const s of out) s.close();
          throw listenError(['traps', 'port'], port, err);
        }
        // Hosts without IPv6 still receive IPv4 traps.
        log.warn({ host: config.host6, err: err.code ?? err.message }, 'traps: IPv6 listener not started');
      }
    }
    return out;
  }

  return {
    name: 'trap',
    async start(emit) {
      const engine = await loadLocalEngine({
        configuredId: config.engineId,
        port: config.port,
        now: ctx.clock.now(),
        kv: opts.engineState,
      });
      engineHex = engine.id.toString('hex');
      processor = createProcessor({
        communities: config.communities,
        acceptAnyCommunity: config.acceptAnyCommunity,
        users: config.users as UsmUser[],
        engine,
      });
      if (processor.needsDes) {
        try {
          createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
        } catch {
          log.warn(
            'traps: a user has privProtocol des but this Node has no DES; start Node with --openssl-legacy-provider',
          );
        }
      }
      if (!config.communities.length && !config.acceptAnyCommunity)
        log.info('traps: no communities configured: v1/v2c notifications are dropped');
      sockets = await bindAll();
      for (const s of sockets) {
        s.on('message', (buf, rinfo) => onMessage(s, emit, buf, rinfo));
        s.on('error', (e) => log.error({ err: e.message }, 'traps: socket error'));
      }
      log.info(
        { addresses: sockets.map((s) => s.address()), engineId: engineHex, users: config.users.length },
        'traps: listening',
      );
    },
    async stop() {
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
      sockets = [];
    },
    stats: () => ({ ...counters.snapshot(), emitFailures, engineId: engineHex, listening: sockets.length > 0 }),
    addresses: () => sockets.map((s) => s.address()),
    engineId: () => engineHex,
  };
}

export { pduToTrapRecord } from './record.ts';
export { trapConfigSchema, type TrapConfig } from './config.ts';
