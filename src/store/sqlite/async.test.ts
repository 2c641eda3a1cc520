import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqlite } from './async.ts';

// One connection: a call on the store made while a transaction awaits must wait for it, or it would join it.
test('sqlite as Store: a call on the store while a transaction is open waits until it ends', async () => {
  const s = openSqlite(':memory:');
  let outsideDone = false;
  let outside: Promise<void> | undefined;
  await assert.rejects(
    s.transaction(async (tx) => {
      await tx.setKv('inside', 1);
      outside = s.setKv('outside', 1).then(() => {
        outsideDone = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(outsideDone, false, 'the outer call waits');
      assert.equal(await tx.getKv('outside'), undefined, 'its write is not in the transaction');
      throw new Error('undone');
    }),
    /undone/,
  );
  await outside;
  assert.equal(await s.getKv('inside'), undefined);
  assert.equal(await s.getKv('outside'), 1);
  await s.close();
});

test('sqlite as Store: a synchronous throw inside a method becomes a rejection', async () => {
  const s = openSqlite(':memory:');
  await assert.rejects(s.listEvents({ cursor: 'not a cursor' }));
  await s.close();
});
