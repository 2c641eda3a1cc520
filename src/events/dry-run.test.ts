import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord, TrapRecord } from '../model/records.ts';
import { testEngine } from './test-helpers.ts';

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';

test('dry-run replays stored traps and logs page by page (past 1,000 rows) and only those in the window', async () => {
  const t = await testEngine();
  const now = t.clock.now();
  const HOUR = 3_600_000;
  // 2,500 traps and 2,500 logs over the last 5 hours, one every 7.2 s, oldest first (as they arrive).
  const n = 2500;
  const at = (i: number) => now - 5 * HOUR + i * 7200;
  const traps: TrapRecord[] = [];
  const logs: LogRecord[] = [];
  for (let i = 0; i < n; i++) {
    traps.push({
      kind: 'trap',
      receivedTs: at(i),
      sourceAddress: '127.0.0.7',
      agentAddress: '127.0.0.7',
      version: 'v2c',
      pduType: 'trap',
      trapOid: i % 5 ? LINK_UP : LINK_DOWN,
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 }],
    });
    logs.push({
      kind: 'log',
      receivedTs: at(i),
      ts: at(i),
      sourceAddress: '127.0.0.7',
      transport: 'udp',
      facility: 4,
      severity: 4,
      hostname: 'fw1',
      app: 'sshd',
      message:
        i % 4
          ? `Accepted publickey for ops from 127.0.0.9 port ${i}`
          : `Failed password for root from 127.0.0.9 port ${i}`,
    });
  }
  await t.store.writeTraps(traps);
  await t.store.writeLogs(logs);

  // The last 2 hours hold the records from index 1500 (at(1500) is exactly 2 h ago) onwards.
  const inWindow = (i: number) => at(i) >= now - 2 * HOUR;
  const expectTraps = traps.filter((tr, i) => inWindow(i) && tr.trapOid === LINK_DOWN).length;
  const expectLogs = logs.filter((l, i) => inWindow(i) && l.message.startsWith('Failed')).length;

  await t.engine.saveRule({ id: 'down', kind: 'trap', trap: LINK_DOWN, severity: 'major' });
  const traps2h = await t.engine.dryRun('down', 2);
  assert.equal(traps2h.replayed.traps, traps.filter((_, i) => inWindow(i)).length);
  assert.equal(traps2h.events.length, 1);
  assert.equal(traps2h.events[0].count, expectTraps);
  assert.equal(traps2h.events[0].severity, 'major');

  await t.engine.saveRule({
    id: 'ssh',
    kind: 'syslog',
    contains: 'failed password',
    raise: 'minor',
    summary: '{{host}}: {{message}}',
  });
  const logs2h = await t.engine.dryRun('ssh', 2);
  assert.equal(logs2h.replayed.logs, logs.filter((_, i) => inWindow(i)).length);
  assert.equal(logs2h.events.length, 1);
  assert.equal(logs2h.events[0].count, expectLogs);
  assert.equal(logs2h.truncated, false);

  // The whole history: every page read.
  assert.equal((await t.engine.dryRun('down', 6)).replayed.traps, n);
  assert.equal((await t.engine.dryRun('ssh', 6)).replayed.logs, n);
  assert.equal(t.engine.activeEvents().length, 0, 'a dry-run raises nothing');
});
