/**
 * What a log search means, the same on every backend. A message is cut into tokens: runs of letters and digits
 * (any script), case-folded, diacritics removed; everything else (spaces, punctuation, `%`, `.`, `/`, `:`) only
 * separates tokens. A word matches a whole token (not a part of one); `word*` matches tokens starting with it; a
 * "phrase", and an unquoted term that holds several tokens (an IP address, `%LINK-3-UPDOWN`, a path), matches those
 * tokens one after the other; terms are ANDed, in any order; `-term` leaves out lines that match it. Only the
 * message is searched. Terms without a letter or digit are ignored; a query with nothing left is no text filter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../model/records.ts';
import type { LogQuery, Store } from '../types.ts';
import { log, logPage, walk, type ContractSuite } from './helpers.ts';

const LINES = [
  'Interface Gi0/1, link down', // 0
  'down link on Gi0/2', // 1: both words, other order
  'link is down on Gi0/3', // 2: both words, not next to each other
  'LINK DOWN on Gi0/10', // 3: other case
  'Störung am Übergang 10.9.8.7', // 4
  'address 10.9.7.8 and 8.7 and 10.9', // 5: the address's numbers, not in order
  'path /var/log/messages rotated', // 6
  'link-down event', // 7: punctuation between the tokens
  '%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down', // 8
  '%LINK-5-CHANGED: Interface GigabitEthernet0/2, changed state to administratively down', // 9
  'Failed password for user1 from 10.0.0.1 port 22', // 10
  'Failed password for user12 from 10.0.0.10 port 22', // 11
  'Accepted password for user2 from 10.0.0.100 port 22', // 12
  'connection from 110.0.0.1 refused', // 13
  '인터페이스 GigabitEthernet0/3 상태가 다운으로 변경되었습니다', // 14: Korean, particles attached to the words
  '링크 다운', // 15
  'Café crème at the uplink', // 16
  'this AND that OR NOT the other', // 17
  'NEAR(x y) is not a function here', // 18
  'mac 00:1a:2b:3c:4d:5e learned on Gi0/4', // 19
];

async function store(
  fresh: () => Promise<Store>,
): Promise<{ s: Store; found: (q: string, more?: LogQuery) => Promise<number[]> }> {
  const s = await fresh();
  await s.writeLogs(
    LINES.map((message, i): LogRecord => log(i, { message, app: i === 0 ? 'findme' : 'app', hostname: 'findme-host' })),
  );
  const index = new Map(LINES.map((m, i) => [m, i]));
  const found = async (q: string, more: LogQuery = {}) =>
    (await s.queryLogs({ q, limit: 1000, ...more })).logs.map((l) => index.get(l.message)!).sort((a, b) => a - b);
  return { s, found };
}

export const logSearchContract: ContractSuite = (fresh) => {
  test('words: ANDed in any order, whole tokens only, case folded; operator names are plain words', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('link down'), [0, 1, 2, 3, 7, 8, 9]);
    assert.deepEqual(await found('DOWN Link'), [0, 1, 2, 3, 7, 8, 9]);
    assert.deepEqual(await found('link'), [0, 1, 2, 3, 7, 8, 9], 'not "uplink"; the LINK of %LINK-3-UPDOWN is a token');
    assert.deepEqual(await found('fail'), [], 'a word is not a prefix');
    assert.deepEqual(await found('failed password'), [10, 11]);
    assert.deepEqual(await found('AND OR NOT'), [17]);
    assert.deepEqual(await found('NEAR(x y)'), [18]);
    assert.deepEqual(await found('nothing-like-this'), []);
  });

  test('phrases: the tokens one after the other, punctuation between them not counted', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('"link down"'), [0, 3, 7]);
    assert.deepEqual(await found('"STORUNG am"'), [4]);
    assert.deepEqual(await found('"8.7 and"'), [5]);
    assert.deepEqual(await found('"link down" gi0'), [0, 3], 'a phrase and a word');
    assert.deepEqual(await found('"changed state to"'), [8, 9]);
    assert.deepEqual(await found('"state changed"'), []);
  });

  test('multi-token terms: addresses, %FACILITY-SEV-MNEMONIC tags, paths and interface names are phrases of their tokens', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('10.9.8.7'), [4], 'not the same numbers in another order');
    assert.deepEqual(await found('10.0.0.1'), [10], 'not 10.0.0.10, 10.0.0.100 or 110.0.0.1');
    assert.deepEqual(await found('10.0.0.1*'), [10, 11, 12], 'prefix on the last token');
    assert.deepEqual(await found('10.9.*'), [4, 5]);
    assert.deepEqual(await found('%LINK-3-UPDOWN'), [8]);
    assert.deepEqual(await found('LINK-3-UPDOWN'), [8]);
    assert.deepEqual(await found('%link-3-updown'), [8]);
    assert.deepEqual(await found('updown'), [8]);
    assert.deepEqual(await found('%LINK-5-*'), [9]);
    assert.deepEqual(await found('/var/log/messages'), [6]);
    assert.deepEqual(await found('Gi0/1'), [0], 'not Gi0/10');
    assert.deepEqual(await found('GigabitEthernet0/1,'), [8]);
    assert.deepEqual(await found('00:1a:2b:3c:4d:5e'), [19]);
  });

  test('prefixes: word* matches tokens that start with it', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('user1*'), [10, 11]);
    assert.deepEqual(await found('fail*'), [10, 11]);
    assert.deepEqual(await found('pass* accept*'), [12]);
    assert.deepEqual(await found('"changed sta*"'), [], 'in quotes * is punctuation, not a prefix');
  });

  test('exclusions: -word and -word* leave out lines holding them; -"phrase" leaves out only lines holding the phrase', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('link -gi0'), [7, 8, 9]);
    assert.deepEqual(await found('failed -user1'), [11]);
    assert.deepEqual(await found('password -user1*'), [12]);
    assert.deepEqual(await found('link -"link down"'), [1, 2, 8, 9]);
    assert.deepEqual(await found('link -down'), []);
    assert.deepEqual(await found('interface -%LINK-3-UPDOWN'), [0, 9], 'an excluded multi-token term is a phrase too');
    assert.deepEqual(await found('password -10.0.0.1'), [11, 12]);
  });

  // A person typing `-debug` wants the lines without it (FTS5 has no NOT without a positive term: SQLite's store
  // excludes by a sub-query, log-search.ts).
  test('exclusions alone: every line but those holding the excluded terms', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('-link -interface -password -gi0 -10.9.* -%LINK-*'), [6, 13, 14, 15, 16, 17, 18]);
  });

  test('folding: case and diacritics, both ways; not transliteration', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('storung'), [4]);
    assert.deepEqual(await found('STÖRUNG'), [4]);
    assert.deepEqual(await found('übergang'), [4]);
    assert.deepEqual(await found('ubergang'), [4]);
    assert.deepEqual(await found('stoerung'), [], 'ö is folded to o, not spelt oe');
    assert.deepEqual(await found('cafe creme'), [16]);
    assert.deepEqual(await found('CAFÉ'), [16]);
  });

  test('Korean: words split at spaces and punctuation; a particle stays on its word, so a stem needs a prefix', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('인터페이스'), [14]);
    assert.deepEqual(await found('다운'), [15], 'not 다운으로: that token is the word and its particle');
    assert.deepEqual(await found('다운*'), [14, 15]);
    assert.deepEqual(await found('"상태가 다운으로"'), [14]);
    assert.deepEqual(await found('"다운으로 상태가"'), []);
    assert.deepEqual(await found('다운 링크'), [15]);
    assert.deepEqual(await found('인터페이스 gigabitethernet0/3'), [14]);
    assert.deepEqual(await found('다운* -링크'), [14]);
    assert.deepEqual(await found('변경'), []);
  });

  test('only the message is searched, not the app or the host', async () => {
    const { found } = await store(fresh);
    assert.deepEqual(await found('findme'), []);
    assert.deepEqual(await found('findme*'), []);
  });

  test('queries that are not well formed never fail; with nothing searchable left they filter nothing', async () => {
    const { s, found } = await store(fresh);
    for (const q of [
      '"',
      '(',
      ')',
      '*',
      'a"b',
      '-',
      '""',
      '" "',
      '-""',
      ':',
      'col:x',
      '^x',
      '{a b}',
      '+x',
      'x OR',
      'NOT',
      '***',
      '"unclosed phrase',
      "it's",
      '\\',
      '%',
    ])
      await assert.doesNotReject(() => s.queryLogs({ q }), q);
    for (const q of ['', '   ', '*', '-', '""', '...', '%', '- * "" ...'])
      assert.equal((await found(q)).length, LINES.length, JSON.stringify(q));
    assert.deepEqual(await found('"unclosed phrase'), [], 'an unclosed quote: the rest as words');
    assert.deepEqual(await found('a"b'), [], 'a stray quote inside a word is dropped (ab)');
    assert.deepEqual(await found('"link down'), [0, 1, 2, 3, 7, 8, 9]);
    assert.deepEqual(await found("it's"), []);
  });

  test('search with filters and pages: a text query pages like any other, every match once, newest first', async () => {
    const { s } = await store(fresh);
    const seen = await walk(
      async (cursor) => logPage(await s.queryLogs({ q: 'down', limit: 2, cursor, from: log(1).ts })),
      2,
    );
    assert.deepEqual(
      seen.map((l) => l.message),
      [9, 8, 7, 3, 2, 1].map((i) => LINES[i]),
    );
  });

  test('phrase pages stay complete and in order when most lines hold the words but not the phrase', async () => {
    const s = await fresh();
    const batch: LogRecord[] = [];
    for (let i = 0; i < 3000; i++)
      batch.push(log(i, { message: i % 300 === 7 ? `port ${i} link down` : `down link on port ${i}` }));
    await s.writeLogs(batch);
    const want = batch
      .filter((l) => l.message.endsWith('link down'))
      .map((l) => l.message)
      .reverse();
    const seen = await walk(async (cursor) => logPage(await s.queryLogs({ q: '"link down"', limit: 3, cursor })), 3);
    assert.deepEqual(
      seen.map((l) => l.message),
      want,
    );
    assert.equal(
      (await s.logHistogram({ q: '"link down"' }, 1e12)).reduce((n, b) => n + b.count, 0),
      want.length,
    );
  });
};
