/** Interface state, oper-status changes, and the statuses the event engine reloads at start. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InterfaceState } from '../../model/records.ts';
import type { ContractSuite } from './helpers.ts';

const ifs = (
  deviceId: string,
  ifIndex: number,
  ts: number,
  operStatus: number | undefined,
  extra: Partial<InterfaceState> = {},
): InterfaceState => ({
  kind: 'interface-state',
  deviceId,
  ts,
  ifIndex,
  name: `Gi0/${ifIndex}`,
  ...(operStatus !== undefined ? { operStatus } : {}),
  ...extra,
});

export const interfacesContract: ContractSuite = (fresh) => {
  test('interfaces: state kept, oper-status changes recorded with their time', async () => {
    const s = await fresh();
    await s.applyInterfaceStates([
      {
        kind: 'interface-state',
        deviceId: 'd',
        ts: 10,
        ifIndex: 1,
        name: 'Gi0/1',
        operStatus: 1,
        adminStatus: 1,
        inBps: 5,
      },
    ]);
    await s.applyInterfaceStates([
      { kind: 'interface-state', deviceId: 'd', ts: 20, ifIndex: 1, name: 'Gi0/1', operStatus: 2, adminStatus: 1 },
    ]);
    const [row] = await s.listInterfaces('d');
    assert.equal(row.operStatus, 2);
    assert.equal(row.lastChangeTs, 20);
    assert.deepEqual(await s.listInterfaceChanges('d'), [{ ifIndex: 1, ts: 20, from: 1, to: 2 }]);
  });

  test("interfaces: listed by ifIndex; fields a later state leaves out keep their value; updatedTs is the last state's time", async () => {
    const s = await fresh();
    await s.applyInterfaceStates([
      ifs('d', 10, 1, 1, { alias: 'uplink', speedBps: 1e9, inBps: 5 }),
      ifs('d', 2, 1, 2),
      ifs('other', 1, 1, 1),
    ]);
    await s.applyInterfaceStates([ifs('d', 10, 2, undefined, { outBps: 7 })]);
    const rows = await s.listInterfaces('d');
    assert.deepEqual(
      rows.map((r) => r.ifIndex),
      [2, 10],
    );
    const r = rows[1];
    assert.deepEqual([r.alias, r.speedBps, r.inBps, r.outBps, r.operStatus, r.updatedTs], ['uplink', 1e9, 5, 7, 1, 2]);
    assert.ok(!('kind' in r) && !('previousOperStatus' in r));
    assert.deepEqual(await s.listInterfaces('nope'), []);
  });

  test('interfaces: a change is recorded only when a known oper status differs; the same state twice records nothing more', async () => {
    const s = await fresh();
    await s.applyInterfaceStates([ifs('d', 1, 10, undefined)]); // status unknown at first
    await s.applyInterfaceStates([ifs('d', 1, 20, 2)]); // first known status: not a change
    await s.applyInterfaceStates([ifs('d', 1, 30, 2)]);
    await s.applyInterfaceStates([ifs('d', 1, 40, 1), ifs('d', 1, 40, 1)]);
    await s.applyInterfaceStates([ifs('d', 1, 50, undefined)]); // a poll without the status changes nothing
    await s.applyInterfaceStates([ifs('d', 1, 60, 1)]);
    assert.deepEqual(await s.listInterfaceChanges('d'), [{ ifIndex: 1, ts: 40, from: 2, to: 1 }]);
    assert.equal((await s.listInterfaces('d'))[0].lastChangeTs, 40);
  });

  test('interface changes: newest first (ties: the later recorded first), by interface, limited', async () => {
    const s = await fresh();
    await s.applyInterfaceStates([ifs('d', 1, 1, 1), ifs('d', 2, 1, 1), ifs('e', 1, 1, 1)]);
    await s.applyInterfaceStates([ifs('d', 1, 10, 2)]);
    await s.applyInterfaceStates([ifs('d', 2, 10, 2)]);
    await s.applyInterfaceStates([ifs('d', 1, 20, 1)]);
    await s.applyInterfaceStates([ifs('e', 1, 30, 2)]);
    assert.deepEqual(await s.listInterfaceChanges('d'), [
      { ifIndex: 1, ts: 20, from: 2, to: 1 },
      { ifIndex: 2, ts: 10, from: 1, to: 2 },
      { ifIndex: 1, ts: 10, from: 1, to: 2 },
    ]);
    assert.deepEqual(
      (await s.listInterfaceChanges('d', 1)).map((c) => c.ts),
      [20, 10],
    );
    assert.deepEqual(
      (await s.listInterfaceChanges('d', undefined, 1)).map((c) => c.ts),
      [20],
    );
    assert.deepEqual(await s.listInterfaceChanges('nope'), []);
  });

  test('interfaceChangesBetween: every device, [from, to] inclusive, oldest first (ties in recording order), limited', async () => {
    const s = await fresh();
    await s.applyInterfaceStates([ifs('a', 1, 0, 1), ifs('b', 1, 0, 1)]);
    await s.applyInterfaceStates([ifs('a', 1, 100, 2)]);
    await s.applyInterfaceStates([ifs('b', 1, 200, 2)]);
    await s.applyInterfaceStates([ifs('a', 1, 200, 1)]);
    await s.applyInterfaceStates([ifs('b', 1, 300, 1)]);
    await s.applyInterfaceStates([ifs('a', 1, 301, 2)]);
    assert.deepEqual(await s.interfaceChangesBetween(100, 300), [
      { deviceId: 'a', ifIndex: 1, ts: 100, from: 1, to: 2 },
      { deviceId: 'b', ifIndex: 1, ts: 200, from: 1, to: 2 },
      { deviceId: 'a', ifIndex: 1, ts: 200, from: 2, to: 1 },
      { deviceId: 'b', ifIndex: 1, ts: 300, from: 2, to: 1 },
    ]);
    assert.deepEqual(
      (await s.interfaceChangesBetween(101, 299)).map((c) => c.ts),
      [200, 200],
    );
    assert.deepEqual(
      (await s.interfaceChangesBetween(0, 1000, 2)).map((c) => [c.deviceId, c.ts]),
      [
        ['a', 100],
        ['b', 200],
      ],
    );
    assert.deepEqual(await s.interfaceChangesBetween(400, 500), []);
  });

  test("listInterfaceStatuses: every interface's last known status; seen-up once up, for good", async () => {
    const s = await fresh();
    await s.applyInterfaceStates([ifs('a', 1, 1, 2), ifs('a', 2, 1, 1), ifs('b', 7, 1, undefined)]);
    await s.applyInterfaceStates([ifs('a', 2, 2, 2)]);
    await s.applyInterfaceStates([ifs('a', 2, 3, undefined)]);
    const rows = (await s.listInterfaceStatuses()).sort(
      (x, y) => x.deviceId.localeCompare(y.deviceId) || x.ifIndex - y.ifIndex,
    );
    assert.deepEqual(rows, [
      { deviceId: 'a', ifIndex: 1, operStatus: 2, seenUp: false },
      { deviceId: 'a', ifIndex: 2, operStatus: 2, seenUp: true },
      { deviceId: 'b', ifIndex: 7, seenUp: false },
    ]);
    assert.deepEqual(
      (await s.listInterfaces('a')).map((r) => r.seenUp),
      [false, true],
    );
  });
};
