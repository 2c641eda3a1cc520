import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

// The out-of-the-box case: a local snmpd on the standard port with the distribution's default community. Port 161 is
// the machine's (its own snmpd may hold it), so the test runs in a private network namespace with its own loopback:
// this file runs itself again under `unshare --net`, where its snmpd takes 161 and the host's services are not touched.
const INSIDE = 'VIGIL_TEST_PRIVATE_NETNS';
const TITLE = 'a fresh Vigil monitors its own host: ICMP to 127.0.0.1 and SNMP to the local snmpd';

if (!process.env[INSIDE]) {
  test(`${TITLE} (in a private network namespace)`, async (t) => {
    // Root makes the namespace itself; anyone else needs a user namespace where they are root (if the kernel allows).
    const unshare = [...(process.getuid?.() === 0 ? [] : ['--map-root-user']), '--net', '--'];
    const probe = spawnSync('unshare', [...unshare, 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
    if (probe.status !== 0)
      return t.skip(
        `cannot make a private network namespace here (unshare --net; ip from iproute2): ${(probe.stderr || String(probe.error)).trim()}`,
      );
    const file = fileURLToPath(import.meta.url);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // A test run of its own (not a subtest of this one): without the runner's NODE_TEST_CONTEXT.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(
      'unshare',
      [
        ...unshare,
        'sh',
        '-c',
        'ip link set lo up && exec "$@"',
        'sh',
        process.execPath,
        '--openssl-legacy-provider',
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        file,
      ],
      {
        cwd: root,
        env: { ...env, [INSIDE]: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    clearTimeout(timer);
    assert.equal(code, 0, out);
    assert.match(out, /pass 1/, out);
  });
} else {
  let snmpd: RunningSnmpd;
  let vigil: TestVigil;
  before(async () => {
    snmpd = await startSnmpd({ port: 161, communities: [{ name: 'public' }] });
    vigil = await startTestVigil({
      icmp: { enabled: true, monitorLocalhost: true, intervalS: 5, count: 1, periodMs: 100, timeoutMs: 300 },
      snmp: { enabled: true, probeLocalAgent: true, intervalS: 5 },
    });
  });
  after(async () => {
    await vigil?.stop();
    await snmpd?.stop();
  });

  test(TITLE, async () => {
    const local = vigil.inventory.get('localhost');
    assert.ok(local, 'the localhost device exists');
    assert.equal(local.address, '127.0.0.1');
    assert.equal(local.snmp?.version, 'v2c');
    let view:
      | { state: string; snmpVersion?: string; status: { snmpOk?: boolean; system?: { sysDescr?: string } } }
      | undefined;
    for (let i = 0; i < 60; i++) {
      view = await (await vigil.api('/api/v1/devices/localhost')).json();
      if (view?.state === 'up' && view.status.snmpOk) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(view?.state, 'up', JSON.stringify(view));
    assert.equal(view?.status.snmpOk, true, JSON.stringify(view));
    assert.equal(view?.snmpVersion, 'v2c');
    assert.match(view?.status.system?.sysDescr ?? '', /Linux/);
    const ifs = await (await vigil.api('/api/v1/devices/localhost/interfaces')).json();
    assert.ok(
      ifs.items.some((i: { name: string }) => i.name === 'lo'),
      JSON.stringify(ifs.items.map((i: { name: string }) => i.name)),
    );
    assert.deepEqual(await (await vigil.api('/api/v1/stats/snmp-versions')).json(), { v1: 0, v2c: 1, v3: 0 });
  });
}
