/** Stored traps: round trip without the community, arrival order, filters, cursor pages, pruning. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerReader, integer, octets, oid, seq, TAG, unsigned } from '../../model/ber.ts';
import { isVigilError } from '../../model/errors.ts';
import { WIRE_VARBINDS, type TrapRecord } from '../../model/records.ts';
import { decodeVarbinds, splitNotification } from '../../model/trap-varbinds.ts';
import { packTraps } from '../trap-columns.ts';
import type { Store, TrapQuery, TrapRow } from '../types.ts';
import { T0, trap, walk, type ContractSuite } from './helpers.ts';

const index = (t: TrapRow) => t.varbinds[0].value as number;
const listed = async (s: Store, q: TrapQuery = {}) => (await s.listTraps({ limit: 1000, ...q })).items.map(index);
const withoutId = ({ id: _id, ...rest }: TrapRow) => rest;

/**
 * A trap as the receiver makes it from a v2c notification: the varbind list decoded and split as the receiver's
 * `pduToTrapRecord` does, and kept as it arrived (`WIRE_VARBINDS`).
 */
function received(i: number): TrapRecord {
  const list = seq(
    seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(100 + i, TAG.TimeTicks)),
    seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid('1.3.6.1.6.3.1.1.5.3')),
    seq(oid(`1.3.6.1.2.1.2.2.1.1.${i}`), integer(i)),
    seq(oid(`1.3.6.1.2.1.2.2.1.2.${i}`), octets(`Gi0/${i} \u00e9`)),
    seq(oid('1.3.6.1.4.1.9.9.1.0'), octets(Buffer.from([0, 1, 2, 0xff]))),
    seq(oid('1.3.6.1.2.1.31.1.1.1.6.1'), unsigned(2 ** 33, TAG.Counter64)),
  );
  const decoded = decodeVarbinds(new BerReader(list));
  const { trapOid, uptimeCs, varbinds } = splitNotification(decoded.varbinds);
  return {
    kind: 'trap',
    receivedTs: T0 + i,
    sourceAddress: '127.0.0.9',
    agentAddress: '127.0.0.9',
    version: 'v2c',
    pduType: 'trap',
    trapOid,
    varbinds,
    community: 'sekrit',
    uptimeCs,
    [WIRE_VARBINDS]: decoded.varbindsRaw,
  };
}

