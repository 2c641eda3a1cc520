import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceState, InterfaceState } from '../model/records.ts';
import { device, restartedEngine, testEngine } from './test-helpers.ts';

const ifs = (deviceId: string, ifIndex: number, oper: number, ts: number): InterfaceState => ({
  kind: 'interface-state',
  deviceId,
  ts,
  ifIndex,
  name: `Gi0/${ifIndex}`,
  operStatus: oper,
  adminStatus: 1,
});
const ports = (deviceId: string, n: number, oper: number, ts: number) =>
  Array.from({ length: n }, (_, i) => ifs(deviceId, i + 1, oper, ts));

test('a storm of interfaces down on one device is one incident with its children, told once', async () => {
  const t = await testEngine({ devices: [device('sw1', { name: 'lab-c3560' })] });
  const t0 = t.clock.now();
  await t.engine.process(ports('sw1', 40, 1, t0));
  t.clock.advance(60_000);
  await t.engine.process(ports('sw1', 31, 2, t.clock.now()));
  const active = t.engine.activeEvents();
  const incidents = active.filter((e) => e.source === 'incident');
  assert.equal(incidents.length, 1);
  const inc = incidents[0];
  assert.equal(inc.summary, 'lab-c3560: 31 interfaces down');
  assert.equal(inc.deviceId, 'sw1');
  assert.equal(inc.severity, 'major');
  const children = active.filter((e) => e.incidentId === inc.id);
  assert.equal(children.length, 31);
  assert.ok(children.every((c) => c.suppressed === `incident:${inc.id}`));
  // The notifier was asked to raise each child as it opened, then told to drop all of them: only the incident remains.
  const raised = new Set(t.notifier.calls.filter((c) => c.kind === 'raise').map((c) => c.id));
  const dropped = new Set(t.notifier.suppressed);
  assert.deepEqual(
    [...raised].filter((id) => !dropped.has(id)),
    [inc.id],
  );
  // The store lists the incident at the top level and the children under it.
  await t.engine.flush();
  const top = (await t.store.listEvents({ state: ['open'], topLevel: true })).events;
  assert.deepEqual(
    top.map((e) => e.id),
    [inc.id],
  );
  assert.equal((await t.store.listEvents({ incidentId: inc.id, limit: 1000 })).events.length, 31);
  const described = await t.engine.describe(inc.id);
  assert.equal(described!.children.length, 31);

  // One more port down joins it; one acknowledgement covers all.
  await t.engine.process([ifs('sw1', 35, 2, t.clock.now())]);
  assert.equal(t.engine.activeEvents().find((e) => e.id === inc.id)!.summary, 'lab-c3560: 32 interfaces down');
  await t.engine.acknowledge(inc.id, 'alice');
  assert.ok(
    t.engine
      .activeEvents()
      .filter((e) => e.incidentId === inc.id)
      .every((c) => c.state === 'acknowledged' && c.acknowledgedBy === 'alice'),
  );
  // Ports come back: the count follows; the last one clears the incident.
  t.clock.advance(60_000);
  await t.engine.process(ports('sw1', 30, 1, t.clock.now()));
  assert.equal(t.engine.activeEvents().find((e) => e.id === inc.id)!.summary, 'lab-c3560: 2 interfaces down');
  await t.engine.process([ifs('sw1', 31, 1, t.clock.now()), ifs('sw1', 35, 1, t.clock.now())]);
  assert.equal(t.engine.activeEvents().length, 0);
  assert.equal((await t.store.getEvent(inc.id))!.state, 'cleared');
});

