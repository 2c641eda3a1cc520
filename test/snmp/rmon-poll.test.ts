// The RMON step of a poll against real agents: snmpsimd replays the recordings, Vigil's poll finds which devices are
// RMON probes, and from the second poll on emits the rate samples of every etherStats row (labelled by row and
// interface). The replayed counters do not move, so every rate is 0: the point is which samples come out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import { type DeviceMemory, pollDevice } from '../../src/collectors/snmp/poll-device.ts';
import { parseEtherStats } from '../../src/collectors/snmp/profiles/rmon.ts';
import type { Device } from '../../src/model/device.ts';
import type { Sample } from '../../src/model/records.ts';
import { devicesDir, type RunningSnmpsim, startSnmpsim } from '../harness/snmpsim.ts';
import { recordingVarBinds } from '../topology/rec-varbinds.ts';

const missing = spawnSync('snmpsimd', ['--version'], { stdio: 'ignore' }).error;
const skip = missing ? `snmpsimd is not installed: ${missing.message}` : false;
let sim: RunningSnmpsim | undefined;
before(async () => {
  if (!skip) sim = await startSnmpsim({ dataDir: devicesDir() });
});
after(() => sim?.stop());

async function pollTwice(id: string) {
  const device: Device = {
    id,
    name: id,
    address: '127.0.0.1',
    tags: [],
    icmp: { enabled: false },
    pollIntervalS: 60,
    origin: 'api',
    snmp: { version: 'v2c', community: id, port: sim!.port, timeoutMs: 5000, retries: 1 },
  };
  const config = { profiles: ['system', 'interfaces', 'rmon'] as const, maxRepetitions: 25 };
  let now = Date.now();
  const out: { samples: Sample[]; memory?: DeviceMemory }[] = [];
  let memory: DeviceMemory | undefined;
  for (let i = 0; i < 2; i++) {
    const session = openSnmpSession('127.0.0.1', device.snmp!);
    try {
      const r = await pollDevice(device, session, { ...config, profiles: [...config.profiles] }, memory, () => now);
      assert.ok(r.ok, r.error?.message);
      memory = r.memory;
      out.push({
        samples: r.records.filter((x): x is Sample => x.kind === 'sample' && x.metric.startsWith('rmon.')),
        memory,
      });
    } finally {
      session.close();
    }
    now += 60_000;
  }
  return out;
}

for (const id of ['hpe-procurve-516733-b21', 'arista-dcs-7150s-52-cl', 'juniper-mx960-12-3r6-6']) {
  test(`${id}: found to be a probe, every etherStats row's rates from the second poll`, { skip }, async () => {
    const rows = parseEtherStats(recordingVarBinds(join(devicesDir(), `${id}.snmprec`))).filter(
      (r) => r.octets !== undefined && r.pkts !== undefined,
    );
    const [first, second] = await pollTwice(id);
    assert.equal(first.memory?.rmon?.present, true);
    assert.equal(first.samples.length, 0, 'the first poll is the baseline');
    const bps = second.samples.filter((s) => s.metric === 'rmon.bps');
    assert.deepEqual(bps.map((s) => s.labels.index).sort(), rows.map((r) => String(r.index)).sort());
    for (const s of second.samples) assert.equal(s.value, 0, `${s.metric} ${JSON.stringify(s.labels)}`);
    // Rows whose data source is an interface carry its ifIndex and name.
    for (const r of rows.filter((x) => x.ifIndex !== undefined)) {
      const s = bps.find((x) => x.labels.index === String(r.index))!;
      assert.equal(s.labels.ifIndex, String(r.ifIndex));
      assert.ok(s.labels.ifName, 'named from the interface poll');
    }
    // The packet-size distribution, one series per bucket.
    const sizes = new Set(second.samples.filter((s) => s.metric === 'rmon.size.pps').map((s) => s.labels.size));
    if (rows.some((r) => r.pkts64 !== undefined))
      assert.deepEqual([...sizes].sort(), ['1024-1518', '128-255', '256-511', '512-1023', '64', '65-127']);
  });
}

test('a device with no RMON is asked once and then left alone until the next day', { skip }, async () => {
  const [first, second] = await pollTwice('apc-8932');
  assert.equal(first.memory?.rmon?.present, false);
  assert.equal(second.memory?.rmon?.checkedMs, first.memory?.rmon?.checkedMs);
  assert.equal(first.samples.length + second.samples.length, 0);
});
