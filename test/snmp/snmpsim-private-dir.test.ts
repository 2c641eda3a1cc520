// snmpsimd drops to user nobody: recordings in a directory nobody cannot enter (a clone under root's 0700 home)
// are served from a readable copy, which goes away on stop; a readable directory is served in place.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import { devicesDir, startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { readSnmprec } from './snmprec.ts';

const RECORDINGS = ['apc-8932', 'geist-temperature-sensor'];
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const skip = process.getuid?.() !== 0 ? 'snmpsimd switches to user nobody only when started as root' : false;

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A directory (mode `mode`) inside a fresh 0700 one (or itself 0755), holding two shared recordings. */
function recordingsDir(parentMode: number): string {
  const parent = mkdtempSync(join(tmpdir(), 'vigil-private-'));
  made.push(parent);
  chmodSync(parent, parentMode);
  const dir = join(parent, 'devices');
  mkdirSync(dir, { mode: 0o755 });
  for (const r of RECORDINGS) copyFileSync(join(devicesDir(), `${r}.snmprec`), join(dir, `${r}.snmprec`));
  return dir;
}

const nobodyCanRead = (dir: string) =>
  spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', join(dir, `${RECORDINGS[0]}.snmprec`)]).status === 0;

/** sysName of each recording, asked of the simulator and read from the recording. */
async function sysNames(sim: RunningSnmpsim, dir: string) {
  for (const community of RECORDINGS) {
    const s = openSnmpSession('127.0.0.1', { version: 'v2c', community, port: sim.port, timeoutMs: 3000, retries: 1 });
    try {
      const [vb] = await s.get([SYS_NAME]);
      assert.equal(vb.value, readSnmprec(join(dir, `${community}.snmprec`)).get(SYS_NAME)?.text, community);
    } finally {
      s.close();
    }
  }
}

test('recordings under a 0700 directory are served from a readable copy, removed on stop', { skip }, async () => {
  const dir = recordingsDir(0o700);
  assert.equal(nobodyCanRead(dir), false, 'precondition: nobody cannot read the recordings in place');
  const sim = await startSnmpsim({ dataDir: dir });
  try {
    assert.deepEqual(sim.communities, RECORDINGS);
    assert.notEqual(sim.servedDir, dir);
    assert.equal(nobodyCanRead(sim.servedDir), true);
    await sysNames(sim, dir);
  } finally {
    await sim.stop();
  }
  assert.equal(existsSync(sim.servedDir), false, 'the copy is removed on stop');
  assert.equal(existsSync(join(dir, `${RECORDINGS[0]}.snmprec`)), true, 'the original is left alone');
});

test('a directory nobody can read is served in place', { skip }, async () => {
  const dir = recordingsDir(0o755);
  const sim = await startSnmpsim({ dataDir: dir });
  try {
    assert.equal(sim.servedDir, dir);
    await sysNames(sim, dir);
  } finally {
    await sim.stop();
  }
});
