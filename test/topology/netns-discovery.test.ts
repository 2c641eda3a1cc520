// Discovery and topology end to end on a real network: three devices in network namespaces, each with its own snmpd
// and lldpd (real LLDP frames), r1 and r2 joined by a parallel pair, r2 to r3, r3 a switch with an end host. Vigil, in
// the root namespace, discovers the management subnet (sweep, SNMP trials, add rule), polls what it added, learns the
// links from LLDP and must produce exactly the wiring built; a cut link raises an event and leaves the map. A second
// job from one seed follows the LLDP management addresses to the other devices.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { FoundDevice, JobProgress } from '../../src/discovery/job.ts';
import type { VigilEvent } from '../../src/model/events.ts';
import type { TopologyLink } from '../../src/model/topology.ts';
import { createLab, type Lab } from '../harness/netns-lab.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const DEVICES = ['r1', 'r2', 'r3'];
const LINKS = [
  ['r1', 'eth1', 'r2', 'eth1'],
  ['r1', 'eth2', 'r2', 'eth2'],
  ['r2', 'eth3', 'r3', 'eth1'],
  ['r3', 'eth2', 'h1', 'eth0'],
] as const;

let lab: Lab | undefined;
let vigil: TestVigil | undefined;
let skipReason = '';

before(async () => {
  const made = await createLab({ nodes: DEVICES, hosts: ['h1'], links: LINKS, bridges: { r3: ['eth1', 'eth2'] } });
  if ('skip' in made) {
    if (made.cause !== 'permission') throw new Error(made.skip);
    skipReason = made.skip;
    return;
  }
  lab = made;
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 5, topology: { intervalS: 5 } },
    credentials: { lab: { version: 'v2c', community: lab.community, timeoutMs: 1000, retries: 1 } },
    discovery: { allowedRanges: [lab.mgmtSubnet], snmp: { timeoutMs: 500, retries: 0 } },
  });
});

after(async () => {
  await vigil?.stop();
  await lab?.destroy();
});

