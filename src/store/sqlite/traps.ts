import { varbindsFromWire } from '../../collectors/trap/record.ts';
import { VigilError } from '../../model/errors.ts';
import type { TrapRecord, VarBind } from '../../model/records.ts';
import { packTraps, TRAP_TEXTS, type TrapColumns } from '../trap-columns.ts';
import type { TrapPage, TrapQuery, TrapRow, TrapStore } from '../types.ts';
import { firstIdAtOrAfter } from './arrival.ts';
import { defineDomain } from './domain.ts';
import { compact, fromJson } from './json.ts';

/** Rows per INSERT statement: one call from JS per this many traps instead of one per trap. */
const ROWS_PER_INSERT = 32;
const COLUMNS = '(received_ts, source, agent, device_id, version, pdu_type, user, trap_oid, uptime_cs, varbinds)';
const ROW_PARAMS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Stored varbinds: JSON text, or the BER list as received (a BLOB; see `WIRE_VARBINDS`). */
function storedVarbinds(v: string | Buffer): VarBind[] {
  if (typeof v === 'string') return fromJson(v, []);
  try {
    return varbindsFromWire(v);
  } catch {
    // It decoded once, when it arrived; bytes that no longer do are shown as one opaque value rather than lost.
    return [{ oid: '0.0', type: 'Opaque', value: '0x' + v.toString('hex') }];
  }
}

/** Opaque page cursor: the id of the last trap returned (cursors of older versions, `ts:id`, are still taken). */
const encodeCursor = (id: number) => Buffer.from(String(id)).toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^(?:\d+:)?(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  // Taken as "no cursor", a bad one would start the list over and hand out traps already seen.
  if (!m) throw new VigilError('VIGIL_BAD_REQUEST', 'cursor: not a cursor this server returned');
  return Number(m[1]);
}

interface Row {
  id: number;
  received_ts: number;
  source: string;
  agent: string;
  device_id: string | null;
  version: TrapRecord['version'];
  pdu_type: TrapRecord['pduType'];
  user: string | null;
  trap_oid: string;
  uptime_cs: number | null;
  varbinds: string | Buffer;
}

/**
 * Received traps, newest first (by arrival) with keyset (cursor) pagination. The community is not stored:
 * it is a secret, and the API must never return it. The `varbinds` column holds JSON text, or, for notifications
 * whose receiver kept the varbind list as it arrived, that BER as a BLOB (a TEXT column keeps BLOBs as they are).
 */
