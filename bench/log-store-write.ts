/**
 * The log store's write path alone: records decoded from the ../shared/logs lines (RFC 5424 and 3164 mixed, as
 * bench/syslog-tcp.ts sends them) are built up front, then written through `openSqliteStore(dir).writeLogs` in
 * batches of 5,000 (one transaction each, as the store writer does) into a database on disk. Side by side with the
 * floor under it: the same rows into a bare table (no full-text index, no other index) through the same driver.
 * Run: npx tsx bench/log-store-write.ts   (VIGIL_BENCH_N=1000000 for a longer run; default 200,000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/store/sqlite/driver.ts';
import type { LogRecord } from '../src/model/records.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { decodedCorpus } from './syslog-corpus.ts';

const N = Number(process.env.VIGIL_BENCH_N ?? 200_000);
const BATCH = 5_000;
const records = decodedCorpus(N);

function timed(write: (batch: LogRecord[]) => void): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i += BATCH) write(records.slice(i, i + BATCH));
  return N / (Number(process.hrtime.bigint() - t) / 1e9);
}

function vigil(): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-logwrite-'));
  const store = openSqliteStore(dir);
  try {
    const rate = timed((batch) => store.writeLogs(batch));
    if (store.queryLogs({ q: `seq${N - 1}` }).logs.length !== 1)
      throw new Error('last record not found by full-text search');
    return rate;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: one plain INSERT per row into an unindexed table with the same columns, same pragmas. */
function bare(): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-logwrite-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE logs (id INTEGER PRIMARY KEY, received_ts INTEGER, ts INTEGER, source TEXT, transport TEXT, facility INTEGER, severity INTEGER, hostname TEXT, app TEXT, procid TEXT, message TEXT)',
    );
    const insert = db.prepare(
      'INSERT INTO logs (received_ts, ts, source, transport, facility, severity, hostname, app, procid, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const write = db.transaction((batch: LogRecord[]) => {
      for (const l of batch)
        insert.run(
          l.receivedTs,
          l.ts,
          l.sourceAddress,
          l.transport,
          l.facility,
          l.severity,
          l.hostname ?? null,
          l.app ?? null,
          l.procid ?? null,
          l.message,
        );
    });
    return timed(write);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const v = vigil();
const f = bare();
console.log(
  `log store writes, ${N.toLocaleString('en')} records in batches of ${BATCH.toLocaleString('en')} (on disk, WAL)`,
);
console.log(`  vigil writeLogs ${Math.round(v).toLocaleString('en')} rows/s (logs table + full-text index)`);
console.log(`  bare table      ${Math.round(f).toLocaleString('en')} rows/s (same driver, no index)`);
console.log(`  ratio           ${(v / f).toFixed(2)}`);
