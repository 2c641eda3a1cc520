import { VigilError } from '../../model/errors.ts';
import { compact } from '../json.ts';
import type { ApiToken, AuditEntry, AuditStore, Async, KvStore, TokenStore } from '../types.ts';
import { unlessTaken } from './db.ts';
import { definePgDomain } from './domain.ts';

/** SQLite takes a negative LIMIT as "no limit"; PostgreSQL takes NULL for that and refuses a negative one. */
const limitOf = (n: number) => (n < 0 ? null : Math.floor(n));

/**
 * API tokens (hashes only), the audit log and a small key/value table, as ../sqlite/access.ts.
 *
 * A token's `owner` is its user's id when that user existed as the token was made: the users domain makes it a
 * foreign key with ON DELETE CASCADE, so a token made while its user is being deleted elsewhere cannot outlive them
 * (the insert either waits for the delete and fails, or the delete waits for the insert and takes the token along).
 * `user_id` is what callers gave, kept apart because the contract lets a token name a user that does not exist; a
 * user that existed and was deleted leaves its id in `deleted_users` (users domain), and a token naming it is refused,
 * so that one made just after the delete committed (its caller having seen the user a moment before) is not left
 * behind either.
 */
export const accessPgDomain = definePgDomain<Async<TokenStore & AuditStore & KvStore>>({
  name: 'access',
  migrations: [
    `CREATE TABLE api_tokens (id text PRIMARY KEY, hash text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,
       user_id text, owner text, created_ts bigint NOT NULL, last_used_ts bigint);
     CREATE INDEX api_tokens_user ON api_tokens (user_id);
     CREATE INDEX api_tokens_owner ON api_tokens (owner);
     CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL, actor text NOT NULL,
       action text NOT NULL, target text, details jsonb, result text);
     CREATE TABLE kv (key text PRIMARY KEY, value text NOT NULL);`,
  ],
  create(db) {
    const cols = 'id, name, role, user_id AS "userId", created_ts AS "createdTs", last_used_ts AS "lastUsedTs"';
    const toToken = (r: ApiToken) => compact(r);
    return {
      async createToken(t, hash) {
        let made: number;
        try {
          made = await unlessTaken(`token ${t.id}: its id or its hash is taken`, () =>
            db.run(
              `INSERT INTO api_tokens (id, hash, name, role, user_id, owner, created_ts)
               SELECT $1::text, $2::text, $3::text, $4::text, $5::text, (SELECT u.id FROM users u WHERE u.id = $5), $6::bigint
               WHERE NOT EXISTS (SELECT 1 FROM deleted_users d WHERE d.id = $5)`,
              [t.id, hash, t.name, t.role, t.userId ?? null, t.createdTs],
            ),
          );
        } catch (error) {
          // 23503: the owner was deleted by another transaction between this statement's look and its insert.
          if ((error as { code?: unknown })?.code === '23503')
            throw new VigilError('VIGIL_NOT_FOUND', `token ${t.id}: user ${t.userId} was deleted`);
          throw error;
        }
        if (!made) throw new VigilError('VIGIL_NOT_FOUND', `token ${t.id}: user ${t.userId} was deleted`);
      },
      async findTokenByHash(hash) {
        const r = await db.one<ApiToken>(`SELECT ${cols} FROM api_tokens WHERE hash = $1`, [hash]);
        return r ? toToken(r) : undefined;
      },
      listTokens: async (userId) =>
        (userId
          ? await db.rows<ApiToken>(`SELECT ${cols} FROM api_tokens WHERE user_id = $1 ORDER BY created_ts, id`, [
              userId,
            ])
          : await db.rows<ApiToken>(`SELECT ${cols} FROM api_tokens ORDER BY created_ts, id`)
        ).map(toToken),
      deleteToken: async (id) => (await db.run('DELETE FROM api_tokens WHERE id = $1', [id])) > 0,
      async touchToken(id, ts) {
        await db.run('UPDATE api_tokens SET last_used_ts = $1 WHERE id = $2', [ts, id]);
      },
      async audit(e) {
        await db.run(
          'INSERT INTO audit_log (ts, actor, action, target, details, result) VALUES ($1, $2, $3, $4, $5::jsonb, $6)',
          [
            e.ts,
            e.actor,
            e.action,
            e.target ?? null,
            e.details === undefined || e.details === null ? null : JSON.stringify(e.details),
            e.result ?? null,
          ],
        );
      },
      async listAudit({ limit = 100, before } = {}) {
        const cols = 'SELECT id, ts, actor, action, target, details, result FROM audit_log';
        const rows =
          before === undefined || before === null
            ? await db.rows<AuditEntry>(`${cols} ORDER BY id DESC LIMIT $1`, [limitOf(limit)])
            : await db.rows<AuditEntry>(`${cols} WHERE id < $1 ORDER BY id DESC LIMIT $2`, [before, limitOf(limit)]);
        return rows.map((r) => compact(r));
      },
      async getKv(key) {
        const r = await db.one<{ value: string }>('SELECT value FROM kv WHERE key = $1', [key]);
        return r ? JSON.parse(r.value) : undefined;
      },
      listKv: async (prefix) =>
        (
          await db.rows<{ key: string; value: string }>(
            'SELECT key, value FROM kv WHERE left(key, length($1)) = $1 ORDER BY key COLLATE "C"',
            [prefix],
          )
        ).map((r) => ({ key: r.key, value: JSON.parse(r.value) })),
      async setKv(key, value) {
        await db.run(
          'INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [key, JSON.stringify(value)],
        );
      },
    };
  },
});
