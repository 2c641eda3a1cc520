import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceState, InterfaceState, LogRecord, Sample } from '../model/records.ts';
import { device, recordingNotifier, testEngine } from './test-helpers.ts';

const down = (deviceId: string, ts: number, up = false): DeviceState => ({
  kind: 'device-state',
  deviceId,
  ts,
  icmp: { up, lossPct: up ? 0 : 100 },
});
const sample = (
  deviceId: string,
  metric: string,
  value: number,
  ts: number,
  labels: Record<string, string> = {},
): Sample => ({ kind: 'sample', deviceId, metric, labels, ts, value });

test('device down opens once, repeats update count and last seen, recovery clears; all published and stored', async () => {
  const t = await testEngine({ devices: [device('r1')] });
  await t.engine.process([down('r1', t.clock.now())]);
  t.clock.advance(60_000);
  await t.engine.process([down('r1', t.clock.now())]);
  const e = t.byKey('icmp:down:r1')!;
  assert.equal(e.count, 2);
  assert.equal(e.severity, 'critical');
  assert.equal(e.source, 'icmp');
  assert.equal(e.lastSeen - e.firstSeen, 60_000);
  t.clock.advance(60_000);
  await t.engine.process([down('r1', t.clock.now(), true)]);
  assert.equal(t.byKey('icmp:down:r1'), undefined);
  const stored = (await t.store.getEvent(e.id))!;
  assert.equal(stored.state, 'cleared');
  assert.equal(stored.clearReason, 'recovered');
  await t.bus.drain();
  assert.deepEqual(
    t.published.filter((p) => p.id === e.id).map((p) => p.state),
    ['open', 'open', 'cleared'],
  );
  assert.deepEqual(
    t.notifier.calls.map((c) => c.kind),
    ['raise', 'clear'],
  );
});

test('built-ins: SNMP unreachable, interface down while admin up, reboot cleared by timeout, loss and latency', async () => {
  const t = await testEngine({ devices: [device('r1')] });
  const now = t.clock.now();
  const ifs = (oper: number, admin: number, prev?: number): InterfaceState => ({
    kind: 'interface-state',
    deviceId: 'r1',
    ts: now,
    ifIndex: 3,
    name: 'Gi0/3',
    operStatus: oper,
    adminStatus: admin,
    previousOperStatus: prev,
  });
  await t.engine.process([
    {
      kind: 'device-state',
      deviceId: 'r1',
      ts: now,
      snmp: { ok: false, errorCode: 'VIGIL_SNMP_TIMEOUT', version: 'v2c' },
    },
    { kind: 'device-state', deviceId: 'r1', ts: now, rebooted: true, snmp: { ok: true, version: 'v2c' } },
    ifs(2, 1, 1),
    sample('r1', 'icmp.loss.pct', 60, now),
    sample('r1', 'icmp.rtt.avg', 250, now),
  ]);
  assert.equal(t.byKey('snmp:unreachable:r1'), undefined, 'the second state said ok again');
  assert.equal(
    (await t.store.listEvents({ source: 'snmp' })).events.some(
      (e) => e.dedupKey === 'snmp:unreachable:r1' && e.state === 'cleared',
    ),
    true,
  );
  assert.equal(t.byKey('snmp:ifdown:r1:3')!.component, 'Gi0/3');
  assert.equal(t.byKey('icmp:builtin.packet-loss:r1')!.severity, 'major');
  assert.equal(t.byKey('icmp:builtin.latency:r1')!.severity, 'warning');
  assert.ok(t.byKey('snmp:reboot:r1'));
  await t.engine.process([ifs(2, 2)]);
  assert.equal(t.byKey('snmp:ifdown:r1:3'), undefined, 'admin down clears');
  t.clock.advance(901_000);
  await t.engine.tick();
  assert.equal(t.byKey('snmp:reboot:r1'), undefined, 'cleared by timeout');
});

test('interface down: an interface never seen up is a baseline, not an alarm (unless watch: all)', async () => {
  const ifs = (ifIndex: number, oper: number, prev?: number): InterfaceState => ({
    kind: 'interface-state',
    deviceId: 'r1',
    ts: 0,
    ifIndex,
    name: `Gi0/${ifIndex}`,
    operStatus: oper,
    adminStatus: 1,
    previousOperStatus: prev,
  });
  const t = await testEngine({ devices: [device('r1')] });
  // First poll: 40 empty access ports, down with admin up; then one of them, seen down, goes lowerLayerDown.
  await t.engine.process(Array.from({ length: 40 }, (_, i) => ifs(i + 1, 2)));
  await t.engine.process([ifs(1, 7, 2)]);
  assert.equal((await t.store.listEvents({ source: 'snmp' })).events.length, 0);
  // A port that was up goes down: one event; it comes back: cleared.
  await t.engine.process([ifs(41, 1), ifs(41, 2, 1)]);
  assert.equal(t.byKey('snmp:ifdown:r1:41')!.state, 'open');
  assert.equal((await t.store.listEvents({ source: 'snmp' })).events.length, 1);
  await t.engine.process([ifs(41, 1, 2)]);
  assert.equal(t.byKey('snmp:ifdown:r1:41'), undefined);
  const all = await testEngine({ devices: [device('r1')], events: { builtins: { interfaceDown: { watch: 'all' } } } });
  await all.engine.process([ifs(5, 2)]);
  assert.ok(all.byKey('snmp:ifdown:r1:5'), 'watch: all alarms on any port down while admin up');
});

