/**
 * Migrations of the SQLite store, from every earlier version: a database that an older Vigil left with one domain
 * at version k (every other domain at its latest) is opened by `openSqliteStore`, and must then have the schema of a
 * store created new (tables, columns, indexes, triggers, the FTS5 index and its settings), with the rows stored
 * before the upgrade readable through the repositories.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensurePrivateDir } from '../../model/private-fs.ts';
import { event, HOUR, log, MINUTE, T0, trap } from '../contract/helpers.ts';
import * as data from '../contract/migration-data.ts';
import { migrate } from './domain.ts';
import { Database } from './driver.ts';
import { domains, openSqliteStore, type SqliteStore } from './index.ts';

/**
 * Cases known to leave a store unlike a new one, by `<domain>@<version>`: each is reported as a todo (with the
 * difference) until its migration is fixed. Empty: every upgrade path gives the schema of a new store.
 */
const KNOWN_MISMATCHES: Record<string, string> = {};

const root = mkdtempSync(join(tmpdir(), 'vigil-migrations-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `s${++dirs}`);

/** Every domain's number of migrations: the version a store opened today is at. */
const LATEST: Record<string, number> = Object.fromEntries(domains.map((d) => [d.name, d.migrations.length]));

/**
 * A data directory as an older Vigil left it: each domain migrated up to `versions[name]` (its latest when not given),
 * through `migrate` itself; `seed` then writes rows with plain SQL of that version. Answers the directory.
 */
function olderStore(versions: Record<string, number>, seed?: (db: Database) => void): string {
  const dir = newDir();
  ensurePrivateDir(dir);
  const db = new Database(join(dir, 'vigil.db'));
  try {
    migrate(
      db,
      domains.map((d) => (d.name in versions ? { ...d, migrations: d.migrations.slice(0, versions[d.name]) } : d)),
    );
    seed?.(db);
  } finally {
    db.close();
  }
  return dir;
}

/** Opens the store in `dir`, runs `fn` on it, and closes it whatever `fn` does. */
function withStore<T>(dir: string, fn: (store: SqliteStore) => T): T {
  const store = openSqliteStore(dir);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

// ---- the schema, as SQLite describes it ----------------------------------------------------------------------------

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** SQL text with its layout dropped: runs of blanks become one space, none next to parentheses and before commas. */
const squash = (sql: string) =>
  sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/ ,/g, ',').trim();

/** Splits the text between a statement's outer parentheses at its top-level commas (not in parentheses or quotes). */
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '[') quote = ']';
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items.map(squash);
}

/**
 * A CREATE TABLE statement as what it defines: its column definitions and table constraints as a set (ALTER TABLE ADD
 * COLUMN writes the new column into the stored text where a CREATE TABLE naming it from the start would not; the
 * order of columns is compared through `table_xinfo`), and the options after the list (WITHOUT ROWID, STRICT).
 */
function tableDefinition(sql: string) {
  const open = sql.indexOf('(');
  const close = sql.lastIndexOf(')');
  return {
    head: squash(sql.slice(0, open)),
    items: topLevelItems(sql.slice(open + 1, close)).sort(),
    options: squash(sql.slice(close + 1)),
  };
}

