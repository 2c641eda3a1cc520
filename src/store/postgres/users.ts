import { compact } from '../json.ts';
import type { Async, SessionRow, User, UserStore } from '../types.ts';
import { unlessTaken } from './db.ts';
import { definePgDomain } from './domain.ts';

/**
 * The columns a patch may set. An explicit undefined clears a nullable one (as spreading the patch over the row does on
 * SQLite), turns `disabled` off, and leaves a required one as it was.
 */
const PATCHABLE: Record<string, { col: string; nullable: boolean; map?: (v: unknown) => unknown }> = {
  name: { col: 'name', nullable: false },
  role: { col: 'role', nullable: false },
  locale: { col: 'locale', nullable: true },
  theme: { col: 'theme', nullable: true },
  disabled: { col: 'disabled', nullable: true, map: (v) => !!v },
  updatedTs: { col: 'updated_ts', nullable: false },
  lastLoginTs: { col: 'last_login_ts', nullable: true },
};

/**
 * Web UI accounts (password hashes only) and their login sessions (hashes of the cookie only), as ../sqlite/users.ts.
 * Names are unique in any case (a unique index on lower(name)). Sessions and owned API tokens hang off their user by
 * foreign keys with ON DELETE CASCADE, so that deleting a user takes them along in the same statement, whoever else is
 * writing at the time; tokens naming a user id that had no user when they were made are deleted by that statement too,
 * and the id is kept in `deleted_users` (until a user with it is made again) so that no token naming it is made later.
 */
export const usersPgDomain = definePgDomain<Async<UserStore>>({
  name: 'users',
  migrations: [
    `CREATE TABLE users (id text PRIMARY KEY, name text NOT NULL, role text NOT NULL, password_hash text NOT NULL,
       locale text, theme text, disabled boolean NOT NULL DEFAULT false, created_ts bigint NOT NULL,
       updated_ts bigint NOT NULL, last_login_ts bigint);
     CREATE UNIQUE INDEX users_name ON users (lower(name));
     CREATE TABLE sessions (hash text PRIMARY KEY, user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       created_ts bigint NOT NULL, expires_ts bigint NOT NULL, last_seen_ts bigint NOT NULL, address text);
     CREATE INDEX sessions_user ON sessions (user_id);
     CREATE INDEX sessions_expires ON sessions (expires_ts);
     CREATE TABLE deleted_users (id text PRIMARY KEY);
     ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_owner FOREIGN KEY (owner) REFERENCES users (id) ON DELETE CASCADE;`,
  ],
  create(db) {
    const cols =
      'id, name, role, locale, theme, disabled, created_ts AS "createdTs", updated_ts AS "updatedTs", last_login_ts AS "lastLoginTs"';
    const toUser = (r: User) => compact({ ...r, disabled: r.disabled ? true : undefined });
    const sessionCols =
      'hash, user_id AS "userId", created_ts AS "createdTs", expires_ts AS "expiresTs", last_seen_ts AS "lastSeenTs", address';
    return {
      countUsers: async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM users'))?.n ?? 0,
      listUsers: async () =>
        (await db.rows<User>(`SELECT ${cols} FROM users ORDER BY lower(name) COLLATE "C", name COLLATE "C"`)).map(
          toUser,
        ),
      async getUser(id) {
        const r = await db.one<User>(`SELECT ${cols} FROM users WHERE id = $1`, [id]);
        return r ? toUser(r) : undefined;
      },
      async getUserByName(name) {
        const r = await db.one<User>(`SELECT ${cols} FROM users WHERE lower(name) = lower($1)`, [name]);
        return r ? toUser(r) : undefined;
      },
      getPasswordHash: async (id) =>
        (await db.one<{ h: string }>('SELECT password_hash AS h FROM users WHERE id = $1', [id]))?.h,
      async createUser(u, passwordHash) {
        await unlessTaken(`a user with the id or the name of "${u.name}" exists`, () =>
          db.run(
            `WITH revived AS (DELETE FROM deleted_users WHERE id = $1)
             INSERT INTO users (id, name, role, password_hash, locale, theme, disabled, created_ts, updated_ts, last_login_ts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [
              u.id,
              u.name,
              u.role,
              passwordHash,
              u.locale ?? null,
              u.theme ?? null,
              !!u.disabled,
              u.createdTs,
              u.updatedTs,
              u.lastLoginTs ?? null,
            ],
          ),
        );
      },
      async updateUser(id, patch, passwordHash) {
        // One UPDATE of the fields the patch names: nothing read first, so a concurrent change of another field stays.
        const sets: string[] = [];
        const values: unknown[] = [id];
        for (const [key, value] of Object.entries(patch)) {
          const f = PATCHABLE[key];
          if (!f || (value === undefined && !f.nullable)) continue;
          values.push(f.map ? f.map(value) : (value ?? null));
          sets.push(`${f.col} = $${values.length}`);
        }
        if (passwordHash) {
          values.push(passwordHash);
          sets.push(`password_hash = $${values.length}`);
        }
        if (!sets.length) return (await db.one('SELECT 1 FROM users WHERE id = $1', [id])) !== undefined;
        const name = patch.name;
        return (
          (await unlessTaken(`a user named "${name}" exists`, () =>
            db.run(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, values),
          )) > 0
        );
      },
      // Sessions and owned tokens go by cascade; tokens made naming this id before it was a user go here; the id is
      // remembered as deleted so that a token naming it cannot be made afterwards (see ./access.ts).
      deleteUser: async (id) =>
        ((
          await db.one<{ n: number }>(
            `WITH orphans AS (DELETE FROM api_tokens WHERE user_id = $1),
               gone AS (DELETE FROM users WHERE id = $1 RETURNING id),
               tomb AS (INSERT INTO deleted_users (id) SELECT id FROM gone ON CONFLICT DO NOTHING)
             SELECT count(*) AS n FROM gone`,
            [id],
          )
        )?.n ?? 0) > 0,
      async createSession(s) {
        await unlessTaken('a session with this hash exists', () =>
          db.run(
            'INSERT INTO sessions (hash, user_id, created_ts, expires_ts, last_seen_ts, address) VALUES ($1, $2, $3, $4, $5, $6)',
            [s.hash, s.userId, s.createdTs, s.expiresTs, s.lastSeenTs, s.address ?? null],
          ),
        );
      },
      async getSession(hash) {
        const r = await db.one<SessionRow>(`SELECT ${sessionCols} FROM sessions WHERE hash = $1`, [hash]);
        return r ? compact(r) : undefined;
      },
      async touchSession(hash, ts, expiresTs) {
        await db.run('UPDATE sessions SET last_seen_ts = $1, expires_ts = $2 WHERE hash = $3', [ts, expiresTs, hash]);
      },
      deleteSession: async (hash) => (await db.run('DELETE FROM sessions WHERE hash = $1', [hash])) > 0,
      deleteUserSessions: (userId, exceptHash) =>
        db.run('DELETE FROM sessions WHERE user_id = $1 AND hash IS DISTINCT FROM $2', [userId, exceptHash ?? null]),
      purgeSessions: (now) => db.run('DELETE FROM sessions WHERE expires_ts < $1', [now]),
    };
  },
});