test('built-ins can be turned off and adjusted', async () => {
  const t = await testEngine({
    events: {
      builtins: { deviceDown: { enabled: false }, packetLoss: { levels: [{ severity: 'critical', value: 5 }] } },
    },
  });
  await t.engine.process([down('r1', t.clock.now()), sample('r1', 'icmp.loss.pct', 6, t.clock.now())]);
  assert.equal(t.byKey('icmp:down:r1'), undefined);
  assert.equal(t.byKey('icmp:builtin.packet-loss:r1')!.severity, 'critical');
});

test('ack, unack and close with comments; every change in the history with who and when', async () => {
  const t = await testEngine();
  await t.engine.process([down('r1', t.clock.now())]);
  const id = t.byKey('icmp:down:r1')!.id;
  t.clock.advance(1000);
  assert.equal((await t.engine.acknowledge(id, 'alice', 'on it')).state, 'acknowledged');
  await assert.rejects(t.engine.acknowledge(id, 'alice'), /already acknowledged/);
  t.clock.advance(1000);
  await t.engine.unacknowledge(id, 'bob', 'not fixed');
  t.clock.advance(1000);
  const closed = await t.engine.close(id, 'bob', 'false alarm');
  assert.equal(closed.state, 'cleared');
  await assert.rejects(t.engine.acknowledge(id, 'x'), (e: Error & { code?: string }) => e.code === 'VIGIL_CONFLICT');
  const d = (await t.engine.describe(id))!;
  assert.deepEqual(
    d.history.map((h) => [h.action, h.actor, h.comment]),
    [
      ['opened', 'system', undefined],
      ['acknowledged', 'alice', 'on it'],
      ['unacknowledged', 'bob', 'not fixed'],
      ['closed', 'bob', 'false alarm'],
    ],
  );
  assert.ok(d.history.every((h, i, a) => i === 0 || h.ts > a[i - 1].ts));
});

test('acknowledged events stay acknowledged when the condition repeats', async () => {
  const t = await testEngine();
  await t.engine.process([down('r1', t.clock.now())]);
  const id = t.byKey('icmp:down:r1')!.id;
  await t.engine.acknowledge(id, 'alice');
  await t.engine.process([down('r1', t.clock.now() + 1)]);
  assert.equal(t.byKey('icmp:down:r1')!.state, 'acknowledged');
  assert.equal(t.byKey('icmp:down:r1')!.count, 2);
});

