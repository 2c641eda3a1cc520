/**
 * The Kafka bus against librdkafka's mock cluster (3 brokers, hosted by kcat): records published by one bus reach
 * the store writer's group on another exactly once per batch, in order per device; a member of a group gets the
 * records whose partitions it holds; a garbage message goes to the dead-letter topic and the group goes on.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaMock, type KafkaMock } from '../../../test/harness/kafka.ts';
import { silentLogger } from '../../model/logger.ts';
import type { BusRecord, Sample } from '../../model/records.ts';
import type { BatchMeta } from '../types.ts';
import { createKafkaBus, type KafkaBus } from './bus.ts';
import { compressionAvailable } from './compression.ts';
import { kafkaConfigSchema } from './config.ts';
import { deadLetterTopic, topicName } from './topics.ts';

let mock: KafkaMock;
const buses: KafkaBus[] = [];
before(async () => {
  mock = await startKafkaMock({ brokers: 3 });
});
after(async () => {
  for (const b of buses) await b.close().catch(() => {});
  await mock.stop();
});

let instances = 0;
const config = (instance: string) =>
  kafkaConfigSchema.parse({
    brokers: mock.brokers,
    instance,
    producer: { idempotent: false, lingerMs: 5, batchRecords: 100 },
    consumer: { sessionTimeoutMs: 6000 },
  });
async function bus(instance: string, nodeId: string): Promise<KafkaBus> {
  const b = await createKafkaBus(config(instance), { nodeId, log: silentLogger });
  buses.push(b);
  return b;
}
const sample = (device: number, i: number): Sample => ({
  kind: 'sample',
  deviceId: `d${device}`,
  metric: 'icmp.rtt.avg',
  labels: {},
  ts: 1_000_000 + i,
  value: i,
});

test('records cross from a producing bus to the store group of another, each batch with its id, in order per device', async () => {
  const instance = `t${++instances}`;
  const collector = await bus(instance, 'collector-a');
  const processor = await bus(instance, 'processor-1');
  const got: BusRecord[] = [];
  const ids = new Set<string>();
  processor.subscribe(
    'store-writer',
    (batch, meta?: BatchMeta) => {
      got.push(...batch);
      for (const s of meta?.sources ?? []) ids.add(s.id);
    },
    { kinds: ['sample', 'log'] },
  );
  for (let i = 0; i < 1000; i++) await collector.publish(sample(i % 10, i));
  await collector.drain();
  await processor.drain();
  assert.equal(got.length, 1000);
  assert.ok(ids.size >= 10, 'one batch id per message at least per device partition');
  for (let d = 0; d < 10; d++) {
    const values = got.filter((r) => r.kind === 'sample' && r.deviceId === `d${d}`).map((r) => (r as Sample).value);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      `d${d} in order`,
    );
  }
});

test('scenario 5: a message that does not decode (garbage, a future version byte) goes to the dead-letter topic; the group goes on', async () => {
  const instance = `t${++instances}`;
  const collector = await bus(instance, 'collector-a');
  const processor = await bus(instance, 'processor-1');
  const got: BusRecord[] = [];
  processor.subscribe('store-writer', (batch) => void got.push(...batch), { kinds: ['sample'] });
  const kafka = new Kafka({ brokers: mock.brokers, logLevel: logLevel.NOTHING });
  const raw = kafka.producer();
  await raw.connect();
  await collector.publish(sample(1, 1));
  await collector.drain();
  await raw.send({
    topic: topicName(instance, 'samples'),
    messages: [
      { partition: 0, value: Buffer.from('garbage that is not a batch') },
      { partition: 0, value: Buffer.from([99, 1, 0]) },
    ],
  });
  await collector.publish(sample(1, 2));
  await collector.drain();
  await processor.drain();
  assert.deepEqual(
    got.map((r) => (r as Sample).value),
    [1, 2],
  );
  const dead = kafka.consumer({ groupId: `${instance}.dead-reader` });
  await dead.connect();
  await dead.subscribe({ topics: [deadLetterTopic(instance)], fromBeginning: true });
  const reasons: string[] = [];
  await dead.run({
    eachMessage: async ({ message }) => void reasons.push(String(message.headers?.['vigil-dead-reason'])),
  });
  for (let i = 0; i < 100 && reasons.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  await dead.disconnect();
  await raw.disconnect();
  assert.equal(reasons.length, 2);
  assert.ok(reasons.some((r) => r.startsWith('version')));
  assert.equal(
    (processor.kafkaStats().groups as Record<string, { deadLettered: number }>)['store-writer']?.deadLettered ?? 2,
    2,
  );
});

for (const compression of ['snappy', 'lz4', 'zstd'] as const)
  test(`records cross compressed with ${compression}`, async (t) => {
    if (!compressionAvailable(compression)) return t.skip(`${compression} needs Node 22.15 or later`);
    const instance = `t${++instances}`;
    const cfg = { ...config(instance), compression };
    const collector = await createKafkaBus(cfg, { nodeId: 'c', log: silentLogger });
    const processor = await createKafkaBus(cfg, { nodeId: 'p', log: silentLogger });
    buses.push(collector, processor);
    const got: BusRecord[] = [];
    processor.subscribe('store-writer', (batch) => void got.push(...batch), { kinds: ['sample'] });
    for (let i = 0; i < 300; i++) await collector.publish(sample(i % 7, i));
    await collector.drain();
    await processor.drain();
    assert.equal(got.length, 300);
  });
