// The ICMP collector with the real fping: several 127.0.0.x addresses answer; a host in a network
// namespace this test creates answers, then its link goes down and it is reported down after downAfter cycles.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createIcmpCollector, pingOnce } from '../../src/collectors/icmp/index.ts';
import { icmpConfigSchema } from '../../src/collectors/icmp/config.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { Device } from '../../src/model/device.ts';
import type { BusRecord, DeviceState, Sample } from '../../src/model/records.ts';
import { createVethNetns, type VethNetns } from '../harness/netns.ts';

const config = icmpConfigSchema.parse({ count: 3, periodMs: 50, intervalMs: 1, timeoutMs: 300, downAfter: 2 });
const device = (id: string, address: string): Device => ({
  id,
  name: id,
  address,
  tags: [],
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'config',
});

test('pingOnce: loopback answers, an unresolvable name is a failed target', async () => {
  const results = await pingOnce(['127.0.0.1', '127.0.0.2', 'no-such-host.invalid'], config);
  const by = Object.fromEntries(results.map((r) => [r.target, r]));
  assert.equal(by['127.0.0.1'].lossPct, 0);
  assert.equal(by['127.0.0.1'].received, 3);
  assert.ok((by['127.0.0.2'].avgMs ?? -1) >= 0);
  assert.equal(by['no-such-host.invalid'].lossPct, 100);
  assert.ok(by['no-such-host.invalid'].error);
});

let ns: VethNetns | undefined;
after(() => ns?.destroy());

test('collector: 127.0.0.x up; a namespace host goes down after downAfter failed cycles', async (t) => {
  const made = await createVethNetns();
  if ('skip' in made) return t.skip(made.skip);
  ns = made;
  const devices = [
    device('lo1', '127.0.0.1'),
    device('lo2', '127.0.0.2'),
    device('lo3', '127.0.0.3'),
    device('peer', ns.peerAddress),
  ];
  const ctx = {
    bus: createMemoryBus(),
    clock: systemClock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const collector = createIcmpCollector(ctx, config);
  const cycle = async () => {
    const got: BusRecord[] = [];
    await collector.collect((r) => {
      got.push(r);
    }, new AbortController().signal);
    return {
      state: (id: string) => got.find((r): r is DeviceState => r.kind === 'device-state' && r.deviceId === id)?.icmp,
      metric: (id: string, m: string) =>
        got.find((r): r is Sample => r.kind === 'sample' && r.deviceId === id && r.metric === m)?.value,
    };
  };
  const c1 = await cycle();
  for (const id of ['lo1', 'lo2', 'lo3', 'peer']) {
    assert.equal(c1.state(id)?.up, true, id);
    assert.equal(c1.metric(id, 'icmp.loss.pct'), 0, id);
    assert.ok((c1.metric(id, 'icmp.rtt.max') ?? -1) >= (c1.metric(id, 'icmp.rtt.min') ?? Infinity), id);
    assert.ok((c1.metric(id, 'icmp.jitter.ms') ?? -1) >= 0, id);
  }
  await ns.down();
  const c2 = await cycle();
  assert.equal(c2.metric('peer', 'icmp.loss.pct'), 100);
  assert.equal(c2.state('peer')?.up, true, 'one failed cycle is not yet down');
  const c3 = await cycle();
  assert.deepEqual(c3.state('peer'), { up: false, lossPct: 100 });
  assert.equal(c3.metric('peer', 'icmp.up'), 0);
  assert.equal(c3.state('lo3')?.up, true);
});
