// Wireless through the running program: Vigil polls the wireless controllers among the recordings (replayed by
// snmpsim), detects their MIB, and the API answers with every AP of the recording, its radios and clients, and the
// controller's figures; `wlan.*` samples are stored for the charts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { detectWireless, WIRELESS_PROBE_ROOTS } from '../../src/collectors/snmp/profiles/wireless/index.ts';
import type { AccessPoint, WirelessController } from '../../src/model/wireless.ts';
import { devicesDir, type RunningSnmpsim, startSnmpsim } from '../harness/snmpsim.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { recordingVarBinds } from '../topology/rec-varbinds.ts';

const missing = spawnSync('snmpsimd', ['--version'], { stdio: 'ignore' }).error;
const skip = missing ? `snmpsimd is not installed: ${missing.message}` : false;
const IDS = ['aruba-7210', 'sangfor-wac-2', 'hpe-procurve-516733-b21'];
let sim: RunningSnmpsim | undefined;
let vigil: TestVigil | undefined;

/** What the recording itself gives, parsed the same way (expectations from the file, not constants). */
function expected(id: string) {
  const vbs = recordingVarBinds(join(devicesDir(), `${id}.snmprec`));
  const sysObjectID = String(vbs.find((v) => v.oid === '1.3.6.1.2.1.1.2.0')?.value ?? '');
  const probe = vbs.filter((v) => WIRELESS_PROBE_ROOTS.some((r) => v.oid.startsWith(`${r}.`)));
  return detectWireless(sysObjectID, probe)?.parse(vbs);
}

before(async () => {
  if (skip) return;
  sim = await startSnmpsim({ dataDir: devicesDir() });
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 300, topology: { enabled: false } },
    devices: IDS.map((id) => ({
      id,
      name: id,
      address: '127.0.0.1',
      icmp: { enabled: false },
      snmp: { version: 'v2c', community: id, port: sim!.port, timeoutMs: 5000, retries: 1 },
    })),
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const list = (await (await vigil.api('/api/v1/wireless', { role: 'viewer' })).json()) as { items: unknown[] };
    if (list.items.length >= 2) break;
    if (Date.now() > deadline) throw new Error('no wireless data');
    await new Promise((r) => setTimeout(r, 500));
  }
});
after(async () => {
  await vigil?.stop();
  await sim?.stop();
});

test('the controllers are found by their MIB, the switch is not', { skip }, async () => {
  const list = (await (await vigil!.api('/api/v1/wireless', { role: 'viewer' })).json()) as {
    items: (WirelessController & { deviceId: string })[];
  };
  assert.deepEqual(list.items.map((c) => c.deviceId).sort(), ['aruba-7210', 'sangfor-wac-2']);
});

for (const id of ['aruba-7210', 'sangfor-wac-2']) {
  test(`${id}: every AP and radio of the recording, with the controller's figures`, { skip }, async () => {
    const want = expected(id)!;
    const got = (await (await vigil!.api(`/api/v1/wireless/controllers/${id}`, { role: 'viewer' })).json()) as {
      controller: WirelessController;
      aps: AccessPoint[];
      gone: unknown[];
    };
    assert.equal(got.aps.length, want.aps.length);
    assert.deepEqual(
      got.aps.map((a) => [a.id, a.name, a.state, a.clients, a.radios.length]).sort(),
      want.aps.map((a) => [a.id, a.name, a.state, a.clients, a.radios.length]).sort(),
    );
    for (const a of got.aps) assert.equal(a.controller, id);
    assert.equal(got.controller.apsTotal, want.controller.apsTotal);
    assert.equal(got.controller.apsUp, want.controller.apsUp);
    assert.equal(got.controller.clients, want.controller.clients);
    assert.deepEqual(got.gone, []);
    const samples = (await (
      await vigil!.api(`/api/v1/metrics/latest?name=wlan.ap.clients`, { role: 'viewer' })
    ).json()) as {
      items?: { deviceId: string }[];
    };
    const mine = (samples.items ?? []).filter((s) => s.deviceId === id);
    assert.equal(mine.length, want.aps.filter((a) => a.clients !== undefined).length);
  });
}
