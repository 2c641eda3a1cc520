import type { SessionRow, User, UserStore } from '../types.ts';
import { defineDomain } from './domain.ts';
import { unlessTaken } from './conflict.ts';
import { compact } from '../json.ts';

/** Web UI accounts (scrypt password hashes only) and their login sessions (hashes of the cookie only). */
export const usersDomain = defineDomain<UserStore>({
  name: 'users',
  migrations: [
    `CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
       locale TEXT, theme TEXT, created_ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL, last_login_ts INTEGER);
     CREATE TABLE sessions (hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       created_ts INTEGER NOT NULL, expires_ts INTEGER NOT NULL, last_seen_ts INTEGER NOT NULL, address TEXT);
     CREATE INDEX sessions_user ON sessions(user_id);`,
    'ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0',
    // The ids of deleted users (until one is made again): a token naming one is refused, as on PostgreSQL, where
    // another process may make it just after the delete committed.
    'CREATE TABLE deleted_users (id TEXT PRIMARY KEY)',
  ],
  create(db) {
    const cols =
      'id, name, role, locale, theme, disabled, created_ts AS createdTs, updated_ts AS updatedTs, last_login_ts AS lastLoginTs';
    const toUser = (r: unknown) => {
      const u = r as User & { disabled: number | boolean };
      return compact({ ...u, disabled: u.disabled ? true : undefined } as User);
    };
    const byId = db.prepare(`SELECT ${cols} FROM users WHERE id = ?`);
    const byName = db.prepare(`SELECT ${cols} FROM users WHERE name = ?`);
    const hashOf = db.prepare('SELECT password_hash AS h FROM users WHERE id = ?');
    const count = db.prepare('SELECT COUNT(*) AS n FROM users');
    const getSession = db.prepare(
      'SELECT hash, user_id AS userId, created_ts AS createdTs, expires_ts AS expiresTs, last_seen_ts AS lastSeenTs, address FROM sessions WHERE hash = ?',
    );
    const touch = db.prepare('UPDATE sessions SET last_seen_ts = ?, expires_ts = ? WHERE hash = ?');
    return {
      countUsers: () => (count.get() as { n: number }).n,
      listUsers: () => db.prepare(`SELECT ${cols} FROM users ORDER BY name`).all().map(toUser),
      getUser: (id) => {
        const r = byId.get(id);
        return r ? toUser(r) : undefined;
      },
      getUserByName: (name) => {
        const r = byName.get(name);
        return r ? toUser(r) : undefined;
      },
      getPasswordHash: (id) => (hashOf.get(id) as { h: string } | undefined)?.h,
      createUser(u, passwordHash) {
        db.prepare('DELETE FROM deleted_users WHERE id = ?').run(u.id);
        unlessTaken(`a user with the id or the name of "${u.name}" exists`, () =>
          db
            .prepare(
              'INSERT INTO users (id, name, role, password_hash, locale, theme, disabled, created_ts, updated_ts, last_login_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              u.id,
              u.name,
              u.role,
              passwordHash,
              u.locale ?? null,
              u.theme ?? null,
              u.disabled ? 1 : 0,
              u.createdTs,
              u.updatedTs,
              u.lastLoginTs ?? null,
            ),
        );
      },
      updateUser(id, patch, passwordHash) {
        const row = byId.get(id);
        if (!row) return false;
        const next = { ...toUser(row), ...patch };
        unlessTaken(`a user named "${next.name}" exists`, () =>
          db
            .prepare(
              'UPDATE users SET name = ?, role = ?, locale = ?, theme = ?, disabled = ?, updated_ts = ?, last_login_ts = ? WHERE id = ?',
            )
            .run(
              next.name,
              next.role,
              next.locale ?? null,
              next.theme ?? null,
              next.disabled ? 1 : 0,
              next.updatedTs,
              next.lastLoginTs ?? null,
              id,
            ),
        );
        if (passwordHash) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
        return true;
      },
      deleteUser: (id) =>
        db.transaction(() => {
          db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(id);
          db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
          db.prepare('INSERT OR IGNORE INTO deleted_users (id) SELECT id FROM users WHERE id = ?').run(id);
          return db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
        })(),
      createSession(s) {
        unlessTaken('a session with this hash exists', () =>
          db
            .prepare(
              'INSERT INTO sessions (hash, user_id, created_ts, expires_ts, last_seen_ts, address) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(s.hash, s.userId, s.createdTs, s.expiresTs, s.lastSeenTs, s.address ?? null),
        );
      },
      getSession: (hash) => {
        const r = getSession.get(hash);
        return r ? compact(r as SessionRow) : undefined;
      },
      touchSession(hash, ts, expiresTs) {
        touch.run(ts, expiresTs, hash);
      },
      deleteSession: (hash) => db.prepare('DELETE FROM sessions WHERE hash = ?').run(hash).changes > 0,
      deleteUserSessions: (userId, exceptHash) =>
        db.prepare('DELETE FROM sessions WHERE user_id = ? AND hash IS NOT ?').run(userId, exceptHash ?? null).changes,
      purgeSessions: (now) => db.prepare('DELETE FROM sessions WHERE expires_ts < ?').run(now).changes,
    };
  },
});
