import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMemoryBus } from '../bus/memory.ts';
import { silentLogger } from '../model/logger.ts';
import type { EventSignal } from '../model/signal.ts';
import type { AccessPoint, WirelessSnapshot } from '../model/wireless.ts';
import { openSqlite } from '../store/sqlite/async.ts';
import { createWirelessService } from './service.ts';

const ap = (id: string, state: AccessPoint['state']): AccessPoint => ({
  id,
  idSource: 'baseRadioMac',
  name: `ap-${id.slice(-2)}`,
  state,
  stateRaw: state,
  radios: [],
  ssidClients: {},
});
const snap = (aps: AccessPoint[]): WirelessSnapshot => ({
  controller: {
    vendor: 'cisco',
    sourceMibs: [],
    apsTotal: aps.length,
    apsUp: aps.filter((a) => a.state === 'up').length,
    apsDown: aps.filter((a) => a.state !== 'up').length,
    clients: 0,
    clientsBySsid: {},
    clientsByApGroup: {},
  },
  aps,
});

test('AP down, AP gone from its controller, AP back, and an AP retired on purpose', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wlan-'));
  const store = openSqlite(dir);
  try {
    const signals: EventSignal[] = [];
    const svc = createWirelessService({
      store,
      bus: createMemoryBus(),
      log: silentLogger,
      raise: async (s) => void signals.push(s),
      severity: 'major',
    });
    const A = '00:11:22:33:44:01';
    const B = '00:11:22:33:44:02';
    const C = '00:11:22:33:44:03';
    const poll = (ts: number, aps: AccessPoint[]) =>
      svc.process([{ kind: 'wireless', deviceId: 'wlc', ts, snapshot: snap(aps) }]);
    await poll(1, [ap(A, 'up'), ap(B, 'up'), ap(C, 'down')]);
    assert.equal(signals.length, 0, 'the first poll is the baseline; an AP down from the start raises nothing');
    await poll(2, [ap(A, 'down'), ap(C, 'down')]);
    assert.deepEqual(
      signals.map((s) => [s.action, s.dedupKey, s.severity, s.summary]),
      [
        ['raise', `ap-down:wlc:${A}`, 'major', 'AP ap-01 down (down)'],
        ['raise', `ap-down:wlc:${B}`, 'major', 'AP ap-02 left its controller'],
      ],
    );
    await poll(3, [ap(A, 'up'), ap(C, 'up')]);
    assert.deepEqual(
      signals.slice(2).map((s) => [s.action, s.dedupKey]),
      [
        ['clear', `ap-down:wlc:${A}`],
        ['clear', `ap-down:wlc:${C}`],
      ],
    );
    // B was removed on purpose: retired, its event cleared, never raised again.
    assert.equal(await svc.retire('wlc', B, 4), true);
    assert.deepEqual(signals.at(-1) && [signals.at(-1)!.action, signals.at(-1)!.dedupKey], [
      'clear',
      `ap-down:wlc:${B}`,
    ]);
    assert.equal(await svc.retire('wlc', B, 4), false);
    const before = signals.length;
    await poll(5, [ap(A, 'up'), ap(C, 'up')]);
    await poll(6, [ap(A, 'up'), ap(B, 'up'), ap(C, 'up')]);
    assert.equal(signals.length, before, 'a retired AP coming back raises nothing either');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
