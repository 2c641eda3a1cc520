/**
 * `vigil store migrate` against a real PostgreSQL (a throwaway cluster): a SQLite store holding every kind of data
 * is copied, interrupted and resumed, verified by counts, and then answers every read as the SQLite store does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../../../test/harness/postgres.ts';
import { isVigilError } from '../../model/errors.ts';
import { WIRE_VARBINDS, type TrapRecord } from '../../model/records.ts';
import { DAY, device, event, HOUR, log, MINUTE, T0, trap } from '../contract/helpers.ts';
import { openPostgres } from '../postgres/index.ts';
import { openSqlite } from '../sqlite/async.ts';
import { packTraps } from '../trap-columns.ts';
import type { Store } from '../types.ts';
import { migrateStore } from './copy.ts';

let server: TestPostgres;
const dirs: string[] = [];
let databases = 0;

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh empty database on the test cluster; answers its URL. */
async function database(): Promise<string> {
  const name = `migrate_${++databases}`;
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return server.url.replace(/\/[^/]*$/, `/${name}`);
}

/** The varbind list `1.3.6.1.2.1.2.2.1.1.<i> = INTEGER i` as it came on the wire. */
function wireTrap(i: number): TrapRecord {
  const oid = Buffer.from([0x06, 0x0a, 0x2b, 6, 1, 2, 1, 2, 2, 1, 1, i]);
  const value = Buffer.from([0x02, 0x01, i]);
  const vb = Buffer.concat([Buffer.from([0x30, oid.length + value.length]), oid, value]);
  const list = Buffer.concat([Buffer.from([0x30, vb.length]), vb]);
  return {
    ...trap(100 + i, { varbinds: [{ oid: `1.3.6.1.2.1.2.2.1.1.${i}`, type: 'Integer', value: i }] }),
    [WIRE_VARBINDS]: list,
  } as TrapRecord;
}

const LOGS = 3_210;

/** A SQLite store with some of everything, over three days (so that the target makes several partitions). */
async function seed(s: Store): Promise<void> {
  for (const id of ['sw1', 'sw2', 'fw1']) await s.putDevice(device(id, { tags: ['core', '장비'] }));
  await s.applyDeviceStates([
    { kind: 'device-state', deviceId: 'sw1', ts: T0, icmp: { up: true, lossPct: 0, rttAvgMs: 1.5 } },
    {
      kind: 'device-state',
      deviceId: 'sw1',
      ts: T0 + 1,
      snmp: { ok: true, version: 'v2c', system: { sysName: 'sw1', sysDescr: 'Cisco IOS' } },
      rebooted: true,
    },
    {
      kind: 'device-state',
      deviceId: 'fw1',
      ts: T0,
      snmp: { ok: false, version: 'v3', errorCode: 'VIGIL_SNMP_TIMEOUT' },
    },
  ]);
  for (const [ts, oper] of [
    [T0, 1],
    [T0 + MINUTE, 2],
    [T0 + 2 * MINUTE, 1],
  ] as const)
    await s.applyInterfaceStates(
      [1, 2].map((ifIndex) => ({
        kind: 'interface' as const,
        deviceId: 'sw1',
        ts,
        ifIndex,
        ifDescr: `Gi0/${ifIndex}`,
        operStatus: ifIndex === 1 ? oper : 1,
        adminStatus: 1,
      })) as never,
    );
  const samples = [];
  for (let t = T0; t < T0 + 2 * DAY + 2 * HOUR; t += 10 * MINUTE)
    for (const deviceId of ['sw1', 'sw2'])
      samples.push(
        { kind: 'sample' as const, deviceId, metric: 'icmp.rtt.avg', labels: {}, ts: t, value: (t / MINUTE) % 7 },
        { kind: 'sample' as const, deviceId, metric: 'if.in.bps', labels: { ifIndex: '1' }, ts: t, value: t % 1000 },
      );
  await s.writeSamples(samples);
  await s.maintain(T0 + 2 * DAY + 2 * HOUR, { raw: 30, '5m': 90, '1h': 365 });
  await s.setKv('settings', { pollIntervalS: 30, note: '설정' });
  await s.createUser({ id: 'u1', name: 'admin', role: 'admin', createdTs: T0, updatedTs: T0 }, 'hash-1');
  await s.createUser(
    { id: 'u2', name: 'viewer', role: 'viewer', locale: 'ko', disabled: true, createdTs: T0, updatedTs: T0 },
    'hash-2',
  );
  await s.createToken({ id: 't1', name: 'ci', role: 'operator', createdTs: T0 }, 'tok-hash-1');
  await s.createToken({ id: 't2', name: 'mine', role: 'admin', userId: 'u1', createdTs: T0 }, 'tok-hash-2');
  await s.createSession({ hash: 'sess-1', userId: 'u1', createdTs: T0, expiresTs: T0 + DAY, lastSeenTs: T0 });
  await s.audit({ ts: T0, actor: 'admin', action: 'device.create', target: 'sw1', details: { a: [1, 2] } });
  await s.audit({ ts: T0 + 1, actor: 'admin', action: 'login', result: 'ok' });
  await s.putRule({ id: 'r1', kind: 'syslog', match: { text: 'link down' } }, T0);
  await s.putMaintenance({ id: 'w1', devices: { ids: ['sw1'] }, cron: '0 2 * * 0', durationM: 60 } as never);
  await s.saveEvents([event('e1'), event('e2', { state: 'cleared', clearedTs: T0 + HOUR, deviceId: 'sw1' })]);
  await s.appendEventHistory([
    { eventId: 'e1', ts: T0, actor: 'admin', action: 'ack', comment: '확인' },
    { eventId: 'e2', ts: T0 + 1, actor: 'system', action: 'clear' },
  ] as never);
  await s.putChannel({ id: 'hook', type: 'webhook', url: 'https://example.net/h', headers: { a: 'b' } } as never);
  await s.putRoute({ id: 'r1', channels: ['hook'] } as never);
  await s.logDelivery({
    ts: T0,
    channelId: 'hook',
    channelType: 'webhook',
    kind: 'raise',
    eventIds: ['e1', 'e2'],
    attempt: 1,
    ok: false,
    status: 503,
    error: 'down',
    durationMs: 12,
    willRetry: true,
  });
  await s.writeTraps([trap(0, { deviceId: 'sw1' }), trap(1, { version: 'v3', user: 'ops' })]);
  await s.writeTrapColumns(packTraps([wireTrap(2), wireTrap(3)]));
  const logs = [];
  for (let i = 0; i < LOGS; i++)
    logs.push(
      log(i * 60, {
        message: i % 3 ? `line ${i} link down on Gi0/${i % 48}` : `라인 ${i} 장애 발생`,
        deviceId: i % 2 ? 'sw1' : undefined,
        hostname: 'sw1',
        app: 'LINK',
        structuredData: i % 5 ? undefined : { 'meta@1': { seq: String(i) } },
      }),
    );
  await s.writeLogs(logs);
}

