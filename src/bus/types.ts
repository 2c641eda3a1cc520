import type { BusRecord, RecordKind } from '../model/records.ts';

/** One whole batch as its producer sent it (a Kafka message): its id, and its records' range [start, end) in a batch. */
export interface BatchSource {
  id: string;
  start: number;
  end: number;
}

/** Where a batch came from, when the bus knows (the Kafka bus: the messages it holds, each whole). */
export interface BatchMeta {
  sources: readonly BatchSource[];
}

export type BatchHandler = (batch: BusRecord[], meta?: BatchMeta) => Promise<void> | void;

export interface SubscribeOptions {
  /** Record kinds wanted; omit for all. */
  kinds?: RecordKind[];
  /** Largest batch handed to the handler at once (default 1000). */
  maxBatch?: number;
  /** Queue length at which publishers are held back (default 50,000). */
  capacity?: number;
  /**
   * For a handler that returns before its work is done (records packed and written by another thread, so that
   * they need not be kept meanwhile): resolves when that work is. `drain` waits for it.
   */
  settled?: () => Promise<void>;
  /**
   * For a subscriber whose records are shared among processes (a Kafka consumer group): called after its share
   * changed (a rebalance), before the next batch, so that state kept per device can be taken over from the store.
   */
  onAssign?: () => Promise<void>;
}

export interface Subscription {
  readonly name: string;
  /** Records waiting for this subscriber. */
  readonly pending: number;
  unsubscribe(): void;
}

/**
 * Carries records from collectors to consumers. Implementations: memory (default), kafka (later).
 * `publish` resolves when every subscriber has room again: await it to get backpressure.
 * Collectors that cannot wait (UDP) check `saturated` and count what they drop.
 */
export interface Bus {
  publish(record: BusRecord): Promise<void> | void;
  subscribe(name: string, handler: BatchHandler, options?: SubscribeOptions): Subscription;
  /** True while some subscriber's queue is at capacity. */
  readonly saturated: boolean;
  /** Resolves once no subscriber is at capacity. */
  whenReady(): Promise<void>;
  /** Resolves when every queue is empty, no handler is running and every handler's work has settled. */
  drain(): Promise<void>;
  close(): Promise<void>;
  stats(): { name: string; pending: number; delivered: number; failed: number }[];
}
