import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type TestPostgres } from './postgres.ts';

let server: TestPostgres | undefined;
after(() => server?.stop());

test('a throwaway PostgreSQL: own directory and port, answers, stops by its pid, can go away and come back', async () => {
  server = await startPostgres();
  const s = server;
  const pid = s.pid;
  assert.ok(pid > 0);
  assert.match(s.url, /^postgres:\/\/vigil@127\.0\.0\.1:\d+\/vigil$/);
  const c = new pg.Client({ connectionString: s.url });
  await c.connect();
  const r = await c.query<{ v: string }>('SELECT version() AS v');
  assert.match(r.rows[0].v, /^PostgreSQL \d+/);
  await c.query('CREATE TABLE t (x int)');
  await c.query('INSERT INTO t VALUES (1)');
  await c.end();

  await s.pause();
  assert.throws(() => process.kill(pid, 0), 'the server process is gone');
  await s.resume();
  const again = new pg.Client({ connectionString: s.url });
  await again.connect();
  assert.equal(
    (await again.query<{ n: string }>('SELECT count(*) AS n FROM t')).rows[0].n,
    '1',
    'data kept across the pause',
  );
  await again.end();

  const dir = s.dir;
  await s.stop();
  assert.equal(existsSync(dir), false);
});