test('(a) uplink errors rising AND loss > 20 % to the device behind it within 5 min → link degradation, major', async () => {
  const devices = [device('sw1', { tags: ['core'] }), device('srv1', { parentId: 'sw1' }), device('srv2')];
  const t = await testEngine({
    devices,
    events: {
      builtins: { packetLoss: { enabled: false } },
      thresholds: [
        {
          id: 'uplink-errors',
          name: 'uplink errors rising',
          metric: 'if.in.errors.ps',
          components: { ifName: 'Te1/*' },
          condition: 'rate',
          levels: [{ severity: 'minor', value: 0.1 }],
        },
      ],
      correlations: [
        {
          id: 'link-degradation',
          windowS: 300,
          scope: { by: 'path' },
          conditions: {
            errors: { event: { ruleId: 'uplink-errors' } },
            loss: { metric: { name: 'icmp.loss.pct', op: '>', value: 20 } },
          },
          expression: 'errors AND loss',
          raise: { summary: 'link degradation towards {{device}}', severity: 'major', suppressCauses: true },
        },
      ],
    },
  });
  const t0 = t.clock.now();
  const err = (v: number, ts: number) => sample('sw1', 'if.in.errors.ps', v, ts, { ifIndex: '49', ifName: 'Te1/49' });
  await t.engine.process([err(0, t0), err(10, t0 + 60_000)]);
  const errEvent = t.engine.activeEvents().find((e) => e.ruleId === 'uplink-errors')!;
  assert.ok(errEvent, 'errors rising on the uplink');
  await t.engine.process([sample('srv2', 'icmp.loss.pct', 50, t0 + 90_000)]);
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'correlation').length, 0, 'srv2 is not behind sw1');
  await t.engine.process([sample('srv1', 'icmp.loss.pct', 10, t0 + 100_000)]);
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'correlation').length, 0, 'loss below 20 %');
  await t.engine.process([sample('srv1', 'icmp.loss.pct', 35, t0 + 120_000)]);
  const derived = t.byKey('correlation:link-degradation:srv1')!;
  assert.equal(derived.severity, 'major');
  assert.equal(derived.summary, 'link degradation towards srv1');
  assert.equal(derived.deviceId, 'srv1');
  assert.deepEqual(derived.causes, [errEvent.id]);
  assert.equal(t.byKey(errEvent.dedupKey)!.suppressed, `correlation:${derived.id}`);
  assert.ok(t.notifier.suppressed.includes(errEvent.id));
  const d = (await t.engine.describe(derived.id))!;
  assert.deepEqual(
    d.causes.map((c) => c.id),
    [errEvent.id],
  );
  assert.deepEqual(
    (await t.engine.describe(errEvent.id))!.derived.map((c) => c.id),
    [derived.id],
  );
  // Outside the window the two facts no longer combine.
  t.clock.advance(600_000);
  await t.engine.tick();
  assert.equal(t.byKey('correlation:link-degradation:srv1'), undefined, 'cleared after its window without a new match');
  await t.engine.process([sample('srv1', 'icmp.loss.pct', 35, t0 + 700_000)]);
  assert.equal(t.byKey('correlation:link-degradation:srv1'), undefined, 'errors fact older than 5 min');
});

test('(b) ≥ 5 syslog authentication failures from one host within 1 min → brute force suspected, critical', async () => {
  const t = await testEngine({
    syslogRules: [
      {
        id: 'auth-fail',
        app: 'sshd',
        regex: 'Failed password for (?<user>\\S+) from (?<ip>\\S+)',
        raise: 'warning',
        summary: 'authentication failure for {{user}}',
      },
    ],
    events: {
      correlations: [
        {
          id: 'brute-force',
          windowS: 60,
          scope: { by: 'device' },
          when: { event: { ruleId: 'auth-fail' }, count: 5 },
          raise: { summary: 'brute force suspected on {{host}}', severity: 'critical' },
        },
      ],
    },
  });
  const t0 = t.clock.now();
  const log = (host: string, i: number, ts: number): LogRecord => ({
    kind: 'log',
    receivedTs: ts,
    ts,
    sourceAddress: host === 'web1' ? '127.0.0.10' : '127.0.0.11',
    transport: 'udp',
    facility: 4,
    severity: 6,
    hostname: host,
    app: 'sshd',
    message: `Failed password for user${i} from 127.0.0.99 port 4${i} ssh2`,
  });
  // 4 from web1 and 4 from web2 in the minute: no host reaches 5.
  await t.engine.process([0, 1, 2, 3].flatMap((i) => [log('web1', i, t0 + i * 5000), log('web2', i, t0 + i * 5000)]));
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'correlation').length, 0);
  // The 5th from web1 but 70 s after the first: only 4 in the window.
  await t.engine.process([log('web1', 4, t0 + 70_000)]);
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'correlation').length, 0);
  // Window [13 s, 73 s]: 15, 70, 71, 72, 73 → five.
  await t.engine.process([log('web1', 5, t0 + 71_000), log('web1', 6, t0 + 72_000)]);
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'correlation').length, 0, 'four in the last minute');
  await t.engine.process([log('web1', 7, t0 + 73_000)]);
  const bf = t.engine.activeEvents().filter((e) => e.source === 'correlation');
  assert.equal(bf.length, 1);
  assert.equal(bf[0].severity, 'critical');
  assert.match(bf[0].summary, /brute force suspected on web1/);
  assert.ok(bf[0].causes!.length >= 1);
});

test('(c) dependencies: a child down while its parent (or any ancestor) is down is marked and not notified', async () => {
  const notifier = recordingNotifier();
  const t = await testEngine({
    notifier,
    devices: [
      device('core'),
      device('dist', { parentId: 'core' }),
      device('edge', { parentId: 'dist' }),
      device('other'),
    ],
  });
  const t0 = t.clock.now();
  // The child's state arrives first in the same cycle: it is silenced when the parent's arrives.
  await t.engine.process([down('dist', t0), down('core', t0), down('edge', t0), down('other', t0)]);
  const ev = (id: string) => t.byKey(`icmp:down:${id}`)!;
  assert.equal(ev('core').suppressed, undefined);
  assert.equal(ev('dist').dependsOn, 'core');
  assert.equal(ev('dist').suppressed, `dependency:${ev('core').id}`);
  assert.equal(ev('edge').dependsOn, 'dist');
  assert.equal(ev('other').suppressed, undefined);
  assert.ok(notifier.suppressed.includes(ev('dist').id));
  const raised = notifier.calls.filter((c) => c.kind === 'raise').map((c) => c.id);
  assert.ok(!raised.includes(ev('edge').id), 'edge never notified');
  assert.ok(raised.includes(ev('core').id) && raised.includes(ev('other').id));
});

