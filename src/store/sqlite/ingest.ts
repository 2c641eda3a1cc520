import type { IngestStore } from '../types.ts';
import { defineDomain } from './domain.ts';

/** Ids of the bus batches stored (see `IngestStore`), so that a batch delivered again is stored once. */
export const ingestDomain = defineDomain<IngestStore>({
  name: 'ingest',
  migrations: [
    `CREATE TABLE ingested_batches (id TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID;
     CREATE INDEX ingested_batches_ts ON ingested_batches (ts);`,
  ],
  create(db) {
    const claim = db.prepare('INSERT INTO ingested_batches (id, ts) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    const prune = db.prepare('DELETE FROM ingested_batches WHERE ts < ?');
    return {
      claimBatches: (ids, ts) => ids.filter((id) => claim.run(id, ts).changes > 0),
      pruneBatches: (before) => prune.run(before).changes,
    };
  },
});
