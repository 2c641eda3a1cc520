// The flapping-device harness against real Linux and the real snmpd: the device's data interface reads up, then
// down with admin still up once the peer end goes down, then up again; the community is read-only; destroy() leaves
// no process or namespace behind.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createFlappingDevice, OID, type FlappingDevice } from './netns-device.ts';

const run = promisify(execFile);
let dev: FlappingDevice | undefined;
after(() => dev?.destroy());

/** Polls until `check` returns a value (snmpd serves ifTable from a cache), or fails with the last one seen. */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
    last = await read();
    if (check(last)) return last;
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

test('data link: oper up → down (admin up) when the peer end goes down → up again; read-only; destroy twice', async (t) => {
  const made = await createFlappingDevice({ community: 'flap-test' });
  if ('skip' in made) return t.skip(made.skip);
  dev = made;
  const d = made;
  const status = async () => ({
    admin: Number(await d.get(`${OID.ifAdminStatus}.${d.dataIfIndex}`)),
    oper: Number(await d.get(`${OID.ifOperStatus}.${d.dataIfIndex}`)),
  });
  assert.equal(d.dataIfName, 'eth1');
  assert.ok(d.dataIfIndex > 0);
  assert.equal(readFileSync(`/proc/${d.pid}/comm`, 'utf8').trim(), 'snmpd', 'pid is snmpd itself');
  assert.deepEqual(await status(), { admin: 1, oper: 1 });
  assert.equal(await d.get(OID.ifTableCacheTimeout), '1', 'ifTable cache timeout set');

  await d.linkDown();
  const down = await until('oper after linkDown', status, (s) => s.oper !== 1);
  assert.ok(down.oper === 2 || down.oper === 7, `down(2) or lowerLayerDown(7), got ${down.oper}`);
  assert.equal(down.admin, 1, 'admin stays up');
  t.diagnostic(`ifOperStatus with the peer end down: ${down.oper}`);
  // Only the data interface changed: lo and the management eth0 are still up.
  const walk = (
    await run(
      'snmpwalk',
      ['-v2c', '-c', d.community, '-On', '-Oq', '-Oe', `${d.address}:${d.port}`, OID.ifOperStatus],
      { env: { ...process.env, MIBS: '' } },
    )
  ).stdout;
  const others = walk
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith(`.${OID.ifOperStatus}.${d.dataIfIndex} `));
  assert.equal(others.length, 2, walk);
  for (const l of others) assert.match(l, / 1$/, walk);

  await d.linkUp();
  assert.deepEqual(await until('oper after linkUp', status, (s) => s.oper === 1), { admin: 1, oper: 1 });

  await d.flap(2, 100);
  assert.deepEqual(await until('oper after flap', status, (s) => s.oper === 1), { admin: 1, oper: 1 });

  // Read-only: a SET with the test's community is refused (the agent answers, so this is not a timeout).
  const set = await run(
    'snmpset',
    ['-v2c', '-c', d.community, '-t', '1', '-r', '1', `${d.address}:${d.port}`, '1.3.6.1.2.1.1.4.0', 's', 'x'],
    { env: { ...process.env, MIBS: '' } },
  ).then(
    () => 'accepted',
    (e: { stderr?: string }) => e.stderr ?? '',
  );
  assert.match(set, /noAccess|notWritable|authorizationError/);

  const { pid, deviceNs, peerNs } = d;
  await d.destroy();
  await d.destroy();
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
  const { stdout } = await run('ip', ['netns', 'list']);
  assert.ok(!stdout.includes(deviceNs) && !stdout.includes(peerNs), stdout);
});
