import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '../config/load.ts';
import type { Device } from '../model/device.ts';
import { silentLogger } from '../model/logger.ts';
import { openSqlite } from '../store/sqlite/async.ts';
import { createInventory } from './index.ts';

const config = (devices: unknown[]) =>
  validateConfig({
    icmp: { monitorLocalhost: false },
    credentials: { core: { version: 'v2c', community: 'from-config' } },
    devices,
  });

const apiDevice = (id: string, address: string, extra: Partial<Device> = {}): Device => ({
  id,
  name: id,
  address,
  tags: [],
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'api',
  ...extra,
});

test('config devices replace those of an earlier start; API devices stay', async () => {
  const store = openSqlite(':memory:');
  await createInventory(store, config([{ id: 'old', name: 'old', address: '10.0.0.1' }]), silentLogger);
  await store.putDevice(apiDevice('mine', '10.0.0.9'));
  const inv = await createInventory(store, config([{ id: 'new', name: 'new', address: '10.0.0.2' }]), silentLogger);
  assert.deepEqual(
    inv
      .devices()
      .map((d) => d.id)
      .sort(),
    ['mine', 'new'],
  );
  assert.deepEqual((await store.listDevices()).map((d) => d.id).sort(), ['mine', 'new']);
  assert.equal(inv.deviceByAddress('::ffff:10.0.0.2')?.id, 'new');
  await store.close();
});

test('devices and profiles written through the inventory are served from memory at once', async () => {
  const store = openSqlite(':memory:');
  const inv = await createInventory(store, config([]), silentLogger);
  await inv.putProfile('edge', { version: 'v2c', community: 'from-api', port: 161, timeoutMs: 2000, retries: 1 });
  assert.equal(inv.profiles().edge.origin, 'api');
  assert.equal(inv.profiles().core.origin, 'config');

  await inv.putDevice(apiDevice('sw1', '10.0.0.5', { snmpProfile: 'edge' }));
  assert.equal(inv.get('sw1')?.snmp?.community, 'from-api');
  assert.equal(inv.deviceByAddress('10.0.0.5')?.id, 'sw1');
  assert.equal(inv.resolveCredentials(apiDevice('x', '10.0.0.6', { snmpProfile: 'core' }))?.community, 'from-config');

  // A new inventory on the same store sees what the first one wrote.
  const again = await createInventory(store, config([]), silentLogger);
  assert.equal(again.get('sw1')?.snmp?.community, 'from-api');

  assert.equal(await inv.deleteProfile('edge'), true);
  assert.equal(await inv.deleteProfile('edge'), false);
  assert.equal(inv.profiles().edge, undefined);
  assert.equal(inv.get('sw1')?.snmp, undefined);

  assert.equal(await inv.deleteDevice('sw1'), true);
  assert.equal(await inv.deleteDevice('sw1'), false);
  assert.equal(inv.get('sw1'), undefined);
  assert.equal(inv.deviceByAddress('10.0.0.5'), undefined);
  await store.close();
});
