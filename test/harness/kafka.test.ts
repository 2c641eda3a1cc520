// The Kafka harness against librdkafka's mock cluster (run by kcat): kafkajs produces and consumes in a consumer
// group with manual commits; blockPorts makes the brokers unreachable (a produce fails fast) and unblock brings them
// back (the same producer works again); stop() leaves no kcat and no iptables rule; removeStaleBlocks cleans up after
// a test process that was killed while it held a block.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { blockPorts, type KafkaMock, removeStaleBlocks, startKafkaMock } from './kafka.ts';
import { freeTcpPort } from './ports.ts';

const run = promisify(execFile);
let mock: KafkaMock | undefined;
after(() => mock?.stop());

const canBlock = process.getuid?.() === 0;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const rulesOf = async (pid: number) =>
  (await run('iptables', ['-w', '10', '-S', 'INPUT'])).stdout
    .split('\n')
    .filter((l) => l.includes(`vigil-kafka-block pid=${pid}"`));

/** Retries `fn` until it resolves or `ms` pass; returns its value. */
async function eventually<T>(what: string, fn: () => Promise<T>, ms = 15_000): Promise<T> {
  let last: unknown;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`${what}: ${(last as Error)?.message}`);
}

test('3-broker mock: group produce/consume, unreachable while blocked, back after, gone after stop', async (t) => {
  mock = await startKafkaMock({ brokers: 3 });
  const m = mock;
  assert.equal(m.brokers.length, 3);
  assert.deepEqual(
    m.brokers,
    m.ports.map((p) => `127.0.0.1:${p}`),
  );
  assert.ok(alive(m.pid), 'kcat runs');

  const kafka = new Kafka({ clientId: 'vigil-harness-test', brokers: m.brokers, logLevel: logLevel.NOTHING });
  const topic = 'harness-records';
  const producer = kafka.producer({ idempotent: false, retry: { retries: 0 } });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({
    groupId: 'harness-group',
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 500,
  });

  try {
    const sent = Array.from({ length: 10 }, (_, i) => `record-${i}`);
    // The first send creates the topic (the mock auto-creates it with 4 partitions); retried while it does.
    await eventually('first send', () =>
      producer.send({ topic, acks: -1, messages: sent.slice(0, 1).map((value) => ({ key: value, value })) }),
    );
    await producer.send({ topic, acks: -1, messages: sent.slice(1).map((value) => ({ key: value, value })) });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(meta.topics[0].partitions.length, 4);

    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: tp, partition, message }) => {
        received.push(message.value!.toString());
        await consumer.commitOffsets([{ topic: tp, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    const joined = Date.now();
    await eventually('all records consumed', async () => assert.equal(received.length, sent.length), 30_000);
    t.diagnostic(`group joined and consumed in ${Date.now() - joined} ms`);
    assert.deepEqual([...received].sort(), [...sent].sort());
    const [committed] = await admin.fetchOffsets({ groupId: 'harness-group', topics: [topic] });
    assert.equal(
      committed.partitions.reduce((n, p) => n + Number(p.offset), 0),
      sent.length,
      'the manual commits cover every record',
    );

    if (!canBlock) {
      t.diagnostic('not root: the blockPorts part is skipped');
    } else {
      const unblock = await blockPorts(m.ports);
      try {
        assert.equal((await rulesOf(process.pid)).length, 2 * m.ports.length, 'two rules per broker');
        const t0 = Date.now();
        await assert.rejects(
          producer.send({ topic, acks: -1, messages: [{ value: 'while-blocked' }] }),
          /ECONNREFUSED|ECONNRESET|Connection error|timed out/,
        );
        // How fast is a figure for docs/kafka-client.md, not an assertion: a loaded machine takes longer.
        t.diagnostic(`the send failed after ${Date.now() - t0} ms`);
      } finally {
        await unblock();
      }
      await unblock();
      assert.deepEqual(await rulesOf(process.pid), [], 'unblock removed every rule');
      await eventually('a send after unblock', () =>
        producer.send({ topic, acks: -1, messages: [{ value: 'after-unblock' }] }),
      );
      const back = Date.now();
      await eventually('the consumer gets the record sent after unblock', async () =>
        assert.ok(received.includes('after-unblock')),
      );
      t.diagnostic(`the consumer got a record sent after unblock in ${Date.now() - back} ms`);
    }
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }

  await m.stop();
  assert.equal(alive(m.pid), false, 'kcat is gone');
  await m.stop();
});

test('removeStaleBlocks deletes the rules of a test process that was killed while blocking', async (t) => {
  if (!canBlock) return t.skip('needs root for iptables');
  // Ports nothing listens on: the rules affect no other test.
  const ports = [await freeTcpPort(), await freeTcpPort()];
  const harness = new URL('./kafka.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { blockPorts } = await import(${JSON.stringify(harness)});
       await blockPorts(${JSON.stringify(ports)});
       console.log('blocked');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const pid = child.pid!;
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('blocked') && resolve());
    child.once('exit', (code) => reject(new Error(`the blocking child exited with ${code}`)));
  });
  assert.equal((await rulesOf(pid)).length, 4);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  assert.equal((await rulesOf(pid)).length, 4, 'a SIGKILLed process leaves its rules');
  assert.ok((await removeStaleBlocks()) >= 4);
  assert.deepEqual(await rulesOf(pid), []);
});
