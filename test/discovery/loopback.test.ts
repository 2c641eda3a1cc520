/**
 * Discovery end to end on loopback addresses, against real agents (Debian's snmpd, one process per device) and a
 * real sweep (fping): rules, exclusions, SNMPv3 tried first, one agent reached at two addresses, known devices,
 * one-click adding, cancelling, and the 4xx answers for bad jobs.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FoundDevice, JobProgress } from '../../src/discovery/job.ts';
import { freeUdpPort, type RunningSnmpd, startSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const net = `127.77.${randomInt(1, 250)}`;
const at = (n: number) => `${net}.${n}`;
const agents: RunningSnmpd[] = [];
let vigil: TestVigil;
let port: number;

before(async () => {
  port = await freeUdpPort(at(10));
  const agent = async (
    n: number,
    sysName: string,
    descr: string,
    extra: string[] = [],
    more: Partial<Parameters<typeof startSnmpd>[0]> = {},
  ) =>
    agents.push(
      await startSnmpd({
        host: at(n),
        port,
        communities: [{ name: 'vigil-disc' }],
        extraConfig: [`sysName ${sysName}`, `sysDescr ${descr}`, ...extra],
        ...more,
      }),
    );
  await agent(10, 'lab-a1', 'Linux lab a1');
  await agent(11, 'lab-core', 'Cisco IOS Software, lab core', ['sysObjectID .1.3.6.1.4.1.9.1.1069']);
  await agent(12, 'lab-excluded', 'Linux excluded');
  await agent(20, 'lab-twin', 'Linux twin', [], { extraHosts: [at(21)] });
  agents.push(
    await startSnmpd({
      host: at(30),
      port,
      users: [
        {
          name: 'disc3',
          authProtocol: 'SHA-256',
          authKey: 'discovery auth 1',
          privProtocol: 'AES',
          privKey: 'discovery priv 1',
        },
      ],
      extraConfig: ['sysName lab-v3', 'sysDescr Linux v3 only'],
    }),
  );
  vigil = await startTestVigil({
    credentials: {
      lab: { version: 'v2c', community: 'vigil-disc', port, timeoutMs: 1000, retries: 0 },
      v3lab: {
        version: 'v3',
        user: 'disc3',
        authProtocol: 'sha256',
        authKey: 'discovery auth 1',
        privProtocol: 'aes',
        privKey: 'discovery priv 1',
        port,
      },
    },
    discovery: {
      maxAddresses: 1024,
      snmp: { timeoutMs: 400, retries: 0 },
      rules: [{ name: 'cisco to core', vendor: 'cisco*', action: 'add', group: 'core', tags: ['discovered'] }],
    },
  });
});

after(async () => {
  await vigil?.stop();
  for (const a of agents) await a.stop();
});

async function runJob(spec: unknown, role: 'admin' | 'operator' = 'admin') {
  const r = await vigil.api('/api/v1/discovery/jobs', { method: 'POST', json: spec, role });
  assert.equal(r.status, 202, await r.clone().text());
  const started = (await r.json()) as JobProgress;
  for (;;) {
    const job = (await (await vigil.api(`/api/v1/discovery/jobs/${started.id}`)).json()) as JobProgress & {
      found: FoundDevice[];
    };
    if (job.state !== 'running') return job;
    await new Promise((res) => setTimeout(res, 200));
  }
}

const byAddress = (found: FoundDevice[]) => new Map(found.map((f) => [f.address, f]));

test('a sweep of a /26: rules add, the rest is listed, exclusions untouched, v3 first, two addresses of one agent found once', async () => {
  const job = await runJob({ targets: [`${net}.0/26`], exclude: [at(12)], profiles: ['v3lab', 'lab'] });
  assert.equal(job.state, 'done', job.error);
  assert.equal(job.addresses, 61);
  assert.equal(job.excluded, 1);
  assert.equal(job.swept, 61);
  // Every loopback address answers ping; SNMP only where an agent listens.
  assert.equal(job.responders, 61);
  assert.equal(job.probed, 61);
  assert.equal(job.snmpAnswers, 5);
  const found = byAddress(job.found);
  assert.equal(found.has(at(12)), false, 'an excluded address is never tried');
  const core = found.get(at(11))!;
  assert.equal(core.status, 'added');
  assert.equal(core.rule, 'cisco to core');
  assert.equal(core.vendor, 'Cisco');
  assert.equal(core.profile, 'lab');
  assert.equal(found.get(at(10))?.status, 'listed');
  assert.equal(found.get(at(30))?.profile, 'v3lab');
  assert.equal(found.get(at(30))?.sysName, 'lab-v3');
  const twins = [found.get(at(20))!, found.get(at(21))!].map((f) => f.status).sort();
  assert.deepEqual(twins, ['duplicate', 'listed']);
  assert.equal(job.added, 1);
  assert.equal(job.listed, 3);

  const device = (await (await vigil.api(`/api/v1/devices/${core.deviceId}`)).json()) as Record<string, unknown>;
  assert.equal(device.address, at(11));
  assert.equal(device.group, 'core');
  assert.deepEqual(device.tags, ['discovered']);
  assert.equal(device.snmpProfile, 'lab');
  assert.equal(device.name, 'lab-core');
});

test('found devices are added with one call, once; a second job knows them, also under another address', async () => {
  const list = (await (await vigil.api('/api/v1/discovery/found', { role: 'viewer' })).json()) as {
    items: FoundDevice[];
  };
  const twin = list.items.find((f) => f.sysName === 'lab-twin')!;
  assert.ok(twin);
  const add = await vigil.api(`/api/v1/discovery/found/${twin.id}/add`, {
    method: 'POST',
    json: { group: 'lab' },
    role: 'operator',
  });
  assert.equal(add.status, 201, await add.clone().text());
  const added = (await add.json()) as { id: string; address: string };
  assert.equal((await vigil.api(`/api/v1/discovery/found/${twin.id}/add`, { method: 'POST', json: {} })).status, 404);
  const other = twin.address === at(20) ? at(21) : at(20);
  const again = await runJob({ targets: [at(11), other], profiles: ['lab'] });
  const found = byAddress(again.found);
  assert.equal(found.get(at(11))?.status, 'known');
  assert.equal(found.get(at(11))?.matchedBy, 'address');
  assert.equal(found.get(other)?.status, 'known');
  assert.equal(found.get(other)?.deviceId, added.id);
  assert.equal(found.get(other)?.matchedBy, 'engineId');
  assert.equal(again.added, 0);
});

test('bad jobs get a clear 4xx before anything is sent; viewers and (without allowed ranges) operators may not start one', async () => {
  const post = (json: unknown, role: 'admin' | 'operator' | 'viewer' = 'admin') =>
    vigil.api('/api/v1/discovery/jobs', { method: 'POST', json, role });
  const expect = async (r: Response, status: number, pattern: RegExp) => {
    const body = (await r.json()) as { error?: { message?: string } };
    assert.equal(r.status, status, JSON.stringify(body));
    assert.match(String(body.error?.message), pattern);
  };
  await expect(await post({ targets: ['10.0.0.0/33'] }), 400, /targets\[0\]: "10\.0\.0\.0\/33"/);
  await expect(await post({ targets: [`${net}.0/20`] }), 400, /more than discovery\.maxAddresses \(1024\)/);
  await expect(await post({ targets: [at(5)], exclude: [`${net}.0/24`] }), 400, /every target address is excluded/);
  await expect(await post({ targets: [at(5)], profiles: ['nope'] }), 400, /no credential profile named "nope"/);
  await expect(await post({ targets: [at(5)], depth: 99 }), 400, /depth/);
  await expect(await post({ targets: [at(5)] }, 'operator'), 403, /allowedRanges/);
  assert.equal((await post({ targets: [at(5)] }, 'viewer')).status, 403);
});

test('a job is cancelled while it runs', async () => {
  const r = await vigil.api('/api/v1/discovery/jobs', {
    method: 'POST',
    json: { targets: [`127.78.${randomInt(0, 60) * 4}.0/22`], profiles: ['lab'] },
  });
  const job = (await r.json()) as JobProgress;
  const c = await vigil.api(`/api/v1/discovery/jobs/${job.id}/cancel`, { method: 'POST', role: 'operator' });
  assert.equal(c.status, 200);
  let state = 'running';
  while (state === 'running') {
    await new Promise((res) => setTimeout(res, 100));
    state = ((await (await vigil.api(`/api/v1/discovery/jobs/${job.id}`)).json()) as JobProgress).state;
  }
  assert.equal(state, 'cancelled');
  assert.equal((await vigil.api(`/api/v1/discovery/jobs/${job.id}/cancel`, { method: 'POST' })).status, 409);
  const jobs = (await (await vigil.api('/api/v1/discovery/jobs', { role: 'viewer' })).json()) as {
    items: JobProgress[];
  };
  assert.ok(jobs.items.some((j) => j.id === job.id && j.state === 'cancelled'));
});
