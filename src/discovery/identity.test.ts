import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdentityIndex } from './identity.ts';
import type { ProbeResult } from './probe.ts';

const p = (over: Partial<ProbeResult>): ProbeResult => ({
  address: '10.9.9.9',
  profile: 'x',
  version: 'v2c',
  neighbourAddresses: [],
  ...over,
});

test('a device reached at another address is recognised by engine ID, or by sysName with chassis MAC', () => {
  const idx = new IdentityIndex([
    {
      id: 'core',
      addresses: ['10.0.0.1'],
      sysName: 'core.example.net',
      macs: ['00:11:22:33:44:55'],
      engineId: '80001f8880aa',
    },
    { id: 'edge', addresses: ['10.0.0.2'], sysName: 'edge', macs: ['00-aa-bb-cc-dd-ee'] },
  ]);
  assert.deepEqual(idx.match(p({ address: '10.0.0.1' })), { id: 'core', reason: 'address' });
  assert.deepEqual(idx.match(p({ engineId: '80001F8880AA' })), { id: 'core', reason: 'engineId' });
  assert.deepEqual(idx.match(p({ sysName: 'CORE.example.net', chassisMac: '0011.2233.4455' })), {
    id: 'core',
    reason: 'sysName+mac',
  });
  assert.deepEqual(idx.match(p({ sysName: 'edge', chassisMac: '00:aa:bb:cc:dd:ee' })), {
    id: 'edge',
    reason: 'sysName+mac',
  });
  // The same name alone, or the same MAC alone, is not enough (names repeat across sites; MACs get reused).
  assert.equal(idx.match(p({ sysName: 'edge' })), undefined);
  assert.equal(idx.match(p({ sysName: 'other', chassisMac: '00:aa:bb:cc:dd:ee' })), undefined);
});
