// The SNMP poller against snmpsimd serving every recording in ../shared/devices: system facts,
// vendor, interface count and names must match what each recording contains.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSnmpsim, devicesDir, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { readSnmprec, expectedInterfaces, type RecEntry } from './snmprec.ts';
import { createSnmpCollector } from '../../src/collectors/snmp/index.ts';
import { snmpConfigSchema } from '../../src/collectors/snmp/config.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { Device } from '../../src/model/device.ts';
import type { BusRecord, DeviceState, InterfaceState } from '../../src/model/records.ts';

let sim: RunningSnmpsim;
const records: BusRecord[] = [];

before(async () => {
  sim = await startSnmpsim({ dataDir: devicesDir() });
  const devices: Device[] = sim.communities.map((c) => ({
    id: c,
    name: c,
    address: '127.0.0.1',
    tags: [],
    icmp: { enabled: false },
    pollIntervalS: 60,
    origin: 'config',
    snmp: { version: 'v2c', community: c, port: sim.port, timeoutMs: 3000, retries: 1 },
  }));
  const ctx = {
    bus: createMemoryBus(),
    clock: systemClock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const collector = createSnmpCollector(
    ctx,
    snmpConfigSchema.parse({ concurrency: 8, profiles: ['system', 'interfaces'] }),
  );
  await collector.collect((r) => {
    records.push(r);
  }, new AbortController().signal);
  await collector.idle();
  assert.equal(collector.stats().polls, devices.length);
});
after(() => sim?.stop());

// Compare a recorded OCTET STRING with what Vigil shows: text when printable, else 0x-hex.
function sameOctets(shown: string | undefined, e: RecEntry | undefined, what: string) {
  if (!e || e.dynamic || !e.bytes) return;
  assert.ok(shown !== undefined, `${what}: missing`);
  const bytes = e.bytes.length && e.bytes[e.bytes.length - 1] === 0 ? e.bytes.subarray(0, -1) : e.bytes;
  if (shown.startsWith('0x') && shown.length === 2 + e.bytes.length * 2)
    assert.equal(shown, '0x' + e.bytes.toString('hex'), what);
  else assert.deepEqual(Buffer.from(shown, 'utf8'), bytes, what);
}

const BRANDS: Record<string, string> = {
  cisco: 'Cisco',
  juniper: 'Juniper',
  arista: 'Arista',
  hpe: 'HP',
  brocade: 'Brocade',
  dlink: 'D-Link',
  aruba: 'Aruba',
  paloalto: 'Palo Alto',
  netapp: 'NetApp',
  apc: 'APC',
};

for (const community of startSnmpsimCommunities()) {
  test(`recording ${community}: system facts, vendor, interfaces`, () => {
    const rec = readSnmprec(join(devicesDir(), `${community}.snmprec`));
    const state = records.find(
      (r): r is DeviceState => r.kind === 'device-state' && r.deviceId === community && !!r.snmp,
    );
    assert.ok(state?.snmp, 'a device state');
    assert.equal(state.snmp.ok, true, state.snmp.error);
    assert.equal(state.snmp.version, 'v2c');
    const sys = state.snmp.system ?? {};
    sameOctets(sys.sysDescr, rec.get('1.3.6.1.2.1.1.1.0'), 'sysDescr');
    sameOctets(sys.sysName, rec.get('1.3.6.1.2.1.1.5.0'), 'sysName');
    sameOctets(sys.sysLocation, rec.get('1.3.6.1.2.1.1.6.0'), 'sysLocation');
    sameOctets(sys.sysContact, rec.get('1.3.6.1.2.1.1.4.0'), 'sysContact');
    const oid = rec.get('1.3.6.1.2.1.1.2.0');
    if (oid && !oid.dynamic) assert.equal(sys.sysObjectID, oid.text.replace(/^\./, ''));
    const up = rec.get('1.3.6.1.2.1.1.3.0');
    if (up && !up.dynamic) assert.equal(sys.sysUpTimeCs, Number(up.text));
    const brand = Object.keys(BRANDS).find((b) => community.startsWith(b));
    if (brand) assert.match(sys.vendor ?? '(none)', new RegExp(BRANDS[brand]), `vendor of ${community}`);

    const want = expectedInterfaces(rec);
    const got = records
      .filter((r): r is InterfaceState => r.kind === 'interface-state' && r.deviceId === community)
      .sort((a, b) => a.ifIndex - b.ifIndex);
    assert.equal(got.length, want.length, 'interface count');
    assert.deepEqual(
      got.map((i) => ({ ifIndex: i.ifIndex, name: i.name })),
      want,
    );
  });
}

function startSnmpsimCommunities(): string[] {
  // Test names are needed before `before()` runs: list the directory the same way the harness does.
  return readdirSyncSafe(devicesDir())
    .filter((f) => f.endsWith('.snmprec'))
    .map((f) => f.slice(0, -8))
    .sort();
}
import { readdirSync } from 'node:fs';
function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
