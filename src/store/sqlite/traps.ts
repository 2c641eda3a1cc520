import type { TrapRecord } from '../../model/records.ts';
import { decodeTrapCursor, encodeTrapCursor } from '../cursors.ts';
import { packTraps, TRAP_TEXTS, type TrapColumns } from '../trap-columns.ts';
import { type TrapTableRow, toTrapRow } from '../trap-rows.ts';
import type { TrapPage, TrapQuery, TrapStore } from '../types.ts';
import { firstIdAtOrAfter } from './arrival.ts';
import { defineDomain } from './domain.ts';

/** Rows per INSERT statement: one call from JS per this many traps instead of one per trap. */
const ROWS_PER_INSERT = 32;
const COLUMNS = '(received_ts, source, agent, device_id, version, pdu_type, user, trap_oid, uptime_cs, varbinds)';
const ROW_PARAMS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** A stored trap: `varbinds` is JSON text, or the BER list as received as a BLOB (see `WIRE_VARBINDS`). */
interface Row extends TrapTableRow {
  user: string | null;
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
    const toRow = (r: Row) => toTrapRow(r, r.user, r.varbinds);

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
        const before = q.cursor ? decodeTrapCursor(q.cursor) : undefined;
        if (before !== undefined) add('id < ?', before);
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const sql = `SELECT * FROM traps ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
        const rows = db.prepare(sql).all(...params, limit + 1) as Row[];
        const items = rows.slice(0, limit).map(toRow);
        const last = items[items.length - 1];
        return rows.length > limit && last ? { items, nextCursor: encodeTrapCursor(last.id) } : { items };
      },
      countTraps: () => (db.prepare('SELECT COUNT(*) AS n FROM traps').get() as { n: number }).n,
      pruneTraps(before) {
        const first = firstIdAtOrAfter(db, 'traps', before);
        return first === undefined ? 0 : db.prepare('DELETE FROM traps WHERE id < ?').run(first).changes;
      },
    };
  },
});
