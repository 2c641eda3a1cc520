import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InterfaceState } from '../model/records.ts';
import { eventsConfigSchema } from './config.ts';
import { PortMemory } from './port-memory.ts';
import { portWatcher } from './port-watch.ts';
import { device, restartedEngine, testEngine } from './test-helpers.ts';

const port = (
  name: string,
  extra: Partial<{ alias: string; descr: string; seenUp: boolean; uplink: boolean }> = {},
) => ({ ifIndex: 1, name, seenUp: false, ...extra });

test('default policy: seen up, uplink and described ports are watched; an access port never up is not, and each says why', () => {
  const v = portWatcher({ watch: 'seen-up', rules: [] });
  const d = device('sw1');
  assert.deepEqual(v(d, port('Gi0/1', { seenUp: true })), { watched: true, mode: 'default', reason: 'seen-up' });
  assert.deepEqual(v(d, port('Gi0/2', { uplink: true })), { watched: true, mode: 'default', reason: 'uplink' });
  assert.deepEqual(v(d, port('Gi0/3', { alias: 'to core-1' })), { watched: true, mode: 'default', reason: 'alias' });
  assert.deepEqual(v(d, port('Gi0/4', { alias: '  ' })), { watched: false, mode: 'default', reason: 'never-up' });
  assert.deepEqual(v(d, port('Gi0/5')), { watched: false, mode: 'default', reason: 'never-up' });
  assert.deepEqual(portWatcher({ watch: 'all', rules: [] })(d, port('Gi0/5')), {
    watched: true,
    mode: 'all',
    reason: 'config-all',
  });
});

test('rules by device, group, tag and port pattern: the first match decides and is named', () => {
  const v = portWatcher({
    watch: 'seen-up',
    rules: [
      { name: 'core-all', devices: { tags: ['core'] }, watch: 'all' },
      { devices: { groups: ['access'] }, ports: ['Gi1/0/48', '/uplink/i'], watch: 'all' },
      { devices: { groups: ['access'] }, watch: 'none' },
      { devices: { ids: ['lab'] }, ports: ['Fa*'], watch: 'default' },
    ],
  });
  assert.deepEqual(v(device('c1', { tags: ['core'] }), port('Te1/1')), {
    watched: true,
    mode: 'all',
    reason: 'rule-all',
    rule: 'core-all',
  });
  const acc = device('a1', { group: 'access' });
  assert.equal(v(acc, port('Gi1/0/48')).mode, 'all');
  assert.equal(v(acc, port('Gi1/0/1', { alias: 'UPLINK to dist' })).rule, '2', 'a pattern may match the alias');
  assert.deepEqual(v(acc, port('Gi1/0/2', { seenUp: true })), {
    watched: false,
    mode: 'none',
    reason: 'rule-none',
    rule: '3',
  });
  assert.deepEqual(v(device('lab'), port('Fa0/1', { seenUp: true })), {
    watched: true,
    mode: 'default',
    reason: 'seen-up',
    rule: '4',
  });
  assert.deepEqual(
    v(device('lab'), port('Gi0/1')),
    { watched: false, mode: 'default', reason: 'never-up' },
    'no rule matched: the default',
  );
});

test('a bad port pattern fails at load naming its path', () => {
  const r = eventsConfigSchema.safeParse({
    builtins: { interfaceDown: { rules: [{ watch: 'all', ports: ['/[unclosed/'] }] } },
  });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0].path, ['builtins', 'interfaceDown', 'rules', 0, 'ports', 0]);
  assert.equal(
    eventsConfigSchema.safeParse({ builtins: { interfaceDown: { rules: [{ watch: 'some' }] } } }).success,
    false,
  );
});

const ifs = (ifIndex: number, oper: number, ts = 0, admin = 1): InterfaceState => ({
  kind: 'interface-state',
  deviceId: 'sw1',
  ts,
  ifIndex,
  name: `Gi0/${ifIndex}`,
  operStatus: oper,
  adminStatus: admin,
});

test('port memory: previous status and seen-up, seeded from the store', () => {
  const m = new PortMemory();
  assert.deepEqual(m.observe(ifs(1, 2)), { seenUp: false });
  assert.deepEqual(m.observe(ifs(1, 1)), { previous: 2, seenUp: true });
  assert.deepEqual(m.observe(ifs(1, 2)), { previous: 1, seenUp: true });
  m.load([{ deviceId: 'sw1', ifIndex: 9, operStatus: 1, seenUp: true }]);
  assert.deepEqual(m.observe(ifs(9, 2)), { previous: 1, seenUp: true });
  m.retain(new Set(['other']));
  assert.equal(m.size, 0);
});

test('engine: a port up before a restart and down after it raises; rules none and all hold', async () => {
  const devices = [device('sw1', { group: 'access' })];
  const first = await testEngine({ devices });
  await first.store.applyInterfaceStates([ifs(1, 1), ifs(2, 2)]);
  // A new engine on the same store: what the last one (or the poller) saw is remembered.
  const engine = await restartedEngine(first);
  await engine.process([ifs(1, 2), ifs(2, 2)]);
  assert.deepEqual(
    engine.activeEvents().map((e) => e.dedupKey),
    ['snmp:ifdown:sw1:1'],
  );
  const watch = (await engine.interfacesWithWatch('sw1')).map((r) => [r.ifIndex, r.watch.reason]);
  assert.deepEqual(watch, [
    [1, 'seen-up'],
    [2, 'never-up'],
  ]);

  const none = await testEngine({
    devices,
    events: { builtins: { interfaceDown: { rules: [{ devices: { groups: ['access'] }, watch: 'none' }] } } },
  });
  await none.engine.process([ifs(1, 1), ifs(1, 2, 1)]);
  assert.equal(none.engine.activeEvents().length, 0, 'watch none: an up port going down is not an alarm');

  const all = await testEngine({
    devices,
    events: { builtins: { interfaceDown: { rules: [{ ports: ['Gi0/7'], watch: 'all' }] } } },
  });
  await all.engine.process([ifs(7, 2), ifs(8, 2)]);
  assert.deepEqual(
    all.engine.activeEvents().map((e) => [e.dedupKey, e.details?.watch]),
    [['snmp:ifdown:sw1:7', 'rule-all']],
  );
});

test('dormant counts as down only where configured', async () => {
  const plain = await testEngine({ devices: [device('sw1')] });
  await plain.engine.process([ifs(1, 1), ifs(1, 5, 1)]);
  assert.equal(plain.engine.activeEvents().length, 0);
  const dormant = await testEngine({
    devices: [device('sw1')],
    events: { builtins: { interfaceDown: { downStates: ['down', 'lowerLayerDown', 'dormant'] } } },
  });
  await dormant.engine.process([ifs(1, 1), ifs(1, 5, 1)]);
  assert.equal(dormant.engine.activeEvents().length, 1);
});
