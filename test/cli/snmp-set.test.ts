import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openSqlite } from '../../src/store/sqlite/async.ts';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';

const bin = new URL('../../bin/vigil.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-set-'));
let snmpd: RunningSnmpd;
before(async () => {
  snmpd = await startSnmpd({ communities: [{ name: 'cli-rw', write: true }] });
});
after(async () => {
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('vigil snmp set changes the agent and writes who, what and the result to the audit log', async () => {
  const config = join(dir, 'vigil.yaml');
  writeFileSync(config, `dataDir: ${join(dir, 'data')}\n`);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'snmp', ...args], { encoding: 'utf8', timeout: 60_000 });
  const set = run(
    'set',
    '127.0.0.1',
    '-c',
    'cli-rw',
    '-p',
    String(snmpd.port),
    '--config',
    config,
    '1.3.6.1.2.1.1.5.0',
    's',
    'set-from-cli',
  );
  assert.equal(set.status, 0, set.stderr);
  const get = run('get', '127.0.0.1', '-c', 'cli-rw', '-p', String(snmpd.port), '1.3.6.1.2.1.1.5.0');
  assert.match(get.stdout, /set-from-cli/);
  const refused = run(
    'set',
    '127.0.0.1',
    '-c',
    'cli-rw',
    '-p',
    String(snmpd.port),
    '-t',
    '500',
    '--config',
    config,
    '1.3.6.1.2.1.1.2.0',
    'o',
    '1.3.6.1.4.1.9',
  );
  assert.notEqual(refused.status, 0);
  const store = openSqlite(join(dir, 'data'));
  const sets = (await store.listAudit()).filter((a) => a.action === 'snmp.set');
  await store.close();
  assert.equal(sets.length, 2);
  assert.match(sets[0].result ?? '', /^error/);
  assert.equal(sets[1].result, 'ok');
  assert.match(sets[1].actor, /^cli:/);
  assert.ok(!JSON.stringify(sets).includes('cli-rw'), 'the community is never in the audit log');
});
