import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countsTable, progressLine } from './progress.ts';

test('progress line: bar, share, counts, rate and time left', () => {
  assert.equal(
    progressLine({ table: 'logs', copied: 500, total: 1000 }, 2, 10),
    'logs             [#####.....]  50%  500 of 1,000 rows  250 rows/s  2s left',
  );
  assert.match(progressLine({ table: 'samples', copied: 0, total: 90_000 }, 0, 10), /\[\.{10}\] +0% .* \? left$/);
  assert.match(progressLine({ table: 'kv', copied: 0, total: 0 }, 1, 4), /\[####\] 100%/);
  assert.match(progressLine({ table: 'logs', copied: 100, total: 10_100 }, 1, 4), / 1m40s left$/);
});

test('counts table: one row per table, a difference called out', () => {
  const t = countsTable([
    { table: 'devices', source: 3, target: 3 },
    { table: 'logs', source: 12_345, target: 12_000 },
  ]);
  assert.equal(
    t,
    ['table    SQLite  PostgreSQL', 'devices       3           3  ok', 'logs     12,345      12,000  DIFFERS'].join(
      '\n',
    ),
  );
});
