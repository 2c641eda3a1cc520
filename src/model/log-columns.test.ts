import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from './records.ts';
import { packLogs, unpackLogs } from './log-columns.ts';

const logs: LogRecord[] = [
  {
    kind: 'log',
    receivedTs: 1,
    sourceAddress: '10.0.0.1',
    transport: 'udp',
    facility: 4,
    severity: 6,
    ts: 2,
    message: 'plain',
  },
  {
    kind: 'log',
    receivedTs: 3,
    sourceAddress: '10.0.0.1',
    deviceId: 'sw1',
    transport: 'tls',
    facility: 23,
    severity: 0,
    ts: 4,
    hostname: 'sw1',
    app: 'sshd',
    procid: '42',
    msgid: 'ID7',
    structuredData: { meta: { sequenceId: '9' } },
    message: 'Störung: 장애 "quoted"',
    rawBase64: 'AAE=',
    flags: ['invalid-utf8', 'truncated'],
  },
  {
    kind: 'log',
    receivedTs: 5,
    sourceAddress: '::1',
    transport: 'tcp',
    facility: 1,
    severity: 3,
    ts: 5,
    hostname: '',
    message: '',
  },
];

test('log columns: every field survives the round trip, absent stays absent, repeated texts are kept once', () => {
  const c = packLogs(logs);
  assert.deepEqual(unpackLogs(c), logs);
  assert.equal(c.strings.filter((s) => s === '10.0.0.1').length, 1);
  const copy = structuredClone(c);
  assert.deepEqual(unpackLogs(copy), logs);
});
