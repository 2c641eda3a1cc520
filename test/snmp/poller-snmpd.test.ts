// The SNMP poller against a real snmpd: v2c, v3 authPriv SHA-256+AES-128 and SHA-512+AES-256 succeed,
// while a wrong community, a wrong v3 password and an unreachable agent in the same cycle each get a clear error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSnmpd, freeUdpPort, type RunningSnmpd } from '../harness/snmpd.ts';
import { createSnmpCollector } from '../../src/collectors/snmp/index.ts';
import { snmpConfigSchema } from '../../src/collectors/snmp/config.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { Device, SnmpCredentials } from '../../src/model/device.ts';
import type { BusRecord, DeviceState, Sample } from '../../src/model/records.ts';

let agent: RunningSnmpd;
let deadPort: number;
before(async () => {
  agent = await startSnmpd({
    communities: [{ name: 'public' }],
    users: [
      {
        name: 'ops256',
        authProtocol: 'SHA-256',
        authKey: 'auth-secret-256',
        privProtocol: 'AES',
        privKey: 'priv-secret-128',
      },
      {
        name: 'ops512',
        authProtocol: 'SHA-512',
        authKey: 'auth-secret-512',
        privProtocol: 'AES-256',
        privKey: 'priv-secret-256',
      },
    ],
  });
  deadPort = await freeUdpPort();
});
after(() => agent?.stop());

const device = (
  id: string,
  snmp: Omit<SnmpCredentials, 'port' | 'timeoutMs' | 'retries'> & { port?: number },
): Device => ({
  id,
  name: id,
  address: '127.0.0.1',
  tags: [],
  icmp: { enabled: false },
  pollIntervalS: 60,
  origin: 'config',
  snmp: { port: agent.port, timeoutMs: 700, retries: 0, ...snmp },
});

test('one cycle: good devices polled, bad ones get a clear status, the cycle goes on', async () => {
  const devices = [
    device('v2c', { version: 'v2c', community: 'public' }),
    device('v3-sha256-aes128', {
      version: 'v3',
      user: 'ops256',
      securityLevel: 'authPriv',
      authProtocol: 'sha256',
      authKey: 'auth-secret-256',
      privProtocol: 'aes',
      privKey: 'priv-secret-128',
    }),
    device('v3-sha512-aes256', {
      version: 'v3',
      user: 'ops512',
      securityLevel: 'authPriv',
      authProtocol: 'sha512',
      authKey: 'auth-secret-512',
      privProtocol: 'aes256',
      privKey: 'priv-secret-256',
    }),
    device('wrong-community', { version: 'v2c', community: 'not-public' }),
    device('wrong-password', {
      version: 'v3',
      user: 'ops512',
      securityLevel: 'authPriv',
      authProtocol: 'sha512',
      authKey: 'wrong-secret-512',
      privProtocol: 'aes256',
      privKey: 'priv-secret-256',
    }),
    device('unreachable', { version: 'v2c', community: 'public', port: deadPort }),
  ];
  const ctx = {
    bus: createMemoryBus(),
    clock: systemClock,
    log: silentLogger,
    devices: () => devices,
    deviceByAddress: () => undefined,
  };
  const collector = createSnmpCollector(ctx, snmpConfigSchema.parse({ concurrency: 3 }));
  const got: BusRecord[] = [];
  await collector.collect((r) => {
    got.push(r);
  }, new AbortController().signal);
  await collector.idle();
  const state = (id: string) =>
    got.find((r): r is DeviceState => r.kind === 'device-state' && r.deviceId === id)!.snmp!;

  for (const id of ['v2c', 'v3-sha256-aes128', 'v3-sha512-aes256']) {
    const s = state(id);
    assert.equal(s.ok, true, `${id}: ${s.error}`);
    assert.match(s.system?.sysDescr ?? '', /Linux/);
    assert.equal(s.system?.vendor, 'Net-SNMP');
    const metrics = new Set(
      got.filter((r): r is Sample => r.kind === 'sample' && r.deviceId === id).map((r) => r.metric),
    );
    for (const m of [
      'sys.uptime.s',
      'if.oper.status',
      'mem.used.pct',
      'storage.used.pct',
      'ucd.load1',
      'ucd.mem.used.pct',
      'snmp.poll.ms',
    ])
      assert.ok(metrics.has(m), `${id}: ${m}`);
    assert.ok(
      got.some((r) => r.kind === 'interface-state' && r.deviceId === id && r.name === 'lo'),
      `${id}: interface lo`,
    );
  }
  assert.equal(state('v2c').version, 'v2c');
  assert.equal(state('v3-sha512-aes256').version, 'v3');

  const wc = state('wrong-community');
  assert.deepEqual([wc.ok, wc.errorCode], [false, 'VIGIL_SNMP_TIMEOUT']);
  assert.match(wc.error!, /device wrong-community \(127\.0\.0\.1\).*wrong community or unreachable/);
  const wp = state('wrong-password');
  assert.deepEqual([wp.ok, wp.errorCode], [false, 'VIGIL_SNMP_AUTH']);
  assert.match(wp.error!, /wrong authentication password/);
  assert.doesNotMatch(JSON.stringify(got), /wrong-secret-512|auth-secret|priv-secret/, 'secrets never in records');
  const un = state('unreachable');
  assert.deepEqual([un.ok, un.errorCode], [false, 'VIGIL_SNMP_TIMEOUT']);

  const stats = collector.stats();
  assert.equal(stats.polls, 6);
  assert.equal(stats.failures, 3);
  assert.deepEqual(stats.byVersion, { v2c: 3, v3: 3 });
});
