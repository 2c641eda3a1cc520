import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSnmpCollector } from './index.ts';
import { snmpConfigSchema } from './config.ts';
import { createMemoryBus } from '../../bus/memory.ts';
import { manualClock } from '../../model/clock.ts';
import { silentLogger } from '../../model/logger.ts';
import { VigilError } from '../../model/errors.ts';
import type { Device } from '../../model/device.ts';
import type { BusRecord, DeviceState } from '../../model/records.ts';
import type { SnmpSession } from './session-types.ts';

const dev = (id: string, pollIntervalS = 60): Device => ({
  id,
  name: id,
  address: '192.0.2.1',
  tags: [],
  icmp: { enabled: false },
  pollIntervalS,
  origin: 'config',
  snmp: { version: 'v2c', community: 'c', port: 161, timeoutMs: 100, retries: 0 },
});

// A fake session: sysUpTime only, optionally slow or failing, counting concurrent use.
function fakes(opts: { slow?: Set<string>; failing?: Set<string> } = {}) {
  let active = 0;
  let maxActive = 0;
  const gates: (() => void)[] = [];
  const open = (d: Device): SnmpSession => ({
    async get(oids) {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        if (opts.slow?.has(d.id)) await new Promise<void>((r) => gates.push(r));
        else await new Promise((r) => setTimeout(r, 5));
        if (opts.failing?.has(d.id))
          throw new VigilError(
            'VIGIL_SNMP_TIMEOUT',
            `device ${d.id}: timeout (wrong community or unreachable) after 100 ms`,
          );
        return oids.map((oid) => ({
          oid,
          type: oid === '1.3.6.1.2.1.1.3.0' ? 'TimeTicks' : 'OctetString',
          value: oid === '1.3.6.1.2.1.1.3.0' ? 100 : 'x',
        }));
      } finally {
        active--;
      }
    },
    getNext: async () => [],
    walk: async () => [],
    walkLimited: async () => ({ varbinds: [], requests: 0 }),
    set: async () => [],
    close() {},
  });
  return { open, maxActive: () => maxActive, release: () => gates.splice(0).forEach((g) => g()) };
}

test('bounded concurrency, a failing device does not fail the cycle', async () => {
  const devices = Array.from({ length: 20 }, (_, i) => dev(`d${i}`));
  const f = fakes({ failing: new Set(['d3']) });
  const ctx = {
    bus: createMemoryBus(),
    clock: manualClock(0),
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const c = createSnmpCollector(ctx, snmpConfigSchema.parse({ concurrency: 4, profiles: ['system'] }), {
    openSession: f.open,
  });
  const got: BusRecord[] = [];
  await c.collect((r) => {
    got.push(r);
  }, new AbortController().signal);
  await c.idle();
  assert.ok(f.maxActive() <= 4 && f.maxActive() > 1, `max concurrent ${f.maxActive()}`);
  const states = got.filter((r): r is DeviceState => r.kind === 'device-state');
  assert.equal(states.length, 20);
  assert.equal(states.filter((s) => s.snmp?.ok).length, 19);
  assert.equal(states.find((s) => s.deviceId === 'd3')?.snmp?.errorCode, 'VIGIL_SNMP_TIMEOUT');
});

test('each device on its own interval; a poll still running when due again is skipped and counted, never stacked', async () => {
  const clock = manualClock(0);
  const devices = [dev('fast', 10), dev('slow', 10), dev('hourly', 3600)];
  const f = fakes({ slow: new Set(['slow']) });
  const ctx = {
    bus: createMemoryBus(),
    clock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const c = createSnmpCollector(ctx, snmpConfigSchema.parse({ profiles: ['system'] }), { openSession: f.open });
  const polled: string[] = [];
  const emit = (r: BusRecord) => {
    if (r.kind === 'device-state') polled.push(r.deviceId);
  };
  await c.collect(emit, new AbortController().signal); // returns at once; 'slow' hangs in its own slot
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(polled.sort(), ['fast', 'hourly'], 'the slow device holds back nobody');
  clock.advance(10_000);
  await c.collect(emit, new AbortController().signal); // fast due again; slow still running: skipped; hourly not due
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(c.stats().skipped, 1);
  assert.deepEqual(polled.sort(), ['fast', 'fast', 'hourly']);
  f.release();
  await c.idle();
  assert.deepEqual(
    polled.filter((p) => p === 'slow'),
    ['slow'],
  );
  assert.equal(c.stats().running, 0);
});

test('a device waiting for a free slot is not counted as skipped until it has waited a whole interval', async () => {
  const clock = manualClock(0);
  const devices = [dev('slow', 60), dev('queued', 60)];
  const f = fakes({ slow: new Set(['slow']) });
  const ctx = {
    bus: createMemoryBus(),
    clock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  // One slot: 'queued' waits behind 'slow'.
  const c = createSnmpCollector(ctx, snmpConfigSchema.parse({ profiles: ['system'], concurrency: 1 }), {
    openSession: f.open,
  });
  const emit = () => {};
  for (let s = 0; s < 60; s += 5) {
    await c.collect(emit, new AbortController().signal); // the scheduler's 5 s ticks within one interval
    clock.advance(5_000);
  }
  assert.equal(c.stats().skipped, 0, 'waiting in the queue within its interval is no skip');
  await c.collect(emit, new AbortController().signal); // 60 s: both due again, one still running, one still waiting
  assert.equal(c.stats().skipped, 2);
  clock.advance(5_000);
  await c.collect(emit, new AbortController().signal);
  assert.equal(c.stats().skipped, 2, 'counted once per interval, not once per tick');
  f.release();
  await c.idle();
  assert.equal(c.stats().running, 0);
});
