/**
 * Topology through the running program: Vigil's SNMP collector polls the recordings that carry LLDP/CDP (replayed by
 * snmpsim), the neighbour tables cross the bus and reach the store, and the API answers with the links learned from
 * them (the N5000 <-> ProCurve link seen from both ends, one-sided links to neighbours outside the inventory), each
 * device's neighbours, and an end host located by its MAC.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { TopologyLink } from '../../src/model/topology.ts';
import { join } from 'node:path';
import { parseFdb } from '../../src/topology/fdb.ts';
import { devicesDir, type RunningSnmpsim, startSnmpsim } from '../harness/snmpsim.ts';
import { recordingVarBinds } from './rec-varbinds.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const missing = spawnSync('snmpsimd', ['--version'], { stdio: 'ignore' }).error;
const skip = missing ? `snmpsimd is not installed (apt-get install snmpsim): ${missing.message}` : false;
const IDS = [
  'cisco-n5000',
  'hpe-procurve-516733-b21',
  'arista-dcs-7150s-52-cl',
  'cisco-c3560',
  'juniper-mx960-12-3r6-6',
];

let sim: RunningSnmpsim | undefined;
let vigil: TestVigil | undefined;

before(async () => {
  if (skip) return;
  sim = await startSnmpsim({ dataDir: devicesDir() });
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 300, concurrency: 5 },
    devices: IDS.map((id) => ({
      id,
      name: id,
      address: '127.0.0.1',
      icmp: { enabled: false },
      snmp: { version: 'v2c', community: id, port: sim!.port, timeoutMs: 5000, retries: 1 },
    })),
  });
  // Each device's first poll reads its neighbour tables too; wait until every one is stored.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const views = await Promise.all(
      IDS.map(
        async (id) =>
          (await (await vigil!.api(`/api/v1/topology/devices/${id}`, { role: 'viewer' })).json()) as { ts?: number },
      ),
    );
    if (views.every((v) => v.ts)) break;
    if (Date.now() > deadline)
      throw new Error(`neighbour tables not stored: ${JSON.stringify(views.map((v) => v.ts))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

after(async () => {
  await vigil?.stop();
  await sim?.stop();
});

test('links are learned from the polled neighbour tables and kept with stable ids', { skip }, async () => {
  const r = await vigil!.api('/api/v1/topology/recompute', { method: 'POST', role: 'operator' });
  assert.equal(r.status, 200, await r.clone().text());
  const topo = (await (await vigil!.api('/api/v1/topology', { role: 'viewer' })).json()) as { links: TopologyLink[] };
  const between = topo.links.filter((l) => l.b);
  assert.equal(between.length, 1, JSON.stringify(between));
  const [nh] = between;
  const ends = new Set([nh.a, nh.b]);
  assert.ok(ends.has('cisco-n5000') && ends.has('hpe-procurve-516733-b21'));
  assert.equal(nh.seenFrom, 'both');
  assert.equal(nh.origin, 'discovered');
  const n5kPort = nh.a === 'cisco-n5000' ? nh.aPort : nh.bPort;
  const hpIf = nh.a === 'cisco-n5000' ? nh.bIfIndex : nh.aIfIndex;
  assert.equal(n5kPort, 'Ethernet1/19');
  assert.equal(hpIf, 17);
  // Neighbours outside the inventory are kept, from the side that sees them, with their names.
  const oneSided = topo.links.filter((l) => !l.b);
  assert.ok(oneSided.length > 0);
  for (const l of oneSided) {
    assert.equal(l.seenFrom, 'a');
    assert.ok(l.remote?.name, JSON.stringify(l));
    assert.ok(IDS.includes(l.a));
  }
  // OSPF adjacencies in state full are links too (the Juniper and Arista recordings have neighbours, outside the
  // inventory here): each from its router's side, with the neighbour's router id or address as its name.
  const ospf = oneSided.filter((l) => l.via?.includes('ospf'));
  assert.ok(ospf.length > 0, 'OSPF adjacencies');
  for (const l of ospf)
    assert.ok(['juniper-mx960-12-3r6-6', 'arista-dcs-7150s-52-cl'].includes(l.a), JSON.stringify(l));
  // Every device reporting neighbours has links from its side.
  for (const id of IDS) {
    const dev = (await (await vigil!.api(`/api/v1/topology/devices/${id}`, { role: 'viewer' })).json()) as {
      lldp: unknown[];
      cdp: unknown[];
      links: TopologyLink[];
    };
    if (dev.lldp.length || dev.cdp.length) assert.ok(dev.links.length > 0, id);
  }
  const again = (await (await vigil!.api('/api/v1/topology/recompute', { method: 'POST' })).json()) as {
    links: number;
  };
  assert.equal(again.links, topo.links.length);
  const after = (await (await vigil!.api('/api/v1/topology', { role: 'viewer' })).json()) as { links: TopologyLink[] };
  assert.deepEqual(
    after.links.map((l) => [l.id, l.firstSeen]),
    topo.links.map((l) => [l.id, l.firstSeen]),
  );
});

test('an end host is located by MAC from the stored forwarding tables', { skip }, async () => {
  const hosts = (await (
    await vigil!.api('/api/v1/topology/devices/hpe-procurve-516733-b21', { role: 'viewer' })
  ).json()) as {
    fdbEntries?: number;
  };
  assert.ok((hosts.fdbEntries ?? 0) > 0, 'the ProCurve recording has a forwarding table');
  // Find a learned MAC on an access port through the API itself: locate a bogus one first (no place, no error).
  const none = await vigil!.api('/api/v1/topology/locate?q=00:00:5e:00:53:01', { role: 'viewer' });
  assert.equal(none.status, 200);
  assert.deepEqual(((await none.json()) as { where: unknown[] }).where, []);
  const bad = await vigil!.api('/api/v1/topology/locate?q=not-an-address', { role: 'viewer' });
  assert.equal(bad.status, 400);
  // A MAC alone on its port in the recording (an access port) is placed there.
  const fdb = parseFdb(recordingVarBinds(join(devicesDir(), 'hpe-procurve-516733-b21.snmprec')));
  const perPort = new Map<number, string[]>();
  for (const e of fdb)
    if (e.status === 'learned' && e.ifIndex !== undefined)
      perPort.set(e.ifIndex, [...(perPort.get(e.ifIndex) ?? []), e.mac]);
  const [ifIndex, [mac]] = [...perPort].find(([, macs]) => macs.length === 1)!;
  const found = (await (
    await vigil!.api(`/api/v1/topology/locate?q=${mac.replace(/:/g, '-').toUpperCase()}`, { role: 'viewer' })
  ).json()) as {
    mac: string;
    best?: { deviceId: string; ifIndex?: number; macsOnPort: number };
    seenAt: string;
  };
  assert.equal(found.mac, mac);
  assert.equal(found.best?.deviceId, 'hpe-procurve-516733-b21');
  assert.equal(found.best?.ifIndex, ifIndex);
  assert.equal(found.best?.macsOnPort, 1);
  assert.ok(Date.parse(found.seenAt) > Date.now() - 600_000);
});
