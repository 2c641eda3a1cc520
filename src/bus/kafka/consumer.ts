/**
 * The processor side of the Kafka bus: a consumer group reads the topics of the kinds a subscriber wants, decodes
 * each message (codec.ts) and hands the subscriber batches of whole messages with their batch ids (`BatchMeta`), so
 * the store writer can store each message once. Offsets are committed only after the handler's work has settled
 * (at least once); a handler that fails makes the group deliver the batch again from the last commit. A message that
 * does not decode (garbage, a future version byte) is counted, logged and copied to the dead-letter topic with where
 * it came from, and the consumer goes on.
 */
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../model/logger.ts';
import type { BusRecord } from '../../model/records.ts';
import type { BatchHandler, BatchSource } from '../types.ts';
import { CodecError, decodeBatch } from './codec.ts';

export interface GroupConsumerStats {
  delivered: number;
  failed: number;
  deadLettered: number;
  /** Messages behind the newest, summed over the partitions this member read last. */
  lag: number;
}

export interface GroupConsumer {
  readonly groupId: string;
  stats(): GroupConsumerStats;
  stop(): Promise<void>;
}

export interface GroupConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Kinds wanted (a topic may carry several); all when undefined. */
  kinds?: ReadonlySet<string>;
  maxBatch: number;
  handler: BatchHandler;
  settled?: () => Promise<void>;
  /** Called after a rebalance, before the next batch (see SubscribeOptions.onAssign). */
  onAssign?: () => Promise<void>;
  /** Copies an undecodable message to the dead-letter topic. */
  deadLetter(message: KafkaMessage, from: { topic: string; partition: number }, error: CodecError): Promise<void>;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxWaitMs: number;
  /** Where a group without committed offsets starts: the oldest record kept (processors) or the newest (streams). */
  fromBeginning: boolean;
  log: Logger;
}

const header = (m: KafkaMessage, name: string) => {
  const v = m.headers?.[name];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString() : String(v);
};

export async function startGroupConsumer(o: GroupConsumerOptions): Promise<GroupConsumer> {
  let stopping = false;
  const make = (): Consumer =>
    o.kafka.consumer({
      // After a crash (brokers away) kafkajs starts the consumer again, unless it is being stopped: a restart
      // scheduled just before `stop` would otherwise keep it (and the process) alive.
      retry: { restartOnFailure: async () => !stopping },
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      maxWaitTimeInMs: o.maxWaitMs,
      // A rebalance waits for members' current batch at most this long (kafkajs: rebalanceTimeout).
      rebalanceTimeout: Math.max(o.sessionTimeoutMs, 30_000),
    });
  let consumer = make();
  const stats: GroupConsumerStats = { delivered: 0, failed: 0, deadLettered: 0, lag: 0 };
  const lagByPartition = new Map<string, number>();

  async function deliver(records: BusRecord[], sources: BatchSource[]): Promise<void> {
    if (!sources.length) return;
    try {
      await o.handler(records, { sources });
      await o.settled?.();
      stats.delivered += records.length;
    } catch (error) {
      stats.failed += records.length;
      o.log.error({ group: o.groupId, err: (error as Error).message }, 'kafka: a batch failed; it will come again');
      throw error;
    }
  }

  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (assigned) {
      assigned = false;
      await o.onAssign?.();
    }
    let records: BusRecord[] = [];
    let sources: BatchSource[] = [];
    let upTo: string | undefined;
    const commit = async () => {
      await deliver(records, sources);
      if (upTo !== undefined) {
        p.resolveOffset(upTo);
        await p.commitOffsetsIfNecessary({
          topics: [
            { topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(upTo) + 1n) }] },
          ],
        });
      }
      await p.heartbeat();
      records = [];
      sources = [];
      upTo = undefined;
    };
    for (const m of batch.messages) {
      if (!p.isRunning() || p.isStale()) return;
      let decoded: BusRecord[];
      try {
        decoded = m.value ? decodeBatch(m.value) : [];
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        stats.deadLettered++;
        o.log.warn(
          { topic: batch.topic, partition: batch.partition, offset: m.offset, reason: error.reason },
          'kafka: a message that does not decode went to the dead-letter topic',
        );
        await o.deadLetter(m, { topic: batch.topic, partition: batch.partition }, error);
        decoded = [];
      }
      const wanted = o.kinds ? decoded.filter((r) => o.kinds!.has(r.kind)) : decoded;
      const id = header(m, 'vigil-batch') ?? `${batch.topic}/${batch.partition}/${m.offset}`;
      if (wanted.length) {
        sources.push({ id, start: records.length, end: records.length + wanted.length });
        for (const r of wanted) records.push(r);
      }
      upTo = m.offset;
      if (records.length >= o.maxBatch) await commit();
    }
    await commit();
    lagByPartition.set(`${batch.topic}/${batch.partition}`, Number(batch.offsetLag()));
    stats.lag = [...lagByPartition.values()].reduce((a, b) => a + b, 0);
  }

  // A join is a new share of the partitions: what was kept for others' devices is taken over before the next batch.
  let assigned = false;
  let restarts = 0;
  async function run(c: Consumer): Promise<void> {
    c.on(c.events.GROUP_JOIN, () => {
      assigned = true;
    });
    c.on(c.events.CRASH, (e) => {
      o.log.warn(
        { group: o.groupId, err: e.payload.error.message, restart: e.payload.restart },
        'kafka: consumer crashed',
      );
      // kafkajs gives up on errors it takes for permanent (a join refused with INVALID_REQUEST when two members'
      // SyncGroups race, as librdkafka's mock cluster does): this member would be gone for good. A new consumer
      // joins again in its place.
      if (e.payload.restart || stopping) return;
      const pause = Math.min(1000 * 2 ** restarts++, 30_000);
      setTimeout(() => {
        if (stopping) return;
        void c
          .disconnect()
          .catch(() => {})
          .then(async () => {
            if (stopping) return;
            consumer = make();
            await run(consumer);
          })
          .catch((error: unknown) =>
            o.log.error({ group: o.groupId, err: (error as Error).message }, 'kafka: the consumer could not rejoin'),
          );
      }, pause).unref();
    });
    await c.connect();
    await c.subscribe({ topics: o.topics, fromBeginning: o.fromBeginning });
    await c.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
  }
  await run(consumer);
  return {
    groupId: o.groupId,
    stats: () => ({ ...stats }),
    async stop() {
      stopping = true;
      await consumer.disconnect();
    },
  };
}
