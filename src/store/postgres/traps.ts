import type { TrapRecord } from '../../model/records.ts';
import { decodeTrapCursor, encodeTrapCursor } from '../cursors.ts';
import { packTraps, TRAP_TEXTS, type TrapColumns } from '../trap-columns.ts';
import { type TrapTableRow, toTrapRow } from '../trap-rows.ts';
import type { Async, TrapPage, TrapQuery, TrapStore } from '../types.ts';
import type { Db } from './db.ts';
import { definePgDomain, dropPartitionsBefore, intoPartitions, type PgShared } from './domain.ts';

/** A stored trap: its varbinds are JSON text or the BER list as received, one of the two columns (as on SQLite). */
interface Row extends TrapTableRow {
  user_name: string | null;
  varbinds: string | null;
  varbinds_ber: Buffer | null;
}

const toRow = (r: Row) => toTrapRow(r, r.user_name, r.varbinds_ber ?? r.varbinds);

const INSERT = `INSERT INTO traps (received_ts, source, agent, device_id, version, pdu_type, user_name, trap_oid, uptime_cs, varbinds, varbinds_ber)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::bigint[], $10::text[], $11::bytea[])`;

/** A batch in columns, in one statement; ids are handed out in the batch's order. */
async function writeColumns(db: Db, shared: PgShared, c: TrapColumns): Promise<void> {
  if (!c.count) return;
  const bytes = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const { strings: s, texts: t } = c;
  const cols: unknown[][] = Array.from({ length: 11 }, () => new Array(c.count));
  let start = 0;
  for (let i = 0; i < c.count; i++) {
    const k = TRAP_TEXTS * i;
    const end = c.ends[i];
    const uptime = c.numbers[2 * i + 1];
    cols[0][i] = c.numbers[2 * i];
    cols[1][i] = s[t[k]];
    cols[2][i] = s[t[k + 1]];
    cols[3][i] = s[t[k + 2]] || null;
    cols[4][i] = s[t[k + 3]];
    cols[5][i] = s[t[k + 4]];
    cols[6][i] = s[t[k + 5]] || null;
    cols[7][i] = s[t[k + 6]];
    cols[8][i] = Number.isNaN(uptime) ? null : uptime;
    cols[9][i] = c.ber[i] ? null : bytes.toString('utf8', start, end);
    cols[10][i] = c.ber[i] ? bytes.subarray(start, end) : null;
    start = end;
  }
  await intoPartitions(shared, [['traps', cols[0] as number[]]], () => db.run(INSERT, cols));
}

/**
 * Received traps, newest first by arrival (the id, from one sequence whichever process writes) with keyset (cursor)
 * pagination, as on SQLite. Partitioned by day of their received time: time bounds skip whole days, and pruning
 * drops whole days and deletes rows only in the one that straddles the limit (found through a BRIN index on the
 * time). The community is not stored: it is a secret, and the API must never return it. The varbinds are kept as
 * SQLite keeps them: JSON text (text, not jsonb: a NUL escaped in an octet string is valid JSON that jsonb refuses,
 * and nothing queries into them) or, for notifications whose receiver kept the varbind list as it arrived, that BER.
 */
export const trapsPgDomain = definePgDomain<Async<TrapStore>>({
  name: 'traps',
  migrations: [
    `CREATE TABLE traps (id bigint GENERATED ALWAYS AS IDENTITY, received_ts bigint NOT NULL, source text NOT NULL,
       agent text NOT NULL, device_id text, version text NOT NULL, pdu_type text NOT NULL, user_name text,
       trap_oid text NOT NULL, uptime_cs bigint, varbinds text, varbinds_ber bytea,
       CHECK ((varbinds IS NULL) <> (varbinds_ber IS NULL))) PARTITION BY RANGE (received_ts);
     CREATE INDEX traps_id ON traps (id);
     CREATE INDEX traps_device ON traps (device_id, id);
     CREATE INDEX traps_received ON traps USING brin (received_ts);`,
  ],
  create(db, shared) {
    return {
      writeTraps: (traps: TrapRecord[]) => writeColumns(db, shared, packTraps(traps)),
      writeTrapColumns: (c) => writeColumns(db, shared, c),

      async listTraps(q: TrapQuery = {}): Promise<TrapPage> {
        const where: string[] = [];
        const params: unknown[] = [];
        const p = (v: unknown) => `$${params.push(v)}`;
        if (q.from !== undefined) where.push(`received_ts >= ${p(q.from)}`);
        if (q.to !== undefined) where.push(`received_ts <= ${p(q.to)}`);
        if (q.deviceId) where.push(`device_id = ${p(q.deviceId)}`);
        if (q.source) {
          const source = p(q.source);
          where.push(`(source = ${source} OR agent = ${source})`);
        }
        // The OID itself, or an OID below it (1.3.6.1.4.1.9 takes 1.3.6.1.4.1.9.0.1, not 1.3.6.1.4.1.99).
        if (q.trapOid) where.push(`(trap_oid = ${p(q.trapOid)} OR starts_with(trap_oid, ${p(`${q.trapOid}.`)}))`);
        if (q.version) where.push(`version = ${p(q.version)}`);
        if (q.cursor) where.push(`id < ${p(decodeTrapCursor(q.cursor))}`);
        const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
        const rows = await db.rows<Row>(
          `SELECT id, received_ts, source, agent, device_id, version, pdu_type, user_name, trap_oid, uptime_cs, varbinds, varbinds_ber
           FROM traps ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY id DESC LIMIT ${p(limit + 1)}`,
          params,
        );
        const items = rows.slice(0, limit).map(toRow);
        const last = items[items.length - 1];
        return rows.length > limit && last ? { items, nextCursor: encodeTrapCursor(last.id) } : { items };
      },

      countTraps: async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM traps'))?.n ?? 0,

      async pruneTraps(before) {
        const dropped = await dropPartitionsBefore(shared, 'traps', before);
        return dropped + (await db.run('DELETE FROM traps WHERE received_ts < $1', [before]));
      },
    };
  },
});