/** Everything a caller can read, in a form to compare across backends. */
async function reads(s: Store) {
  const all = async <T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>) => {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const p = await page(cursor);
      out.push(...p.items);
      cursor = p.nextCursor;
    } while (cursor);
    return out;
  };
  return {
    devices: await s.listDevices(),
    statuses: (await s.listStatuses()).sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    interfaces: await s.listInterfaces('sw1'),
    interfaceStatuses: await s.listInterfaceStatuses(),
    changes: await s.listInterfaceChanges('sw1'),
    series: await Promise.all(
      (['raw', '5m', '1h'] as const).map((tier) =>
        s.querySeries({ deviceId: 'sw1', metric: 'if.in.bps', from: T0, to: T0 + 3 * DAY, tier }),
      ),
    ),
    latest: await s.latest('icmp.rtt.avg'),
    kv: await s.getKv('settings'),
    users: await s.listUsers(),
    hashes: [await s.getPasswordHash('u1'), await s.getPasswordHash('u2')],
    tokens: await s.listTokens(),
    token: await s.findTokenByHash('tok-hash-2'),
    session: await s.getSession('sess-1'),
    audit: await s.listAudit(),
    rules: await s.listRules(),
    maintenance: await s.listMaintenance(),
    events: (await s.listEvents()).events,
    history: [await s.eventHistory('e1'), await s.eventHistory('e2')],
    channels: await s.listChannels(),
    routes: await s.listRoutes(),
    deliveries: await s.listDeliveries(),
    traps: await all((cursor) => s.listTraps({ cursor })),
    logs: await all((cursor) => s.queryLogs({ cursor, limit: 1000 }).then((p) => ({ ...p, items: p.logs }))),
    search: (await s.queryLogs({ q: 'link down', limit: 50 })).logs.map((l) => l.id),
    korean: (await s.queryLogs({ q: '장애', limit: 50 })).logs.map((l) => l.id),
    logStats: await s.logStats(),
  };
}

