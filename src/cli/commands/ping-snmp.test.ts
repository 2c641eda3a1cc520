import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPingTable } from './ping.ts';
import { credentialsFromOptions, formatVarBinds } from './snmp.ts';

test('formatPingTable aligns columns and notes errors', () => {
  const out = formatPingTable([
    {
      target: '127.0.0.1',
      sent: 3,
      received: 3,
      lossPct: 0,
      minMs: 0.02,
      avgMs: 0.03,
      maxMs: 0.05,
      jitterMs: 0.01,
      duplicates: 0,
    },
    { target: 'x.invalid', sent: 3, received: 0, lossPct: 100, duplicates: 0, error: 'Name or service not known' },
  ]);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^127\.0\.0\.1\s+3\s+3\s+0\s+0\.020\s+0\.030\s+0\.050\s+0\.010$/);
  assert.match(lines[2], /100\s+-\s+-\s+-\s+-\s+Name or service not known$/);
});

test('credentialsFromOptions and formatVarBinds', () => {
  const common = { community: 'public', port: '1161', timeout: '500', retries: '0', maxRepetitions: '10' };
  assert.deepEqual(credentialsFromOptions({ version: '1', ...common }), {
    version: 'v1',
    community: 'public',
    port: 1161,
    timeoutMs: 500,
    retries: 0,
  });
  const v3 = credentialsFromOptions({
    version: '3',
    user: 'u',
    authProtocol: 'sha512',
    authKey: 'aaaaaaaa',
    privProtocol: 'aes256c',
    privKey: 'bbbbbbbb',
    ...common,
  });
  assert.equal(v3.securityLevel, 'authPriv');
  assert.equal(v3.privProtocol, 'aes256c');
  assert.throws(() => credentialsFromOptions({ version: '3', ...common }), /needs -u/);
  assert.equal(
    formatVarBinds([
      { oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'sw1' },
      { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 5 },
      { oid: '1.3.9', type: 'NoSuchObject', value: null },
    ]),
    '1.3.6.1.2.1.1.5.0 = OctetString: "sw1"\n1.3.6.1.2.1.1.3.0 = TimeTicks: 5\n1.3.9 = NoSuchObject\n',
  );
});
