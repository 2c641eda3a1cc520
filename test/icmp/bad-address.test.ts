// A device whose address looks like an fping option (-Z) with the real fping: refused by the config schema; and when
// one reaches the collector anyway (an old stored device), it fails alone while 127.0.0.1 still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIcmpCollector, pingOnce } from '../../src/collectors/icmp/index.ts';
import { icmpConfigSchema } from '../../src/collectors/icmp/config.ts';
import { validateConfig } from '../../src/config/load.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { Device } from '../../src/model/device.ts';
import type { BusRecord, Sample } from '../../src/model/records.ts';

const config = icmpConfigSchema.parse({ count: 2, periodMs: 50, intervalMs: 1, timeoutMs: 300, downAfter: 1 });
const device = (id: string, address: string): Device => ({
  id,
  name: id,
  address,
  tags: [],
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'api',
});

test('the config refuses an address that fping would read as an option', () => {
  assert.throws(
    () =>
      validateConfig({
        devices: [
          { name: 'lo', address: '127.0.0.1' },
          { name: 'evil', address: '-Z' },
        ],
      }),
    /devices\[1\]\.address: expected an IP address or host name/,
  );
});

test('a cycle with 127.0.0.1 and -Z: 127.0.0.1 answers, -Z fails alone', async () => {
  const devices = [device('lo', '127.0.0.1'), device('evil', '-Z')];
  const ctx = {
    bus: createMemoryBus(),
    clock: systemClock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const got: BusRecord[] = [];
  await createIcmpCollector(ctx, config).collect((r) => {
    got.push(r);
  }, new AbortController().signal);
  const loss = (id: string) =>
    got.find((r): r is Sample => r.kind === 'sample' && r.deviceId === id && r.metric === 'icmp.loss.pct')?.value;
  assert.equal(loss('lo'), 0);
  assert.equal(loss('evil'), 100);

  const results = Object.fromEntries(
    (await pingOnce(['127.0.0.1', '-Z', '--version'], config)).map((r) => [r.target, r]),
  );
  assert.equal(results['127.0.0.1'].received, 2);
  assert.match(results['-Z'].error ?? '', /not an IP address or host name/);
  assert.match(results['--version'].error ?? '', /not an IP address or host name/);
});
