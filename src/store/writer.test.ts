import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMemoryBus } from '../bus/memory.ts';
import type { VigilEvent } from '../events/types.ts';
import { openSqliteStore } from './sqlite/index.ts';
import { startStoreWriter } from './writer.ts';

test('the writer thread loses nothing while the main thread writes to the same database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  const store = openSqliteStore(dir);
  const failures: unknown[] = [];
  const bus = createMemoryBus({ onError: (_name, e) => failures.push(e) });
  const writer = startStoreWriter(bus, store, { workerDataDir: dir, maxBatch: 50 });
  try {
    const devices = 200;
    for (let round = 0; round < 5; round++) {
      for (let d = 0; d < devices; d++) {
        // Device states read before they write: the case that failed at once when the main thread committed between.
        await bus.publish({ kind: 'device-state', deviceId: `d${d}`, ts: round, snmp: { ok: true, version: 'v2c', system: { sysName: `n${round}` } } });
        await bus.publish({ kind: 'sample', deviceId: `d${d}`, metric: 'm', labels: {}, ts: round * 1000 + d, value: d });
        if (d % 10 === 0) store.audit({ ts: round, actor: 'test', action: 'concurrent-write' });
      }
      store.transaction(() => store.setKv(`round${round}`, round));
    }
    // Then a stretch where both threads write at once: the main thread commits while the worker is inside its batches.
    for (let d = 0; d < 5000; d++) void bus.publish({ kind: 'device-state', deviceId: `d${d % devices}`, ts: 10, snmp: { ok: true, version: 'v2c', system: { sysName: 'n4' } } });
    for (let i = 0; i < 400; i++) {
      store.setKv('tick', i);
      await new Promise((r) => setImmediate(r));
    }
    await bus.drain();
    assert.deepEqual(failures, []);
    assert.equal(store.listStatuses().length, devices);
    assert.ok(store.listStatuses().every((s) => s.system?.sysName === 'n4'));
    assert.equal(store.latest('m').length, devices);
  } finally {
    await writer.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the event engine's write-behind on the writer thread is committed in call order", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-events-'));
  const store = openSqliteStore(dir);
  const writer = startStoreWriter(createMemoryBus(), store, { workerDataDir: dir });
  try {
    const event = (state: VigilEvent['state'], count: number): VigilEvent => ({ kind: 'event', id: 'e1', dedupKey: 'k', source: 'icmp', deviceId: 'd1', severity: 'major', state, firstSeen: 1, lastSeen: count, count, summary: 'down' });
    // Not awaited one by one: the thread must still apply them in the order they were sent.
    const writes = [
      writer.writeEvents([event('open', 1)], [{ eventId: 'e1', ts: 1, actor: 'engine', action: 'opened' }]),
      writer.writeEvents([event('acknowledged', 2)], [{ eventId: 'e1', ts: 2, actor: 'alice', action: 'acknowledged', comment: 'on it' }]),
      writer.writeEvents([event('cleared', 3)], [{ eventId: 'e1', ts: 3, actor: 'engine', action: 'cleared' }]),
    ];
    await Promise.all(writes);
    assert.equal(store.getEvent('e1')?.state, 'cleared');
    assert.equal(store.getEvent('e1')?.count, 3);
    assert.deepEqual(store.eventHistory('e1').map((h) => [h.action, h.actor]), [['opened', 'engine'], ['acknowledged', 'alice'], ['cleared', 'engine']]);
  } finally {
    await writer.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('traps cross to the writer thread packed and are stored whole, without their community', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-traps-'));
  const store = openSqliteStore(dir);
  const bus = createMemoryBus();
  const writer = startStoreWriter(bus, store, { workerDataDir: dir });
  try {
    const varbinds = [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 }, { oid: '1.3.6.1.2.1.2.2.1.2.3', type: 'OctetString', value: 'Gi0/3' }];
    await bus.publish({ kind: 'trap', receivedTs: 5, sourceAddress: '127.0.0.9', agentAddress: '127.0.0.9', version: 'v2c', pduType: 'trap', trapOid: '1.3.6.1.6.3.1.1.5.3', uptimeCs: 42, varbinds, community: 'sekrit' });
    await bus.drain();
    const [row] = store.listTraps().items;
    assert.deepEqual(row.varbinds, varbinds);
    assert.equal(row.uptimeCs, 42);
    assert.ok(!JSON.stringify(row).includes('sekrit'));
  } finally {
    await writer.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
