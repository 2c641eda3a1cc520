/** Notification channels and routes (bodies kept whole, secrets included), and the log of delivery attempts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryAttempt } from '../../model/notify-store.ts';
import type { Store } from '../types.ts';
import { T0, type ContractSuite } from './helpers.ts';

const attempt = (i: number, over: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  ts: T0 + i,
  channelId: 'hook',
  channelType: 'webhook',
  kind: 'raise',
  eventIds: [`e${i}`],
  attempt: 1,
  ok: true,
  durationMs: 12,
  ...over,
});
const kinds = async (s: Store, q: Parameters<Store['listDeliveries']>[0]) =>
  (await s.listDeliveries(q)).map((d) => d.eventIds.join('+'));

export const notificationsContract: ContractSuite = (fresh) => {
  test('channels: put, get, list by id, replace (type included), delete; secrets are stored as given', async () => {
    const s = await fresh();
    const hook = {
      id: 'hook',
      type: 'webhook',
      url: 'https://example.net/hook?token=s3cret',
      headers: { authorization: 'Bearer s3cret' },
    };
    await s.putChannel({ id: 'mail', type: 'email', to: ['ops@example.net'], smtp: { password: 'pw' } });
    await s.putChannel(hook);
    assert.deepEqual(await s.getChannel('hook'), hook);
    assert.deepEqual(
      (await s.listChannels()).map((c) => c.id),
      ['hook', 'mail'],
    );
    await s.putChannel({ id: 'hook', type: 'slack', webhookUrl: 'https://hooks.slack.invalid/x' });
    await s.putChannel({ id: 'hook', type: 'slack', webhookUrl: 'https://hooks.slack.invalid/x' });
    assert.deepEqual(await s.getChannel('hook'), {
      id: 'hook',
      type: 'slack',
      webhookUrl: 'https://hooks.slack.invalid/x',
    });
    assert.equal((await s.listChannels()).length, 2);
    assert.equal(await s.deleteChannel('hook'), true);
    assert.equal(await s.deleteChannel('hook'), false);
    assert.equal(await s.getChannel('hook'), undefined);
  });

  test('routes: put, get, list by id, replace, delete', async () => {
    const s = await fresh();
    const route = {
      id: 'r2',
      match: { severity: 'major', tags: ['core'] },
      channels: ['hook'],
      renotifyM: 30,
      escalate: [{ afterM: 15, channels: ['mail'] }],
    };
    await s.putRoute(route);
    await s.putRoute({ id: 'r1', channels: ['mail'] });
    assert.deepEqual(await s.getRoute('r2'), route);
    assert.deepEqual(
      (await s.listRoutes()).map((r) => r.id),
      ['r1', 'r2'],
    );
    await s.putRoute({ id: 'r2', channels: [] });
    assert.deepEqual(await s.getRoute('r2'), { id: 'r2', channels: [] });
    assert.equal(await s.deleteRoute('r2'), true);
    assert.equal(await s.deleteRoute('r2'), false);
    assert.equal(await s.getRoute('r2'), undefined);
    assert.deepEqual(
      (await s.listRoutes()).map((r) => r.id),
      ['r1'],
    );
  });

  test('deliveries: every attempt kept with its own id, newest first; fields come back as logged', async () => {
    const s = await fresh();
    await s.logDelivery(attempt(1, { eventIds: ['a', 'b'], kind: 'digest' }));
    await s.logDelivery(
      attempt(2, {
        ok: false,
        status: 503,
        error: 'upstream said 503',
        willRetry: true,
        attempt: 2,
        durationMs: 1500.4,
      }),
    );
    await s.logDelivery(attempt(2, { channelId: 'mail', channelType: 'email', eventIds: [], kind: 'test' }));
    const [test3, failed, digest] = await s.listDeliveries();
    assert.ok(test3.id !== undefined && failed.id !== undefined && digest.id !== undefined);
    assert.ok(test3.id > failed.id && failed.id > digest.id, 'ids grow with each attempt');
    const { id: _id, willRetry, ...rest } = digest;
    assert.deepEqual(rest, attempt(1, { eventIds: ['a', 'b'], kind: 'digest' }));
    assert.ok(!willRetry);
    assert.deepEqual(
      [failed.ok, failed.status, failed.error, failed.willRetry, failed.attempt],
      [false, 503, 'upstream said 503', true, 2],
    );
    assert.ok(Math.abs(failed.durationMs - 1500.4) < 1, 'duration kept to the millisecond');
    assert.deepEqual(
      [test3.channelId, test3.channelType, test3.kind, test3.eventIds, test3.status, test3.error],
      ['mail', 'email', 'test', [], undefined, undefined],
    );
  });

  test('deliveries: by channel, by event (exact id, in any position), before an id, limited (100 by default)', async () => {
    const s = await fresh();
    await s.logDelivery(attempt(1, { eventIds: ['e1'] }));
    await s.logDelivery(attempt(2, { eventIds: ['e10', 'x'] }));
    await s.logDelivery(attempt(3, { eventIds: ['x', 'e1'], channelId: 'mail', channelType: 'email' }));
    await s.logDelivery(attempt(4, { eventIds: ['E1'] }));
    await s.logDelivery(attempt(5, { eventIds: ['ev_1%'] }));
    await s.logDelivery(attempt(6, { eventIds: ['evX1%'] }));
    assert.deepEqual(await kinds(s, { eventId: 'e1' }), ['x+e1', 'e1'], 'not e10, not E1');
    assert.deepEqual(await kinds(s, { eventId: 'ev_1%' }), ['ev_1%'], 'no wildcards in ids');
    assert.deepEqual(await kinds(s, { channelId: 'mail' }), ['x+e1']);
    assert.deepEqual(await kinds(s, { channelId: 'hook', eventId: 'x' }), ['e10+x']);
    const all = await s.listDeliveries();
    assert.equal(all.length, 6);
    assert.deepEqual(await kinds(s, { before: all[0].id }), ['ev_1%', 'E1', 'x+e1', 'e10+x', 'e1']);
    assert.deepEqual(await kinds(s, { before: all[0].id, limit: 2 }), ['ev_1%', 'E1']);
    assert.deepEqual(await kinds(s, { eventId: 'nope' }), []);
    for (let i = 0; i < 120; i++) await s.logDelivery(attempt(10 + i));
    assert.equal((await s.listDeliveries()).length, 100);
  });
};