/** The partial-index condition of a CREATE INDEX statement. */
const whereOf = (sql: string | null) => (sql ? /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1] : undefined);

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Everything of the schema that a migration makes, as comparable data; `sqlite_stat*` (ANALYZE's data) left out. */
function schemaOf(db: Database) {
  const master = db
    .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")
    .all() as MasterRow[];
  const sqlOf = new Map(master.map((o) => [o.name, o.sql]));
  const kinds = new Map(
    (db.pragma('table_list') as { schema: string; name: string; type: string; wr: number; strict: number }[])
      .filter((t) => t.schema === 'main')
      .map((t) => [t.name, t]),
  );
  const tables: Record<string, unknown> = {};
  for (const t of master.filter((o) => o.type === 'table').sort((a, b) => a.name.localeCompare(b.name))) {
    const kind = kinds.get(t.name);
    const id = quoteId(t.name);
    const indexes = (
      db.pragma(`index_list(${id})`) as { name: string; unique: number; origin: string; partial: number }[]
    )
      .map(({ name, unique, origin, partial }) => ({
        name,
        unique,
        origin,
        partial,
        columns: db.pragma(`index_xinfo(${quoteId(name)})`),
        where: partial ? squash(whereOf(sqlOf.get(name) ?? null) ?? '') : undefined,
        sql: sqlOf.get(name) ? squash(sqlOf.get(name)!) : null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    tables[t.name] = {
      kind: kind?.type,
      withoutRowid: kind?.wr,
      strict: kind?.strict,
      definition: kind?.type === 'virtual' || !t.sql ? squash(t.sql ?? '') : tableDefinition(t.sql),
      columns: db.pragma(`table_xinfo(${id})`),
      foreignKeys: db.pragma(`foreign_key_list(${id})`),
      indexes,
      // An FTS5 table's settings (automerge, crisismerge, version) live in its config table, not in its statement.
      config:
        kind?.type === 'shadow' && t.name.endsWith('_config')
          ? db.prepare(`SELECT k, v FROM ${id} ORDER BY k`).all()
          : undefined,
    };
  }
  const others = (type: string) =>
    Object.fromEntries(
      master
        .filter((o) => o.type === type)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((o) => [o.name, { table: o.tbl_name, sql: squash(o.sql ?? '') }]),
    );
  const versions = Object.fromEntries(
    (
      db.prepare('SELECT domain, MAX(version) AS v FROM schema_migrations GROUP BY domain ORDER BY domain').all() as {
        domain: string;
        v: number;
      }[]
    ).map((r) => [r.domain, r.v]),
  );
  return { tables, triggers: others('trigger'), views: others('view'), versions };
}
type Schema = ReturnType<typeof schemaOf>;

let latest: Schema | undefined;
/** The schema of a store created new today (made once). */
function latestSchema(): Schema {
  latest ??= withStore(newDir(), (s) => schemaOf(s.db));
  return latest;
}

/**
 * The first part (a table, trigger, view, or the versions) whose description differs, as `[path, upgraded, new]`,
 * so that a failure shows that part's own difference rather than the whole schema's.
 */
function firstDifference(upgraded: Schema, fresh: Schema): [string, unknown, unknown] | undefined {
  for (const part of ['tables', 'triggers', 'views', 'versions'] as const) {
    const x = upgraded[part] as Record<string, unknown>;
    const y = fresh[part] as Record<string, unknown>;
    for (const name of new Set([...Object.keys(x), ...Object.keys(y)]))
      if (JSON.stringify(x[name]) !== JSON.stringify(y[name])) return [`${part}.${name}`, x[name], y[name]];
  }
  return undefined;
}

/** Asserts that `upgraded` is the schema of a new store, naming the first part that differs. */
function assertLatest(upgraded: Schema): void {
  const diff = firstDifference(upgraded, latestSchema());
  if (diff) assert.deepEqual({ [diff[0]]: diff[1] }, { [diff[0]]: diff[2] });
  assert.deepEqual(upgraded, latestSchema());
}

// ---- (a) the schema, from every earlier version of every domain ----------------------------------------------------

test('the store opened today is at the latest version of every domain', () => {
  assert.deepEqual(latestSchema().versions, LATEST);
  assert.ok(Object.keys(latestSchema().tables).length > 20);
});

test('opening a store at the latest version again changes nothing', () => {
  const dir = newDir();
  const first = withStore(dir, (s) => schemaOf(s.db));
  const again = withStore(dir, (s) => ({
    schema: schemaOf(s.db),
    rows: (s.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n,
  }));
  assert.deepEqual(again.schema, first);
  assert.equal(
    again.rows,
    Object.values(LATEST).reduce((a, b) => a + b, 0),
  );
});

for (const domain of domains) {
  const n = domain.migrations.length;
  for (let k = 0; k < n; k++) {
    const known = KNOWN_MISMATCHES[`${domain.name}@${k}`];
    test(`${domain.name}: a store at version ${k} of ${n} is migrated to the schema of a new one`, {
      todo: known,
    }, () => {
      const dir = olderStore({ [domain.name]: k });
      // The starting point is that version indeed, and one that this comparison tells apart from the latest.
      const old = new Database(join(dir, 'vigil.db'), { readonly: true });
      let oldSchema: Schema;
      try {
        oldSchema = schemaOf(old);
      } finally {
        old.close();
      }
      assert.equal(oldSchema.versions[domain.name], k === 0 ? undefined : k);
      assert.notDeepEqual(oldSchema, latestSchema(), 'the older schema is told apart from the latest');

      assertLatest(withStore(dir, (s) => schemaOf(s.db)));
    });
  }
}

// ---- (b) rows stored before the upgrade, read through the repositories after it -----------------------------------

/** How one domain's rows are written at an older version (plain SQL of that version) and read back after. */
interface Fixture {
  seed(db: Database, version: number): void;
  check(store: SqliteStore): void;
}

function insert(db: Database, sql: string, ...rows: unknown[][]): void {
  const stmt = db.prepare(sql);
  for (const row of rows) stmt.run(...row);
}

/** Every domain's rows, in the order they are seeded. */
const fixtures: Record<string, Fixture> = {
  ingest: {
    seed(db) {
      insert(db, 'INSERT INTO ingested_batches (id, ts) VALUES (?, ?)', ['c1:1', T0]);
    },
    check(store) {
      assert.deepEqual(store.claimBatches(['c1:1', 'c1:2'], T0 + 1), ['c1:2']);
    },
  },
  devices: {
    seed(db, version) {
      insert(db, 'INSERT INTO devices (id, name, address, body, origin) VALUES (?, ?, ?, ?, ?)', [
        data.sw1.id,
        data.sw1.name,
        data.sw1.address,
        JSON.stringify(data.sw1),
        data.sw1.origin,
      ]);
      insert(db, 'INSERT INTO device_status (device_id, body) VALUES (?, ?)', ['sw1', JSON.stringify(data.sw1Status)]);
      // From version 2 on, the repository kept seen_up itself; version 1 had no such column (migration 2 derives it).
      const seenUp = version >= 2 ? ', seen_up' : '';
      insert(
        db,
        `INSERT INTO interfaces (device_id, if_index, body, oper_status, updated_ts${seenUp})
         VALUES (?, ?, ?, ?, ?${seenUp ? ', ?' : ''})`,
        ...[1, 2, 3].map((i) => [...data.ifValues(i), ...(seenUp ? [i === 3 ? 0 : 1] : [])]),
      );
      insert(
        db,
        'INSERT INTO interface_changes (device_id, if_index, ts, from_status, to_status) VALUES (?, ?, ?, ?, ?)',
        ['sw1', 2, T0 - MINUTE, 1, 2],
      );
    },
    check(store) {
      assert.deepEqual(store.getDevice('sw1'), data.sw1);
      assert.deepEqual(store.listDevices(), [data.sw1]);
      assert.deepEqual(store.getStatus('sw1'), data.sw1Status);
      assert.deepEqual(
        store.listInterfaces('sw1'),
        [1, 2, 3].map((i) => ({ ...data.ifBody(i, data.statusOf[i]), seenUp: i !== 3 })),
      );
      assert.deepEqual(store.listInterfaceChanges('sw1'), [{ ifIndex: 2, ts: T0 - MINUTE, from: 1, to: 2 }]);
      assert.deepEqual(store.interfaceChangesBetween(T0 - HOUR, T0), [
        { deviceId: 'sw1', ifIndex: 2, ts: T0 - MINUTE, from: 1, to: 2 },
      ]);
      // The repository goes on from the stored rows: port 3 coming up is a change from its stored status.
      store.applyInterfaceStates([
        { kind: 'interface-state', deviceId: 'sw1', ts: T0 + MINUTE, ifIndex: 3, name: 'Gi0/3', operStatus: 1 },
      ]);
      assert.deepEqual(store.listInterfaceChanges('sw1', 3), [{ ifIndex: 3, ts: T0 + MINUTE, from: 2, to: 1 }]);
      assert.deepEqual(
        store.listInterfaceStatuses().sort((a, b) => a.ifIndex - b.ifIndex),
        data.ifStatusesAfter,
      );
    },
  },
  samples: {
    seed(db) {
      insert(db, 'INSERT INTO series (id, device_id, metric, labels) VALUES (?, ?, ?, ?)', [
        1,
        'sw1',
        'if.in.bps',
        JSON.stringify(data.samplesLabels),
      ]);
      insert(db, 'INSERT INTO samples (series_id, ts, value) VALUES (?, ?, ?)', [1, T0, 10], [1, T0 + MINUTE, 30]);
      for (const table of ['rollup_5m', 'rollup_1h'])
        insert(db, `INSERT INTO ${table} (series_id, ts, min, max, sum, n) VALUES (?, ?, ?, ?, ?, ?)`, [
          1,
          T0,
          10,
          30,
          40,
          2,
        ]);
      insert(db, 'INSERT INTO latest (series_id, ts, value) VALUES (?, ?, ?)', [1, T0 + MINUTE, 30]);
    },
    check(store) {
      const q = { deviceId: 'sw1', metric: 'if.in.bps', from: T0, to: T0 + HOUR };
      assert.deepEqual(store.querySeries({ ...q, tier: 'raw' }), [data.rawSeries]);
      assert.deepEqual(store.querySeries({ ...q, tier: '1h' })[0]?.points, [{ ts: T0, value: 20, min: 10, max: 30 }]);
      assert.deepEqual(store.latest('if.in.bps', 'sw1'), [
        { deviceId: 'sw1', labels: data.samplesLabels, ts: T0 + MINUTE, value: 30 },
      ]);
      // A new sample of the same series joins it (no second series) and its rollups.
      store.writeSamples([data.laterSample]);
      const after = store.querySeries({ ...q, tier: '5m' });
      assert.equal(after.length, 1);
      assert.deepEqual(after[0].points, [{ ts: T0, value: 30, min: 10, max: 50 }]);
    },
  },
  access: {
    seed(db) {
      insert(
        db,
        'INSERT INTO api_tokens (id, hash, name, role, user_id, created_ts, last_used_ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ['t1', 'token-hash', 'ci', 'operator', 'u1', T0, T0 + 5],
      );
      insert(db, 'INSERT INTO audit_log (ts, actor, action, target, details, result) VALUES (?, ?, ?, ?, ?, ?)', [
        T0,
        'admin',
        'device.create',
        'sw1',
        JSON.stringify({ name: 'core-sw1' }),
        'ok',
      ]);
      insert(db, 'INSERT INTO kv (key, value) VALUES (?, ?)', ['ui.layout', JSON.stringify({ columns: 3 })]);
    },
    check(store) {
      assert.deepEqual(store.findTokenByHash('token-hash'), data.token);
      assert.deepEqual(store.listTokens('u1'), [data.token]);
      assert.deepEqual(store.listAudit(), [data.auditEntry]);
      assert.deepEqual(store.getKv('ui.layout'), { columns: 3 });
    },
  },
  users: {
    seed(db) {
      insert(
        db,
        `INSERT INTO users (id, name, role, password_hash, locale, theme, created_ts, updated_ts, last_login_ts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        data.aliceValues,
      );
      insert(
        db,
        'INSERT INTO sessions (hash, user_id, created_ts, expires_ts, last_seen_ts, address) VALUES (?, ?, ?, ?, ?, ?)',
        data.sessionValues,
      );
    },
    check(store) {
      assert.deepEqual(store.getUser('u1'), data.alice);
      assert.equal(store.getUserByName('ALICE')?.id, 'u1');
      assert.equal(store.getPasswordHash('u1'), data.passwordHash);
      assert.deepEqual(store.getSession(data.session.hash), data.session);
      assert.equal(store.updateUser('u1', { disabled: true, updatedTs: T0 + 9 }), true);
      assert.deepEqual(store.getUser('u1'), { ...data.alice, disabled: true, updatedTs: T0 + 9 });
    },
  },
  events: {
    seed(db) {
      insert(
        db,
        `INSERT INTO events (id, dedup_key, state, severity, source, device_id, first_seen, last_seen, cleared_ts, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        data.e1Values,
      );
      insert(
        db,
        'INSERT INTO event_history (event_id, ts, actor, action, comment, details) VALUES (?, ?, ?, ?, ?, ?)',
        ['e1', T0, 'system', 'opened', null, JSON.stringify({ rule: 'icmp-down' })],
        ['e1', T0 + 5, 'alice', 'acknowledged', 'on it', null],
      );
      insert(db, 'INSERT INTO rules (id, kind, body, updated_ts) VALUES (?, ?, ?, ?)', [
        data.rule.id,
        data.rule.kind,
        JSON.stringify(data.rule),
        T0,
      ]);
      insert(db, 'INSERT INTO maintenance_windows (id, body) VALUES (?, ?)', [
        data.maintenanceWindow.id,
        JSON.stringify(data.maintenanceWindow),
      ]);
    },
    check(store) {
      assert.deepEqual(store.getEvent('e1'), data.e1);
      assert.deepEqual(store.listActiveEvents(), [data.e1]);
      assert.deepEqual(store.eventHistory('e1'), data.e1History);
      assert.deepEqual(store.listRules('threshold'), [data.rule]);
      assert.deepEqual(store.getMaintenance('mw1'), data.maintenanceWindow);
      // An event stored before incidents existed is a top-level one; a child saved now is listed under its incident.
      store.saveEvents([event('e2', { incidentId: 'e1', lastSeen: T0 + 20 })]);
      const ids = (q: Parameters<SqliteStore['listEvents']>[0]) => store.listEvents(q).events.map((e) => e.id);
      assert.deepEqual(ids({ topLevel: true }), ['e1']);
      assert.deepEqual(ids({ incidentId: 'e1' }), ['e2']);
    },
  },
  notifications: {
    seed(db) {
      insert(db, 'INSERT INTO notify_channels (id, type, body) VALUES (?, ?, ?)', [
        data.channel.id,
        data.channel.type,
        JSON.stringify(data.channel),
      ]);
      insert(db, 'INSERT INTO notify_routes (id, body) VALUES (?, ?)', [data.route.id, JSON.stringify(data.route)]);
      insert(
        db,
        `INSERT INTO notify_deliveries (ts, channel_id, channel_type, kind, event_ids, attempt, ok, status, error,
           duration_ms, will_retry)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [T0, 'ops', 'webhook', 'raise', JSON.stringify(['e1']), 1, 0, 503, 'HTTP 503', 35, 1],
      );
    },
    check(store) {
      assert.deepEqual(store.getChannel('ops'), data.channel);
      assert.deepEqual(store.listRoutes(), [data.route]);
      assert.deepEqual(store.listDeliveries({ eventId: 'e1' }), [data.delivery]);
    },
  },
  traps: {
    seed(db) {
      insert(
        db,
        `INSERT INTO traps (received_ts, source, agent, device_id, version, pdu_type, user, trap_oid, uptime_cs,
           varbinds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...data.traps.map(data.trapValues),
      );
    },
    check(store) {
      const ids = (q: Parameters<SqliteStore['listTraps']>[0]) => store.listTraps(q).items.map((t) => t.id);
      assert.deepEqual(store.listTraps().items, [data.trapRow(2, data.traps[1]), data.trapRow(1, data.traps[0])]);
      assert.deepEqual(ids({ deviceId: 'sw1' }), [1]);
      assert.deepEqual(ids({ from: T0 + 1500 }), [2]);
      assert.deepEqual(ids({ to: T0 + 1500 }), [1]);
      assert.deepEqual(ids({ source: '198.51.100.7' }), [2]);
      assert.deepEqual(ids({ trapOid: '1.3.6.1.4.1.9' }), [2]);
      store.writeTraps([trap(3, { deviceId: 'sw1' })]);
      assert.deepEqual(ids({ deviceId: 'sw1' }), [3, 1]);
      assert.equal(store.countTraps(), 3);
    },
  },
  logs: {
    seed(db) {
      insert(
        db,
        `INSERT INTO logs (received_ts, ts, source, device_id, transport, facility, severity, hostname, app, procid,
           msgid, sd, message, raw, flags, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...data.logs.map(data.logValues),
      );
      // The index of the version (version 1: contentless, its own copy of the words), and the byte count.
      db.exec('INSERT INTO logs_fts (rowid, message) SELECT id, message FROM logs');
      db.prepare('UPDATE logs_meta SET bytes = ? WHERE id = 1').run(data.logBytes);
    },
    check(store) {
      const ids = (q: Parameters<SqliteStore['queryLogs']>[0]) => store.queryLogs(q).logs.map((l) => l.id);
      assert.deepEqual(store.queryLogs({}).logs, [data.storedLog(2, data.logs[1]), data.storedLog(1, data.logs[0])]);
      assert.deepEqual(ids({ q: 'password' }), [2]);
      assert.deepEqual(ids({ q: '"changed state to down"' }), [1]);
      assert.deepEqual(ids({ q: '203.0.113.9' }), [2]);
      assert.deepEqual(ids({ q: 'interface -password' }), [1]);
      assert.deepEqual(ids({ deviceId: 'sw1' }), [1]);
      assert.deepEqual(store.logStats(), { count: 2, bytes: data.logBytes, oldestReceivedTs: data.logs[0].receivedTs });
      // Lines written after the upgrade are searched together with the older ones.
      store.writeLogs([log(3, { message: 'Failed password for root from 192.0.2.77' })]);
      assert.deepEqual(ids({ q: 'failed password' }), [3, 2]);
    },
  },
};

test('every domain has a data fixture', () => {
  assert.deepEqual(Object.keys(fixtures).sort(), domains.map((d) => d.name).sort());
});

test('rows stored with every domain at version 1 are read back after the upgrade', () => {
  const dir = olderStore(Object.fromEntries(domains.map((d) => [d.name, 1])), (db) => {
    for (const fixture of Object.values(fixtures)) fixture.seed(db, 1);
  });
  withStore(dir, (store) => {
    assertLatest(schemaOf(store.db));
    for (const [name, fixture] of Object.entries(fixtures)) {
      try {
        fixture.check(store);
      } catch (error) {
        (error as Error).message = `${name}: ${(error as Error).message}`;
        throw error;
      }
    }
  });
});

for (const domain of domains) {
  const n = domain.migrations.length;
  for (let k = 2; k < n; k++) {
    test(`${domain.name}: rows stored at version ${k} of ${n} are read back after the upgrade`, () => {
      const dir = olderStore({ [domain.name]: k }, (db) => fixtures[domain.name].seed(db, k));
      withStore(dir, (store) => fixtures[domain.name].check(store));
    });
  }
}
