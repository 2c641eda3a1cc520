/**
 * Shared pieces of the store contract: the signature of a domain's suite, record builders, and a cursor walker.
 * Everything here goes through the public `Store` interface only, so that every backend can run it.
 */
import type { VigilEvent } from '../../model/events.ts';
import type { Device } from '../../model/device.ts';
import type { LogRecord, TrapRecord } from '../../model/records.ts';
import type { LogPage, Store } from '../types.ts';

/**
 * One domain's part of the contract. `fresh()` opens an empty store; `open(dir)` opens the store kept in `dir`
 * (a second open of the same dir sees what the first stored). Stores either gives are closed after each test.
 * Both answer with a promise: a backend across the network connects (and migrates) before it can be used.
 */
export type ContractSuite = (
  fresh: () => Promise<Store>,
  open: (dir: string) => Promise<Store>,
  tempDir: () => string,
) => void;

export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const device = (id: string, extra: Partial<Device> = {}): Device => ({
  id,
  name: id,
  address: '127.0.0.1',
  tags: ['t'],
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'api',
  ...extra,
});

/** A syslog line received at `T0 + i` seconds, message time the same. */
export const log = (i: number, over: Partial<LogRecord> = {}): LogRecord => ({
  kind: 'log',
  receivedTs: T0 + i * 1000,
  ts: T0 + i * 1000,
  sourceAddress: '10.0.0.1',
  transport: 'udp',
  facility: 1,
  severity: 6,
  message: `line ${i}`,
  ...over,
});

/** A linkDown trap received at `T0 + i` seconds, its index in the first varbind (to tell traps apart). */
export const trap = (i: number, over: Partial<TrapRecord> = {}): TrapRecord => ({
  kind: 'trap',
  receivedTs: T0 + i * 1000,
  sourceAddress: '10.0.0.1',
  agentAddress: '10.0.0.1',
  version: 'v2c',
  pduType: 'trap',
  community: 'secret-community',
  trapOid: '1.3.6.1.6.3.1.1.5.3',
  uptimeCs: 100 + i,
  varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'Integer', value: i }],
  ...over,
});

export const event = (id: string, over: Partial<VigilEvent> = {}): VigilEvent => ({
  kind: 'event',
  id,
  dedupKey: `k:${id}`,
  source: 'snmp',
  severity: 'major',
  state: 'open',
  firstSeen: T0,
  lastSeen: T0,
  count: 1,
  summary: `event ${id}`,
  ...over,
});

/** One page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Every item of a cursor-paged list, page after page until no cursor is handed back. Pages may be short (even
 * empty) while a cursor still comes back; a page never holds more than `limit`. Stops after `maxPages` so that a
 * cursor that never ends fails the test instead of hanging it.
 */
export async function walk<T>(
  page: (cursor: string | undefined) => Promise<Page<T>> | Page<T>,
  limit: number,
  maxPages = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const p = await page(cursor);
    if (p.items.length > limit) throw new Error(`a page held ${p.items.length} items, over its limit ${limit}`);
    out.push(...p.items);
    if (!p.nextCursor) return out;
    if (p.nextCursor === cursor) throw new Error('a page handed back the cursor it was given');
    cursor = p.nextCursor;
  }
  throw new Error(`no last page after ${maxPages} pages`);
}

/** A page of logs or of events as `walk` takes it. */
export const logPage = (p: LogPage) => ({ items: p.logs, nextCursor: p.nextCursor });
export const eventPage = (p: { events: VigilEvent[]; nextCursor?: string }) => ({
  items: p.events,
  nextCursor: p.nextCursor,
});

/** Sorted copy, for comparing sets whose order the contract leaves open. */
export const sorted = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
