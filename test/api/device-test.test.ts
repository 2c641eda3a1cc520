import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let snmpd: RunningSnmpd;
let vigil: TestVigil;
before(async () => {
  snmpd = await startSnmpd({
    communities: [{ name: 'devtest-ro' }],
    users: [
      { name: 'walker', authProtocol: 'SHA-256', authKey: 'walkerauth1', privProtocol: 'AES', privKey: 'walkerpriv1' },
    ],
  });
  vigil = await startTestVigil({ icmp: { count: 1, periodMs: 100, timeoutMs: 300 } });
});
after(async () => {
  await vigil?.stop();
  await snmpd?.stop();
});

test('test connection on a stored device: ICMP and SNMP v3 both answer', async () => {
  const created = await vigil.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'lab-agent',
      address: '127.0.0.1',
      snmp: {
        version: 'v3',
        user: 'walker',
        securityLevel: 'authPriv',
        authProtocol: 'sha256',
        authKey: 'walkerauth1',
        privProtocol: 'aes',
        privKey: 'walkerpriv1',
        port: snmpd.port,
        timeoutMs: 1000,
        retries: 0,
      },
    },
  });
  assert.equal(created.status, 201);
  const r = await (await vigil.api('/api/v1/devices/lab-agent/test', { method: 'POST' })).json();
  assert.equal(r.icmp.ok, true, JSON.stringify(r));
  assert.equal(r.snmp.ok, true, JSON.stringify(r));
  assert.equal(r.snmp.version, 'v3');
  assert.match(r.snmp.sysObjectID, /^1\.3\.6\.1\.4\.1\./);
});

test('test connection on a device being filled in: a wrong community is reported, not thrown', async () => {
  const r = await (
    await vigil.api('/api/v1/devices/test', {
      method: 'POST',
      json: {
        name: 'x',
        address: '127.0.0.1',
        icmp: { enabled: false },
        snmp: { version: 'v2c', community: 'not-this-one', port: snmpd.port, timeoutMs: 300, retries: 0 },
      },
    })
  ).json();
  assert.equal(r.snmp.ok, false);
  assert.equal(r.snmp.errorCode, 'VIGIL_SNMP_TIMEOUT');
});

test('walk a subtree on a device; viewers may not', async () => {
  await vigil.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'lab-v2',
      address: '127.0.0.1',
      snmp: { version: 'v2c', community: 'devtest-ro', port: snmpd.port, timeoutMs: 1000, retries: 0 },
    },
  });
  const r = await vigil.api('/api/v1/devices/lab-v2/snmp/walk?oid=1.3.6.1.2.1.1', { role: 'operator' });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.ok(body.varbinds.length >= 7);
  assert.ok(body.varbinds.every((v: { oid: string }) => v.oid.startsWith('1.3.6.1.2.1.1.')));
  assert.equal((await vigil.api('/api/v1/devices/lab-v2/snmp/walk?oid=1.3.6.1.2.1.1', { role: 'viewer' })).status, 403);
});
