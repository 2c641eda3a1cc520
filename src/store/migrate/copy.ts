/**
 * `vigil store migrate`: copies a SQLite store into an empty PostgreSQL one, table by table in batches. Each batch
 * goes in with a note of the last source key it held, in one transaction, so an interrupted copy resumes where it
 * stopped when run again and nothing is copied twice. Ids are kept (samples point at series ids, history at event
 * ids); the target's sequences are moved past them at the end. The copy is verified by counting both sides.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { VigilError } from '../../model/errors.ts';
import { dbOver, openPool, redactUrl } from '../postgres/db.ts';
import { ensurePartitions, type PgShared } from '../postgres/domain.ts';
import { openPostgres } from '../postgres/index.ts';
import { openSqliteStore } from '../sqlite/index.ts';
import { COPY_PLAN, type Row, type TableCopy } from './plan.ts';

export interface MigrateOptions {
  /** The SQLite store's data directory (the one holding `vigil.db`). */
  from: string;
  /** The PostgreSQL URL (a secret: only ever shown through `redactUrl`). */
  to: string;
  /** Rows per batch (default 5,000). */
  batchRows?: number;
  /** Told after every batch. */
  onProgress?: (p: MigrateProgress) => void;
  /** Stops between two batches when aborted, as an interrupted run would (the next run resumes). */
  signal?: AbortSignal;
}