export const trapsDomain = defineDomain<TrapStore>({
  name: 'traps',
  migrations: [
    `CREATE TABLE traps (id INTEGER PRIMARY KEY, received_ts INTEGER NOT NULL, source TEXT NOT NULL, agent TEXT NOT NULL, device_id TEXT,
       version TEXT NOT NULL, pdu_type TEXT NOT NULL, user TEXT, trap_oid TEXT NOT NULL, uptime_cs INTEGER, varbinds TEXT NOT NULL);
     CREATE INDEX traps_ts ON traps(received_ts, id);
     CREATE INDEX traps_device ON traps(device_id, received_ts);
     CREATE INDEX traps_oid ON traps(trap_oid, received_ts);
     CREATE INDEX traps_source ON traps(source, received_ts);`,
    // The list's source and trap-OID filters are ORs (source or agent; the OID or its subtree by LIKE) that SQLite
    // answers by walking traps_ts newest first; these two indexes were never used and cost ~15% of the insert rate.
    `DROP INDEX IF EXISTS traps_oid;
     DROP INDEX IF EXISTS traps_source;`,
    // Ids grow with arrival, so the list is newest first by id and time bounds become id bounds (binary search, as
    // for logs): the index on the received time was one more B-tree per insert (~15% of the writer thread's time
    // in a storm). The device index keeps rowid order within a device, so a device's traps page without a sort.
    `DROP INDEX IF EXISTS traps_ts;
     DROP INDEX IF EXISTS traps_device;
     CREATE INDEX traps_device ON traps(device_id);`,
  ],
  create(db) {
    const insertOne = db.prepare(`INSERT INTO traps ${COLUMNS} VALUES ${ROW_PARAMS}`);
    const insertMany = db.prepare(
      `INSERT INTO traps ${COLUMNS} VALUES ${Array(ROWS_PER_INSERT).fill(ROW_PARAMS).join(', ')}`,
    );
    const write = db.transaction((c: TrapColumns) => {
      const bytes = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
      const { strings: s, texts: t } = c;
      const params: unknown[] = [];
      let start = 0;
      for (let i = 0; i < c.count; i++) {
        const k = TRAP_TEXTS * i;
        const end = c.ends[i];
        const uptime = c.numbers[2 * i + 1];
        params.push(
          c.numbers[2 * i],
          s[t[k]],
          s[t[k + 1]],
          s[t[k + 2]] || null,
          s[t[k + 3]],
          s[t[k + 4]],
          s[t[k + 5]] || null,
          s[t[k + 6]],
          Number.isNaN(uptime) ? null : uptime,
          c.ber[i] ? bytes.subarray(start, end) : bytes.toString('utf8', start, end),
        );
        start = end;
        if (params.length === 10 * ROWS_PER_INSERT) {
          insertMany.run(params);
          params.length = 0;
        }
      }
      for (let p = 0; p < params.length; p += 10) insertOne.run(params.slice(p, p + 10));
    });
    const toRow = (r: Row): TrapRow =>
      compact({
        id: r.id,
        receivedTs: r.received_ts,
        sourceAddress: r.source,
        agentAddress: r.agent,
        deviceId: r.device_id ?? undefined,
        version: r.version,
        pduType: r.pdu_type,
        user: r.user ?? undefined,
        trapOid: r.trap_oid,
        uptimeCs: r.uptime_cs ?? undefined,
        varbinds: storedVarbinds(r.varbinds),
      });

    return {
      writeTraps: (traps: TrapRecord[]) => write(packTraps(traps)),
      writeTrapColumns: (c) => write(c),
      listTraps(q: TrapQuery = {}): TrapPage {
        const where: string[] = [];
        const params: unknown[] = [];
        const add = (sql: string, ...p: unknown[]) => {
          where.push(sql);
          params.push(...p);
        };
        // Time bounds as id bounds (the ids' range stays an index walk), and as row conditions too.
        if (q.from !== undefined)
          add('id >= ? AND received_ts >= ?', firstIdAtOrAfter(db, 'traps', q.from) ?? 0, q.from);
        if (q.to !== undefined) add('id < ? AND received_ts <= ?', firstIdAtOrAfter(db, 'traps', q.to + 1) ?? 0, q.to);
        if (q.deviceId) add('device_id = ?', q.deviceId);
        if (q.source) add('(source = ? OR agent = ?)', q.source, q.source);
        if (q.trapOid) add('(trap_oid = ? OR trap_oid LIKE ?)', q.trapOid, `${q.trapOid.replace(/[%_]/g, '')}.%`);
        if (q.version) add('version = ?', q.version);
        const before = q.cursor ? decodeCursor(q.cursor) : undefined;
        if (before !== undefined) add('id < ?', before);
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const sql = `SELECT * FROM traps ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
        const rows = db.prepare(sql).all(...params, limit + 1) as Row[];
        const items = rows.slice(0, limit).map(toRow);
        const last = items[items.length - 1];
        return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.id) } : { items };
      },
      countTraps: () => (db.prepare('SELECT COUNT(*) AS n FROM traps').get() as { n: number }).n,
      pruneTraps(before) {
        const first = firstIdAtOrAfter(db, 'traps', before);
        return first === undefined ? 0 : db.prepare('DELETE FROM traps WHERE id < ?').run(first).changes;
      },
    };
  },
});
