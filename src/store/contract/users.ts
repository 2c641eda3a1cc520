/** Web UI accounts (names case-insensitive, password hashes kept apart) and their login sessions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import type { SessionRow, Store, User } from '../types.ts';
import { T0, type ContractSuite } from './helpers.ts';

const user = (id: string, name: string, over: Partial<User> = {}): User => ({
  id,
  name,
  role: 'viewer',
  createdTs: T0,
  updatedTs: T0,
  ...over,
});
const session = (hash: string, userId: string, over: Partial<SessionRow> = {}): SessionRow => ({
  hash,
  userId,
  createdTs: T0,
  expiresTs: T0 + 1000,
  lastSeenTs: T0,
  ...over,
});
const conflict = (e: unknown) => isVigilError(e) && e.code === 'VIGIL_CONFLICT';

async function twoUsers(fresh: () => Promise<Store>): Promise<Store> {
  const s = await fresh();
  await s.createUser(user('u1', 'Alice', { role: 'admin' }), 'hash-1');
  await s.createUser(user('u2', 'bob'), 'hash-2');
  return s;
}

export const usersContract: ContractSuite = (fresh) => {
  test('users: create, get by id and by name in any case, list by name in any case, count; the hash only through getPasswordHash', async () => {
    const s = await fresh();
    assert.equal(await s.countUsers(), 0);
    const carol = user('u3', 'carol', { role: 'operator', locale: 'ko', theme: 'dark', lastLoginTs: T0 + 5 });
    await s.createUser(user('u2', 'bob'), 'hash-2');
    await s.createUser(carol, 'hash-3');
    await s.createUser(user('u1', 'Alice', { role: 'admin' }), 'hash-1');
    assert.equal(await s.countUsers(), 3);
    assert.deepEqual(await s.getUser('u3'), carol);
    assert.deepEqual(await s.getUserByName('CAROL'), carol);
    assert.equal((await s.getUserByName('Bob'))?.id, 'u2');
    assert.equal(await s.getUserByName('nobody'), undefined);
    assert.equal(await s.getUser('nope'), undefined);
    assert.deepEqual(
      (await s.listUsers()).map((u) => u.name),
      ['Alice', 'bob', 'carol'],
    );
    assert.equal(await s.getPasswordHash('u1'), 'hash-1');
    assert.equal(await s.getPasswordHash('nope'), undefined);
    assert.ok(
      !JSON.stringify([await s.listUsers(), await s.getUser('u1'), await s.getUserByName('alice')]).includes('hash-'),
      'no user object carries its hash',
    );
    assert.ok(!(await s.getUser('u2'))!.disabled);
    await s.createUser(user('u4', 'dave', { disabled: true }), 'hash-4');
    assert.equal((await s.getUser('u4'))?.disabled, true);
  });

  test('users: a second user with a taken id, or a taken name in any case, is a conflict and changes nothing', async () => {
    const s = await twoUsers(fresh);
    await assert.rejects(() => s.createUser(user('u1', 'other'), 'x'), conflict);
    await assert.rejects(() => s.createUser(user('u9', 'ALICE'), 'x'), conflict);
    assert.equal(await s.countUsers(), 2);
    assert.equal((await s.getUser('u1'))?.name, 'Alice');
    assert.equal(await s.getPasswordHash('u1'), 'hash-1');
    assert.equal(await s.getUserByName('other'), undefined);
  });

  test('users: update a patch (password optional), disable and enable; unknown ids say false; a taken name is a conflict', async () => {
    const s = await twoUsers(fresh);
    assert.equal(await s.updateUser('u2', { role: 'operator', locale: 'en', updatedTs: T0 + 1 }), true);
    assert.deepEqual(await s.getUser('u2'), user('u2', 'bob', { role: 'operator', locale: 'en', updatedTs: T0 + 1 }));
    assert.equal(await s.getPasswordHash('u2'), 'hash-2', 'no password given: unchanged');
    assert.equal(await s.updateUser('u2', { name: 'Bobby', lastLoginTs: T0 + 2 }, 'hash-2b'), true);
    assert.equal(await s.getPasswordHash('u2'), 'hash-2b');
    assert.equal((await s.getUserByName('bobby'))?.lastLoginTs, T0 + 2);
    assert.equal(await s.getUserByName('bob'), undefined);
    assert.equal(await s.updateUser('u2', { disabled: true }), true);
    assert.equal((await s.getUser('u2'))?.disabled, true);
    assert.equal(await s.updateUser('u2', { disabled: false }), true);
    assert.ok(!(await s.getUser('u2'))!.disabled);
    assert.equal(await s.updateUser('nope', { role: 'admin' }), false);
    assert.equal(await s.countUsers(), 2);
    await assert.rejects(() => s.updateUser('u2', { name: 'alice' }), conflict);
    assert.equal((await s.getUser('u2'))?.name, 'Bobby');
    assert.equal(await s.updateUser('u1', { name: 'ALICE' }), true, "a new case of one's own name");
    assert.equal((await s.getUserByName('alice'))?.name, 'ALICE');
  });

  test("users: deleting one removes its sessions and API tokens, nobody else's", async () => {
    const s = await twoUsers(fresh);
    await s.createSession(session('s1', 'u1'));
    await s.createSession(session('s2', 'u2'));
    await s.createToken({ id: 't1', name: 'mine', role: 'admin', userId: 'u1', createdTs: T0 }, 'th1');
    await s.createToken({ id: 't2', name: 'bobs', role: 'viewer', userId: 'u2', createdTs: T0 }, 'th2');
    await s.createToken({ id: 't3', name: 'ci', role: 'viewer', createdTs: T0 }, 'th3');
    assert.equal(await s.deleteUser('u1'), true);
    assert.equal(await s.deleteUser('u1'), false);
    assert.equal(await s.getUser('u1'), undefined);
    assert.equal(await s.getPasswordHash('u1'), undefined);
    assert.equal(await s.getSession('s1'), undefined);
    assert.equal(await s.findTokenByHash('th1'), undefined);
    assert.equal((await s.getSession('s2'))?.userId, 'u2');
    assert.deepEqual((await s.listTokens()).map((t) => t.id).sort(), ['t2', 't3']);
    await s.createUser(user('u1', 'Alice'), 'hash-new');
    assert.equal(await s.getPasswordHash('u1'), 'hash-new', 'the id and name are free again');
  });

  test('tokens: one naming a deleted user is refused (not found) until a user with that id is made again; one naming a user never made is kept', async () => {
    const s = await twoUsers(fresh);
    assert.equal(await s.deleteUser('u1'), true);
    await assert.rejects(
      s.createToken({ id: 't1', name: 'late', role: 'admin', userId: 'u1', createdTs: T0 }, 'th1'),
      (e) => isVigilError(e) && e.code === 'VIGIL_NOT_FOUND',
    );
    assert.equal(await s.findTokenByHash('th1'), undefined);
    await s.createToken({ id: 't2', name: 'ghost', role: 'viewer', userId: 'nobody', createdTs: T0 }, 'th2');
    assert.equal((await s.findTokenByHash('th2'))?.userId, 'nobody');
    await s.createUser(user('u1', 'Alice'), 'hash-new');
    await s.createToken({ id: 't3', name: 'again', role: 'admin', userId: 'u1', createdTs: T0 }, 'th3');
    assert.equal((await s.findTokenByHash('th3'))?.userId, 'u1');
  });

  test('sessions: create, get, touch, delete; a taken hash is a conflict', async () => {
    const s = await twoUsers(fresh);
    const full = session('s1', 'u1', { address: '192.0.2.1' });
    await s.createSession(full);
    await s.createSession(session('s2', 'u1'));
    assert.deepEqual(await s.getSession('s1'), full);
    assert.deepEqual(await s.getSession('s2'), session('s2', 'u1'));
    assert.equal(await s.getSession('nope'), undefined);
    await assert.rejects(() => s.createSession(session('s1', 'u2')), conflict);
    assert.equal((await s.getSession('s1'))?.userId, 'u1');
    await s.touchSession('s1', T0 + 500, T0 + 5000);
    assert.deepEqual(await s.getSession('s1'), { ...full, lastSeenTs: T0 + 500, expiresTs: T0 + 5000 });
    await s.touchSession('nope', T0, T0);
    assert.equal(await s.deleteSession('s1'), true);
    assert.equal(await s.deleteSession('s1'), false);
    assert.equal(await s.getSession('s1'), undefined);
  });

  test("sessions: end a user's sessions but one; purge those that expired before now (expiring exactly now: kept)", async () => {
    const s = await twoUsers(fresh);
    for (const h of ['a', 'b', 'c']) await s.createSession(session(h, 'u1'));
    await s.createSession(session('other', 'u2'));
    assert.equal(await s.deleteUserSessions('u1', 'b'), 2);
    assert.deepEqual(await Promise.all(['a', 'b', 'c', 'other'].map(async (h) => !!(await s.getSession(h)))), [
      false,
      true,
      false,
      true,
    ]);
    assert.equal(await s.deleteUserSessions('u1'), 1);
    assert.equal(await s.deleteUserSessions('u1'), 0);
    await s.createSession(session('gone', 'u1', { expiresTs: T0 - 1 }));
    await s.createSession(session('edge', 'u1', { expiresTs: T0 }));
    await s.createSession(session('later', 'u1', { expiresTs: T0 + 1 }));
    assert.equal(await s.purgeSessions(T0), 1);
    assert.deepEqual(await Promise.all(['gone', 'edge', 'later'].map(async (h) => !!(await s.getSession(h)))), [
      false,
      true,
      true,
    ]);
    assert.equal(await s.purgeSessions(T0 + 1), 1);
    assert.equal(await s.purgeSessions(T0 + 1001), 2);
    assert.equal(await s.getSession('other'), undefined);
  });
};