export interface MigrateProgress {
  table: string;
  /** Rows of every table copied so far, and in all (the source's counts at the start). */
  copied: number;
  total: number;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface MigrateResult {
  /** True when a previous interrupted run's progress was found and continued. */
  resumed: boolean;
  /** Rows copied by this run. */
  copied: number;
  counts: TableCount[];
  /** Every table's counts agree. */
  verified: boolean;
}

const PROGRESS = 'store_migrate_progress';

interface TargetColumn {
  name: string;
  type: string;
}

/** Source key columns for keyset paging: the primary key, or the rowid of a table without one. */
function keyColumns(db: ReturnType<typeof openSqliteStore>['db'], table: string): string[] {
  const cols = db.prepare(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as {
    name: string;
  }[];
  return cols.length ? cols.map((c) => c.name) : ['rowid'];
}

/** The parameter type a column's values are sent as, and the expression that makes the column's value of it. */
function columnInput(col: TargetColumn, u: string): { param: string; expr: string } {
  if (col.type === 'json' || col.type === 'jsonb') return { param: 'text[]', expr: `${u}::${col.type}` };
  if (col.type.endsWith('[]'))
    return {
      param: 'text[]',
      expr: `CASE WHEN ${u} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${u}::jsonb))::${col.type} END`,
    };
  return { param: `${col.type}[]`, expr: u };
}

/** A source value as the target column takes it (SQLite keeps booleans as 0/1 and arrays as JSON text). */
function convert(col: TargetColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (col.type === 'boolean') return typeof v === 'number' || typeof v === 'bigint' ? Number(v) !== 0 : Boolean(v);
  if (col.type === 'bytea') return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array);
  return v;
}

export async function migrateStore(opts: MigrateOptions): Promise<MigrateResult> {
  const batchRows = opts.batchRows ?? 5000;
  if (!existsSync(join(opts.from, 'vigil.db')))
    throw new VigilError('VIGIL_CONFIG', `--from ${opts.from}: no Vigil store there (no vigil.db)`);
  // Both stores are brought to this version's schema first: the copy maps current columns only.
  const source = openSqliteStore(opts.from);
  let pool: pg.Pool | undefined;
  try {
    await (await openPostgres(opts.to, { pool: 2 })).close();
    pool = await openPool(opts.to, 3);
    const db = dbOver(pool);
    const resumed = Boolean((await db.one<{ t: string | null }>('SELECT to_regclass($1) AS t', [PROGRESS]))?.t);
    if (!resumed) {
      for (const { table } of COPY_PLAN) {
        if ((await db.one<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`))?.any)
          throw new VigilError(
            'VIGIL_CONFLICT',
            `--to ${redactUrl(opts.to)}: the database already holds Vigil data (table ${table}); the copy goes into an empty store only`,
          );
      }
      await db.run(
        `CREATE TABLE ${PROGRESS} (source_table text PRIMARY KEY, last_key jsonb NOT NULL, copied bigint NOT NULL)`,
      );
    }
    const sourceCount = (table: string) =>
      (source.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const totals = new Map(COPY_PLAN.map((t) => [t.table, sourceCount(t.table)]));
    const total = [...totals.values()].reduce((a, b) => a + b, 0);
    const done = new Map(
      (await db.rows<{ source_table: string; copied: number }>(`SELECT source_table, copied FROM ${PROGRESS}`)).map(
        (r) => [r.source_table, r.copied],
      ),
    );
    const copiedBefore = [...done.values()].reduce((a, b) => a + b, 0);
    let copied = 0;
    const shared: PgShared = { partitions: new Set(), pool: db };
    for (const plan of COPY_PLAN) {
      const n = await copyTable(source.db, pool, shared, plan, batchRows, opts.signal, (rows) => {
        copied += rows;
        opts.onProgress?.({ table: plan.table, copied: copiedBefore + copied, total });
      });
      if (n === undefined) return { resumed, copied, counts: [], verified: false };
    }
    await moveSequences(db);
    const counts: TableCount[] = [];
    for (const { table } of COPY_PLAN) {
      const target = (await db.one<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table}`))?.n ?? 0;
      counts.push({ table, source: sourceCount(table), target });
    }
    const verified = counts.every((c) => c.source === c.target);
    if (verified) await db.run(`DROP TABLE ${PROGRESS}`);
    return { resumed, copied, counts, verified };
  } finally {
    source.close();
    await pool?.end().catch(() => {});
  }
}

/** Copies what is left of one table; answers the rows copied, or undefined when aborted. */
async function copyTable(
  src: ReturnType<typeof openSqliteStore>['db'],
  pool: pg.Pool,
  shared: PgShared,
  plan: TableCopy,
  batchRows: number,
  signal: AbortSignal | undefined,
  onBatch: (rows: number) => void,
): Promise<number | undefined> {
  const db = dbOver(pool);
  const { table } = plan;
  const targetColumns = await db.rows<TargetColumn & { generated: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated <> '' AS generated
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  const byName = new Map(targetColumns.filter((c) => !c.generated).map((c) => [c.name, c]));
  const key = keyColumns(src, table);
  const keyList = key.join(', ');
  const marks = key.map(() => '?').join(', ');
  const first = src.prepare(`SELECT ${keyList}, * FROM ${table} ORDER BY ${keyList} LIMIT ?`);
  const next = src.prepare(
    `SELECT ${keyList}, * FROM ${table} WHERE (${keyList}) > (${marks}) ORDER BY ${keyList} LIMIT ?`,
  );
  let last = (
    await db.one<{ last_key: unknown[] }>(`SELECT last_key FROM ${PROGRESS} WHERE source_table = $1`, [table])
  )?.last_key;
  // Each row is read with its key first (`SELECT k, *` names an INTEGER PRIMARY KEY twice; the copy skips the first).
  const read = (after: unknown[] | undefined) =>
    (after ? next.raw().all(...after, batchRows) : first.raw().all(batchRows)) as unknown[][];
  const names = first.columns().map((c) => c.name);
  let copied = 0;
  let batch: ReturnType<typeof batchFor> | undefined;
  let rows = read(last);
  while (rows.length) {
    if (signal?.aborted) return undefined;
    const mapped = rows.map((r) => {
      const row: Row = {};
      for (let i = key.length; i < names.length; i++) row[names[i]] = r[i];
      return plan.map ? plan.map(row) : row;
    });
    batch ??= batchFor(plan, Object.keys(mapped[0]), byName);
    if (plan.partitionBy) {
      const column = plan.partitionBy;
      await ensurePartitions(
        shared,
        table,
        mapped.map((r) => Number(r[column])),
      );
    }
    last = rows[rows.length - 1].slice(0, key.length);
    const params: unknown[] = batch.columns.map((c) => mapped.map((r) => convert(c, r[c.name])));
    if (plan.withBatch) params.push(...plan.withBatch.params(mapped));
    params.push(table, JSON.stringify(last), rows.length);
    // One statement, sent at once: PostgreSQL stores this batch while this process reads and maps the next.
    const writing = db.run(batch.sql, params).catch((error: unknown) => {
      throw new Error(`copying ${table}: ${(error as Error).message}`);
    });
    const following = read(last);
    await writing;
    copied += rows.length;
    onBatch(rows.length);
    rows = following;
  }
  if (plan.afterTable) await db.run(plan.afterTable);
  return copied;
}

/**
 * The statement that stores one batch: the rows, the plan's `withBatch` and the progress note, in one statement (so
 * in one transaction). Parameters: one array per column, then `withBatch`'s, then table, last key and row count.
 */
function batchFor(plan: TableCopy, names: string[], byName: Map<string, TargetColumn>) {
  const { table } = plan;
  const columns = names.map((name) => {
    const col = byName.get(name);
    // A source column the target lacks is a plan that no longer matches the schemas: never drop data silently.
    if (!col)
      throw new Error(`copying ${table}: the PostgreSQL store has no column ${name} (update store/migrate/plan.ts)`);
    return col;
  });
  const inputs = columns.map((c, i) => columnInput(c, `u.c${i}`));
  let n = columns.length;
  const ctes = [
    `copied AS (INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) OVERRIDING SYSTEM VALUE
      SELECT ${inputs.map((x) => x.expr).join(', ')}
      FROM unnest(${inputs.map((x, i) => `$${i + 1}::${x.param}`).join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})
      RETURNING 1)`,
  ];
  if (plan.withBatch) {
    const offset = n;
    const sql = plan.withBatch.sql.replace(/\$(\d+)/g, (_, d: string) => `$${Number(d) + offset}`);
    n += (plan.withBatch.sql.match(/\$\d+/g) ?? []).reduce((m, x) => Math.max(m, Number(x.slice(1))), 0);
    ctes.push(`counted AS (${sql})`);
  }
  const sql = `WITH ${ctes.join(', ')}
    INSERT INTO ${PROGRESS} AS p (source_table, last_key, copied) VALUES ($${n + 1}, $${n + 2}::jsonb, $${n + 3})
    ON CONFLICT (source_table) DO UPDATE SET last_key = excluded.last_key, copied = p.copied + excluded.copied`;
  return { sql, columns };
}

/** Moves every sequence of the copied tables (identity and serial columns) past the ids copied into them. */
async function moveSequences(db: ReturnType<typeof dbOver>): Promise<void> {
  for (const { table } of COPY_PLAN) {
    const cols = await db.rows<{ name: string; seq: string }>(
      `SELECT a.attname AS name, pg_get_serial_sequence($1, a.attname) AS seq FROM pg_attribute a
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
         AND pg_get_serial_sequence($1, a.attname) IS NOT NULL`,
      [table],
    );
    for (const { name, seq } of cols)
      await db.run(`SELECT setval($1, coalesce((SELECT max(${name}) FROM ${table}), 0) + 1, false)`, [seq]);
  }
}
