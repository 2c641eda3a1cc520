import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let vigil: TestVigil;
before(async () => {
  vigil = await startTestVigil({ credentials: { lab: { version: 'v2c', community: 'labsecret' } } });
});
after(() => vigil.stop());

test('health is the only open route; everything else needs a token', async () => {
  assert.equal((await vigil.api('/api/v1/health', { role: 'none' })).status, 200);
  const r = await vigil.api('/api/v1/devices', { role: 'none' });
  assert.equal(r.status, 401);
  const body = await r.json();
  assert.equal(body.error.code, 'VIGIL_UNAUTHENTICATED');
  assert.equal(
    (await vigil.api('/api/v1/devices', { headers: { authorization: 'Bearer wrong' }, role: 'none' })).status,
    401,
  );
});

test('roles: a viewer reads but cannot change; an operator cannot manage tokens', async () => {
  assert.equal((await vigil.api('/api/v1/devices', { role: 'viewer' })).status, 200);
  const r = await vigil.api('/api/v1/devices', {
    role: 'viewer',
    method: 'POST',
    json: { name: 'x', address: '127.0.0.9' },
  });
  assert.equal(r.status, 403);
  assert.equal((await r.json()).error.code, 'VIGIL_FORBIDDEN');
  assert.equal(
    (await vigil.api('/api/v1/tokens', { role: 'operator', method: 'POST', json: { name: 'x', role: 'admin' } }))
      .status,
    403,
  );
});

test('device CRUD round trip, secrets never returned', async () => {
  const created = await vigil.api('/api/v1/devices', {
    role: 'operator',
    method: 'POST',
    json: {
      name: 'Core SW 1',
      address: '127.0.0.2',
      tags: ['core'],
      group: 'dc1',
      snmp: {
        version: 'v3',
        user: 'ops',
        securityLevel: 'authPriv',
        authProtocol: 'sha256',
        authKey: 'authsecret1',
        privProtocol: 'aes256',
        privKey: 'privsecret1',
      },
    },
  });
  assert.equal(created.status, 201);
  const dev = await created.json();
  assert.equal(dev.id, 'core-sw-1');
  assert.equal(dev.snmp.authKey, '<secret>');
  assert.equal(dev.snmp.privKey, '<secret>');
  assert.equal(dev.state, 'unknown');
  const text = await (await vigil.api('/api/v1/devices')).text();
  assert.ok(!text.includes('authsecret1') && !text.includes('privsecret1'));

  const patched = await vigil.api('/api/v1/devices/core-sw-1', {
    role: 'operator',
    method: 'PATCH',
    json: { location: 'rack 4', snmp: { ...dev.snmp, retries: 3 } },
  });
  assert.equal(patched.status, 200);
  assert.equal((await patched.json()).location, 'rack 4');
  // masked secrets sent back keep the stored ones
  assert.equal((await vigil.store.getDevice('core-sw-1'))?.snmp?.authKey, 'authsecret1');
  assert.equal((await vigil.store.getDevice('core-sw-1'))?.snmp?.retries, 3);

  const bad = await vigil.api('/api/v1/devices', {
    role: 'operator',
    method: 'POST',
    json: { name: 'y', address: 'a', snmp: { version: 'v3', user: 'u', authProtocol: 'sha999' } },
  });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /snmp\.authProtocol/);

  // A credential profile sends its secrets to the address given: only its managers (admins) may choose that address.
  const edge = { name: 'edge', address: '127.0.0.3', snmpProfile: 'lab' };
  assert.equal((await vigil.api('/api/v1/devices', { role: 'operator', method: 'POST', json: edge })).status, 403);
  const profiled = await vigil.api('/api/v1/devices', { role: 'admin', method: 'POST', json: edge });
  assert.equal(profiled.status, 201);
  assert.equal(vigil.inventory.get('edge')?.snmp?.community, 'labsecret');
  const switched = await vigil.api('/api/v1/devices/edge', {
    role: 'operator',
    method: 'PATCH',
    json: { snmpProfile: null, snmp: { version: 'v2c', community: 'inline-one' } },
  });
  assert.equal(switched.status, 200, await switched.clone().text());
  assert.equal(vigil.inventory.get('edge')?.snmp?.community, 'inline-one');
  assert.equal((await vigil.store.getDevice('edge'))?.snmpProfile, undefined);
  assert.equal(
    (
      await vigil.api('/api/v1/devices/edge', {
        role: 'operator',
        method: 'PATCH',
        json: { snmp: null, snmpProfile: 'lab' },
      })
    ).status,
    403,
  );
  assert.equal(
    (
      await vigil.api('/api/v1/devices/edge', {
        role: 'admin',
        method: 'PATCH',
        json: { snmp: null, snmpProfile: 'lab' },
      })
    ).status,
    200,
  );
  assert.equal(vigil.inventory.get('edge')?.snmp?.community, 'labsecret');

  assert.equal((await vigil.api('/api/v1/devices/core-sw-1', { role: 'operator', method: 'DELETE' })).status, 204);
  assert.equal((await vigil.api('/api/v1/devices/core-sw-1')).status, 404);
  // An API token is named as one, so it cannot pass for a user of the same name.
  assert.ok(
    (await vigil.store.listAudit()).some(
      (a) => a.action === 'device.delete' && a.actor === 'token:test-operator' && a.details?.address === '127.0.0.1',
    ),
  );
});

