/**
 * Server-Sent Event streams, opened one way by every SSE route: caps per principal and in all (`http.sse`), the
 * headers, a keep-alive ping, and the slot given back when the client goes. Each open stream holds a socket and a bus
 * subscription with its own queue, so without a cap a few clients could hold memory without bound.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../model/errors.ts';
import type { BusRecord } from '../model/records.ts';
import type { ApiDeps } from './context.ts';

export interface SseLimits {
  maxPerUser: number;
  maxTotal: number;
}

export interface SseStats extends SseLimits {
  /** Streams open now. */
  open: number;
  /** Streams opened since start. */
  opened: number;
  /** Answered 429 because the caller already held `maxPerUser`. */
  refusedPerUser: number;
  /** Answered 429 because `maxTotal` streams were open. */
  refusedTotal: number;
}

export interface SseLimiter {
  /** Takes a slot for `principal` or throws VIGIL_TOO_MANY_REQUESTS; call the returned function (once) to give it back. */
  acquire(principal: string): () => void;
  stats(): SseStats;
}

/**
 * @example
 * const release = createSseLimiter({ maxPerUser: 10, maxTotal: 200 }).acquire('user:42'); … release();
 */
export function createSseLimiter(limits: SseLimits): SseLimiter {
  const perPrincipal = new Map<string, number>();
  const counters = { open: 0, opened: 0, refusedPerUser: 0, refusedTotal: 0 };
  return {
    acquire(principal) {
      const held = perPrincipal.get(principal) ?? 0;
      if (held >= limits.maxPerUser) {
        counters.refusedPerUser++;
        throw new VigilError(
          'VIGIL_TOO_MANY_REQUESTS',
          `too many open event streams: you already hold ${held} (http.sse.maxPerUser); close one (another tab or program) and retry`,
        );
      }
      if (counters.open >= limits.maxTotal) {
        counters.refusedTotal++;
        throw new VigilError(
          'VIGIL_TOO_MANY_REQUESTS',
          `too many open event streams on this server: ${counters.open} (http.sse.maxTotal); retry later`,
        );
      }
      perPrincipal.set(principal, held + 1);
      counters.open++;
      counters.opened++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        counters.open--;
        const left = (perPrincipal.get(principal) ?? 1) - 1;
        if (left > 0) perPrincipal.set(principal, left);
        else perPrincipal.delete(principal);
      };
    },
    stats: () => ({ ...limits, ...counters }),
  };
}

// One limiter per API instance: every route module of a buildApi() gets the same deps object, so the routes and
// /stats/runtime share the counts without a module-wide global (tests build several APIs in one process).
const limiters = new WeakMap<ApiDeps, SseLimiter>();

/** The limiter of this API, made from `http.sse` on first use. */
export function sseLimiterOf(deps: ApiDeps): SseLimiter {
  let l = limiters.get(deps);
  if (!l) limiters.set(deps, (l = createSseLimiter(deps.config.http.sse)));
  return l;
}

/** Whose slot a stream takes: the user behind a session or token, else the token itself. */
function principalKey(req: FastifyRequest): string {
  const p = req.principal;
  if (p?.userId) return `user:${p.userId}`;
  if (p?.tokenId) return `token:${p.tokenId}`;
  return `name:${p?.name ?? 'anonymous'}`;
}

export interface SseStream {
  res: ServerResponse;
  /** Runs `fn` once when the client goes (or the server closes the stream). */
  onClose(fn: () => void): void;
}

const PING_MS = 15_000;

/**
 * Opens an SSE stream on this request, or throws VIGIL_TOO_MANY_REQUESTS (429) over a cap. Validate the request first:
 * once this returns, the reply is hijacked and errors can no longer be sent as JSON.
 * @example
 * const { res, onClose } = openSseStream(req, reply, deps, 'vigil events');
 * const sub = deps.bus.subscribe(…, (batch) => res.write(…), …);
 * onClose(() => sub.unsubscribe());
 */
export function openSseStream(req: FastifyRequest, reply: FastifyReply, deps: ApiDeps, comment: string): SseStream {
  const release = sseLimiterOf(deps).acquire(principalKey(req));
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const closers: (() => void)[] = [];
  let closed = false;
  const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
  ping.unref?.();
  // The response's 'close' comes when the connection ends, whoever ends it.
  res.once('close', () => {
    closed = true;
    clearInterval(ping);
    release();
    for (const fn of closers.splice(0)) fn();
  });
  // HEAD has no body, and Node sends the headers only with the first body byte: answer the headers and end.
  if (req.method === 'HEAD') res.end();
  else res.write(`: ${comment}\n\n`);
  return { res, onClose: (fn) => (closed ? fn() : void closers.push(fn)) };
}

export interface RelayOptions<R extends BusRecord> {
  /** Names the bus subscription (`sse-<name>-<random>`). */
  name: string;
  kind: R['kind'];
  /** Queue length of this client's subscription. */
  capacity: number;
  /** Whether this client wants the record (its filters). */
  matches(record: R): boolean;
  /** The SSE frame for a record. */
  frame(record: R): string;
  /** Precede the next frame sent with `event: dropped` and how many matching records the client missed meanwhile. */
  reportDropped?: boolean;
}

/**
 * Relays one kind of bus record to an open stream until the client goes. The handler never waits: a record the
 * client's socket cannot take now is dropped for that client alone, so a slow client never holds the bus back.
 * @example
 * relayBusRecords(deps, openSseStream(req, reply, deps, 'vigil logs'), { name: 'logs', kind: 'log', capacity: 100_000, matches, frame: (l) => `event: log\ndata: ${JSON.stringify(l)}\n\n` });
 */
export function relayBusRecords<R extends BusRecord>(deps: ApiDeps, stream: SseStream, o: RelayOptions<R>): void {
  const { res } = stream;
  let dropped = 0;
  const sub = deps.bus.subscribe(
    `sse-${o.name}-${Math.random().toString(36).slice(2)}`,
    (batch) => {
      for (const r of batch as R[]) {
        if (!o.matches(r)) continue;
        if (res.writableNeedDrain) {
          dropped++;
          continue;
        }
        if (dropped && o.reportDropped) res.write(`event: dropped\ndata: ${JSON.stringify({ dropped })}\n\n`);
        dropped = 0;
        res.write(o.frame(r));
      }
    },
    { kinds: [o.kind], capacity: o.capacity },
  );
  stream.onClose(() => sub.unsubscribe());
}
