import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeReport } from './heartbeat.ts';
import { nodeState, statusTable } from './status.ts';

const report = (id: string, over: Partial<NodeReport> = {}): NodeReport => ({
  id,
  roles: ['collector'],
  site: 'seoul',
  version: '0.1.0',
  startedTs: 0,
  heartbeatTs: 100_000,
  intervalMs: 5000,
  ...over,
});

test('a node is up while its heartbeats come, late after three missed, gone after a minute', () => {
  assert.equal(nodeState(report('a'), 114_000), 'up');
  assert.equal(nodeState(report('a'), 116_000), 'late');
  assert.equal(nodeState(report('a'), 161_000), 'gone');
});

test('the table: one line per node, by site then id, lag and buffer where the role has them', () => {
  const t = statusTable(
    [
      report('col-2', { pending: 0, spooled: 1200 }),
      report('proc-1', { roles: ['processor', 'api'], site: 'core', lag: 42 }),
      report('col-1', { pending: 10, spooled: 0, heartbeatTs: 40_000 }),
    ],
    101_000,
  );
  assert.equal(
    t,
    [
      'node    roles          site   version  state  heartbeat  lag  pending  on disk',
      'proc-1  processor,api  core   0.1.0    up     1 s ago    42   -        -',
      'col-1   collector      seoul  0.1.0    gone   61 s ago   -    10       0',
      'col-2   collector      seoul  0.1.0    up     1 s ago    -    0        1200',
    ].join('\n'),
  );
});
