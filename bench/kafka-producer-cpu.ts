/**
 * Collector overhead of the Kafka bus (issue 17): this process's CPU per record to publish records through the Kafka
 * bus (binary batch encoding, batching per partition, kafkajs's send to librdkafka's mock cluster on loopback,
 * acks=all) against publishing them on the memory bus to one subscriber that drops them. Records: the samples of
 * polled devices (bench/store-backends-records.ts) and syslog lines (bench/syslog-corpus.ts).
 * Run: npx tsx bench/kafka-producer-cpu.ts   (VIGIL_BENCH_N=200000)
 */
import { createKafkaBus } from '../src/bus/kafka/bus.ts';
import { kafkaConfigSchema } from '../src/bus/kafka/config.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import type { Bus } from '../src/bus/types.ts';
import { silentLogger } from '../src/model/logger.ts';
import type { BusRecord, Sample } from '../src/model/records.ts';
import { startKafkaMock } from '../test/harness/kafka.ts';
import { decodedCorpus } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 200_000);

function samples(n: number): Sample[] {
  const out: Sample[] = [];
  const ts = Date.now();
  for (let i = 0; i < n; i++)
    out.push({
      kind: 'sample',
      deviceId: `d${i % 2000}`,
      metric: i % 2 ? 'if.in.bps' : 'if.out.bps',
      labels: { ifIndex: String(i % 24) },
      ts: ts + Math.floor(i / 48_000) * 60_000,
      value: (i * 7919) % 1_000_000,
    });
  return out;
}

/** CPU microseconds of this process per record to publish `records` and have the bus done with them. */
async function cpuPerRecord(bus: Bus, records: BusRecord[]): Promise<number> {
  const before = process.cpuUsage();
  for (const r of records) {
    const p = bus.publish(r);
    if (p) await p;
  }
  await bus.drain();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / records.length;
}

const kafka = await startKafkaMock({ brokers: 3 });
try {
  const sets: [string, BusRecord[]][] = [
    ['samples', samples(N)],
    ['logs', decodedCorpus(N)],
  ];
  console.log(`publishing ${N.toLocaleString('en-US')} records, CPU of this process per record (µs)`);
  console.log('| records | memory bus | Kafka bus | Kafka ÷ memory |');
  console.log('|---|---|---|---|');
  let instance = 0;
  for (const [name, records] of sets) {
    const memory = createMemoryBus();
    memory.subscribe('sink', () => {});
    const m = await cpuPerRecord(memory, records);
    const bus = await createKafkaBus(
      kafkaConfigSchema.parse({
        brokers: kafka.brokers,
        instance: `cpu${++instance}`,
        producer: { idempotent: false },
      }),
      { nodeId: 'bench', log: silentLogger },
    );
    // Warm: metadata and connections.
    await cpuPerRecord(bus, records.slice(0, 1000));
    const k = await cpuPerRecord(bus, records);
    await bus.close();
    console.log(`| ${name} | ${m.toFixed(2)} | ${k.toFixed(2)} | ${(k / m).toFixed(1)} |`);
  }
} finally {
  await kafka.stop();
}
