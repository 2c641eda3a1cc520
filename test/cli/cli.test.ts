import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freeTcpPort } from '../harness/ports.ts';

const bin = new URL('../../bin/vigil.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every listener off or on a high port, so the test needs no root and collides with nothing. */
const quietEnv = (extra: Record<string, string>) => ({
  ...process.env,
  VIGIL_DATA_DIR: join(dir, 'data'),
  VIGIL_LOG_LEVEL: 'warn',
  VIGIL_HTTP_HOST: '127.0.0.1',
  VIGIL_SYSLOG_UDP_ENABLED: 'false',
  VIGIL_SYSLOG_TCP_ENABLED: 'false',
  VIGIL_SYSLOG_TLS_ENABLED: 'false',
  VIGIL_TRAPS_ENABLED: 'false',
  VIGIL_ICMP_ENABLED: 'false',
  VIGIL_SNMP_ENABLED: 'false',
  ...extra,
});

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { env: quietEnv(env), encoding: 'utf8', timeout: 60_000 });

test('config check: valid file prints the effective config with secrets masked', () => {
  const f = join(dir, 'ok.yaml');
  writeFileSync(
    f,
    'credentials:\n  lab:\n    version: v2c\n    community: s3cr3t-community\ndevices:\n  - name: r1\n    address: 127.0.0.1\n    snmpProfile: lab\n',
  );
  const r = run(['config', 'check', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /community: <secret>/);
  assert.ok(!r.stdout.includes('s3cr3t') && !r.stderr.includes('s3cr3t'));
});

test('config check: webhook and Slack URLs, header values and every other secret stay hidden', () => {
  const f = join(dir, 'notify.yaml');
  writeFileSync(
    f,
    [
      'notify:',
      '  channels:',
      '    - { id: w, type: webhook, url: "https://hooks.example.com/T/s3cr3t-path?key=s3cr3t-query", headers: { Authorization: "Bearer s3cr3t-bearer" }, hmacSecret: s3cr3t-hmac }',
      '    - { id: s, type: slack, url: "https://hooks.slack.com/services/T0/B0/s3cr3t-slack" }',
      '    - { id: e, type: email, host: 127.0.0.1, from: a@b.c, to: [x@y.z], auth: { user: mailer, password: s3cr3t-smtp } }',
      'traps: { communities: [s3cr3t-trap] }',
      '',
    ].join('\n'),
  );
  const r = run(['config', 'check', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('s3cr3t') && !r.stderr.includes('s3cr3t'), r.stdout);
  assert.match(r.stdout, /https:\/\/hooks\.example\.com\/<secret>/);
});

test('config check: a bad key fails naming its path', () => {
  const f = join(dir, 'bad.yaml');
  writeFileSync(
    f,
    'devices:\n  - name: r1\n    address: 127.0.0.1\n    snmp:\n      version: v3\n      user: u\n      authProtocol: sha1024\n      authKey: longenough\n',
  );
  const r = run(['config', 'check', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /devices\[0\]\.snmp\.authProtocol: expected one of/);
});

test('token create prints a token once; start serves the API with it; a busy port names the setting', async () => {
  const port = await freeTcpPort();
  const made = run(['token', 'create', '--role', 'viewer', '--name', 'cli-test']);
  assert.equal(made.status, 0, made.stderr);
  const token = made.stdout.trim();
  assert.match(token, /^vgl_/);

  const child = spawn(process.execPath, [bin, 'start'], {
    env: quietEnv({ VIGIL_HTTP_PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    let up = false;
    for (let i = 0; i < 150 && !up; i++) {
      await new Promise((r) => setTimeout(r, 200));
      up = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
    }
    assert.ok(up, `vigil did not come up: ${stderr}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/devices`)).status, 401);
    assert.equal(
      (await fetch(`http://127.0.0.1:${port}/api/v1/devices`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
      200,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }

  const blocker = createServer().listen(port, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  try {
    const r = run(['start'], { VIGIL_HTTP_PORT: String(port), VIGIL_DATA_DIR: join(dir, 'data2') });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /http\.port/);
    assert.match(r.stderr, /VIGIL_HTTP_PORT/);
  } finally {
    blocker.close();
  }
});
