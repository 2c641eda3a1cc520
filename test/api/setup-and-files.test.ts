/** First-admin setup from another machine needs the printed one-time code. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let vigil: TestVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.stop());

const remote = { 'x-forwarded-for': '203.0.113.9' };
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${vigil.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

test('setup from another machine needs the setup code; the code is in a 0600 file and dies with setup', async () => {
  const local = await (await fetch(`${vigil.url}/api/v1/setup`)).json();
  assert.deepEqual(local, { needed: true, codeRequired: false });
  const viaProxy = await (await fetch(`${vigil.url}/api/v1/setup`, { headers: remote })).json();
  assert.deepEqual(viaProxy, { needed: true, codeRequired: true });

  const first = { name: 'first', password: 'first admin password' };
  const none = await post(first, remote);
  assert.equal(none.status, 403);
  assert.equal((await none.json()).error.code, 'VIGIL_FORBIDDEN');
  const file = join(vigil.config.dataDir, 'setup-code');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const code = readFileSync(file, 'utf8').trim();
  assert.match(code, /^[A-Z2-9]{12}$/);
  assert.equal((await post({ ...first, setupCode: 'WRONGWRONGWR' }, remote)).status, 403);
  assert.equal(await vigil.store.countUsers(), 0);

  const ok = await post({ ...first, setupCode: code.toLowerCase() }, remote);
  assert.equal(ok.status, 201);
  assert.equal(existsSync(file), false, 'the code is gone once used');
  assert.equal((await post({ ...first, name: 'second', setupCode: code }, remote)).status, 409);
});
