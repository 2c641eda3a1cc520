import { z } from 'zod';
import { secret } from '../../model/secret.ts';

/** A broker address: `host:port`. */
const broker = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'host:port');

/** Kafka's topic-name characters, for the instance prefix. */
const topicPart = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" or "-"');

export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const topicSchema = z
  .object({
    /** Partitions of each topic made by Vigil (default: 2 × this machine's cores, at least 4). */
    partitions: z.number().int().min(1).max(10_000).optional(),
    replicationFactor: z.number().int().min(1).max(10).default(3),
    /** How long the brokers keep records (`retention.ms`); a day past it, processors forget batch ids. */
    retentionMs: z
      .number()
      .int()
      .min(60_000)
      .default(7 * 86_400_000),
  })
  .strict();

export const kafkaConfigSchema = z
  .object({
    /** Bootstrap brokers (env VIGIL_BUS_KAFKA_BROKERS as JSON, e.g. ["kafka1:9092"]). */
    brokers: z.array(broker).min(1),
    /** Prefix of topic and consumer-group names, so that several Vigil installations can share a cluster. */
    instance: topicPart.default('vigil'),
    topics: topicSchema.prefault({}),
    /** Per kind of record: partitions, replication, retention (`samples`, `logs`, `traps`, `device-state`, `events`). */
    topic: z
      .partialRecord(z.enum(['samples', 'logs', 'traps', 'device-state', 'events']), topicSchema.partial())
      .default({}),
    compression: z.enum(COMPRESSIONS).default('gzip'),
    producer: z
      .object({
        /** Records per Kafka message (one message per partition and kind at a time). */
        batchRecords: z.number().int().min(1).max(100_000).default(1000),
        /** How long a message waits for more records before it is sent. */
        lingerMs: z.number().int().min(0).max(10_000).default(20),
        /** Acknowledgement wanted: all in-sync replicas (-1), the leader (1). */
        acks: z.union([z.literal(-1), z.literal(1)]).default(-1),
        /** The idempotent producer (needs brokers that name a controller; librdkafka's mock cluster does not). */
        idempotent: z.boolean().default(true),
        /** Largest message sent; a bigger batch is split (the brokers' message.max.bytes is 1 MB by default). */
        maxMessageBytes: z.number().int().min(10_000).default(900_000),
        /** Records held (buffered, in flight) before publishers are made to wait. */
        maxPendingRecords: z.number().int().min(1000).default(100_000),
      })
      .strict()
      .prefault({}),
    consumer: z
      .object({
        sessionTimeoutMs: z.number().int().min(1000).default(10_000),
        heartbeatIntervalMs: z.number().int().min(100).default(1000),
        /**
         * How long a fetch waits on the broker for records. Kafka answers as soon as records come; brokers that do not
         * (librdkafka's mock cluster) hold each fetch this long, which becomes latency: kept short.
         */
        maxWaitMs: z.number().int().min(10).max(10_000).default(250),
      })
      .strict()
      .prefault({}),
    /** While the brokers are away, messages wait on disk (in `<dataDir>/kafka-spool`), within these bounds. */
    spool: z
      .object({
        enabled: z.boolean().default(true),
        maxBytes: z
          .number()
          .int()
          .min(1024 * 1024)
          .default(1024 * 1024 * 1024),
        maxAgeS: z.number().min(1).default(86_400),
      })
      .strict()
      .prefault({}),
    ssl: z.boolean().default(false),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1),
        password: secret(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

export const busConfigSchema = z
  .object({
    /** `memory`: one process (the default); `kafka`: records cross Kafka between the roles. */
    kind: z.enum(['memory', 'kafka']).default('memory'),
    kafka: kafkaConfigSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'kafka' && !b.kafka)
      ctx.addIssue({ code: 'custom', path: ['kafka'], message: 'bus kind kafka needs bus.kafka.brokers' });
  });

export type BusConfig = z.infer<typeof busConfigSchema>;
