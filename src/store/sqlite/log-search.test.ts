import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LogRecord } from '../../model/records.ts';
import { Database } from './driver.ts';
import { openSqliteStore } from './index.ts';
import { parseTerms } from '../log-terms.ts';
import { ftsQuery, LOG_TOKENIZER } from './log-search.ts';

// Small vocabulary with the punctuation logs carry, so that random phrases often half-match.
const WORDS = [
  'link',
  'down',
  'up',
  'Gi0/1',
  '10.0.0.1',
  'Störung',
  'STORUNG',
  'user',
  'user1',
  'failed',
  '%LINK-3-UPDOWN',
  'a-b',
  'é',
];
const word = fc.constantFrom(...WORDS);
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const term = fc.oneof(
  word,
  word.map((w) => `${w}*`),
  word.map((w) => `-${w}`),
  fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => `"${w.join(' ')}"`),
  fc.array(word, { minLength: 2, maxLength: 3 }).map((w) => `-"${w.join(' ')}"`),
);
const query = fc.array(term, { minLength: 1, maxLength: 3 }).map((t) => t.join(' '));

test('search over the position-less index finds exactly what a positional index finds', () => {
  const lines = fc.sample(line, { numRuns: 400, seed: 42 });
  const store = openSqliteStore(':memory:');
  store.writeLogs(
    lines.map(
      (message, i): LogRecord => ({
        kind: 'log',
        receivedTs: i,
        ts: i,
        sourceAddress: '10.0.0.9',
        transport: 'udp',
        facility: 1,
        severity: 5,
        message,
      }),
    ),
  );
  // The reference: the index as it was before, with positions.
  const ref = new Database(':memory:');
  ref.exec(`CREATE VIRTUAL TABLE r USING fts5(message, content='', ${LOG_TOKENIZER})`);
  const add = ref.prepare('INSERT INTO r (rowid, message) VALUES (?, ?)');
  lines.forEach((m, i) => add.run(i + 1, m));
  const expected = ref.prepare('SELECT rowid FROM r WHERE r MATCH ? ORDER BY rowid DESC').pluck();
  fc.assert(
    fc.property(query, fc.integer({ min: 1, max: 40 }), (q, limit) => {
      const fts = ftsQuery(q);
      const all = lines.map((_, i) => lines.length - i);
      let want = fts ? (expected.all(fts) as number[]) : all;
      const terms = parseTerms(q);
      if (terms.length && terms.every((t) => t.negative)) {
        // Exclusions alone: every line but those the positional index finds for any excluded term.
        const any = terms.map((t) => `"${t.text.replace(/"/g, '""')}"${t.prefix ? '*' : ''}`).join(' OR ');
        const excluded = new Set(expected.all(any) as number[]);
        want = all.filter((id) => !excluded.has(id));
      }
      const got: number[] = [];
      let cursor: string | undefined;
      do {
        const page = store.queryLogs({ q, limit, cursor });
        got.push(...page.logs.map((l) => l.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(got, want, q);
      const counted = store.logHistogram({ q }, 1_000_000).reduce((s, b) => s + b.count, 0);
      assert.equal(counted, want.length, `histogram ${q}`);
    }),
    { numRuns: 300, seed: 7 },
  );
  ref.close();
  store.close();
});
