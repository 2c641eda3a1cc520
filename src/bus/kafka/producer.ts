/**
 * The collector side of the Kafka bus: records are grouped by kind and partition (the device's, see topics.ts), a
 * group becomes one message (codec.ts) when it holds `batchRecords` or has waited `lingerMs`, and messages go out in
 * one send at a time, in order. Each message carries a batch id (`vigil-batch` header) that processors store it once
 * by. A send that fails (brokers away) is tried again with the same messages, ids unchanged, with a growing pause;
 * meanwhile records pile up to `maxPendingRecords`, past which the bus says it is saturated and publishers wait.
 */
import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { Logger } from '../../model/logger.ts';
import type { BusRecord } from '../../model/records.ts';
import { encodeBatch } from './codec.ts';
import type { Spool, SpoolStats } from './spool.ts';
import type { KafkaConfig } from './config.ts';
import { keyOf, partitionOf, TOPIC_OF, topicName } from './topics.ts';

export interface OutMessage {
  topic: string;
  partition: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  records: number;
}

export interface RecordProducerStats {
  /** Records waiting for a message, and in messages not yet acknowledged. */
  pending: number;
  sentRecords: number;
  sentMessages: number;
  sentBytes: number;
  /** Sends that failed and were tried again. */
  retries: number;
  /** Records too large for one message alone: logged and left out. */
  oversize: number;
  spool?: SpoolStats;
}

export interface RecordProducer {
  add(record: BusRecord): void;
  readonly pending: number;
  /** Resolves once everything added before the call is acknowledged by the brokers. */
  flush(): Promise<void>;
  stats(): RecordProducerStats;
  close(): Promise<void>;
}

/**
 * @param partitions partitions of each topic (full name), known before the first record
 * @param send the client's send of a batch of messages (kafkajs `producer.sendBatch`)
 */
