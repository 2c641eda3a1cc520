import type Database from 'better-sqlite3';

/**
 * One slice of the SQLite store: its migrations (applied in order, tracked per domain) and
 * the repository built on the open database. Domains are listed in `index.ts`.
 */
export interface SqliteDomain<T extends object> {
  name: string;
  migrations: string[];
  create(db: Database.Database): T & RepoHooks;
}

/** What a repository may ask of the store beside its own interface (not part of `Store`). */
export interface RepoHooks {
  /** Called after a transaction was undone: forget what the repository cached of rows that are gone with it. */
  afterRollback?(): void;
}

export const defineDomain = <T extends object>(d: SqliteDomain<T>) => d;

export function migrate(db: Database.Database, domains: SqliteDomain<object>[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (domain TEXT NOT NULL, version INTEGER NOT NULL, applied_ts INTEGER NOT NULL, PRIMARY KEY (domain, version))',
  );
  const applied = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE domain = ?');
  const record = db.prepare('INSERT INTO schema_migrations (domain, version, applied_ts) VALUES (?, ?, ?)');
  for (const domain of domains) {
    const current = (applied.get(domain.name) as { v: number | null }).v ?? 0;
    domain.migrations.slice(current).forEach((sql, i) => {
      db.transaction(() => {
        db.exec(sql);
        record.run(domain.name, current + i + 1, Date.now());
      })();
    });
  }
}