test('maintenance: events recorded and flagged, notifications held back until the window ends', async () => {
  const start = Date.parse('2026-11-29T02:00:00Z');
  const notifier = recordingNotifier();
  const t = await testEngine({
    notifier,
    start: start + 10 * 60_000,
    devices: [device('r1', { group: 'lab' })],
    events: { maintenance: [{ id: 'sunday', devices: { groups: ['lab'] }, cron: '0 2 * * 0', durationM: 60 }] },
  });
  await t.engine.process([down('r1', t.clock.now())]);
  const e = t.byKey('icmp:down:r1')!;
  assert.equal(e.inMaintenance, true);
  assert.equal(notifier.calls.length, 0);
  t.clock.set(start + 61 * 60_000);
  await t.engine.tick();
  assert.equal(t.byKey('icmp:down:r1')!.inMaintenance, false);
  assert.deepEqual(
    notifier.calls.map((c) => c.kind),
    ['raise'],
  );
});

test('rules are validated with errors naming the part, stored, applied, and dry-run against stored data', async () => {
  const t = await testEngine({ devices: [device('r1')] });
  const bad = (raw: unknown, re: RegExp) =>
    assert.rejects(
      t.engine.saveRule(raw),
      (e: Error & { code?: string }) => e.code === 'VIGIL_RULE_INVALID' && re.test(e.message),
    );
  await bad(
    { id: 'x', kind: 'threshold', metric: 'cpu.lod.pct', levels: [{ severity: 'warning', value: 1 }] },
    /metric: unknown metric "cpu.lod.pct"/,
  );
  await bad(
    {
      id: 'x',
      kind: 'threshold',
      metric: 'cpu.load.pct',
      levels: [
        { severity: 'critical', value: 95 },
        { severity: 'warning', value: 80 },
      ],
    },
    /levels\[1\]\.value/,
  );
  await bad(
    {
      id: 'x',
      kind: 'correlation',
      windowS: 60,
      conditions: { A: { event: { source: 'icmp' } } },
      expression: 'A AND (B',
      raise: { summary: 's', severity: 'major' },
    },
    /expression: unknown condition "B"/,
  );
  await bad(
    {
      id: 'x',
      kind: 'correlation',
      windowS: 60,
      conditions: { A: { event: { source: 'icmp' } } },
      expression: 'A AND',
      raise: { summary: 's', severity: 'major' },
    },
    /expression: expected a condition name/,
  );
  await bad(
    {
      id: 'x',
      kind: 'correlation',
      windowS: 60,
      when: { all: [{ event: {} }, { metric: { name: 'nope', op: '>', value: 1 } }] },
      raise: { summary: 's', severity: 'major' },
    },
    /when\.all\[1\]\.metric\.name: unknown metric "nope"/,
  );
  await bad({ id: 'x', kind: 'syslog', regex: '(' }, /regex/i);

  const t0 = t.clock.now();
  await t.store.writeSamples(
    [0, 1, 2, 3, 4, 5].map((i) =>
      sample('r1', 'cpu.load.pct', [50, 85, 90, 97, 60, 40][i], t0 - 3_600_000 + i * 60_000),
    ),
  );
  await t.engine.saveRule({
    id: 'cpu',
    kind: 'threshold',
    metric: 'cpu.load.pct',
    levels: [
      { severity: 'warning', value: 80 },
      { severity: 'critical', value: 95 },
    ],
  });
  const dry = await t.engine.dryRun('cpu', 2);
  assert.equal(dry.replayed.samples, 6);
  assert.equal(dry.events.length, 1);
  assert.equal(dry.events[0].severity, 'critical');
  assert.equal(dry.events[0].count, 3);
  assert.equal(dry.events[0].cleared, true);
  assert.equal(t.engine.activeEvents().length, 0, 'a dry-run raises nothing');
  await t.engine.process([sample('r1', 'cpu.load.pct', 99, t0)]);
  assert.equal(t.engine.activeEvents()[0].ruleId, 'cpu', 'saved rules apply at once');
  assert.equal((await t.engine.listRules()).find((r) => r.id === 'cpu')!.origin, 'api');
  assert.ok(await t.engine.deleteRule('cpu'));
});
