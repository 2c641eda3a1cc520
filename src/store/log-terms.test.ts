import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logTokens, textMatcher } from './log-terms.ts';
import { openSqliteStore } from './sqlite/index.ts';

const LINES = [
  'Accepted publickey for ops from 127.0.0.1 port 4022',
  'Accepted publickey for ops from 127.0.0.10 port 4023',
  '%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
  'streamwords are not streamword',
  'Café déjà vu: CAFE menu',
  'debug: nothing here',
  'login failed for user admin',
];
const QUERIES = [
  '127.0.0.1',
  '"127.0.0.1 port"',
  'publickey -4023',
  'gigabit*',
  '%LINK-3-UPDOWN',
  'streamword',
  'stream*',
  'cafe',
  'DEJA',
  '-debug failed',
  'nothing-here',
  '"for user"',
  '-debug',
  '-127.0.0.1 -gigabit*',
];

test('live lines are matched on the index tokens, as a stored search of the same lines matches them', () => {
  assert.deepEqual(logTokens('Café %LINK-3-UPDOWN: 10.0.0.1'), ['cafe', 'link', '3', 'updown', '10', '0', '0', '1']);
  const store = openSqliteStore(':memory:');
  store.writeLogs(
    LINES.map((message, i) => ({
      kind: 'log',
      receivedTs: i,
      ts: i,
      sourceAddress: '127.0.0.1',
      transport: 'udp',
      facility: 1,
      severity: 5,
      message,
    })),
  );
  for (const q of QUERIES) {
    const stored = store
      .queryLogs({ q, limit: 100 })
      .logs.map((l) => l.message)
      .sort();
    const live = LINES.filter(textMatcher(q)).sort();
    assert.deepEqual(live, stored, q);
  }
  assert.ok(
    textMatcher('streamword')('streamword here') && !textMatcher('streamword')('streamwords here'),
    'whole tokens, not substrings',
  );
  assert.equal(LINES.filter(textMatcher('')).length, LINES.length);
  store.close();
});
