import type { Async, IngestStore } from '../types.ts';
import { definePgDomain } from './domain.ts';

/**
 * Ids of the bus batches stored (see `IngestStore`). Claimed in the transaction that stores the batch: two processors
 * handed the same batch (a rebalance between delivery and commit) serialise on the id, and the second stores nothing.
 */
export const ingestPgDomain = definePgDomain<Async<IngestStore>>({
  name: 'ingest',
  migrations: [
    `CREATE TABLE ingested_batches (id text COLLATE "C" PRIMARY KEY, ts bigint NOT NULL);
     CREATE INDEX ingested_batches_ts ON ingested_batches (ts);`,
  ],
  create(db) {
    return {
      async claimBatches(ids, ts) {
        if (!ids.length) return [];
        const rows = await db.rows<{ id: string }>(
          `INSERT INTO ingested_batches (id, ts) SELECT id, $2 FROM unnest($1::text[]) AS u(id) ORDER BY id
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [ids, ts],
        );
        return rows.map((r) => r.id);
      },
      pruneBatches: async (before) => db.run('DELETE FROM ingested_batches WHERE ts < $1', [before]),
    };
  },
});
