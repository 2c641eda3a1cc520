import { VigilError } from '../../model/errors.ts';
import type { ApiToken, AuditStore, KvStore, TokenStore } from '../types.ts';
import { unlessTaken } from './conflict.ts';
import { defineDomain } from './domain.ts';
import { compact, fromJson, toJson } from '../json.ts';

/** API tokens (hashes only), the audit log and a small key/value table. */
export const accessDomain = defineDomain<TokenStore & AuditStore & KvStore>({
  name: 'access',
  migrations: [
    `CREATE TABLE api_tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL, user_id TEXT, created_ts INTEGER NOT NULL, last_used_ts INTEGER);
     CREATE TABLE audit_log (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, details TEXT, result TEXT);
     CREATE INDEX audit_ts ON audit_log(ts DESC);
     CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  ],
  create(db) {
    const cols = 'id, name, role, user_id AS userId, created_ts AS createdTs, last_used_ts AS lastUsedTs';
    const toToken = (r: unknown) => compact(r as ApiToken);
    const findByHash = db.prepare(`SELECT ${cols} FROM api_tokens WHERE hash = ?`);
    return {
      createToken(t, hash) {
        const made = unlessTaken(`token ${t.id}: its id or its hash is taken`, () =>
          db
            .prepare(
              `INSERT INTO api_tokens (id, hash, name, role, user_id, created_ts) SELECT ?, ?, ?, ?, ?, ?
               WHERE NOT EXISTS (SELECT 1 FROM deleted_users WHERE id = ?)`,
            )
            .run(t.id, hash, t.name, t.role, t.userId ?? null, t.createdTs, t.userId ?? null),
        );
        if (!made.changes) throw new VigilError('VIGIL_NOT_FOUND', `token ${t.id}: user ${t.userId} was deleted`);
      },
      findTokenByHash(hash) {
        const r = findByHash.get(hash);
        return r ? toToken(r) : undefined;
      },
      listTokens: (userId) =>
        (userId
          ? db.prepare(`SELECT ${cols} FROM api_tokens WHERE user_id = ? ORDER BY created_ts`).all(userId)
          : db.prepare(`SELECT ${cols} FROM api_tokens ORDER BY created_ts`).all()
        ).map(toToken),
      deleteToken: (id) => db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id).changes > 0,
      touchToken(id, ts) {
        db.prepare('UPDATE api_tokens SET last_used_ts = ? WHERE id = ?').run(ts, id);
      },
      audit(e) {
        db.prepare('INSERT INTO audit_log (ts, actor, action, target, details, result) VALUES (?, ?, ?, ?, ?, ?)').run(
          e.ts,
          e.actor,
          e.action,
          e.target ?? null,
          toJson(e.details),
          e.result ?? null,
        );
      },
      listAudit({ limit = 100, before } = {}) {
        const rows = db
          .prepare(
            'SELECT id, ts, actor, action, target, details, result FROM audit_log WHERE (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
          )
          .all(before ?? null, before ?? null, limit) as Record<string, unknown>[];
        return rows.map((r) => compact({ ...r, details: fromJson(r.details, undefined) }) as never);
      },
      getKv(key) {
        const r = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
        return r ? JSON.parse(r.value) : undefined;
      },
      listKv: (prefix) =>
        (
          db
            .prepare('SELECT key, value FROM kv WHERE substr(key, 1, ?) = ? ORDER BY key')
            .all(prefix.length, prefix) as { key: string; value: string }[]
        ).map((r) => ({ key: r.key, value: JSON.parse(r.value) })),
      setKv(key, value) {
        db.prepare(
          'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ).run(key, JSON.stringify(value));
      },
    };
  },
});
