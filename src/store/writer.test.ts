import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMemoryBus } from '../bus/memory.ts';
import type { BatchHandler, Bus } from '../bus/types.ts';
import type { VigilEvent } from '../model/events.ts';
import { integer, octets, oid, seq, TAG, unsigned } from '../model/ber.ts';
import { encodeCommunityMessage, encodePdu } from '../collectors/trap/encode.ts';
import { decodeMessage, PDU } from '../collectors/trap/message.ts';
import { pduToTrapRecord } from '../collectors/trap/record.ts';
import { WIRE_VARBINDS, type BusRecord, type TrapRecord } from '../model/records.ts';
import { openSqlite } from './sqlite/async.ts';
import type { Store } from './types.ts';
import { startStoreWriter } from './writer.ts';

/** A store on disk with its own writer thread on a memory bus, closed and removed after `fn`. */
async function withWriter(
  opts: { maxBatch?: number; onBusError?: (subscriber: string, error: unknown) => void },
  fn: (t: {
    store: Store;
    bus: ReturnType<typeof createMemoryBus>;
    writer: ReturnType<typeof startStoreWriter>;
  }) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  const store = openSqlite(dir);
  const bus = createMemoryBus({ onError: opts.onBusError });
  const writer = startStoreWriter(bus, store, { ownWriter: true, maxBatch: opts.maxBatch });
  try {
    await fn({ store, bus, writer });
  } finally {
    await writer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the writer thread loses nothing while the main thread writes to the same database', async () => {
  const failures: unknown[] = [];
  await withWriter({ maxBatch: 50, onBusError: (_name, e) => failures.push(e) }, async ({ store, bus }) => {
    const devices = 200;
    for (let round = 0; round < 5; round++) {
      for (let d = 0; d < devices; d++) {
        // Device states read before they write: the case that failed at once when the main thread committed between.
        await bus.publish({
          kind: 'device-state',
          deviceId: `d${d}`,
          ts: round,
          snmp: { ok: true, version: 'v2c', system: { sysName: `n${round}` } },
        });
        await bus.publish({
          kind: 'sample',
          deviceId: `d${d}`,
          metric: 'm',
          labels: {},
          ts: round * 1000 + d,
          value: d,
        });
        if (d % 10 === 0) await store.audit({ ts: round, actor: 'test', action: 'concurrent-write' });
      }
      await store.transaction((tx) => tx.setKv(`round${round}`, round));
    }
    // Then a stretch where both threads write at once: the main thread commits while the worker is inside its batches.
    for (let d = 0; d < 5000; d++)
      void bus.publish({
        kind: 'device-state',
        deviceId: `d${d % devices}`,
        ts: 10,
        snmp: { ok: true, version: 'v2c', system: { sysName: 'n4' } },
      });
    for (let i = 0; i < 400; i++) {
      await store.setKv('tick', i);
      await new Promise((r) => setImmediate(r));
    }
    await bus.drain();
    assert.deepEqual(failures, []);
    const statuses = await store.listStatuses();
    assert.equal(statuses.length, devices);
    assert.ok(statuses.every((s) => s.system?.sysName === 'n4'));
    assert.equal((await store.latest('m')).length, devices);
  });
});

test("the event engine's write-behind on the writer thread is committed in call order", async () => {
  await withWriter({}, async ({ store, writer }) => {
    const event = (state: VigilEvent['state'], count: number): VigilEvent => ({
      kind: 'event',
      id: 'e1',
      dedupKey: 'k',
      source: 'icmp',
      deviceId: 'd1',
      severity: 'major',
      state,
      firstSeen: 1,
      lastSeen: count,
      count,
      summary: 'down',
    });
    // Not awaited one by one: the thread must still apply them in the order they were sent.
    const writes = [
      writer.writeEvents([event('open', 1)], [{ eventId: 'e1', ts: 1, actor: 'engine', action: 'opened' }]),
      writer.writeEvents(
        [event('acknowledged', 2)],
        [{ eventId: 'e1', ts: 2, actor: 'alice', action: 'acknowledged', comment: 'on it' }],
      ),
      writer.writeEvents([event('cleared', 3)], [{ eventId: 'e1', ts: 3, actor: 'engine', action: 'cleared' }]),
    ];
    await Promise.all(writes);
    assert.equal((await store.getEvent('e1'))?.state, 'cleared');
    assert.equal((await store.getEvent('e1'))?.count, 3);
    assert.deepEqual(
      (await store.eventHistory('e1')).map((h) => [h.action, h.actor]),
      [
        ['opened', 'engine'],
        ['acknowledged', 'alice'],
        ['cleared', 'engine'],
      ],
    );
  });
});

test('traps cross to the writer thread packed and are stored whole, without their community', async () => {
  await withWriter({}, async ({ store, bus }) => {
    const varbinds = [
      { oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 },
      { oid: '1.3.6.1.2.1.2.2.1.2.3', type: 'OctetString', value: 'Gi0/3' },
    ];
    await bus.publish({
      kind: 'trap',
      receivedTs: 5,
      sourceAddress: '127.0.0.9',
      agentAddress: '127.0.0.9',
      version: 'v2c',
      pduType: 'trap',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      uptimeCs: 42,
      varbinds,
      community: 'sekrit',
    });
    await bus.drain();
    const [row] = (await store.listTraps()).items;
    assert.deepEqual(row.varbinds, varbinds);
    assert.equal(row.uptimeCs, 42);
    assert.ok(!JSON.stringify(row).includes('sekrit'));
  });
});

