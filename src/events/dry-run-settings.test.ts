import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InterfaceState } from '../model/records.ts';
import { device, testEngine } from './test-helpers.ts';

const ifs = (ifIndex: number, oper: number, ts: number): InterfaceState => ({
  kind: 'interface-state',
  deviceId: 'sw1',
  ts,
  ifIndex,
  name: `Gi0/${ifIndex}`,
  operStatus: oper,
  adminStatus: 1,
});

test('settings dry-run: a proposed watch rule, incident and flapping setting replayed over stored history beside the running ones', async () => {
  const t = await testEngine({ devices: [device('sw1', { tags: ['access'] })] });
  const t0 = t.clock.now() - 3_600_000;
  // History: 8 ports come up, then all go down at once; port 1 then flaps 6 times; port 20 (never up) goes down.
  const history: InterfaceState[] = [];
  for (let i = 1; i <= 8; i++) history.push(ifs(i, 2, t0), ifs(i, 1, t0 + 60_000), ifs(i, 2, t0 + 120_000));
  for (let k = 0; k < 6; k++) history.push(ifs(1, 1, t0 + 600_000 + k * 60_000), ifs(1, 2, t0 + 630_000 + k * 60_000));
  history.push(ifs(20, 2, t0), ifs(20, 7, t0 + 900_000));
  await t.store.applyInterfaceStates(history);

  const r = await t.engine.dryRunSettings({}, 2);
  assert.equal(r.replayed.interfaceChanges, 8 * 2 + 12 + 1);
  assert.deepEqual(r.proposed, r.current, 'no change, same answer');
  assert.equal(r.current.incidents, 1, 'the 8 ports down at once are one incident');
  assert.equal(r.current.grouped, 8 + 6, 'port 1 flapping afterwards joins the incident still open');
  assert.equal(r.current.flapping, 1);

  const none = await t.engine.dryRunSettings(
    { builtins: { interfaceDown: { rules: [{ devices: { tags: ['access'] }, watch: 'none' }] } } },
    2,
  );
  assert.equal(none.proposed.opened, 0);
  assert.equal(none.proposed.notifications, 0);
  assert.ok(none.current.notifications > 0);

  const loud = await t.engine.dryRunSettings({ incidents: { enabled: false }, flapping: { enabled: false } }, 2);
  assert.equal(loud.proposed.incidents, 0);
  assert.equal(loud.proposed.flapping, 0);
  assert.equal(loud.proposed.interfaceDown, 8 + 6);
  assert.ok(
    loud.proposed.notifications > loud.current.notifications,
    `${loud.proposed.notifications} > ${loud.current.notifications}`,
  );

  const all = await t.engine.dryRunSettings({ builtins: { interfaceDown: { watch: 'all' } } }, 2);
  assert.equal(
    all.proposed.interfaceDown,
    all.current.interfaceDown + 1,
    'watch all also raises the port never seen up',
  );

  await assert.rejects(t.engine.dryRunSettings({ flapping: { maxChanges: 0 } }, 2), /events\.flapping\.maxChanges/);
});
