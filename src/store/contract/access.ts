/** API tokens (found by hash only), the audit log (newest first, paged by id), and key/value settings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import type { ApiToken } from '../types.ts';
import { T0, type ContractSuite } from './helpers.ts';

const conflict = (e: unknown) => isVigilError(e) && e.code === 'VIGIL_CONFLICT';

export const accessContract: ContractSuite = (fresh) => {
  test('tokens are found by hash only; audit and kv round trip', async () => {
    const s = await fresh();
    await s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: 1 }, 'h1');
    assert.equal((await s.findTokenByHash('h1'))?.role, 'viewer');
    assert.equal(await s.findTokenByHash('nope'), undefined);
    assert.equal((await s.listTokens()).length, 1);
    assert.equal(await s.deleteToken('t1'), true);
    await s.audit({ ts: 1, actor: 'me', action: 'x', details: { a: 1 } });
    assert.deepEqual((await s.listAudit())[0].details, { a: 1 });
    await s.setKv('k', { v: [1] });
    assert.deepEqual(await s.getKv('k'), { v: [1] });
  });

  test("tokens: fields come back as created, never the hash; listed oldest first, all or one user's; touched; deleted", async () => {
    const s = await fresh();
    const mine: ApiToken = { id: 't2', name: 'laptop', role: 'operator', userId: 'u1', createdTs: T0 + 2 };
    await s.createToken(mine, 'hash-2');
    await s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 + 1 }, 'hash-1');
    await s.createToken({ id: 't3', name: 'other', role: 'admin', userId: 'u2', createdTs: T0 + 3 }, 'hash-3');
    assert.deepEqual(await s.findTokenByHash('hash-2'), mine);
    assert.equal(await s.findTokenByHash('t2'), undefined, 'not by id');
    assert.equal(await s.findTokenByHash('laptop'), undefined, 'not by name');
    assert.deepEqual(
      (await s.listTokens()).map((t) => t.id),
      ['t1', 't2', 't3'],
    );
    assert.deepEqual(await s.listTokens('u1'), [mine]);
    assert.deepEqual(await s.listTokens('nobody'), []);
    assert.ok(!JSON.stringify(await s.listTokens()).includes('hash-'));
    await s.touchToken('t2', T0 + 100);
    assert.equal((await s.findTokenByHash('hash-2'))?.lastUsedTs, T0 + 100);
    await s.touchToken('nope', T0);
    assert.equal(await s.deleteToken('t2'), true);
    assert.equal(await s.deleteToken('t2'), false);
    assert.equal(await s.findTokenByHash('hash-2'), undefined);
  });

  test('tokens: a taken id or a taken hash is a conflict and changes nothing', async () => {
    const s = await fresh();
    await s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 }, 'hash-1');
    await assert.rejects(
      () => s.createToken({ id: 't1', name: 'again', role: 'admin', createdTs: T0 }, 'hash-9'),
      conflict,
    );
    await assert.rejects(
      () => s.createToken({ id: 't9', name: 'same hash', role: 'admin', createdTs: T0 }, 'hash-1'),
      conflict,
    );
    assert.deepEqual(await s.listTokens(), [{ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 }]);
    assert.equal(await s.findTokenByHash('hash-9'), undefined);
  });

  test('audit: newest first by when it was written, with growing ids to page by (before an id), 100 by default', async () => {
    const s = await fresh();
    await s.audit({
      ts: T0,
      actor: 'alice',
      action: 'device.create',
      target: 'sw1',
      details: { address: '192.0.2.1', 장애: true },
      result: 'ok',
    });
    await s.audit({ ts: T0, actor: 'bob', action: 'user.login' });
    await s.audit({ ts: T0 + 1, actor: 'token:ci', action: 'device.delete', target: 'sw1', result: 'denied' });
    const [third, second, first] = await s.listAudit();
    assert.ok(third.id! > second.id! && second.id! > first.id!);
    assert.deepEqual(
      { ...first, id: 0 },
      {
        id: 0,
        ts: T0,
        actor: 'alice',
        action: 'device.create',
        target: 'sw1',
        details: { address: '192.0.2.1', 장애: true },
        result: 'ok',
      },
    );
    assert.deepEqual({ ...second, id: 0 }, { id: 0, ts: T0, actor: 'bob', action: 'user.login' });
    assert.deepEqual(
      (await s.listAudit({ before: third.id })).map((e) => e.actor),
      ['bob', 'alice'],
    );
    assert.deepEqual(
      (await s.listAudit({ before: third.id, limit: 1 })).map((e) => e.actor),
      ['bob'],
    );
    assert.deepEqual(await s.listAudit({ before: first.id }), []);
    for (let i = 0; i < 110; i++) await s.audit({ ts: T0 + 2 + i, actor: 'x', action: 'bulk' });
    assert.equal((await s.listAudit()).length, 100);
    assert.equal((await s.listAudit({ limit: 1000 })).length, 113);
  });

  test('kv: listed by a literal prefix (no wildcards), by key', async () => {
    const s = await fresh();
    await s.setKv('node:b', { n: 2 });
    await s.setKv('node:a', { n: 1 });
    await s.setKv('node_x', 0);
    await s.setKv('other', 3);
    assert.deepEqual(await s.listKv('node:'), [
      { key: 'node:a', value: { n: 1 } },
      { key: 'node:b', value: { n: 2 } },
    ]);
    assert.deepEqual(
      (await s.listKv('node_')).map((r) => r.key),
      ['node_x'],
    );
    assert.deepEqual(await s.listKv('%'), []);
  });

  test('kv: absent keys are undefined; set replaces; any JSON value round trips; what is read is a copy', async () => {
    const s = await fresh();
    assert.equal(await s.getKv('nope'), undefined);
    const values: Record<string, unknown> = {
      obj: { a: { b: [1, 'two', null, true] } },
      arr: [],
      str: '서울 Störung',
      num: 1.5,
      zero: 0,
      no: false,
      empty: '',
    };
    for (const [k, v] of Object.entries(values)) await s.setKv(k, v);
    for (const [k, v] of Object.entries(values)) assert.deepEqual(await s.getKv(k), v, k);
    await s.setKv('obj', { replaced: 1 });
    assert.deepEqual(await s.getKv('obj'), { replaced: 1 });
    assert.equal(await s.getKv('OBJ'), undefined, 'keys are exact');
    const read = (await s.getKv<{ replaced: number }>('obj'))!;
    read.replaced = 2;
    assert.deepEqual(await s.getKv('obj'), { replaced: 1 });
    const written = { list: [1] };
    await s.setKv('w', written);
    written.list.push(2);
    assert.deepEqual(await s.getKv('w'), { list: [1] });
  });
};
