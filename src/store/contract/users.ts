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

function twoUsers(fresh: () => Store): Store {
  const s = fresh();
  s.createUser(user('u1', 'Alice', { role: 'admin' }), 'hash-1');
  s.createUser(user('u2', 'bob'), 'hash-2');
  return s;
}

export const usersContract: ContractSuite = (fresh) => {
  test('users: create, get by id and by name in any case, list by name in any case, count; the hash only through getPasswordHash', () => {
    const s = fresh();
    assert.equal(s.countUsers(), 0);
    const carol = user('u3', 'carol', { role: 'operator', locale: 'ko', theme: 'dark', lastLoginTs: T0 + 5 });
    s.createUser(user('u2', 'bob'), 'hash-2');
    s.createUser(carol, 'hash-3');
    s.createUser(user('u1', 'Alice', { role: 'admin' }), 'hash-1');
    assert.equal(s.countUsers(), 3);
    assert.deepEqual(s.getUser('u3'), carol);
    assert.deepEqual(s.getUserByName('CAROL'), carol);
    assert.equal(s.getUserByName('Bob')?.id, 'u2');
    assert.equal(s.getUserByName('nobody'), undefined);
    assert.equal(s.getUser('nope'), undefined);
    assert.deepEqual(
      s.listUsers().map((u) => u.name),
      ['Alice', 'bob', 'carol'],
    );
    assert.equal(s.getPasswordHash('u1'), 'hash-1');
    assert.equal(s.getPasswordHash('nope'), undefined);
    assert.ok(
      !JSON.stringify([s.listUsers(), s.getUser('u1'), s.getUserByName('alice')]).includes('hash-'),
      'no user object carries its hash',
    );
    assert.ok(!s.getUser('u2')!.disabled);
    s.createUser(user('u4', 'dave', { disabled: true }), 'hash-4');
    assert.equal(s.getUser('u4')?.disabled, true);
  });

  test('users: a second user with a taken id, or a taken name in any case, is a conflict and changes nothing', () => {
    const s = twoUsers(fresh);
    assert.throws(() => s.createUser(user('u1', 'other'), 'x'), conflict);
    assert.throws(() => s.createUser(user('u9', 'ALICE'), 'x'), conflict);
    assert.equal(s.countUsers(), 2);
    assert.equal(s.getUser('u1')?.name, 'Alice');
    assert.equal(s.getPasswordHash('u1'), 'hash-1');
    assert.equal(s.getUserByName('other'), undefined);
  });

  test('users: update a patch (password optional), disable and enable; unknown ids say false; a taken name is a conflict', () => {
    const s = twoUsers(fresh);
    assert.equal(s.updateUser('u2', { role: 'operator', locale: 'en', updatedTs: T0 + 1 }), true);
    assert.deepEqual(s.getUser('u2'), user('u2', 'bob', { role: 'operator', locale: 'en', updatedTs: T0 + 1 }));
    assert.equal(s.getPasswordHash('u2'), 'hash-2', 'no password given: unchanged');
    assert.equal(s.updateUser('u2', { name: 'Bobby', lastLoginTs: T0 + 2 }, 'hash-2b'), true);
    assert.equal(s.getPasswordHash('u2'), 'hash-2b');
    assert.equal(s.getUserByName('bobby')?.lastLoginTs, T0 + 2);
    assert.equal(s.getUserByName('bob'), undefined);
    assert.equal(s.updateUser('u2', { disabled: true }), true);
    assert.equal(s.getUser('u2')?.disabled, true);
    assert.equal(s.updateUser('u2', { disabled: false }), true);
    assert.ok(!s.getUser('u2')!.disabled);
    assert.equal(s.updateUser('nope', { role: 'admin' }), false);
    assert.equal(s.countUsers(), 2);
    assert.throws(() => s.updateUser('u2', { name: 'alice' }), conflict);
    assert.equal(s.getUser('u2')?.name, 'Bobby');
    assert.equal(s.updateUser('u1', { name: 'ALICE' }), true, "a new case of one's own name");
    assert.equal(s.getUserByName('alice')?.name, 'ALICE');
  });

  test("users: deleting one removes its sessions and API tokens, nobody else's", () => {
    const s = twoUsers(fresh);
    s.createSession(session('s1', 'u1'));
    s.createSession(session('s2', 'u2'));
    s.createToken({ id: 't1', name: 'mine', role: 'admin', userId: 'u1', createdTs: T0 }, 'th1');
    s.createToken({ id: 't2', name: 'bobs', role: 'viewer', userId: 'u2', createdTs: T0 }, 'th2');
    s.createToken({ id: 't3', name: 'ci', role: 'viewer', createdTs: T0 }, 'th3');
    assert.equal(s.deleteUser('u1'), true);
    assert.equal(s.deleteUser('u1'), false);
    assert.equal(s.getUser('u1'), undefined);
    assert.equal(s.getPasswordHash('u1'), undefined);
    assert.equal(s.getSession('s1'), undefined);
    assert.equal(s.findTokenByHash('th1'), undefined);
    assert.equal(s.getSession('s2')?.userId, 'u2');
    assert.deepEqual(
      s
        .listTokens()
        .map((t) => t.id)
        .sort(),
      ['t2', 't3'],
    );
    s.createUser(user('u1', 'Alice'), 'hash-new');
    assert.equal(s.getPasswordHash('u1'), 'hash-new', 'the id and name are free again');
  });

  test('sessions: create, get, touch, delete; a taken hash is a conflict', () => {
    const s = twoUsers(fresh);
    const full = session('s1', 'u1', { address: '192.0.2.1' });
    s.createSession(full);
    s.createSession(session('s2', 'u1'));
    assert.deepEqual(s.getSession('s1'), full);
    assert.deepEqual(s.getSession('s2'), session('s2', 'u1'));
    assert.equal(s.getSession('nope'), undefined);
    assert.throws(() => s.createSession(session('s1', 'u2')), conflict);
    assert.equal(s.getSession('s1')?.userId, 'u1');
    s.touchSession('s1', T0 + 500, T0 + 5000);
    assert.deepEqual(s.getSession('s1'), { ...full, lastSeenTs: T0 + 500, expiresTs: T0 + 5000 });
    s.touchSession('nope', T0, T0);
    assert.equal(s.deleteSession('s1'), true);
    assert.equal(s.deleteSession('s1'), false);
    assert.equal(s.getSession('s1'), undefined);
  });

  test("sessions: end a user's sessions but one; purge those that expired before now (expiring exactly now: kept)", () => {
    const s = twoUsers(fresh);
    for (const h of ['a', 'b', 'c']) s.createSession(session(h, 'u1'));
    s.createSession(session('other', 'u2'));
    assert.equal(s.deleteUserSessions('u1', 'b'), 2);
    assert.deepEqual(
      ['a', 'b', 'c', 'other'].map((h) => !!s.getSession(h)),
      [false, true, false, true],
    );
    assert.equal(s.deleteUserSessions('u1'), 1);
    assert.equal(s.deleteUserSessions('u1'), 0);
    s.createSession(session('gone', 'u1', { expiresTs: T0 - 1 }));
    s.createSession(session('edge', 'u1', { expiresTs: T0 }));
    s.createSession(session('later', 'u1', { expiresTs: T0 + 1 }));
    assert.equal(s.purgeSessions(T0), 1);
    assert.deepEqual(
      ['gone', 'edge', 'later'].map((h) => !!s.getSession(h)),
      [false, true, true],
    );
    assert.equal(s.purgeSessions(T0 + 1), 1);
    assert.equal(s.purgeSessions(T0 + 1001), 2);
    assert.equal(s.getSession('other'), undefined);
  });
};