function ready(t: TestContext): { lab: Lab; vigil: TestVigil } | undefined {
  if (!lab || !vigil) {
    t.skip(skipReason || 'lab not built');
    return undefined;
  }
  return { lab, vigil };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function runJob(v: TestVigil, spec: unknown) {
  const r = await v.api('/api/v1/discovery/jobs', { method: 'POST', json: spec, role: 'operator' });
  assert.equal(r.status, 202, await r.clone().text());
  const { id } = (await r.json()) as JobProgress;
  return until('the job', async () => {
    const job = (await (await v.api(`/api/v1/discovery/jobs/${id}`)).json()) as JobProgress & { found: FoundDevice[] };
    return job.state === 'running' ? undefined : job;
  });
}

/** The links between devices as `a:port-b:port` strings, each end ordered, sorted. */
const wiring = (links: TopologyLink[]) =>
  links
    .filter((l) => l.b)
    .map((l) => [`${l.a}:${l.aPort}`, `${l.b}:${l.bPort}`].sort().join('-'))
    .sort();
const built = (cut: number[] = []) =>
  LINKS.slice(0, 3)
    .filter((_, i) => !cut.includes(i))
    .map(([a, ia, b, ib]) => [`${a}:${ia}`, `${b}:${ib}`].sort().join('-'))
    .sort();

async function links(v: TestVigil): Promise<TopologyLink[]> {
  await v.api('/api/v1/topology/recompute', { method: 'POST' });
  return ((await (await v.api('/api/v1/topology', { role: 'viewer' })).json()) as { links: TopologyLink[] }).links;
}

test("discovery of the management subnet adds the three devices, not the host nor Vigil's own address", async (t) => {
  const r = ready(t);
  if (!r) return;
  const job = await runJob(r.vigil, {
    targets: [r.lab.mgmtSubnet],
    exclude: [r.lab.hostAddress],
    profiles: ['lab'],
    defaultAction: 'add',
  });
  assert.equal(job.state, 'done', job.error);
  assert.equal(job.responders, 4, 'r1, r2, r3 and h1 answer ping');
  assert.equal(job.snmpAnswers, 3, 'h1 runs no agent');
  assert.equal(job.added, 3);
  const added = job.found.filter((f) => f.status === 'added');
  assert.deepEqual(added.map((f) => f.deviceId).sort(), DEVICES);
  for (const f of added) assert.equal(f.address, r.lab.nodes[f.deviceId!].mgmtAddress);
});

test('the links learned from LLDP are exactly the wiring built: the parallel pair kept, all seen from both ends', async (t) => {
  const r = ready(t);
  if (!r) return;
  // The devices are polled (their first poll reads the neighbour tables) once the next scheduler tick sees them.
  const learned = await until('the links', async () => {
    const l = await links(r.vigil);
    return wiring(l).length === 3 && l.filter((x) => x.b).every((x) => x.seenFrom === 'both') ? l : undefined;
  });
  assert.deepEqual(wiring(learned), built());
  const between = learned.filter((l) => l.b);
  assert.ok(between.every((l) => l.via?.includes('lldp') && l.aIfIndex !== undefined && l.bIfIndex !== undefined));
  assert.equal(new Set(between.map((l) => l.id)).size, 3, 'the parallel links are separate edges');
  // Parents derived from the links: the most connected device (r2) is the root.
  const topo = (await (await r.vigil.api('/api/v1/topology', { role: 'viewer' })).json()) as {
    parents: Record<string, string>;
  };
  assert.deepEqual(topo.parents, { r1: 'r2', r3: 'r2' });
  // h1 is found behind r3's port eth2 from r3's forwarding table.
  const h1 = r.lab.nodes.h1.interfaces.eth0;
  const where = (await (await r.vigil.api(`/api/v1/topology/locate?q=${h1.mac}`, { role: 'viewer' })).json()) as {
    best?: { deviceId: string; ifIndex?: number };
  };
  assert.equal(where.best?.deviceId, 'r3');
  assert.equal(where.best?.ifIndex, r.lab.nodes.r3.interfaces.eth2.ifIndex);
});

test('a cut link raises a neighbour-lost event and leaves the map; restored, the event clears', async (t) => {
  const r = ready(t);
  if (!r) return;
  await r.lab.cut(2);
  const event = await until('the neighbour-lost event', async () => {
    const list = (await (await r.vigil.api('/api/v1/events?state=active', { role: 'viewer' })).json()) as {
      events: VigilEvent[];
    };
    return list.events.find((e) => e.dedupKey.startsWith('link-lost:') && ['r2', 'r3'].includes(e.deviceId ?? ''));
  });
  assert.equal(event.severity, 'major');
  assert.match(event.summary, /Neighbour lost on eth[13] \(was r[23] eth[13]\)/);
  const after = await until('the cut link to leave', async () => {
    const l = await links(r.vigil);
    return wiring(l).length === 2 ? l : undefined;
  });
  assert.deepEqual(wiring(after), built([2]));
  const history = (await (
    await r.vigil.api(`/api/v1/topology?device=${event.deviceId}`, { role: 'viewer' })
  ).json()) as {
    history: { change: string }[];
  };
  assert.equal(history.history[0]?.change, 'lost');
  await r.lab.restore(2);
  await until('the event to clear', async () => {
    const e = (await (await r.vigil.api(`/api/v1/events/${event.id}`, { role: 'viewer' })).json()) as {
      event?: VigilEvent;
    } & VigilEvent;
    return (e.event ?? e).state === 'cleared' ? true : undefined;
  });
  assert.deepEqual(
    wiring(
      await until('the link back', async () => {
        const l = await links(r.vigil);
        return wiring(l).length === 3 ? l : undefined;
      }),
    ),
    built(),
  );
});

test('from one seed, neighbours are followed through LLDP management addresses', async (t) => {
  const r = ready(t);
  if (!r) return;
  const job = await runJob(r.vigil, { targets: [r.lab.nodes.r1.mgmtAddress], profiles: ['lab'], depth: 2 });
  assert.equal(job.state, 'done', job.error);
  const byAddress = new Map(job.found.map((f) => [f.address, f]));
  for (const n of DEVICES) {
    const f = byAddress.get(r.lab.nodes[n].mgmtAddress);
    assert.ok(f, `${n} reached`);
    assert.equal(f.status, 'known', 'already added by the sweep');
    assert.equal(f.hop, { r1: 0, r2: 1, r3: 2 }[n]);
  }
  assert.ok(job.followed >= 2);
});
