/**
 * The Store: the one place that persists. Split by domain so that each backend file stays small;
 * `Store` is their union. Every backend passes the contract suite in `contract.ts`.
 */
import type { BatchSource } from '../bus/types.ts';
import type { EventStore, RuleStore } from '../model/event-store.ts';
import type { EventHistoryEntry, VigilEvent } from '../model/events.ts';
import type { Device } from '../model/device.ts';
import type { NotifyStore } from '../model/notify-store.ts';
import type { LogColumns } from '../model/log-columns.ts';
import type { DeviceStatus, InterfaceRow, Series, StoredLog, Tier } from '../model/stored.ts';
import type {
  BusRecord,
  DeviceState,
  InterfaceState,
  LogRecord,
  Sample,
  SnmpVersion,
  TrapRecord,
} from '../model/records.ts';
import type { TrapColumns } from './trap-columns.ts';
import type { PackedChunk } from './write-batch.ts';

/** An interface's last status and whether it was ever up: what the event engine remembers across restarts. */
export interface InterfaceStatusRow {
  deviceId: string;
  ifIndex: number;
  operStatus?: number;
  seenUp: boolean;
}

export interface DeviceStore {
  listDevices(): Device[];
  getDevice(id: string): Device | undefined;
  /** Insert or replace by id. */
  putDevice(device: Device): void;
  deleteDevice(id: string): boolean;
  /** Merges a partial state into the device's status row. */
  applyDeviceStates(states: DeviceState[]): void;
  getStatus(deviceId: string): DeviceStatus | undefined;
  listStatuses(): DeviceStatus[];
  applyInterfaceStates(states: InterfaceState[]): void;
  listInterfaces(deviceId: string): InterfaceRow[];
  /** Every interface's last operStatus and seen-up flag. */
  listInterfaceStatuses(): InterfaceStatusRow[];
  /** Oper-status changes of every device in [from, to], oldest first (dry-runs replay them). */
  interfaceChangesBetween(
    from: number,
    to: number,
    limit?: number,
  ): { deviceId: string; ifIndex: number; ts: number; from?: number; to: number }[];
  /** Oper-status changes, newest first. */
  listInterfaceChanges(
    deviceId: string,
    ifIndex?: number,
    limit?: number,
  ): { ifIndex: number; ts: number; from?: number; to: number }[];
}

export interface SeriesQuery {
  deviceId: string;
  metric: string;
  labels?: Record<string, string>;
  from: number;
  to: number;
  /** Wanted step; picks the tier (raw below 5 min, 5m below 1 h, else 1h) unless `tier` is given. */
  stepS?: number;
  tier?: Tier;
}
export interface SampleStore {
  writeSamples(samples: Sample[]): void;
  querySeries(q: SeriesQuery): Series[];
  /** Latest value of each (device, metric, labels) matching; for tables and top-N. */
  latest(
    metric: string,
    deviceId?: string,
    opts?: { top?: number },
  ): { deviceId: string; labels: Record<string, string>; ts: number; value: number }[];
  /** Builds rollups up to `now` and removes data past each tier's retention. */
  maintain(now: number, retentionDays: Record<Tier, number>): void;
}

/** Filters for stored logs; every given one must hold. */
export interface LogQuery {
  /** Full-text: words and "phrases" ANDed, `word*` prefix, `-word` excluded. */
  q?: string;
  /** Message time range, ms: from inclusive, to exclusive. */
  from?: number;
  to?: number;
  /** Hostname in the message or the sender's address. */
  host?: string;
  deviceId?: string;
  /** Severity at or above (0 emerg … 7 debug): keeps severity <= this. */
  minSeverity?: number;
  facility?: number;
  app?: string;
  cursor?: string;
  /** Page size, 1-1000 (default 100). */
  limit?: number;
}
export interface LogPage {
  /** Newest first (by arrival). */
  logs: StoredLog[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}
export interface LogRetention {
  maxAgeDays: number;
  maxBytes: number;
}
export interface LogStore {
  writeLogs(logs: LogRecord[]): void;
  /** The same, from the columns batches cross threads in (see model/log-columns.ts), indexed together. */
  writeLogColumns(batches: readonly LogColumns[]): void;
  queryLogs(q: LogQuery): LogPage;
  /** Counts per `bucketMs` of message time for the same filters, oldest bucket first. */
  logHistogram(q: LogQuery, bucketMs: number): { ts: number; count: number }[];
  /** Removes logs past the age limit, then the oldest while over the size limit. (Named apart from SampleStore.maintain.) */
  maintainLogs(now: number, retention: LogRetention): { deletedByAge: number; deletedBySize: number };
  logStats(): { count: number; bytes: number; oldestReceivedTs?: number };
}

export type Role = 'admin' | 'operator' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** The owning user, for tokens users made themselves. */
  userId?: string;
  createdTs: number;
  lastUsedTs?: number;
}

export interface TokenStore {
  /** Stores only the hash of the token. */
  createToken(token: ApiToken, hash: string): void;
  findTokenByHash(hash: string): ApiToken | undefined;
  listTokens(userId?: string): ApiToken[];
  deleteToken(id: string): boolean;
  touchToken(id: string, ts: number): void;
}

export interface AuditEntry {
  id?: number;
  ts: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  result?: string;
}
export interface AuditStore {
  audit(entry: AuditEntry): void;
  listAudit(opts?: { limit?: number; before?: number }): AuditEntry[];
}

