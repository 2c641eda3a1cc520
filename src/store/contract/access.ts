/** API tokens (found by hash only), the audit log (newest first, paged by id), and key/value settings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import type { ApiToken } from '../types.ts';
import { T0, type ContractSuite } from './helpers.ts';

const conflict = (e: unknown) => isVigilError(e) && e.code === 'VIGIL_CONFLICT';

export const accessContract: ContractSuite = (fresh) => {
  test('tokens are found by hash only; audit and kv round trip', () => {
    const s = fresh();
    s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: 1 }, 'h1');
    assert.equal(s.findTokenByHash('h1')?.role, 'viewer');
    assert.equal(s.findTokenByHash('nope'), undefined);
    assert.equal(s.listTokens().length, 1);
    assert.equal(s.deleteToken('t1'), true);
    s.audit({ ts: 1, actor: 'me', action: 'x', details: { a: 1 } });
    assert.deepEqual(s.listAudit()[0].details, { a: 1 });
    s.setKv('k', { v: [1] });
    assert.deepEqual(s.getKv('k'), { v: [1] });
  });

  test("tokens: fields come back as created, never the hash; listed oldest first, all or one user's; touched; deleted", () => {
    const s = fresh();
    const mine: ApiToken = { id: 't2', name: 'laptop', role: 'operator', userId: 'u1', createdTs: T0 + 2 };
    s.createToken(mine, 'hash-2');
    s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 + 1 }, 'hash-1');
    s.createToken({ id: 't3', name: 'other', role: 'admin', userId: 'u2', createdTs: T0 + 3 }, 'hash-3');
    assert.deepEqual(s.findTokenByHash('hash-2'), mine);
    assert.equal(s.findTokenByHash('t2'), undefined, 'not by id');
    assert.equal(s.findTokenByHash('laptop'), undefined, 'not by name');
    assert.deepEqual(
      s.listTokens().map((t) => t.id),
      ['t1', 't2', 't3'],
    );
    assert.deepEqual(s.listTokens('u1'), [mine]);
    assert.deepEqual(s.listTokens('nobody'), []);
    assert.ok(!JSON.stringify(s.listTokens()).includes('hash-'));
    s.touchToken('t2', T0 + 100);
    assert.equal(s.findTokenByHash('hash-2')?.lastUsedTs, T0 + 100);
    s.touchToken('nope', T0);
    assert.equal(s.deleteToken('t2'), true);
    assert.equal(s.deleteToken('t2'), false);
    assert.equal(s.findTokenByHash('hash-2'), undefined);
  });

  test('tokens: a taken id or a taken hash is a conflict and changes nothing', () => {
    const s = fresh();
    s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 }, 'hash-1');
    assert.throws(() => s.createToken({ id: 't1', name: 'again', role: 'admin', createdTs: T0 }, 'hash-9'), conflict);
    assert.throws(
      () => s.createToken({ id: 't9', name: 'same hash', role: 'admin', createdTs: T0 }, 'hash-1'),
      conflict,
    );
    assert.deepEqual(s.listTokens(), [{ id: 't1', name: 'ci', role: 'viewer', createdTs: T0 }]);
    assert.equal(s.findTokenByHash('hash-9'), undefined);
  });

  test('audit: newest first by when it was written, with growing ids to page by (before an id), 100 by default', () => {
    const s = fresh();
    s.audit({
      ts: T0,
      actor: 'alice',
      action: 'device.create',
      target: 'sw1',
      details: { address: '192.0.2.1', 장애: true },
      result: 'ok',
    });
    s.audit({ ts: T0, actor: 'bob', action: 'user.login' });
    s.audit({ ts: T0 + 1, actor: 'token:ci', action: 'device.delete', target: 'sw1', result: 'denied' });
    const [third, second, first] = s.listAudit();
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
      s.listAudit({ before: third.id }).map((e) => e.actor),
      ['bob', 'alice'],
    );
    assert.deepEqual(
      s.listAudit({ before: third.id, limit: 1 }).map((e) => e.actor),
      ['bob'],
    );
    assert.deepEqual(s.listAudit({ before: first.id }), []);
    for (let i = 0; i < 110; i++) s.audit({ ts: T0 + 2 + i, actor: 'x', action: 'bulk' });
    assert.equal(s.listAudit().length, 100);
    assert.equal(s.listAudit({ limit: 1000 }).length, 113);
  });

  test('kv: absent keys are undefined; set replaces; any JSON value round trips; what is read is a copy', () => {
    const s = fresh();
    assert.equal(s.getKv('nope'), undefined);
    const values: Record<string, unknown> = {
      obj: { a: { b: [1, 'two', null, true] } },
      arr: [],
      str: '서울 Störung',
      num: 1.5,
      zero: 0,
      no: false,
      empty: '',
    };
    for (const [k, v] of Object.entries(values)) s.setKv(k, v);
    for (const [k, v] of Object.entries(values)) assert.deepEqual(s.getKv(k), v, k);
    s.setKv('obj', { replaced: 1 });
    assert.deepEqual(s.getKv('obj'), { replaced: 1 });
    assert.equal(s.getKv('OBJ'), undefined, 'keys are exact');
    const read = s.getKv<{ replaced: number }>('obj')!;
    read.replaced = 2;
    assert.deepEqual(s.getKv('obj'), { replaced: 1 });
    const written = { list: [1] };
    s.setKv('w', written);
    written.list.push(2);
    assert.deepEqual(s.getKv('w'), { list: [1] });
  });
};
