/** Rules made through the api (any kind, body kept whole) and maintenance windows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import type { MaintenanceWindow } from '../../model/rules.ts';
import type { StoredRule } from '../../model/event-store.ts';
import type { ContractSuite } from './helpers.ts';

const T_END = Date.UTC(2026, 0, 1, 4);
const rule = (id: string, kind: string, extra: Record<string, unknown> = {}): StoredRule => ({ id, kind, ...extra });

export const rulesContract: ContractSuite = (fresh) => {
  test('rules: put, get, list by id (all or of one kind), replace (kind included), delete', async () => {
    const s = await fresh();
    const threshold = rule('r-b', 'threshold', {
      metric: 'if.in.util',
      levels: [{ severity: 'major', above: 90 }],
      scope: { by: 'tags', tags: ['core'] },
      summary: '장애 {{value}}',
    });
    await s.putRule(threshold, 1);
    await s.putRule(rule('r-a', 'syslog', { match: { text: 'link down' } }), 2);
    await s.putRule(rule('r-c', 'trap', { trap: '1.3.6.1.6.3.1.1.5.3' }), 3);
    assert.deepEqual(await s.getRule('r-b'), threshold);
    assert.deepEqual(
      (await s.listRules()).map((r) => r.id),
      ['r-a', 'r-b', 'r-c'],
    );
    assert.deepEqual(
      (await s.listRules('syslog')).map((r) => r.id),
      ['r-a'],
    );
    assert.deepEqual(await s.listRules('correlation'), []);
    await s.putRule(rule('r-a', 'correlation', { when: { all: [] } }), 4);
    await s.putRule(rule('r-a', 'correlation', { when: { all: [] } }), 4);
    assert.deepEqual(await s.getRule('r-a'), rule('r-a', 'correlation', { when: { all: [] } }));
    assert.deepEqual(await s.listRules('syslog'), []);
    assert.deepEqual(
      (await s.listRules('correlation')).map((r) => r.id),
      ['r-a'],
    );
    assert.equal((await s.listRules()).length, 3);
    assert.equal(await s.deleteRule('r-a'), true);
    assert.equal(await s.deleteRule('r-a'), false);
    assert.equal(await s.getRule('r-a'), undefined);
  });

  test('rules and windows: creating one whose id is taken is a conflict and changes nothing', async () => {
    const s = await fresh();
    await s.putRule(rule('r-a', 'syslog', { match: { text: 'first' } }), 1, { create: true });
    await assert.rejects(
      s.putRule(rule('r-a', 'trap', { trap: '1.3.6.1' }), 2, { create: true }),
      (e) => isVigilError(e) && e.code === 'VIGIL_CONFLICT',
    );
    assert.deepEqual(await s.getRule('r-a'), rule('r-a', 'syslog', { match: { text: 'first' } }));
    const w = { id: 'w-a', devices: { ids: ['sw1'] }, cron: '0 2 * * 0', durationM: 60 } as MaintenanceWindow;
    await s.putMaintenance(w, { create: true });
    await assert.rejects(
      s.putMaintenance({ ...w, durationM: 5 } as MaintenanceWindow, { create: true }),
      (e) => isVigilError(e) && e.code === 'VIGIL_CONFLICT',
    );
    assert.deepEqual(await s.getMaintenance('w-a'), w);
  });

  test('maintenance windows: put, get, list by id, replace, delete', async () => {
    const s = await fresh();
    const once: MaintenanceWindow = {
      id: 'w-b',
      name: 'swap',
      devices: { tags: ['core'] },
      start: '2026-01-01T00:00:00Z',
      end: T_END,
      comment: '점검',
    } as MaintenanceWindow;
    const weekly: MaintenanceWindow = {
      id: 'w-a',
      devices: { ids: ['sw1'] },
      cron: '0 2 * * 0',
      durationM: 60,
      tz: 'Asia/Seoul',
    } as MaintenanceWindow;
    await s.putMaintenance(once);
    await s.putMaintenance(weekly);
    assert.deepEqual(await s.getMaintenance('w-b'), once);
    assert.deepEqual(
      (await s.listMaintenance()).map((w) => w.id),
      ['w-a', 'w-b'],
    );
    const moved = { ...weekly, durationM: 90 } as MaintenanceWindow;
    await s.putMaintenance(moved);
    assert.deepEqual(await s.getMaintenance('w-a'), moved);
    assert.equal((await s.listMaintenance()).length, 2);
    assert.equal(await s.deleteMaintenance('w-a'), true);
    assert.equal(await s.deleteMaintenance('w-a'), false);
    assert.equal(await s.getMaintenance('w-a'), undefined);
    assert.deepEqual(
      (await s.listMaintenance()).map((w) => w.id),
      ['w-b'],
    );
  });
};
