import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../../model/errors.ts';
import { openSqliteStore } from './index.ts';

test('querySeries: a label name that is not a plain name is a validation error, not an SQL one', () => {
  const store = openSqliteStore(':memory:');
  try {
    store.writeSamples([
      {
        kind: 'sample',
        deviceId: 'd1',
        metric: 'if.in.bps',
        labels: { ifIndex: '1', 'if.name': 'Gi0/1' },
        ts: 1000,
        value: 5,
      },
    ]);
    const query = (labels: Record<string, string>) =>
      store.querySeries({ deviceId: 'd1', metric: 'if.in.bps', labels, from: 0, to: 2000, tier: 'raw' });
    assert.equal(query({ ifIndex: '1' }).length, 1);
    assert.equal(query({ 'if.name': 'Gi0/1' }).length, 1, 'a dotted name is one key, not a path');
    assert.equal(query({ ifIndex: '2' }).length, 0);
    for (const key of ['a"b\\', 'a\\', '"', '', 'a b', '$', 'a[0]'])
      assert.throws(
        () => query({ [key]: '1' }),
        (e: unknown) => isVigilError(e) && e.code === 'VIGIL_VALIDATION',
        JSON.stringify(key),
      );
  } finally {
    store.close();
  }
});
