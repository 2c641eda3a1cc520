import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-https-'));
let vigil: TestVigil;
before(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  vigil = await startTestVigil({ http: { tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } } });
});
after(async () => {
  await vigil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A request to the test server trusting its self-signed certificate. */
function https(
  path: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(path, vigil.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, rejectUnauthorized: false, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test('HTTPS from the config: the API, the UI and a Secure session cookie', async () => {
  assert.match(vigil.url, /^https:\/\//);
  assert.equal((await https('/api/v1/health')).status, 200);
  const setup = await https('/api/v1/setup', 'POST', { name: 'admin', password: 'a-long-pass-phrase-1' });
  assert.equal(setup.status, 201, setup.text);
  const cookie = String(setup.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Secure/);
});
