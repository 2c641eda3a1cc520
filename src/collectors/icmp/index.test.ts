import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIcmpCollector } from './index.ts';
import { icmpConfigSchema } from './config.ts';
import { manualClock } from '../../model/clock.ts';
import { silentLogger } from '../../model/logger.ts';
import { createMemoryBus } from '../../bus/memory.ts';
import type { Device } from '../../model/device.ts';
import type { BusRecord, DeviceState, Sample } from '../../model/records.ts';

const device = (id: string, address: string, enabled = true): Device => ({
  id,
  name: id,
  address,
  tags: [],
  icmp: { enabled },
  pollIntervalS: 60,
  origin: 'config',
});

test('icmp collector: one fping run for all enabled devices, samples and down after downAfter cycles', async () => {
  const devices = [
    device('a', '127.0.0.1'),
    device('b', '10.9.9.9'),
    device('c', '127.0.0.1'),
    device('off', '127.0.0.9', false),
  ];
  const calls: string[][] = [];
  let reply = '127.0.0.1 : 0.10 0.20 0.40\n10.9.9.9  : - - -\n';
  const runner = async (_path: string, args: string[]) => {
    calls.push(args);
    return reply;
  };
  const ctx = {
    bus: createMemoryBus(),
    clock: manualClock(1000),
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const collector = createIcmpCollector(ctx, icmpConfigSchema.parse({ count: 3, downAfter: 2 }), { runner });
  const got: BusRecord[] = [];
  await collector.collect((r) => {
    got.push(r);
  }, new AbortController().signal);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].slice(-2), ['127.0.0.1', '10.9.9.9']);
  const samples = (id: string) =>
    Object.fromEntries(
      got.filter((r): r is Sample => r.kind === 'sample' && r.deviceId === id).map((s) => [s.metric, s.value]),
    );
  assert.deepEqual(samples('a'), {
    'icmp.loss.pct': 0,
    'icmp.rtt.min': 0.1,
    'icmp.rtt.avg': 0.233,
    'icmp.rtt.max': 0.4,
    'icmp.jitter.ms': 0.15,
    'icmp.up': 1,
  });
  assert.deepEqual(samples('c'), samples('a'));
  assert.deepEqual(samples('b'), { 'icmp.loss.pct': 100 });
  const states = () => got.filter((r): r is DeviceState => r.kind === 'device-state');
  assert.deepEqual(
    states().map((s) => [s.deviceId, s.icmp?.up]),
    [
      ['a', true],
      ['c', true],
    ],
  );
  got.length = 0;
  reply = '127.0.0.1 : - - -\n';
  await collector.collect((r) => {
    got.push(r);
  }, new AbortController().signal);
  // b failed twice (now down; also missing from output = failed); a once (still up).
  assert.deepEqual(
    states().map((s) => [s.deviceId, s.icmp?.up, s.icmp?.lossPct]),
    [
      ['a', true, 100],
      ['c', true, 100],
      ['b', false, 100],
    ],
  );
});
