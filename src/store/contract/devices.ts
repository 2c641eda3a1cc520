/** Devices (inventory rows) and their merged status. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Device } from '../../model/device.ts';
import { device, sorted, type ContractSuite } from './helpers.ts';

export const devicesContract: ContractSuite = (fresh) => {
  test('devices: put, get, list, replace, delete', async () => {
    const s = await fresh();
    await s.putDevice(device('b'));
    await s.putDevice(
      device('a', { snmp: { version: 'v2c', community: 'c', port: 161, timeoutMs: 1000, retries: 1 } }),
    );
    assert.deepEqual(
      (await s.listDevices()).map((d) => d.id),
      ['a', 'b'],
    );
    assert.equal((await s.getDevice('a'))?.snmp?.community, 'c');
    await s.putDevice(device('a', { name: 'renamed' }));
    assert.equal((await s.getDevice('a'))?.name, 'renamed');
    assert.equal(await s.deleteDevice('a'), true);
    assert.equal(await s.deleteDevice('a'), false);
    assert.equal(await s.getDevice('a'), undefined);
  });

  test("devices: every field comes back as stored (v3 keys included: redaction is the api's job), listed by name", async () => {
    const s = await fresh();
    const full: Device = device('core-1', {
      name: 'zeta core',
      address: 'fe80::1',
      tags: ['core', '서울'],
      group: 'dc1',
      location: 'rack 4',
      parentId: 'edge-1',
      icmp: { enabled: false },
      pollIntervalS: 30,
      snmp: {
        version: 'v3',
        user: 'ops',
        securityLevel: 'authPriv',
        authProtocol: 'sha256',
        authKey: 'a-key',
        privProtocol: 'aes256c',
        privKey: 'p-key',
        context: 'ctx',
        port: 1161,
        timeoutMs: 2000,
        retries: 2,
      },
      origin: 'config',
    });
    await s.putDevice(full);
    await s.putDevice(device('edge-1', { name: 'alpha edge', snmpProfile: 'default' }));
    assert.deepEqual(await s.getDevice('core-1'), full);
    assert.deepEqual(
      (await s.listDevices()).map((d) => d.name),
      ['alpha edge', 'zeta core'],
    );
    assert.equal((await s.getDevice('edge-1'))?.snmpProfile, 'default');
    assert.equal(await s.getDevice('nope'), undefined);
  });

  test('devices: a replacement drops what the new body leaves out; putting the same device twice is one device', async () => {
    const s = await fresh();
    await s.putDevice(device('d', { group: 'g', location: 'l' }));
    await s.putDevice(device('d', { group: 'g', location: 'l' }));
    assert.equal((await s.listDevices()).length, 1);
    await s.putDevice(device('d'));
    const d = (await s.getDevice('d'))!;
    assert.equal(d.group, undefined);
    assert.equal(d.location, undefined);
  });

  test('device states merge: icmp and snmp parts kept apart, facts merged, reboots timed', async () => {
    const s = await fresh();
    await s.applyDeviceStates([
      { kind: 'device-state', deviceId: 'd', ts: 1, icmp: { up: true, lossPct: 0, rttAvgMs: 0.1 } },
    ]);
    await s.applyDeviceStates([
      {
        kind: 'device-state',
        deviceId: 'd',
        ts: 2,
        snmp: { ok: true, version: 'v3', system: { sysName: 'x', vendor: 'Cisco' } },
      },
    ]);
    await s.applyDeviceStates([
      {
        kind: 'device-state',
        deviceId: 'd',
        ts: 3,
        snmp: { ok: false, errorCode: 'VIGIL_SNMP_TIMEOUT', error: 'timeout', version: 'v3' },
        rebooted: true,
      },
    ]);
    const st = (await s.getStatus('d'))!;
    assert.equal(st.icmpUp, true);
    assert.equal(st.snmpOk, false);
    assert.equal(st.snmpErrorCode, 'VIGIL_SNMP_TIMEOUT');
    assert.equal(st.system?.sysName, 'x');
    assert.equal(st.snmpVersion, 'v3');
    assert.equal(st.lastRebootTs, 3);
    assert.equal((await s.listStatuses()).length, 1);
  });

  test('device states: each part keeps its own time; a later good poll clears the error; facts merge key by key', async () => {
    const s = await fresh();
    await s.applyDeviceStates([
      { kind: 'device-state', deviceId: 'd', ts: 10, icmp: { up: false, lossPct: 100 } },
      {
        kind: 'device-state',
        deviceId: 'd',
        ts: 20,
        snmp: {
          ok: false,
          errorCode: 'VIGIL_SNMP_AUTH',
          error: 'auth',
          version: 'v2c',
          system: { sysName: 'old', sysLocation: 'lab' },
        },
      },
    ]);
    await s.applyDeviceStates([
      { kind: 'device-state', deviceId: 'd', ts: 30, snmp: { ok: true, version: 'v2c', system: { sysName: 'new' } } },
    ]);
    const st = (await s.getStatus('d'))!;
    assert.deepEqual([st.icmpUp, st.lossPct, st.icmpTs, st.rttAvgMs], [false, 100, 10, undefined]);
    assert.deepEqual([st.snmpOk, st.lastPollTs, st.snmpErrorCode, st.snmpError], [true, 30, undefined, undefined]);
    assert.deepEqual(st.system, { sysName: 'new', sysLocation: 'lab' });
    assert.equal(st.lastRebootTs, undefined);
    await s.applyDeviceStates([
      { kind: 'device-state', deviceId: 'd', ts: 40, icmp: { up: true, lossPct: 0, rttAvgMs: 1.5 } },
    ]);
    assert.deepEqual(
      [(await s.getStatus('d'))!.icmpUp, (await s.getStatus('d'))!.rttAvgMs, (await s.getStatus('d'))!.lastPollTs],
      [true, 1.5, 30],
    );
  });

  test('device states: the same state applied twice is the same as once; statuses are listed for every device', async () => {
    const s = await fresh();
    const st = {
      kind: 'device-state' as const,
      deviceId: 'a',
      ts: 5,
      icmp: { up: true, lossPct: 0, rttAvgMs: 2 },
      rebooted: true,
    };
    await s.applyDeviceStates([st]);
    const once = await s.getStatus('a');
    await s.applyDeviceStates([st, st]);
    assert.deepEqual(await s.getStatus('a'), once);
    await s.applyDeviceStates([{ kind: 'device-state', deviceId: 'b', ts: 5, icmp: { up: false, lossPct: 100 } }]);
    assert.deepEqual(sorted((await s.listStatuses()).map((x) => x.deviceId)), ['a', 'b']);
    assert.equal(await s.getStatus('c'), undefined);
  });

  test('deleting a device removes its status and interfaces with it', async () => {
    const s = await fresh();
    await s.putDevice(device('d'));
    await s.putDevice(device('keep'));
    await s.applyDeviceStates([
      { kind: 'device-state', deviceId: 'd', ts: 1, icmp: { up: true, lossPct: 0 } },
      { kind: 'device-state', deviceId: 'keep', ts: 1, icmp: { up: true, lossPct: 0 } },
    ]);
    await s.applyInterfaceStates([
      { kind: 'interface-state', deviceId: 'd', ts: 1, ifIndex: 1, name: 'Gi0/1', operStatus: 1 },
    ]);
    assert.equal(await s.deleteDevice('d'), true);
    assert.equal(await s.getStatus('d'), undefined);
    assert.deepEqual(await s.listInterfaces('d'), []);
    assert.ok(!(await s.listInterfaceStatuses()).some((r) => r.deviceId === 'd'));
    assert.equal((await s.getStatus('keep'))?.icmpUp, true);
  });
};
