/**
 * The PostgreSQL store going away mid-ingest (the real server stopped and started again, by process id): nothing
 * accepted over TCP is lost or stored twice, the API answers 503 in the stable error shape while it is down, and a
 * URL nobody answers fails start-up with one line naming store.url.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { freeTcpPort } from '../harness/ports.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let server: TestPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

/** Sends `lines` over one TCP connection as fast as Vigil reads them (the socket's own backpressure). */
function sendLines(port: number, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.on('error', reject);
    let i = 0;
    const pump = () => {
      while (i < lines.length) if (!s.write(`${lines[i++]}\n`)) return void s.once('drain', pump);
      s.end(() => resolve());
    };
    s.on('connect', pump);
  });
}

const waitFor = async (what: string, ok: () => Promise<boolean>, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test('postgres down mid-ingest: every accepted line stored exactly once, 503 meanwhile', async () => {
  const port = await freeTcpPort();
  const vigil: TestVigil = await startTestVigil({
    store: { backend: 'postgres', url: server.url, pool: 4 },
    syslog: { tcp: { enabled: true, host: '127.0.0.1', port } },
  });
  const db = new pg.Client({ connectionString: server.url });
  try {
    const total = 30_000;
    const lines = Array.from(
      { length: total },
      (_, i) => `<13>1 2026-12-03T10:00:00Z host app - - - outage line n${i}`,
    );
    const sending = sendLines(port, lines);
    await waitFor('the first lines stored', async () => (await vigil.api('/api/v1/logs?limit=1')).status === 200);
    await server.pause();
    const down = await vigil.api('/api/v1/logs?limit=1');
    assert.equal(down.status, 503);
    const body = (await down.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'VIGIL_UNAVAILABLE');
    assert.doesNotMatch(body.error.message, /postgres:\/\//, 'the URL (a secret) is not in the answer');
    // Lines keep arriving while it is down: the writer holds them and TCP is paused, not dropped.
    await new Promise((r) => setTimeout(r, 1500));
    await server.resume();
    await sending;
    await db.connect();
    await waitFor('every line stored', async () => {
      const r = await db.query('SELECT count(*)::int AS n FROM logs');
      return r.rows[0].n >= total;
    });
    await vigil.stop();
    const r = await db.query('SELECT count(*)::int AS n, count(DISTINCT message)::int AS d FROM logs');
    assert.deepEqual(r.rows[0], { n: total, d: total }, 'each line once');
  } finally {
    await db.end().catch(() => {});
    await vigil.stop();
  }
});

test('a PostgreSQL URL nobody answers fails start-up with one line naming store.url, password masked', async () => {
  const port = await freeTcpPort();
  await assert.rejects(
    startTestVigil({ store: { backend: 'postgres', url: `postgres://vigil:hunter2@127.0.0.1:${port}/vigil` } }),
    (e: Error) => {
      assert.match(
        e.message,
        /^store\.url postgres:\/\/vigil:\*\*\*@127\.0\.0\.1:\d+\/vigil: cannot connect to PostgreSQL/,
      );
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    },
  );
});