export const trapsContract: ContractSuite = (fresh) => {
  test('traps: every field comes back as received but the community, which is never stored', async () => {
    const s = await fresh();
    const { community: _c, uptimeCs: _u, ...v3 } = trap(1, { version: 'v3', user: 'ops' });
    const full: TrapRecord[] = [
      trap(0, {
        deviceId: 'sw1',
        agentAddress: '10.9.9.9',
        pduType: 'inform',
        varbinds: [
          { oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'Integer', value: 0 },
          { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 'Counter64', value: '18446744073709551615' },
          { oid: '1.3.6.1.4.1.9.9.1.0', type: 'OctetString', value: '0x0001ff' },
          { oid: '1.3.6.1.4.1.9.9.2.0', type: 'Null', value: null },
          { oid: '1.3.6.1.4.1.9.9.3.0', type: 'OctetString', value: '장애 Störung' },
        ],
      }),
      v3,
      trap(2, { version: 'v1', pduType: 'trapv1', trapOid: '1.3.6.1.4.1.9.0.1' }),
    ];
    await s.writeTraps(full);
    const rows = (await s.listTraps()).items;
    assert.deepEqual(rows.map(withoutId), full.map(({ kind: _k, community: _c, ...rest }) => rest).reverse());
    assert.ok(!JSON.stringify(rows).includes('secret-community'));
    assert.equal(new Set(rows.map((r) => r.id)).size, 3);
    assert.equal(await s.countTraps(), 3);
  });

  test('traps: written in columns, and with the varbinds as they arrived on the wire, they read back as the receiver decoded them', async () => {
    const a = await fresh();
    const b = await fresh();
    const batch = [trap(0), trap(1, { deviceId: 'd', user: 'u' }), received(2), received(3)];
    assert.ok(batch[2][WIRE_VARBINDS], 'the receiver kept the wire form');
    await a.writeTraps(batch);
    await b.writeTrapColumns(packTraps(batch));
    await b.writeTraps([]);
    const rows = (await a.listTraps()).items.map(withoutId);
    assert.deepEqual((await b.listTraps()).items.map(withoutId), rows);
    assert.deepEqual(rows[0].varbinds, batch[3].varbinds);
    assert.deepEqual([rows[0].uptimeCs, rows[0].trapOid], [103, '1.3.6.1.6.3.1.1.5.3']);
    assert.ok(!JSON.stringify(rows).includes('sekrit'));
  });

  test('traps: newest first by arrival (the same received time: the later written first); the same trap twice is two traps', async () => {
    const s = await fresh();
    await s.writeTraps([trap(1), trap(2, { receivedTs: T0 + 1000 })]);
    await s.writeTraps([trap(3, { receivedTs: T0 + 1000 })]);
    await s.writeTraps([trap(3, { receivedTs: T0 + 1000 })]);
    assert.deepEqual(await listed(s), [3, 3, 2, 1]);
    assert.equal(await s.countTraps(), 4);
  });

  test('traps filters: device, source or agent address, trap OID and its subtree only, version, received time [from, to]', async () => {
    const s = await fresh();
    await s.writeTraps([
      trap(0, { deviceId: 'sw1', sourceAddress: '10.0.0.1', agentAddress: '10.0.0.1', trapOid: '1.3.6.1.4.1.9.0.1' }),
      trap(1, { sourceAddress: '10.0.0.2', agentAddress: '192.0.2.7', trapOid: '1.3.6.1.4.1.9' }),
      trap(2, {
        sourceAddress: '192.0.2.7',
        agentAddress: '192.0.2.7',
        trapOid: '1.3.6.1.4.1.99.1',
        version: 'v1',
        pduType: 'trapv1',
      }),
      trap(3, { deviceId: 'sw1', version: 'v3', community: undefined, user: 'ops' }),
    ]);
    assert.deepEqual(await listed(s, { deviceId: 'sw1' }), [3, 0]);
    assert.deepEqual(await listed(s, { source: '192.0.2.7' }), [2, 1], 'the UDP source or the agent address');
    assert.deepEqual(await listed(s, { source: '10.0.0.2' }), [1]);
    assert.deepEqual(await listed(s, { trapOid: '1.3.6.1.4.1.9' }), [1, 0], 'the OID and below it, not 1.3.6.1.4.1.99');
    assert.deepEqual(await listed(s, { trapOid: '1.3.6.1.4.1.9.0.1' }), [0]);
    assert.deepEqual(await listed(s, { trapOid: '1.3.6.1.4.1' }), [2, 1, 0]);
    assert.deepEqual(await listed(s, { version: 'v3' }), [3]);
    assert.deepEqual(await listed(s, { from: T0 + 1000, to: T0 + 2000 }), [2, 1], 'both ends inclusive');
    assert.deepEqual(await listed(s, { from: T0 + 1001 }), [3, 2]);
    assert.deepEqual(await listed(s, { to: T0 + 999 }), [0]);
    assert.deepEqual(await listed(s, { deviceId: 'sw1', version: 'v2c' }), [0], 'every filter given must hold');
    assert.deepEqual(await listed(s, { from: T0 + 10_000 }), []);
  });

  test('traps pages: every trap exactly once, newest first, also with filters; a cursor carries on past traps received meanwhile', async () => {
    const s = await fresh();
    await s.writeTraps(Array.from({ length: 25 }, (_, i) => trap(i, { version: i % 2 ? 'v2c' : 'v3' })));
    let n = 0;
    const seen = await walk(async (cursor) => {
      if (cursor) await s.writeTraps([trap(100 + n++)]);
      const p = await s.listTraps({ limit: 7, cursor });
      if (p.nextCursor) assert.equal(p.items.length, 7);
      return p;
    }, 7);
    assert.deepEqual(
      seen.map(index),
      Array.from({ length: 25 }, (_, i) => 24 - i),
    );
    const v3 = await walk(
      (cursor) => s.listTraps({ version: 'v3', from: T0 + 2000, to: T0 + 20_000, limit: 2, cursor }),
      2,
    );
    assert.deepEqual(v3.map(index), [20, 18, 16, 14, 12, 10, 8, 6, 4, 2]);
    assert.equal((await s.listTraps({ limit: 1000 })).nextCursor, undefined);
  });

  test('traps pages: 100 by default, at most 1000; a cursor this store did not hand out is a bad request', async () => {
    const s = await fresh();
    await s.writeTraps(Array.from({ length: 1001 }, (_, i) => trap(i)));
    assert.equal((await s.listTraps()).items.length, 100);
    const big = await s.listTraps({ limit: 5000 });
    assert.equal(big.items.length, 1000);
    assert.deepEqual((await s.listTraps({ cursor: big.nextCursor })).items.map(index), [0]);
    await assert.rejects(
      () => s.listTraps({ cursor: 'garbage' }),
      (e: unknown) => isVigilError(e) && e.code === 'VIGIL_BAD_REQUEST',
    );
  });

  test('pruneTraps: removes traps received before the time (one received exactly then is kept) and says how many', async () => {
    const s = await fresh();
    await s.writeTraps([trap(0), trap(1), trap(2), trap(3)]);
    assert.equal(await s.pruneTraps(T0 + 2000), 2);
    assert.deepEqual(await listed(s), [3, 2]);
    assert.equal(await s.countTraps(), 2);
    assert.equal(await s.pruneTraps(T0 + 2000), 0);
    assert.equal(await s.pruneTraps(T0 + 1e9), 2);
    assert.equal(await s.countTraps(), 0);
    assert.equal(await s.pruneTraps(T0), 0, 'an empty store');
  });
};
