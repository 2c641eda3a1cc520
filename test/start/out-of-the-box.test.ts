import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

// The out-of-the-box case: a local snmpd on the standard port with the distribution's default community.
let snmpd: RunningSnmpd | undefined;
let vigil: TestVigil;
let skip: string | false = false;
before(async () => {
  try {
    snmpd = await startSnmpd({ port: 161, communities: [{ name: 'public' }] });
  } catch (e) {
    skip = `cannot run snmpd on 127.0.0.1:161 here: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  vigil = await startTestVigil({
    icmp: { enabled: true, monitorLocalhost: true, intervalS: 5, count: 1, periodMs: 100, timeoutMs: 300 },
    snmp: { enabled: true, probeLocalAgent: true, intervalS: 5 },
  });
});
after(async () => {
  await vigil?.stop();
  await snmpd?.stop();
});

test('a fresh Vigil monitors its own host: ICMP to 127.0.0.1 and SNMP to the local snmpd', async (t) => {
  if (skip) return t.skip(skip);
  const local = vigil.inventory.get('localhost');
  assert.ok(local, 'the localhost device exists');
  assert.equal(local.address, '127.0.0.1');
  assert.equal(local.snmp?.version, 'v2c');
  let view: { state: string; snmpVersion?: string; status: { snmpOk?: boolean; system?: { sysDescr?: string } } } | undefined;
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
  assert.ok(ifs.items.some((i: { name: string }) => i.name === 'lo'), JSON.stringify(ifs.items.map((i: { name: string }) => i.name)));
  assert.deepEqual(await (await vigil.api('/api/v1/stats/snmp-versions')).json(), { v1: 0, v2c: 1, v3: 0 });
});
