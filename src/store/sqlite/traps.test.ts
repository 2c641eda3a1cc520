import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrapRecord } from '../../model/records.ts';
import { openSqliteStore } from './index.ts';

const trap = (i: number, over: Partial<TrapRecord> = {}): TrapRecord => ({
  kind: 'trap',
  receivedTs: 1000 + Math.floor(i / 2),
  sourceAddress: `10.0.0.${i % 3}`,
  agentAddress: `10.0.0.${i % 3}`,
  version: i % 2 ? 'v2c' : 'v3',
  pduType: 'trap',
  community: 'secret-community',
  trapOid: i % 4 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.4.1.9.0.1',
  varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'Integer', value: i }],
  ...over,
});

describe('sqlite traps', () => {
  it('stores, filters, pages newest first and never keeps the community', () => {
    const store = openSqliteStore(':memory:');
    store.writeTraps(Array.from({ length: 25 }, (_, i) => trap(i, i === 5 ? { deviceId: 'sw1' } : {})));
    assert.equal(store.countTraps(), 25);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = store.listTraps({ limit: 7, cursor });
      seen.push(...page.items.map((t) => t.varbinds[0].value as number));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen).size, 25);
    const all = store.listTraps({ limit: 100 }).items;
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].receivedTs >= all[i].receivedTs);
    assert.ok(!('community' in all[0]));
    assert.equal(store.listTraps({ deviceId: 'sw1' }).items.length, 1);
    assert.equal(store.listTraps({ trapOid: '1.3.6.1.4.1.9' }).items.length, 7);
    assert.equal(store.listTraps({ version: 'v3', source: '10.0.0.0' }).items.length, 5);
    assert.equal(store.listTraps({ from: 1010, to: 1011 }).items.length, 4);
    assert.equal(store.pruneTraps(1005), 10);
    store.close();
  });
});