test('credential profiles hide their secrets', async () => {
  const r = await vigil.api('/api/v1/credentials');
  const text = await r.text();
  assert.ok(!text.includes('labsecret'));
  assert.match(text, /<secret>/);
});

test('stats: devices by reachability and by SNMP version', async () => {
  await vigil.store.applyDeviceStates([
    {
      kind: 'device-state',
      deviceId: 'edge',
      ts: Date.now(),
      icmp: { up: true, lossPct: 0 },
      snmp: { ok: true, version: 'v2c' },
    },
  ]);
  assert.deepEqual(await (await vigil.api('/api/v1/stats/snmp-versions')).json(), { v1: 0, v2c: 1, v3: 0 });
  const d = await (await vigil.api('/api/v1/stats/devices')).json();
  assert.equal(d.up, 1);
});

test('metrics series come from the tier that fits the step', async () => {
  const now = Date.now();
  await vigil.store.writeSamples(
    [0, 1, 2].map((i) => ({
      kind: 'sample' as const,
      deviceId: 'edge',
      metric: 'icmp.rtt.avg',
      labels: {},
      ts: now - i * 60_000,
      value: i,
    })),
  );
  const raw = await (await vigil.api('/api/v1/metrics?device=edge&name=icmp.rtt.avg&from=-1h')).json();
  assert.equal(raw.series[0].tier, 'raw');
  assert.equal(raw.series[0].points.length, 3);
  const week = await (await vigil.api('/api/v1/metrics?device=edge&name=icmp.rtt.avg&from=-7d&step=3600')).json();
  assert.equal(week.series[0].tier, '1h');
  assert.equal((await vigil.api('/api/v1/metrics?device=edge&name=x&from=yesterday')).status, 400);
});

test('tokens: created once, listed without their text, revoked', async () => {
  const r = await vigil.api('/api/v1/tokens', { method: 'POST', json: { name: 'grafana', role: 'viewer' } });
  assert.equal(r.status, 201);
  const { token, id } = await r.json();
  assert.match(token, /^vgl_/);
  const list = await (await vigil.api('/api/v1/tokens')).text();
  assert.ok(!list.includes(token));
  assert.equal(
    (await fetch(`${vigil.url}/api/v1/devices`, { headers: { authorization: `Bearer ${token}` } })).status,
    200,
  );
  assert.equal((await vigil.api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status, 204);
  assert.equal(
    (await fetch(`${vigil.url}/api/v1/devices`, { headers: { authorization: `Bearer ${token}` } })).status,
    401,
  );
});

test('errors have one shape; the OpenAPI document is valid', async () => {
  const r = await vigil.api('/api/v1/nope');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'VIGIL_NOT_FOUND');
  const doc = await (await vigil.api('/api/v1/openapi.json', { role: 'none' })).json();
  await SwaggerParser.validate(structuredClone(doc));
  assert.ok(doc.paths['/api/v1/devices']);
  assert.ok(doc.paths['/api/v1/metrics']);
});