export function createRecordProducer(opts: {
  config: KafkaConfig;
  nodeId: string;
  partitions: (topic: string) => number;
  send: Producer['sendBatch'];
  compression: number;
  log: Logger;
  /** Where messages wait while the brokers are away (collectors); without it they wait in memory. */
  spool?: Spool;
  /** Called whenever records stop counting as pending (sent, on disk, left out): publishers may go on. */
  onRelease?: () => void;
}): RecordProducer {
  const { config, log } = opts;
  const p = config.producer;
  // Unique per producer even for nodes that share an id by mistake: batch ids must never collide.
  const boot = randomBytes(6).toString('base64url');
  let seq = 0;
  /** Records by kind and partition, waiting to become a message. */
  const groups = new Map<string, { topic: string; partition: number; records: BusRecord[]; since: number }>();
  let ready: OutMessage[] = [];
  let pending = 0;
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> | undefined;
  let closed = false;
  /** Closing: no more sends (what is left goes to the spool). */
  let stopped = false;
  const stats = { sentRecords: 0, sentMessages: 0, sentBytes: 0, retries: 0, oversize: 0 };
  let idleWaiters: (() => void)[] = [];

  /** Encodes `records` into messages no larger than maxMessageBytes, halving the batch until they fit. */
  function encode(topic: string, partition: number, records: BusRecord[]): OutMessage[] {
    const value = encodeBatch(records);
    if (value.length > p.maxMessageBytes && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      return [...encode(topic, partition, records.slice(0, half)), ...encode(topic, partition, records.slice(half))];
    }
    if (value.length > p.maxMessageBytes) {
      stats.oversize++;
      release(1);
      log.error(
        { topic, bytes: value.length, max: p.maxMessageBytes, kind: records[0].kind },
        'kafka: a record larger than producer.maxMessageBytes on its own was left out',
      );
      return [];
    }
    const id = `${opts.nodeId}/${boot}/${(seq++).toString(36)}`;
    return [
      {
        topic,
        partition,
        key: keyOf(records[0]),
        value,
        headers: { 'vigil-batch': id, 'vigil-kind': records[0].kind },
        records: records.length,
      },
    ];
  }

  function cut(all: boolean): void {
    const now = Date.now();
    for (const [k, g] of groups) {
      if (!all && g.records.length < p.batchRecords && now - g.since < p.lingerMs) continue;
      groups.delete(k);
      ready.push(...encode(g.topic, g.partition, g.records));
    }
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      cut(false);
      void pump();
      if (groups.size) schedule();
    }, p.lingerMs);
    timer.unref?.();
  }

  const count = (ms: readonly OutMessage[]) => ms.reduce((a, m) => a + m.records, 0);
  const release = (n: number) => {
    pending -= n;
    opts.onRelease?.();
  };
  const sent = (ms: readonly OutMessage[]) => {
    for (const m of ms) {
      stats.sentRecords += m.records;
      stats.sentBytes += m.value.length;
    }
    stats.sentMessages += ms.length;
  };
  const send = (ms: readonly OutMessage[]) =>
    opts.send({ acks: p.acks, compression: opts.compression, topicMessages: byTopic(ms) });
  const failed = (error: unknown) => {
    stats.retries++;
    if (stats.retries === 1 || stats.retries % 20 === 0)
      log.warn({ err: (error as Error).message, retries: stats.retries }, 'kafka: send failed; trying again');
  };
  const idle = () => !ready.length && !groups.size && (spool?.empty ?? true);
  const spool = opts.spool;

  async function pump(): Promise<void> {
    if (sending || stopped) return;
    sending = (async () => {
      let pause = 100;
      const wait = async () => {
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 5000);
      };
      while (!stopped) {
        if (spool && !spool.empty) {
          // While older messages wait on disk, new ones queue behind them there: the order is kept.
          if (ready.length) {
            const b = ready;
            ready = [];
            spool.append(b);
            release(count(b));
          }
          const batch = spool.peek(200);
          if (!batch.length) continue;
          try {
            await send(batch);
            spool.ack(batch.length);
            sent(batch);
            pause = 100;
          } catch (error) {
            failed(error);
            await wait();
          }
          continue;
        }
        if (!ready.length) break;
        const batch = ready;
        ready = [];
        try {
          await send(batch);
          release(count(batch));
          sent(batch);
          pause = 100;
        } catch (error) {
          failed(error);
          if (spool) {
            spool.append(batch);
            release(count(batch));
          } else {
            // The same messages (same batch ids) go first next time: order and ids are kept.
            ready = [...batch, ...ready];
            await wait();
          }
        }
        // Records cut while this send was out.
        if (!ready.length) cut(false);
      }
    })().finally(() => {
      sending = undefined;
      if (idle()) {
        const w = idleWaiters;
        idleWaiters = [];
        for (const f of w) f();
      } else if (!stopped && (ready.length || !(spool?.empty ?? true))) void pump();
    });
    return sending;
  }

  /** Each kind's full topic name, made once (add runs for every record). */
  const topics: Partial<Record<BusRecord['kind'], string>> = {};

  // What an earlier run left on disk goes out as soon as the brokers take it, before anything new.
  if (spool && !spool.empty) queueMicrotask(() => void pump());

  return {
    add(record) {
      const topic = (topics[record.kind] ??= topicName(config.instance, TOPIC_OF[record.kind]));
      const partition = partitionOf(keyOf(record), opts.partitions(topic));
      const k = `${record.kind}|${partition}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { topic, partition, records: [], since: Date.now() }));
      g.records.push(record);
      pending++;
      if (g.records.length >= p.batchRecords) {
        groups.delete(k);
        ready.push(...encode(topic, partition, g.records));
        void pump();
      } else schedule();
    },
    get pending() {
      return pending;
    },
    async flush() {
      cut(true);
      if (idle() && !sending) return;
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        void pump();
      });
    },
    stats: () => ({ pending, ...stats, ...(spool ? { spool: spool.stats() } : {}) }),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      cut(true);
      if (spool) {
        // With a spool, what is not sent now waits on disk for the next start; the send under way finishes first.
        stopped = true;
        await sending;
        if (ready.length) spool.append(ready);
        ready = [];
        spool.close();
        return;
      }
      await this.flush();
    },
  };
}

function byTopic(messages: readonly OutMessage[]) {
  const out = new Map<string, { partition: number; key: string; value: Buffer; headers: Record<string, string> }[]>();
  for (const m of messages) {
    let list = out.get(m.topic);
    if (!list) out.set(m.topic, (list = []));
    list.push({ partition: m.partition, key: m.key, value: m.value, headers: m.headers });
  }
  return [...out].map(([topic, msgs]) => ({ topic, messages: msgs }));
}
