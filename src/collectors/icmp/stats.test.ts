import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextReachability, pingStats } from './stats.ts';

test('pingStats: vectors', () => {
  assert.deepEqual(pingStats([1, 3, 2]), {
    sent: 3,
    received: 3,
    lossPct: 0,
    minMs: 1,
    avgMs: 2,
    maxMs: 3,
    jitterMs: 1.5,
  });
  assert.deepEqual(pingStats([null, null, null]), { sent: 3, received: 0, lossPct: 100 });
  assert.deepEqual(pingStats([2, null, 4, null]), {
    sent: 4,
    received: 2,
    lossPct: 50,
    minMs: 2,
    avgMs: 3,
    maxMs: 4,
    jitterMs: 2,
  });
  assert.deepEqual(pingStats([0.5]), {
    sent: 1,
    received: 1,
    lossPct: 0,
    minMs: 0.5,
    avgMs: 0.5,
    maxMs: 0.5,
    jitterMs: undefined,
  });
  // Fewer results than probes sent (target missing): the rest counts as lost.
  assert.equal(pingStats([1], 4).lossPct, 75);
  assert.equal(pingStats([], 3).lossPct, 100);
  assert.equal(pingStats([null, 1, null], 3).lossPct, 66.667);
});

test('nextReachability: down only after downAfter failed cycles, up after one answered', () => {
  let s = nextReachability(undefined, false, 2, 1);
  assert.equal(s.up, undefined);
  s = nextReachability(s, false, 2, 2);
  assert.deepEqual(s, { up: false, consecutiveFailures: 2, changedTs: 2 });
  s = nextReachability(s, false, 2, 3);
  assert.equal(s.changedTs, 2);
  s = nextReachability(s, true, 2, 4);
  assert.deepEqual(s, { up: true, consecutiveFailures: 0, changedTs: 4 });
  s = nextReachability(s, false, 2, 5);
  assert.deepEqual(s, { up: true, consecutiveFailures: 1, changedTs: 4 });
  s = nextReachability(s, true, 2, 6);
  assert.deepEqual(s, { up: true, consecutiveFailures: 0, changedTs: 4 });
  assert.equal(nextReachability(undefined, false, 1, 7).up, false);
});
