import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoveryRuleSchema } from './config.ts';
import type { ProbeResult } from './probe.ts';
import { compileRules } from './rules.ts';

const found = (over: Partial<ProbeResult>): ProbeResult => ({
  address: '10.0.0.5',
  profile: 'lab',
  version: 'v2c',
  neighbourAddresses: [],
  ...over,
});
const rule = (r: unknown) => discoveryRuleSchema.parse(r);

test('the first rule whose conditions all hold decides; else the default', () => {
  const rules = compileRules(
    [
      rule({ name: 'cisco core', vendor: 'cisco*', subnet: '10.0.0.0/24', action: 'add', group: 'core', tags: ['c'] }),
      rule({ sysDescr: 'linux', action: 'ignore' }),
      rule({ sysObjectID: '1.3.6.1.4.1.2636', action: 'add', profile: 'juniper', pollIntervalS: 120 }),
    ],
    'list',
  );
  assert.deepEqual(rules.decide(found({ vendor: 'Cisco Systems' })), {
    action: 'add',
    rule: 'cisco core',
    tags: ['c'],
    group: 'core',
  });
  assert.equal(rules.decide(found({ vendor: 'Cisco Systems', address: '10.0.1.5' })).action, 'list');
  assert.deepEqual(rules.decide(found({ sysDescr: 'Linux host 6.1' })), {
    action: 'ignore',
    rule: 'rules[1]',
    tags: [],
  });
  assert.deepEqual(rules.decide(found({ sysObjectID: '1.3.6.1.4.1.2636.1.1.1.2.21' })), {
    action: 'add',
    rule: 'rules[2]',
    tags: [],
    profile: 'juniper',
    pollIntervalS: 120,
  });
  // A prefix matches whole arcs only.
  assert.equal(rules.decide(found({ sysObjectID: '1.3.6.1.4.1.26360' })).action, 'list');
  assert.equal(rules.decide(found({ sysObjectID: '1.3.6.1.4.1.2636' })).action, 'add');
});

test('a rule pattern that could run away or a bad subnet is refused', () => {
  assert.throws(() => rule({ sysDescr: '(a+)+\\1', action: 'add' }));
  assert.throws(() => compileRules([rule({ subnet: '10.0.0.0/40', action: 'add' })], 'list'), /rules\[0\]\.subnet/);
  assert.throws(() => rule({ action: 'adopt' }));
});
