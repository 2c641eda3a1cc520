import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSyslog } from '../collectors/syslog/decode.ts';
import type { Device } from '../model/device.ts';
import type { LogRecord } from '../model/records.ts';
import { evaluateSyslogRule, renderTemplate, syslogRuleSchema } from './syslog-rules.ts';

const log = (line: string, sourceAddress = '10.0.0.1') =>
  decodeSyslog(Buffer.from(line), { receivedTs: Date.UTC(2026, 10, 25, 12), sourceAddress, transport: 'udp' });
const device: Device = {
  id: 'd1',
  name: 'core-sw1',
  address: '10.0.0.1',
  tags: [],
  group: 'core',
  icmp: { enabled: true },
  pollIntervalS: 60,
  origin: 'config',
};

test('regex named groups fill the summary and the dedup key', () => {
  const rule = syslogRuleSchema.parse({
    id: 'ssh-fail',
    app: 'sshd',
    minSeverity: 'info',
    regex: 'Failed password for (?<user>\\S+) from (?<ip>\\S+)',
    raise: 'minor',
    summary: '{{user}} failed from {{ip}} on {{host}}',
    dedupKey: 'ssh:{{ip}}',
  });
  const s = evaluateSyslogRule(
    rule,
    log('<38>Nov 25 10:00:00 ex4300 sshd[5678]: Failed password for root from 198.51.100.7 port 40022 ssh2'),
    device,
  );
  assert.ok(s);
  assert.equal(s.action, 'raise');
  assert.equal(s.summary, 'root failed from 198.51.100.7 on ex4300');
  assert.equal(s.dedupKey, 'ssh:198.51.100.7');
  assert.equal(s.severity, 'minor');
  assert.equal(s.source, 'syslog');
  assert.equal(s.deviceId, 'd1');
  assert.equal(s.ruleId, 'ssh-fail');
});

test('filters: severity at or above, facility, host glob, group, contains', () => {
  const line = log(
    '<187>1002: Nov 25 2026 10:15:30.123 CET: %OSPF-5-ADJCHG: Process 1, Nbr 10.0.0.2 on Gi0/0 from FULL to DOWN',
  );
  const base = { id: 'r', summary: 'x' };
  const yes = (extra: object, dev?: Device) =>
    evaluateSyslogRule(syslogRuleSchema.parse({ ...base, ...extra }), line, dev) !== null;
  assert.equal(yes({ minSeverity: 'err' }), true);
  assert.equal(yes({ minSeverity: 'crit' }), false);
  assert.equal(yes({ facility: 'local7' }), true);
  assert.equal(yes({ facility: ['local0', 23] }), true);
  assert.equal(yes({ facility: 'auth' }), false);
  assert.equal(yes({ host: '10.0.0.*' }), true);
  assert.equal(yes({ host: 'other*' }), false);
  assert.equal(yes({ group: 'core' }, device), true);
  assert.equal(yes({ group: 'core' }), false);
  assert.equal(yes({ device: 'core-sw1' }, device), true);
  assert.equal(yes({ app: '%OSPF-*' }), true);
  assert.equal(yes({ contains: 'full to down' }), true);
  assert.equal(yes({ contains: 'nothing like it' }), false);
  assert.equal(yes({ enabled: false }), false);
});

test('a clear matcher closes the event with the same dedup key', () => {
  const rule = syslogRuleSchema.parse({
    id: 'link',
    regex: 'Interface (?<ifname>\\S+), changed state to down',
    dedupKey: '{{deviceId}}:link:{{ifname}}',
    summary: 'link {{ifname}} down',
    raise: 'major',
    clear: { regex: 'Interface (?<ifname>\\S+), changed state to up' },
  });
  const down = evaluateSyslogRule(rule, log('<187>12: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down'), device);
  const up = evaluateSyslogRule(rule, log('<189>13: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up'), device);
  const other = evaluateSyslogRule(rule, log('<189>14: %SYS-5-CONFIG_I: Configured'), device);
  assert.equal(down?.action, 'raise');
  assert.equal(up?.action, 'clear');
  assert.equal(down?.dedupKey, 'd1:link:Gi0/1');
  assert.equal(up?.dedupKey, down?.dedupKey);
  assert.equal(other, null);
});

test('the schema rejects bad regexes and unknown severities, naming the field', () => {
  const bad = syslogRuleSchema.safeParse({ id: 'x', regex: '(unclosed' });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error?.issues), /regex/);
  assert.equal(syslogRuleSchema.safeParse({ id: 'x', minSeverity: 'loud' }).success, false);
});

test('templates leave unknown names empty and never reach the prototype', () => {
  assert.equal(renderTemplate('{{a}}-{{ nope }}-{{constructor}}', { a: '1' }), '1--');
});

test('rule regexes must run in linear time: refused at load with the reason and the path', () => {
  const evil = syslogRuleSchema.safeParse({ id: 'x', regex: '(\\w+)\\s\\1' });
  assert.deepEqual(evil.error?.issues[0].path, ['regex']);
  assert.match(evil.error?.issues[0].message ?? '', /linear time/);
  const flags = syslogRuleSchema.safeParse({ id: 'x', regex: 'a', regexFlags: 'u' });
  assert.deepEqual(flags.error?.issues[0].path, ['regexFlags']);
  const clear = syslogRuleSchema.safeParse({ id: 'x', contains: 'down', clear: { regex: 'up(?=x)' } });
  assert.deepEqual(clear.error?.issues[0].path, ['clear', 'regex']);
  // Catastrophic for a backtracking engine, immediate here.
  const rule = syslogRuleSchema.parse({ id: 'x', regex: '^(?<word>\\w+\\s?)*$', regexFlags: 'i' });
  const line: LogRecord = {
    kind: 'log',
    receivedTs: 0,
    ts: 0,
    sourceAddress: '127.0.0.1',
    transport: 'udp',
    facility: 1,
    severity: 3,
    message: 'a'.repeat(40) + '!',
  };
  assert.equal(evaluateSyslogRule(rule, line), null);
});
