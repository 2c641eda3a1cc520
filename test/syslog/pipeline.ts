/**
 * A real Vigil syslog pipeline for tests: memory bus → store writer → store (SQLite, or PostgreSQL with
 * VIGIL_TEST_STORE=postgres: test/harness/store.ts), and the collector on free loopback ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { syslogConfigSchema, type SyslogConfig } from '../../src/collectors/syslog/config.ts';
import { createSyslogCollector } from '../../src/collectors/syslog/index.ts';
import { systemClock } from '../../src/model/clock.ts';
import type { Device } from '../../src/model/device.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { startStoreWriter } from '../../src/store/writer.ts';
import type { Store } from '../../src/store/types.ts';
import { openTestStore } from '../harness/store.ts';

export interface Pipeline {
  store: Store;
  bus: ReturnType<typeof createMemoryBus>;
  collector: ReturnType<typeof createSyslogCollector>;
  /** Waits until at least `n` logs match `q` (or throws after `timeoutMs`). */
  waitForLogs(n: number, timeoutMs?: number, q?: Parameters<Store['queryLogs']>[0]): Promise<number>;
  count(q?: Parameters<Store['queryLogs']>[0]): Promise<number>;
  /** A `SELECT count(*) …` on the store's own tables, on either backend. */
  sqlCount(sql: string): Promise<number>;
  close(): Promise<void>;
}

export async function startPipeline(
  raw: Record<string, unknown> = {},
  opts: { devices?: Device[]; capacity?: number; onDisk?: boolean } = {},
): Promise<Pipeline> {
  const config: SyslogConfig = syslogConfigSchema.parse({
    udp: { host: '127.0.0.1', port: 0 },
    tcp: { host: '127.0.0.1', port: 0 },
    tls: { host: '127.0.0.1', port: 0 },
    ...raw,
  });
  const dir = opts.onDisk ? mkdtempSync(join(tmpdir(), 'vigil-syslog-')) : undefined;
  const testStore = await openTestStore(dir);
  const { store } = testStore;
  const bus = createMemoryBus();
  // On disk the writer runs in its own thread, as in `vigil start`.
  const writer = startStoreWriter(bus, store, { ownWriter: true });
  if (opts.capacity) {
    // Recreate the writer with a small queue so tests can see backpressure.
    await writer.close();
    bus.subscribe('store-writer', (batch) => store.transaction((tx) => tx.writeLogs(batch as never)), {
      kinds: ['log'],
      capacity: opts.capacity,
      maxBatch: 1000,
    });
  }
  const devices = opts.devices ?? [];
  const collector = createSyslogCollector(
    {
      bus,
      clock: systemClock,
      log: silentLogger,
      devices: () => devices,
      deviceByAddress: (a) => devices.find((d) => d.address === a),
    },
    config,
  );
  await collector.start((r) => bus.publish(r));
  const count = async (q: Parameters<Store['queryLogs']>[0] = {}) => {
    if (!q.q && Object.keys(q).length === 0) return testStore.count('SELECT COUNT(*) AS n FROM logs');
    let n = 0;
    let cursor: string | undefined;
    do {
      const p = await store.queryLogs({ ...q, limit: 1000, cursor });
      n += p.logs.length;
      cursor = p.nextCursor;
    } while (cursor);
    return n;
  };
  return {
    store,
    bus,
    collector,
    count,
    sqlCount: (sql) => testStore.count(sql),
    async waitForLogs(n, timeoutMs = 15_000, q = {}) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await bus.drain();
        const c = await count(q);
        if (c >= n) return c;
        if (Date.now() > until) throw new Error(`timed out waiting for ${n} logs; have ${c}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await collector.stop();
      await bus.drain();
      await writer.close();
      await testStore.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
