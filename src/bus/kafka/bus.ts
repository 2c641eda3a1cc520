/**
 * The Kafka bus: the `Bus` interface over Kafka, for collectors, processors and API nodes on several machines.
 * - `publish` hands records to the producer (producer.ts); past `maxPendingRecords` the bus is saturated and
 *   publishers wait, as with the memory bus.
 * - The store writer and the event engine subscribe as consumer groups (`<instance>.vigil-store`,
 *   `<instance>.vigil-events`): each record reaches one processor of each group; offsets are committed after the
 *   handler's work settled.
 * - Any other subscriber (the API's live streams) gets every record of its kinds from now on, through one consumer
 *   of this process's own (group `<instance>.node.<node id>`, newest first), started with the first such subscriber.
 * - `drain` resolves once what this process published is acknowledged and its groups have committed up to the end
 *   of their topics: what the API reads after it is stored (used by tests and benchmarks).
 */
import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Logger } from '../../model/logger.ts';
import { createMemoryBus } from '../memory.ts';
import type { Bus, SubscribeOptions, Subscription } from '../types.ts';
import type { KafkaConfig } from './config.ts';
import { startGroupConsumer, type GroupConsumer } from './consumer.ts';
import { VigilError } from '../../model/errors.ts';
import { compressionAvailable, registerCodecs } from './compression.ts';
import { createRecordProducer } from './producer.ts';
import { openSpool } from './spool.ts';
import { ALL_TOPICS, deadLetterTopic, topicName, topicsFor } from './topics.ts';

/** Subscribers that share work across processes, by the consumer group they form. */
const GROUPS: Record<string, string> = { 'store-writer': 'vigil-store', 'event-engine': 'vigil-events' };

const COMPRESSION: Record<KafkaConfig['compression'], CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export interface KafkaBus extends Bus {
  /** Producer and consumer counters, for /stats/runtime. */
  kafkaStats(): Record<string, unknown>;
}

