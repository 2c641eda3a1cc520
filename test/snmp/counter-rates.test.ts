// Counter rates end to end: snmpsimd serves a recording the test rewrites between polls, with counters
// that advance by known amounts, a 32-bit wrap, an agent restart and a counter discontinuity.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { createSnmpCollector } from '../../src/collectors/snmp/index.ts';
import { snmpConfigSchema } from '../../src/collectors/snmp/config.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { manualClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { Device } from '../../src/model/device.ts';
import type { BusRecord, DeviceState, InterfaceState, Sample } from '../../src/model/records.ts';

interface Step {
  uptimeCs: number;
  in32: number;
  out32: number;
  inErrors: number;
  oper1: number;
  hcIn: bigint;
  hcOut: bigint;
  disc2: number;
}

function recording(s: Step): string {
  const lines = [
    '1.3.6.1.2.1.1.1.0|4|Vigil counter test agent',
    '1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10',
    `1.3.6.1.2.1.1.3.0|67|${s.uptimeCs}`,
    '1.3.6.1.2.1.1.5.0|4|rates',
    '1.3.6.1.2.1.2.2.1.1.1|2|1',
    '1.3.6.1.2.1.2.2.1.1.2|2|2',
    '1.3.6.1.2.1.2.2.1.2.1|4|eth32',
    '1.3.6.1.2.1.2.2.1.2.2|4|eth64',
    '1.3.6.1.2.1.2.2.1.3.1|2|6',
    '1.3.6.1.2.1.2.2.1.3.2|2|6',
    '1.3.6.1.2.1.2.2.1.5.1|66|100000000',
    '1.3.6.1.2.1.2.2.1.5.2|66|4294967295',
    '1.3.6.1.2.1.2.2.1.7.1|2|1',
    '1.3.6.1.2.1.2.2.1.7.2|2|1',
    `1.3.6.1.2.1.2.2.1.8.1|2|${s.oper1}`,
    '1.3.6.1.2.1.2.2.1.8.2|2|1',
    `1.3.6.1.2.1.2.2.1.10.1|65|${s.in32}`,
    '1.3.6.1.2.1.2.2.1.10.2|65|7',
    `1.3.6.1.2.1.2.2.1.14.1|65|${s.inErrors}`,
    '1.3.6.1.2.1.2.2.1.14.2|65|0',
    `1.3.6.1.2.1.2.2.1.16.1|65|${s.out32}`,
    '1.3.6.1.2.1.2.2.1.16.2|65|9',
    '1.3.6.1.2.1.31.1.1.1.1.1|4|eth32',
    '1.3.6.1.2.1.31.1.1.1.1.2|4|eth64',
    `1.3.6.1.2.1.31.1.1.1.6.2|70|${s.hcIn}`,
    `1.3.6.1.2.1.31.1.1.1.10.2|70|${s.hcOut}`,
    '1.3.6.1.2.1.31.1.1.1.15.1|66|100',
    '1.3.6.1.2.1.31.1.1.1.15.2|66|10000',
    '1.3.6.1.2.1.31.1.1.1.19.1|67|0',
    `1.3.6.1.2.1.31.1.1.1.19.2|67|${s.disc2}`,
  ];
  return lines.join('\n') + '\n';
}

const T32 = 2 ** 32;
// Each step is 60 s of agent uptime after the previous one, except the restart (uptime goes back).
const steps: Step[] = [
  {
    uptimeCs: 100_000,
    in32: 4_294_000_000,
    out32: 10,
    inErrors: 0,
    oper1: 1,
    hcIn: 1_000_000_000_000n,
    hcOut: 5n,
    disc2: 0,
  },
  {
    uptimeCs: 106_000,
    in32: 4_294_600_000,
    out32: 10 + 60,
    inErrors: 120,
    oper1: 1,
    hcIn: 1_007_500_000_000n,
    hcOut: 5n + 750_000n,
    disc2: 0,
  },
  {
    uptimeCs: 112_000,
    in32: 4_294_600_000 + 1_200_000 - T32,
    out32: 70,
    inErrors: 120,
    oper1: 2,
    hcIn: 1_022_500_000_000n,
    hcOut: 750_005n,
    disc2: 0,
  }, // 32-bit wrap
  { uptimeCs: 3_000, in32: 5_000, out32: 1, inErrors: 0, oper1: 2, hcIn: 2_000n, hcOut: 1n, disc2: 0 }, // restart
  { uptimeCs: 9_000, in32: 305_000, out32: 1, inErrors: 0, oper1: 2, hcIn: 750_002_000n, hcOut: 1n, disc2: 8_000 }, // eth64 discontinuity
  { uptimeCs: 15_000, in32: 365_000, out32: 1, inErrors: 0, oper1: 2, hcIn: 825_002_000n, hcOut: 1n, disc2: 8_000 },
];