test('fewer than minEvents, or spread beyond the window, make no incident; devices behind one parent group on it', async () => {
  const t = await testEngine({ devices: [device('sw1')] });
  await t.engine.process(ports('sw1', 4, 1, t.clock.now()));
  await t.engine.process(ports('sw1', 4, 2, t.clock.now()));
  assert.equal(t.engine.activeEvents().filter((e) => e.source === 'incident').length, 0);
  const slow = await testEngine({ devices: [device('sw1')], events: { incidents: { windowS: 60 } } });
  await slow.engine.process(ports('sw1', 8, 1, slow.clock.now()));
  for (let i = 1; i <= 8; i++) {
    slow.clock.advance(30_000);
    await slow.engine.process([ifs('sw1', i, 2, slow.clock.now())]);
  }
  assert.equal(
    slow.engine.activeEvents().filter((e) => e.source === 'incident').length,
    0,
    'at most 3 within any 60 s',
  );

  const kids = Array.from({ length: 6 }, (_, i) => device(`ap${i}`, { parentId: 'dist' }));
  const p = await testEngine({ devices: [device('dist', { name: 'dist-1' }), ...kids] });
  const down = (id: string): DeviceState => ({
    kind: 'device-state',
    deviceId: id,
    ts: p.clock.now(),
    icmp: { up: false, lossPct: 100 },
  });
  await p.engine.process(kids.map((k) => down(k.id)));
  const inc = p.engine.activeEvents().filter((e) => e.source === 'incident');
  assert.deepEqual(
    inc.map((e) => [e.summary, e.deviceId, e.severity]),
    [['behind dist-1: 6 devices down', 'dist', 'critical']],
  );
  // The parent going down itself: dependencies silence the children, as before.
  await p.engine.process([down('dist')]);
  assert.ok(p.engine.activeEvents().find((e) => e.dedupKey === 'icmp:down:dist'));
  // Closing the incident closes its children.
  await p.engine.close(inc[0].id, 'bob');
  assert.deepEqual(
    p.engine.activeEvents().map((e) => e.dedupKey),
    ['icmp:down:dist'],
  );
});

test('flapping: more than maxChanges in the window is one flapping event; the up/down notifications wait until it settles', async () => {
  const t = await testEngine({ devices: [device('sw1')] });
  await t.engine.process([ifs('sw1', 1, 1, t.clock.now())]);
  for (let i = 0; i < 5; i++) {
    t.clock.advance(20_000);
    await t.engine.process([ifs('sw1', 1, 2, t.clock.now())]);
    t.clock.advance(20_000);
    await t.engine.process([ifs('sw1', 1, 1, t.clock.now())]);
  }
  const flaps = (await t.store.listEvents({ limit: 1000 })).events.filter((e) => e.ruleId === 'builtin.flapping');
  assert.equal(flaps.length, 1);
  assert.match(flaps[0].summary, /^sw1 Gi0\/1 is flapping \(\d+ changes in 10 min\)$/);
  const flap = t.engine.activeEvents().find((e) => e.ruleId === 'builtin.flapping')!;
  assert.equal(flap.state, 'open');
  // Notifications: the downs of changes 1 and 3 were raised; the 5th change made it flapping and was not told.
  const downs = (await t.store.listEvents({ limit: 1000 })).events.filter((e) => e.dedupKey === 'snmp:ifdown:sw1:1');
  assert.equal(downs.length, 5);
  const raised = t.notifier.calls.filter((c) => c.kind === 'raise').map((c) => c.id);
  assert.equal(raised.filter((id) => downs.some((d) => d.id === id)).length, 2);
  assert.ok(
    t.notifier.suppressed.includes(downs.find((d) => d.firstSeen === Math.max(...downs.map((x) => x.firstSeen)))!.id),
  );
  assert.ok(raised.includes(flap.id));
  // Goes down and stays down while flapping: no notification; quiet for settleM: the flapping event clears and the down is told.
  t.clock.advance(20_000);
  await t.engine.process([ifs('sw1', 1, 2, t.clock.now())]);
  const stillDown = t.engine.activeEvents().find((e) => e.dedupKey === 'snmp:ifdown:sw1:1')!;
  assert.match(stillDown.suppressed!, /^flapping:/);
  const before = t.notifier.calls.length;
  t.clock.advance(5 * 60_000 + 1);
  await t.engine.tick();
  assert.equal(
    t.engine.activeEvents().find((e) => e.ruleId === 'builtin.flapping'),
    undefined,
  );
  assert.deepEqual(
    t.notifier.calls.slice(before).map((c) => [c.kind, c.id]),
    [
      ['clear', flap.id],
      ['raise', stillDown.id],
    ],
  );
});

test('incidents and flapping survive a restart', async () => {
  const t = await testEngine({ devices: [device('sw1')] });
  await t.engine.process(ports('sw1', 6, 1, t.clock.now()));
  await t.engine.process(ports('sw1', 6, 2, t.clock.now()));
  await t.engine.flush();
  const inc = t.engine.activeEvents().find((e) => e.source === 'incident')!;
  const again = await restartedEngine(t);
  await again.process(ports('sw1', 6, 1, t.clock.now()));
  assert.equal(again.activeEvents().length, 0, 'the children cleared and took the incident with them');
  assert.equal((await t.store.getEvent(inc.id))!.state, 'cleared');
});
