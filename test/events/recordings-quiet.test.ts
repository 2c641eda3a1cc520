/**
 * Adding every recorded device (snmpsim replaying the 16 recordings in ../shared/devices) to a fresh Vigil opens no
 * event at all: a new device's first polls are a baseline, and nothing in them is broken.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { VigilEvent } from '../../src/model/events.ts';
import { devicesDir, startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let sim: RunningSnmpsim;
let vigil: TestVigil;

before(async () => {
  sim = await startSnmpsim({ dataDir: devicesDir() });
  vigil = await startTestVigil({ snmp: { enabled: true, intervalS: 5 } });
});
after(async () => {
  await vigil?.stop();
  await sim?.stop();
});

test('every recording added to a fresh Vigil: two polls each, no event', async () => {
  for (const community of sim.communities) {
    const r = await vigil.api('/api/v1/devices', {
      method: 'POST',
      json: {
        name: community,
        address: '127.0.0.1',
        icmp: { enabled: false },
        pollIntervalS: 5,
        snmp: { version: 'v2c', community, port: sim.port, timeoutMs: 3000, retries: 1 },
      },
    });
    assert.equal(r.status, 201, await r.clone().text());
  }
  // Each device's state records a poll; two full cycles after all have answered once.
  const polled = async () => {
    const items = (
      (await (await vigil.api('/api/v1/devices')).json()) as {
        items: { id: string; status: { snmpOk?: boolean; snmpTs?: number } }[];
      }
    ).items;
    return items.filter((d) => d.status.snmpOk !== undefined).length;
  };
  for (let i = 0; i < 120 && (await polled()) < sim.communities.length; i++)
    await new Promise((res) => setTimeout(res, 500));
  await new Promise((res) => setTimeout(res, 11_000));
  const events = ((await (await vigil.api('/api/v1/events?limit=500')).json()) as { events: VigilEvent[] }).events;
  assert.deepEqual(
    events.map((e) => `${e.deviceId}: ${e.summary}`),
    [],
  );
});