// Expected in bits/s per poll (undefined = a gap), from the deltas above over 60 s.
const expected: { eth32?: number; eth64?: number }[] = [
  {},
  { eth32: (600_000 * 8) / 60, eth64: (7_500_000_000 * 8) / 60 },
  { eth32: (1_200_000 * 8) / 60, eth64: (15_000_000_000 * 8) / 60 },
  {},
  { eth32: (300_000 * 8) / 60 },
  { eth32: (60_000 * 8) / 60, eth64: (75_000_000 * 8) / 60 },
];

let dir: string;
let sim: RunningSnmpsim;
const file = () => join(dir, 'rates.snmprec');
let version = 0;
function serve(step: Step) {
  writeFileSync(file(), recording(step));
  // snmpsimd re-indexes a recording whose mtime moved: make sure it moves even within one second.
  const t = Date.now() / 1000 + ++version * 10;
  utimesSync(file(), t, t);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rates-'));
  chmodSync(dir, 0o755);
  serve(steps[0]);
  sim = await startSnmpsim({ dataDir: dir });
});
after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('rates follow the counters exactly: 32-bit wrap counted, restart and discontinuity are gaps', async () => {
  const clock = manualClock(1_700_000_000_000);
  const device: Device = {
    id: 'rates',
    name: 'rates',
    address: '127.0.0.1',
    tags: [],
    icmp: { enabled: false },
    pollIntervalS: 60,
    origin: 'config',
    snmp: { version: 'v2c', community: 'rates', port: sim.port, timeoutMs: 2000, retries: 1 },
  };
  const ctx = {
    bus: createMemoryBus(),
    clock,
    log: silentLogger,
    devices: () => [device],
    deviceByAddress: () => undefined,
  };
  const collector = createSnmpCollector(ctx, snmpConfigSchema.parse({ profiles: ['system', 'interfaces'] }));
  for (let i = 0; i < steps.length; i++) {
    serve(steps[i]);
    const got: BusRecord[] = [];
    await collector.collect((r) => {
      got.push(r);
    }, new AbortController().signal);
    await collector.idle();
    const bps = (name: string) =>
      got.find((r): r is Sample => r.kind === 'sample' && r.metric === 'if.in.bps' && r.labels.ifName === name)?.value;
    assert.equal(bps('eth32'), expected[i].eth32, `poll ${i + 1}: eth32 in bps`);
    assert.equal(bps('eth64'), expected[i].eth64, `poll ${i + 1}: eth64 in bps`);
    const states = got.filter((r): r is InterfaceState => r.kind === 'interface-state');
    const eth32 = states.find((s) => s.name === 'eth32')!;
    const eth64 = states.find((s) => s.name === 'eth64')!;
    assert.equal(eth32.inBps, expected[i].eth32);
    assert.equal(eth64.inBps, expected[i].eth64);
    const dev = got.find((r): r is DeviceState => r.kind === 'device-state')!;
    assert.equal(dev.snmp?.ok, true, dev.snmp?.error);
    assert.equal(dev.rebooted, i === 3 ? true : undefined, `poll ${i + 1}: rebooted`);
    if (i === 1) {
      assert.equal(eth32.inErrorsPerSec, 2);
      assert.equal(eth32.outBps, 8);
      assert.equal(eth64.outBps, 100_000);
      assert.ok(Math.abs((eth64.inUtilPct ?? NaN) - 10) < 1e-9, `eth64 util ${eth64.inUtilPct}`);
      assert.ok(Math.abs((eth32.inUtilPct ?? NaN) - 0.08) < 1e-9, `eth32 util ${eth32.inUtilPct}`);
      assert.equal(eth64.speedBps, 10e9);
    }
    if (i === 2) {
      assert.equal(eth32.operStatus, 2);
      assert.equal(eth32.previousOperStatus, 1);
      assert.equal(eth32.lastChangeTs, clock.now());
    } else assert.equal(eth32.previousOperStatus, undefined);
    clock.advance(60_000);
  }
});
