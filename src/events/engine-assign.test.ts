import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bus, SubscribeOptions } from '../bus/types.ts';
import { silentLogger } from '../model/logger.ts';
import type { LogRecord } from '../model/records.ts';
import { eventsConfigSchema } from './config.ts';
import { createEventEngine } from './engine.ts';
import { syslogRuleSchema } from './syslog-rules.ts';
import { testEngine } from './test-helpers.ts';

const rule = { id: 'flood', contains: 'boom', raise: 'major', dedupKey: 'flood-key', summary: 'boom' };
const line = (ts: number): LogRecord => ({
  kind: 'log',
  receivedTs: ts,
  ts,
  sourceAddress: '127.0.0.10',
  transport: 'tcp',
  facility: 4,
  severity: 3,
  hostname: 'sw1',
  message: 'boom',
});

test('after a rebalance an engine takes over the events another processor opened: the next line updates them', async () => {
  // Processor A and processor B share one store; B started before A opened the event, so its book lacks it.
  const a = await testEngine({ syslogRules: [rule] });
  let onAssign: SubscribeOptions['onAssign'];
  const bus = {
    subscribe: (_name: string, _h: unknown, o: SubscribeOptions) => {
      onAssign = o.onAssign;
      return { name: 'event-engine', pending: 0, unsubscribe() {} };
    },
    publish: () => {},
  } as unknown as Bus;
  const b = await createEventEngine({
    store: a.store,
    bus,
    clock: a.clock,
    log: silentLogger,
    config: {
      events: eventsConfigSchema.parse({ persistIntervalMs: 0 }),
      syslog: { rules: [syslogRuleSchema.parse(rule)] },
      traps: { rules: [] },
    },
    devices: () => [],
  });
  b.start();
  await a.engine.process([line(a.clock.now())]);
  const opened = a.byKey('flood-key');
  assert.ok(opened);
  assert.ok(await a.store.getEvent(opened.id), 'A stored it');

  // The device's partition moves to B: B takes the event over, and B's next line counts on it.
  await onAssign?.();
  await b.process([line(a.clock.now() + 1000)]);
  const onB = b.activeEvents().filter((e) => e.dedupKey === 'flood-key');
  assert.equal(onB.length, 1);
  assert.equal(onB[0].id, opened.id, 'the same event, not a second one');
  assert.equal(onB[0].count, 2);
  await b.stop();
  await a.engine.stop();
});
