import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMemoryBus } from '../bus/memory.ts';
import type { Device } from '../model/device.ts';
import { silentLogger } from '../model/logger.ts';
import type { TopologyRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import {
  type LinkHistoryEntry,
  type TopologyLink,
  topologyHistoryKey,
  topologySnapshotKey,
} from '../model/topology.ts';
import { openSqlite } from '../store/sqlite/async.ts';
import type { LldpNeighbour } from './lldp.ts';
import { createTopologyService } from './service.ts';
import type { TopologySnapshot } from './snapshot.ts';

const device = (id: string): Device => ({
  id,
  name: id,
  address: `192.0.2.${id.length}`,
  tags: [],
  icmp: { enabled: false },
  pollIntervalS: 60,
  origin: 'api',
});

const nb = (localPortNum: number, sysName: string, portId: string): LldpNeighbour => ({
  localPortNum,
  remIndex: localPortNum,
  chassisIdSubtype: 'local',
  chassisId: sysName,
  portIdSubtype: 'interfaceName',
  portId,
  sysName,
  capSupported: [],
  capEnabled: [],
  managementAddresses: [],
});

const snapshot = (id: string, ts: number, neighbours: LldpNeighbour[]): TopologySnapshot => ({
  deviceId: id,
  ts,
  sysName: id,
  interfaces: [1, 2, 3].map((i) => ({ ifIndex: i, ifName: `eth${i}` })),
  chassisMacs: [],
  managementAddresses: [],
  lldp: { local: { chassisIdSubtype: 'local', chassisId: id, ports: [] }, neighbours },
  cdp: [],
  fdb: [],
  arp: [],
  lags: [],
});
const record = (s: TopologySnapshot): TopologyRecord => ({
  kind: 'topology',
  deviceId: s.deviceId,
  ts: s.ts,
  snapshot: s,
});

test('a neighbour lost, back and replaced: events raised and cleared, history kept; links and parents recomputed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-topo-svc-'));
  const store = openSqlite(dir);
  try {
    const signals: (EventSignal & { clearAfterS?: number })[] = [];
    const devices = ['core', 'sw1', 'sw2'].map(device);
    const svc = createTopologyService({
      store,
      bus: createMemoryBus(),
      clock: { now: () => 5000 },
      log: silentLogger,
      devices: () => devices,
      raise: async (s) => void signals.push(s),
      lostSeverity: 'major',
      changedSeverity: 'warning',
      recomputeDelayMs: 3_600_000,
    });
    await svc.start();
    // The store writer keeps snapshots; here the test stores them as it would.
    const put = async (s: TopologySnapshot) => store.setKv(topologySnapshotKey(s.deviceId), { ts: s.ts, snapshot: s });
    const coreV1 = snapshot('core', 1000, [nb(1, 'sw1', 'eth1'), nb(2, 'sw2', 'eth1')]);
    await put(coreV1);
    await put(snapshot('sw1', 1000, [nb(1, 'core', 'eth1')]));
    await put(snapshot('sw2', 1000, [nb(1, 'core', 'eth2')]));
    await svc.process([record(coreV1)]);
    assert.equal(signals.length, 0, 'the first read is the baseline');
    const links = await svc.recompute();
    assert.equal(links.length, 2);
    assert.ok(links.every((l: TopologyLink) => l.seenFrom === 'both'));
    assert.deepEqual(Object.fromEntries(svc.parents()), { sw1: 'core', sw2: 'core' });

    await svc.process([record(snapshot('core', 2000, [nb(1, 'sw1', 'eth1')]))]);
    assert.deepEqual(
      signals.map((s) => [s.action, s.dedupKey, s.severity, s.component]),
      [['raise', 'link-lost:core:2', 'major', 'eth2']],
    );
    assert.match(signals[0].summary, /Neighbour lost on eth2 \(was sw2 eth1\)/);
    await svc.process([record(snapshot('core', 3000, [nb(1, 'sw1', 'eth1'), nb(2, 'sw2', 'eth1')]))]);
    assert.deepEqual(
      signals.slice(1).map((s) => [s.action, s.dedupKey]),
      [['clear', 'link-lost:core:2']],
    );
    await svc.process([record(snapshot('core', 4000, [nb(1, 'rogue', 'ge-0/0/0'), nb(2, 'sw2', 'eth1')]))]);
    assert.deepEqual(
      signals.slice(2).map((s) => [s.action, s.dedupKey, s.severity, s.clearAfterS]),
      [
        ['clear', 'link-lost:core:1', 'info', undefined],
        ['raise', 'link-changed:core:1', 'warning', 86_400],
      ],
    );
    const history = (await store.getKv<LinkHistoryEntry[]>(topologyHistoryKey('core'))) ?? [];
    assert.deepEqual(
      history.map((h) => [h.ts, h.change, h.port]),
      [
        [2000, 'lost', 'eth2'],
        [3000, 'appeared', 'eth2'],
        [4000, 'changed', 'eth1'],
      ],
    );
    // A device not in the inventory is ignored.
    await svc.process([record(snapshot('ghost', 1, [])), record(snapshot('ghost', 2, [nb(1, 'x', 'y')]))]);
    assert.equal(signals.length, 4);
    await svc.stop();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