test('store migrate: a SQLite store is copied into PostgreSQL, interrupted, resumed, verified, and reads the same', async () => {
  const from = mkdtempSync(join(tmpdir(), 'vigil-migrate-'));
  dirs.push(from);
  const sqlite = await openSqlite(from);
  await seed(sqlite);
  const expected = await reads(sqlite);
  await sqlite.close();
  // The reads compared below hold something of every kind.
  assert.equal(expected.logs.length, LOGS);
  assert.ok(expected.search.length && expected.korean.length);
  assert.equal(expected.traps.length, 4);
  assert.ok(expected.series.every((tier) => tier[0]?.points.length));
  assert.ok(expected.changes.length && expected.statuses.length === 2 && expected.token?.userId === 'u1');
  const to = await database();

  // The first run stops after four batches, as a run killed half-way would.
  const stop = new AbortController();
  let batches = 0;
  const first = await migrateStore({
    from,
    to,
    batchRows: 1000,
    signal: stop.signal,
    onProgress: () => {
      if (++batches === 4) stop.abort();
    },
  });
  assert.equal(first.verified, false);
  assert.equal(first.resumed, false);

  const progress: number[] = [];
  const second = await migrateStore({ from, to, batchRows: 1000, onProgress: (p) => progress.push(p.copied) });
  assert.equal(second.resumed, true);
  assert.ok(second.verified, JSON.stringify(second.counts));
  const total = second.counts.reduce((a, c) => a + c.source, 0);
  assert.equal(first.copied + second.copied, total, 'nothing copied twice, nothing left out');
  assert.equal(progress.at(-1), total, 'the progress ends at the total');
  assert.deepEqual(
    second.counts.find((c) => c.table === 'logs'),
    { table: 'logs', source: LOGS, target: LOGS },
  );

  const target = await openPostgres(to);
  try {
    const got = await reads(target);
    for (const key of Object.keys(expected) as (keyof typeof expected)[])
      assert.deepEqual(got[key], expected[key], `${key} reads the same on PostgreSQL`);
    // New rows get ids past the copied ones.
    await target.writeLogs([log(999_999, { message: 'after the move' })]);
    await target.audit({ ts: T0 + DAY, actor: 'admin', action: 'logout' });
    await target.logDelivery({ ...expected.deliveries[0], id: undefined, ts: T0 + DAY });
    const newest = (await target.queryLogs({ limit: 1 })).logs[0];
    assert.equal(newest.message, 'after the move');
    assert.ok(newest.id > Math.max(...expected.logs.map((l) => l.id)));
    assert.equal((await target.listAudit()).length, expected.audit.length + 1);
    assert.equal((await target.listDeliveries()).length, 2);
  } finally {
    await target.close();
  }

  // A third run finds the store already copied and refuses to copy into it again.
  await assert.rejects(migrateStore({ from, to }), (e) => isVigilError(e) && e.code === 'VIGIL_CONFLICT');
});

test('store migrate: no store at --from is a clear error, and the URL password is never shown', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'vigil-migrate-empty-'));
  dirs.push(empty);
  await assert.rejects(
    migrateStore({ from: empty, to: 'postgres://u:pw@127.0.0.1:1/x' }),
    (e) => isVigilError(e) && e.code === 'VIGIL_CONFIG' && /no vigil\.db/.test(e.message),
  );
  const from = mkdtempSync(join(tmpdir(), 'vigil-migrate-src-'));
  dirs.push(from);
  await (await openSqlite(from)).close();
  await assert.rejects(
    migrateStore({ from, to: 'postgres://u:hunter2@127.0.0.1:1/x' }),
    (e) => isVigilError(e) && /store\.url|cannot connect/.test(e.message) && !e.message.includes('hunter2'),
  );
});

test('vigil store migrate (the command): progress on stderr, the counts table on stdout, exit 0 once verified', async () => {
  const from = mkdtempSync(join(tmpdir(), 'vigil-migrate-cli-'));
  dirs.push(from);
  const s = await openSqlite(from);
  await s.putDevice(device('sw1'));
  await s.writeLogs(Array.from({ length: 120 }, (_, i) => log(i)));
  await s.close();
  const to = await database();
  const bin = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, 'store', 'migrate', '--from', from, '--batch', '50'],
        { env: { ...process.env, VIGIL_STORE_URL: to } },
        (error, out, err) => resolve({ code: error ? (error.code as number) : 0, out, err }),
      );
    });
  const first = await run();
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^logs +120 +120 +ok$/m);
  assert.match(first.out, /^devices +1 +1 +ok$/m);
  assert.match(first.err, /^logs .* 100% +121 of 121 rows/m);
  assert.match(first.err, /counts verified/);
  const password = new URL(to).password;
  if (password) assert.ok(!first.err.includes(password));
  const again = await run();
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds Vigil data/);
});