/** A trap as the receiver makes it from a real datagram, with its varbind list kept as it arrived. */
function received(pduType: number, i: number, version: 'v1' | 'v2c' = 'v2c'): TrapRecord {
  const list = seq(
    ...(version === 'v2c'
      ? [
          seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(100 + i, TAG.TimeTicks)),
          seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid('1.3.6.1.6.3.1.1.5.3')),
        ]
      : []),
    seq(oid(`1.3.6.1.2.1.2.2.1.1.${i}`), integer(i)),
    seq(oid(`1.3.6.1.2.1.2.2.1.2.${i}`), octets(`Gi0/${i} \u00e9`)),
    seq(oid('1.3.6.1.4.1.9.9.1.0'), octets(Buffer.from([0, 1, 2, 0xff]))),
    seq(oid('1.3.6.1.2.1.31.1.1.1.6.1'), unsigned(2 ** 33, TAG.Counter64)),
  );
  const pdu =
    version === 'v1'
      ? seq(
          oid('1.3.6.1.4.1.9'),
          Buffer.from([TAG.IpAddress, 4, 127, 0, 0, 9]),
          integer(2),
          integer(0),
          unsigned(7, TAG.TimeTicks),
          list,
        ).fill(PDU.TrapV1, 0, 1)
      : encodePdu(pduType, i, list);
  const m = decodeMessage(encodeCommunityMessage(version, 'sekrit', pdu));
  if (m.version === 'v3') throw new Error('not a community message');
  return pduToTrapRecord(m.pdu, {
    receivedTs: 10 + i,
    sourceAddress: '127.0.0.9',
    version: version,
    community: m.community,
  });
}

test('traps keep their varbinds as received (BER) through the writer thread and read back as the receiver decoded them', async () => {
  await withWriter({}, async ({ store, bus }) => {
    // 70 traps: two full multi-row inserts and a remainder; informs and a v1 trap (no wire form: JSON) among them,
    // and a log in the same batch.
    const sent = Array.from({ length: 70 }, (_, i) =>
      i === 33 ? received(PDU.TrapV1, i, 'v1') : received(i % 3 ? PDU.TrapV2 : PDU.InformRequest, i),
    );
    assert.ok(sent[0][WIRE_VARBINDS] && !sent[33][WIRE_VARBINDS]);
    for (const t of sent) void bus.publish(t);
    void bus.publish({
      kind: 'log',
      receivedTs: 1,
      ts: 1,
      sourceAddress: '127.0.0.9',
      transport: 'udp',
      facility: 1,
      severity: 5,
      message: 'beside the traps',
    });
    await bus.drain();
    const rows = (await store.listTraps({ limit: 1000 })).items.sort((a, b) => a.receivedTs - b.receivedTs);
    assert.equal(rows.length, sent.length);
    rows.forEach((row, i) => {
      const t = sent[i];
      assert.deepEqual(row.varbinds, t.varbinds, `trap ${i}`);
      assert.deepEqual(
        [row.trapOid, row.uptimeCs, row.pduType, row.agentAddress, row.version],
        [t.trapOid, t.uptimeCs, t.pduType, t.agentAddress, t.version],
      );
    });
    assert.equal(rows[33].agentAddress, '127.0.0.9');
    assert.equal((await store.logStats()).count, 1);
    assert.ok(!JSON.stringify(rows).includes('sekrit'));
  });
});

test('records packed faster than the thread writes are all committed by drain, past the packed-records bound', async () => {
  await withWriter({ maxBatch: 500 }, async ({ store, bus, writer }) => {
    // 45,000 logs and traps published without waiting: more than the 20,000 packed records after which the
    // writer stops taking batches and the bus's queue holds publishers back.
    for (let i = 0; i < 45_000; i++) {
      const p =
        i % 3
          ? bus.publish({
              kind: 'log',
              receivedTs: i,
              ts: i,
              sourceAddress: '127.0.0.1',
              transport: 'tcp',
              facility: 1,
              severity: 6,
              message: `packed line ${i}`,
            })
          : bus.publish({
              kind: 'trap',
              receivedTs: i,
              sourceAddress: '127.0.0.2',
              agentAddress: '127.0.0.2',
              version: 'v2c',
              pduType: 'trap',
              trapOid: '1.3.6.1.6.3.1.1.5.3',
              varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'Integer', value: i }],
            });
      if (p) await p;
    }
    await bus.drain();
    assert.equal((await store.logStats()).count, 30_000);
    assert.equal(await store.countTraps(), 15_000);
    assert.equal(writer.pending, 0);
  });
});

test('a batch that comes with its ids (the Kafka bus) is stored once however often it is handed over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  const store = openSqlite(dir);
  let handler: BatchHandler | undefined;
  const bus = {
    subscribe: (_name: string, h: BatchHandler) => {
      handler = h;
      return { name: 'store-writer', pending: 0, unsubscribe() {} };
    },
  } as unknown as Bus;
  const writer = startStoreWriter(bus, store, { ownWriter: true });
  try {
    const logs: BusRecord[] = [1, 2, 3].map((i) => ({
      kind: 'log',
      receivedTs: i,
      ts: i,
      sourceAddress: '127.0.0.1',
      transport: 'udp',
      facility: 1,
      severity: 6,
      message: `m${i}`,
    }));
    const meta = { sources: [{ id: 'collector-a:7', start: 0, end: 3 }] };
    await handler!(logs, meta);
    await handler!(logs, meta);
    assert.equal((await store.logStats()).count, 3);
  } finally {
    await writer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