/** A web UI account. The password hash never leaves the store except through `getPasswordHash`. */
export interface User {
  id: string;
  name: string;
  role: Role;
  /** UI language ('en', 'ko'); absent means "from the browser". */
  locale?: string;
  theme?: 'light' | 'dark';
  /** A disabled user cannot sign in, and their sessions and tokens are gone. */
  disabled?: boolean;
  createdTs: number;
  updatedTs: number;
  lastLoginTs?: number;
}
/** A login session; `hash` is the SHA-256 of the cookie value. */
export interface SessionRow {
  hash: string;
  userId: string;
  createdTs: number;
  expiresTs: number;
  lastSeenTs: number;
  address?: string;
}
export interface UserStore {
  countUsers(): number;
  listUsers(): User[];
  getUser(id: string): User | undefined;
  /** Case-insensitive. */
  getUserByName(name: string): User | undefined;
  getPasswordHash(id: string): string | undefined;
  createUser(user: User, passwordHash: string): void;
  updateUser(id: string, patch: Partial<Omit<User, 'id' | 'createdTs'>>, passwordHash?: string): boolean;
  /** Also removes the user's sessions and API tokens. */
  deleteUser(id: string): boolean;
  createSession(s: SessionRow): void;
  getSession(hash: string): SessionRow | undefined;
  touchSession(hash: string, ts: number, expiresTs: number): void;
  deleteSession(hash: string): boolean;
  /** Ends the user's sessions, but the one whose hash is `exceptHash`. */
  deleteUserSessions(userId: string, exceptHash?: string): number;
  purgeSessions(now: number): number;
}

/** One stored trap: the TrapRecord without its community (a secret), with its row id. */
export interface TrapRow extends Omit<TrapRecord, 'kind' | 'community'> {
  id: number;
}
export interface TrapQuery {
  from?: number;
  to?: number;
  deviceId?: string;
  /** UDP source or agent address. */
  source?: string;
  /** Numeric trap OID; also matches OIDs below it. */
  trapOid?: string;
  version?: SnmpVersion;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}
export interface TrapPage {
  items: TrapRow[];
  nextCursor?: string;
}
export interface TrapStore {
  writeTraps(traps: TrapRecord[]): void;
  /** The same, from a batch packed into columns (how traps cross to the writer thread). */
  writeTrapColumns(traps: TrapColumns): void;
  /** Newest first. */
  listTraps(q?: TrapQuery): TrapPage;
  countTraps(): number;
  /** Removes traps received before `before`; returns how many. */
  pruneTraps(before: number): number;
}

/** Generic key/value settings (UI layout, dictionary cache metadata, …). */
export interface KvStore {
  getKv<T = unknown>(key: string): T | undefined;
  setKv(key: string, value: unknown): void;
  /** Every key starting with `prefix` (taken literally), with its value, by key. */
  listKv(prefix: string): { key: string; value: unknown }[];
}

/**
 * The synchronous face of a backend that runs in the caller's thread (SQLite through better-sqlite3): what its
 * repositories implement and what its writer thread calls. Everything else uses `Store`.
 */
/**
 * Which bus batches are stored, by the id their producer gave them (a Kafka message's batch id): so that a batch
 * delivered again (a consumer replaying from its last committed offset, a producer's retry) is stored once.
 */
export interface IngestStore {
  /** Notes the ids not noted before (at `ts`) and answers those; the others were stored already. */
  claimBatches(ids: readonly string[], ts: number): string[];
  /** Forgets the ids noted before `before` (older than any batch the bus could still deliver again). */
  pruneBatches(before: number): number;
}

export interface SyncStore
  extends TrapStore,
    DeviceStore,
    SampleStore,
    TokenStore,
    AuditStore,
    KvStore,
    UserStore,
    EventStore,
    RuleStore,
    NotifyStore,
    LogStore,
    IngestStore {
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** The same methods, answering with promises: how a store is used across the network (PostgreSQL) and in-process alike. */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K];
};

/** Where the store writer sends bus records packed for another thread, and event write-behind: see `openWriter`. */
export interface BatchWriter {
  /** Writes it takes in flight at once (default 1). Records of kinds whose order matters are written in order. */
  readonly concurrency?: number;
  /** Writes packed chunks in one transaction; `transfer` holds their buffers (moved, not copied, to a thread). */
  write(chunks: PackedChunk[], transfer: ArrayBuffer[]): Promise<void>;
  /** Stores event states and history in one transaction, in call order with `write`. */
  writeEvents(events: VigilEvent[], history: EventHistoryEntry[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Store every module uses: the domains' methods, asynchronous, whichever backend is behind it.
 * Every backend passes the contract suite (`contract.ts`).
 */
export interface Store extends Async<Omit<SyncStore, 'getKv' | 'transaction' | 'close'>> {
  getKv<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * Runs `fn` in one transaction: every call on `tx` is part of it, and nothing else is, so `fn` must use `tx` (calls
   * on the store itself wait until it ends on SQLite, one connection; on PostgreSQL they run beside it on another).
   * A rejection rolls it back. Inside, `tx.transaction` joins it.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Bus records of every stored kind, in one transaction (the store writer's path without a `BatchWriter`). */
  writeRecords(batch: BusRecord[]): Promise<void>;
  /**
   * Bus records that came in whole batches with ids (`sources`: each batch's id and its records' range in `batch`), in
   * one transaction: the records of batches stored before are left out, so a batch delivered twice is stored once.
   */
  writeRecordsOnce(batch: BusRecord[], sources: readonly BatchSource[]): Promise<void>;
  /** Event states and history in one transaction. */
  writeEvents(events: VigilEvent[], history: EventHistoryEntry[]): Promise<void>;
  /**
   * A writer with a connection (and for SQLite on disk, a thread) of its own for the store writer's batches; undefined
   * when the backend writes them best through `writeRecords` here (SQLite in memory).
   */
  openWriter(): BatchWriter | undefined;
  close(): Promise<void>;
}
