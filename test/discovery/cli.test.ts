/**
 * `vigil discover` from the command line, in-process on the config's store and through a running Vigil's API, against
 * real agents: progress on stderr, the finds as a table (or JSON) on stdout, exit codes, bad targets refused.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freeUdpPort, type RunningSnmpd, startSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const bin = new URL('../../bin/vigil.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-discover-cli-'));
const net = `127.79.${randomInt(1, 250)}`;
let agent: RunningSnmpd;
let port: number;
let config: string;

function vigilCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  port = await freeUdpPort(`${net}.5`);
  agent = await startSnmpd({
    host: `${net}.5`,
    port,
    communities: [{ name: 'cli-disc' }],
    extraConfig: ['sysName cli-switch', 'sysDescr Juniper lab', 'sysObjectID .1.3.6.1.4.1.2636.1.1.1.2.21'],
  });
  config = join(dir, 'vigil.yaml');
  writeFileSync(
    config,
    [
      `dataDir: ${join(dir, 'data')}`,
      'credentials:',
      '  lab:',
      '    version: v2c',
      '    community: cli-disc',
      `    port: ${port}`,
      'discovery:',
      '  snmp: { timeoutMs: 400, retries: 0 }',
      '',
    ].join('\n'),
  );
});

after(async () => {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('in-process: a /29 swept, the agent found and listed; --add adds it; JSON output', async () => {
  const r = await vigilCli(['discover', `${net}.0/29`, '-c', config]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /done .*6 addresses, 6 answered ping, 1\/6 answered SNMP, 0 added, 1 listed/);
  assert.match(r.stdout, new RegExp(`${net.replace(/\./g, '\\.')}\\.5\\s+listed\\s+cli-switch\\s+Juniper`));
  const added = await vigilCli(['discover', `${net}.5`, '--add', '--json', '-c', config]);
  assert.equal(added.status, 0, added.stderr);
  const job = JSON.parse(added.stdout) as {
    state: string;
    added: number;
    found: { status: string; deviceId: string }[];
  };
  assert.equal(job.state, 'done');
  assert.equal(job.added, 1);
  assert.equal(job.found[0].deviceId, 'cli-switch');
  const again = await vigilCli(['discover', `${net}.5`, '--add', '--json', '-c', config]);
  assert.equal((JSON.parse(again.stdout) as { found: { status: string }[] }).found[0].status, 'known');
});

test('bad targets exit non-zero with the reason, nothing swept', async () => {
  const r = await vigilCli(['discover', '10.0.0.0/33', '-c', config]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /targets\[0\]: "10\.0\.0\.0\/33" is not an IPv4 CIDR range/);
});

test('--server runs the job on a running Vigil through its API', async () => {
  let vigil: TestVigil | undefined;
  try {
    vigil = await startTestVigil({
      credentials: { lab: { version: 'v2c', community: 'cli-disc', port } },
      discovery: { snmp: { timeoutMs: 400, retries: 0 } },
    });
    const r = await vigilCli(['discover', `${net}.5`, `${net}.6`, '--server', vigil.url], {
      VIGIL_TOKEN: vigil.tokens.admin,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /listed\s+cli-switch/);
    const noToken = await vigilCli(['discover', `${net}.5`, '--server', vigil.url], { VIGIL_TOKEN: '' });
    assert.notEqual(noToken.status, 0);
    assert.match(noToken.stderr, /VIGIL_TOKEN/);
  } finally {
    await vigil?.stop();
  }
});