export async function createKafkaBus(
  config: KafkaConfig,
  opts: {
    nodeId: string;
    log: Logger /** Where the disk buffer lives (`<dataDir>/kafka-spool`). */;
    spoolDir?: string;
  },
): Promise<KafkaBus> {
  const { log } = opts;
  registerCodecs();
  if (!compressionAvailable(config.compression))
    throw new VigilError(
      'VIGIL_CONFIG',
      `bus.kafka.compression ${config.compression}: needs Node 22.15 or later (node:zlib zstd); use gzip, snappy or lz4`,
    );
  const kafka = new Kafka({
    clientId: `vigil-${opts.nodeId}`,
    brokers: config.brokers,
    ssl: config.ssl,
    sasl: config.sasl
      ? ({ mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as never)
      : undefined,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  });
  const admin: Admin = kafka.admin();
  await admin.connect();
  const partitions = await ensureTopics(admin, config, log);
  const producer: Producer = kafka.producer({
    idempotent: config.producer.idempotent,
    maxInFlightRequests: config.producer.idempotent ? 1 : undefined,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const spool =
    config.spool.enabled && opts.spoolDir
      ? openSpool({
          dir: opts.spoolDir,
          maxBytes: config.spool.maxBytes,
          maxAgeMs: config.spool.maxAgeS * 1000,
          segmentBytes: Math.min(16 * 1024 * 1024, Math.floor(config.spool.maxBytes / 4)),
        })
      : undefined;
  const records = createRecordProducer({
    spool,
    onRelease: () => wake(),
    config,
    nodeId: opts.nodeId,
    partitions: (topic) => partitions.get(topic) ?? 1,
    send: (b) => producer.sendBatch(b),
    compression: COMPRESSION[config.compression],
    log,
  });

  /** Each group subscription; `started` once its consumer is up (what `stats()`, which is synchronous, reads). */
  const groups: {
    name: string;
    topics: string[];
    consumer: Promise<GroupConsumer>;
    started?: GroupConsumer;
    sub: { closed: boolean };
  }[] = [];
  /** Streams (any subscriber that is not a group) are fed by one consumer of this node's own. */
  const local = createMemoryBus({
    onError: (subscriber, error) => log.error({ subscriber, err: (error as Error)?.message }, 'bus consumer failed'),
  });
  let stream: Promise<GroupConsumer> | undefined;
  let streamSubscribers = 0;
  let readyWaiters: (() => void)[] = [];
  const max = config.producer.maxPendingRecords;
  const saturated = () => records.pending >= max;
  const wake = () => {
    if (saturated() || !readyWaiters.length) return;
    const w = readyWaiters;
    readyWaiters = [];
    for (const f of w) f();
  };

  const deadLetter: Parameters<typeof startGroupConsumer>[0]['deadLetter'] = async (m, from, error) => {
    await producer.send({
      topic: deadLetterTopic(config.instance),
      acks: config.producer.acks,
      messages: [
        {
          key: m.key,
          value: m.value,
          headers: {
            ...(m.headers as Record<string, string>),
            'vigil-dead-from': `${from.topic}/${from.partition}/${m.offset}`,
            'vigil-dead-reason': `${error.reason}: ${error.message}`,
          },
        },
      ],
    });
  };

  const consumerOptions = {
    kafka,
    deadLetter,
    sessionTimeoutMs: config.consumer.sessionTimeoutMs,
    heartbeatIntervalMs: config.consumer.heartbeatIntervalMs,
    maxWaitMs: config.consumer.maxWaitMs,
    log,
  };

  const bus: KafkaBus = {
    publish(record) {
      records.add(record);
      if (saturated()) return bus.whenReady();
    },
    subscribe(name, handler, o: SubscribeOptions = {}) {
      const group = GROUPS[name];
      if (!group) return streamSubscription(name, handler, o);
      const state = { closed: false };
      const topics = topicsFor(o.kinds).map((t) => topicName(config.instance, t));
      const consumer = startGroupConsumer({
        ...consumerOptions,
        groupId: `${config.instance}.${group}`,
        topics,
        kinds: o.kinds ? new Set<string>(o.kinds) : undefined,
        maxBatch: o.maxBatch ?? 1000,
        handler,
        settled: o.settled,
        onAssign: o.onAssign,
        fromBeginning: true,
      });
      consumer.catch((error: unknown) =>
        log.error({ group, err: (error as Error).message }, 'kafka: the consumer group could not start'),
      );
      const entry: (typeof groups)[number] = { name, topics, consumer, sub: state };
      groups.push(entry);
      consumer.then((c) => (entry.started = c)).catch(() => {});
      return {
        name,
        get pending() {
          // The messages its group is behind, as last seen by this member.
          return entry.started?.stats().lag ?? 0;
        },
        unsubscribe() {
          state.closed = true;
          void consumer.then((c) => c.stop()).catch(() => {});
        },
      };
    },
    get saturated() {
      return saturated();
    },
    whenReady() {
      if (!saturated()) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    async drain() {
      await records.flush();
      wake();
      for (const g of groups) {
        if (g.sub.closed) continue;
        const c = await g.consumer;
        await caughtUp(admin, c.groupId, g.topics);
      }
      await local.drain();
    },
    async close() {
      await records.close();
      for (const g of groups) await (await g.consumer.catch(() => undefined))?.stop();
      await (await stream?.catch(() => undefined))?.stop();
      await local.close();
      await producer.disconnect();
      await admin.disconnect();
    },
    stats() {
      return [
        ...groups.map((g) => {
          const s = g.started?.stats();
          return { name: g.name, pending: s?.lag ?? 0, delivered: s?.delivered ?? 0, failed: s?.failed ?? 0 };
        }),
        ...local.stats(),
      ];
    },
    kafkaStats() {
      return {
        producer: records.stats(),
        groups: Object.fromEntries(groups.flatMap((g) => (g.started ? [[g.name, g.started.stats()]] : []))),
      };
    },
  };

  function streamSubscription(name: string, handler: Parameters<Bus['subscribe']>[1], o: SubscribeOptions) {
    const sub = local.subscribe(name, handler, o);
    streamSubscribers++;
    stream ??= startGroupConsumer({
      ...consumerOptions,
      groupId: `${config.instance}.node.${opts.nodeId}`,
      topics: ALL_TOPICS.map((t) => topicName(config.instance, t)),
      maxBatch: 1000,
      // Streams never hold the bus back: a record a full local queue cannot take waits in Kafka.
      handler: async (batch) => {
        for (const r of batch) await local.publish(r);
      },
      fromBeginning: false,
    });
    stream.catch((error: unknown) =>
      log.error({ err: (error as Error).message }, 'kafka: the stream consumer could not start'),
    );
    const out: Subscription = {
      name,
      get pending() {
        return sub.pending;
      },
      unsubscribe() {
        sub.unsubscribe();
        if (--streamSubscribers === 0 && stream) {
          const s = stream;
          stream = undefined;
          void s.then((c) => c.stop()).catch(() => {});
        }
      },
    };
    return out;
  }

  return bus;
}

/**
 * Makes sure every topic exists with its partitions (creating those missing), and answers each topic's partition
 * count. A cluster that refuses topic creation (no controller named, as librdkafka's mock cluster) makes them on
 * first use instead (auto-creation); their counts are then read from the metadata.
 */
async function ensureTopics(admin: Admin, config: KafkaConfig, log: Logger): Promise<Map<string, number>> {
  const names = [...ALL_TOPICS.map((t) => topicName(config.instance, t)), deadLetterTopic(config.instance)];
  const wanted = (t: string) => {
    const short = ALL_TOPICS.find((x) => topicName(config.instance, x) === t);
    const per = short ? config.topic[short] : undefined;
    return {
      topic: t,
      numPartitions: per?.partitions ?? config.topics.partitions ?? 4,
      replicationFactor: per?.replicationFactor ?? config.topics.replicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(per?.retentionMs ?? config.topics.retentionMs) }],
    };
  };
  try {
    const existing = new Set(await admin.listTopics());
    const missing = names.filter((n) => !existing.has(n));
    if (missing.length) await admin.createTopics({ topics: missing.map(wanted), waitForLeaders: true });
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'kafka: topics could not be created; relying on auto-creation');
  }
  const out = new Map<string, number>();
  for (let attempt = 0; ; attempt++) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: names });
      for (const t of meta.topics) out.set(t.name, t.partitions.length);
      if (names.every((n) => (out.get(n) ?? 0) > 0)) return out;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves once `groupId` has committed, on every partition of `topics`, up to the end of the partition. */
async function caughtUp(admin: Admin, groupId: string, topics: string[]): Promise<void> {
  for (;;) {
    let behind = false;
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      for (const e of ends) {
        const end = Number(e.high);
        if (end > 0 && (at.get(e.partition) ?? -1) < end) behind = true;
      }
    }
    if (!behind) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
