// Vigil's topology parsers against a real network: three devices in network namespaces (r1 and r2 joined by a
// parallel pair, r2 to r3), r3 a switch bridging its link to r2 and an end host h1. The LLDP neighbours are real
// frames exchanged by lldpd; LLDP-MIB, IF-MIB, ARP and (on r3) BRIDGE-MIB are walked from each device's own snmpd
// with Vigil's SNMP session. The parsers must see exactly the wiring built, and lose one link when it is cut.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, type Lab } from '../harness/netns-lab.ts';
import type { VarBind } from '../../src/model/records.ts';
import { DEVICE_SIDE_ROOTS, deviceSideFrom } from '../../src/topology/device-side.ts';
import { parseArp } from '../../src/topology/arp.ts';
import { parseFdb } from '../../src/topology/fdb.ts';
import { locate } from '../../src/topology/locate.ts';
import { type LldpData, parseLldp } from '../../src/topology/lldp.ts';
import { matchLinks, type Link } from '../../src/topology/match.ts';

const DEVICES = ['r1', 'r2', 'r3'];
const LINKS = [
  ['r1', 'eth1', 'r2', 'eth1'],
  ['r1', 'eth2', 'r2', 'eth2'],
  ['r2', 'eth3', 'r3', 'eth1'],
  ['r3', 'eth2', 'h1', 'eth0'],
] as const;
/** The links between devices, which LLDP sees (h1 runs no lldpd). */
const LLDP_LINKS = LINKS.slice(0, 3);
const ROOTS = [
  ...DEVICE_SIDE_ROOTS,
  '1.3.6.1.2.1.4.22', // ipNetToMediaTable
  '1.3.6.1.2.1.4.35', // ipNetToPhysicalTable
  '1.3.6.1.2.1.17.1.4', // dot1dBasePortTable
  '1.3.6.1.2.1.17.4.3', // dot1dTpFdbTable
];

let lab: Lab | undefined;
let skipReason = '';
before(async () => {
  const made = await createLab({ nodes: DEVICES, hosts: ['h1'], links: LINKS, bridges: { r3: ['eth1', 'eth2'] } });
  if ('skip' in made) {
    // Only a missing permission skips: as root the peers must be installed (scripts/install-peers.sh test).
    if (made.cause !== 'permission') throw new Error(made.skip);
    skipReason = made.skip;
    return;
  }
  lab = made;
  console.log(
    `lab ${lab.id} on ${lab.mgmtSubnet}: network ${lab.timings.networkMs} ms, agents ${lab.timings.agentsMs} ms, ` +
      `LLDP complete ${lab.timings.lldpMs} ms later`,
  );
});
after(() => lab?.destroy());

/** The lab, or undefined after marking the test skipped. */
function labOrSkip(t: TestContext): Lab | undefined {
  if (!lab) t.skip(skipReason || 'lab not built');
  return lab;
}

const walkAll = async (l: Lab) =>
  new Map<string, VarBind[]>(await Promise.all(DEVICES.map(async (n) => [n, await l.walk(n, ROOTS)] as const)));

/** The built link `[a, ia, b, ib]` among `links`, in either direction. */
function findLink(l: Lab, links: Link[], [a, ia, b, ib]: readonly string[]): Link | undefined {
  const end = (n: string, i: string) => ({ deviceId: n, ifIndex: l.nodes[n].interfaces[i].ifIndex, port: i });
  const same = (x: { deviceId?: string; ifIndex?: number; port: string }, y: ReturnType<typeof end>) =>
    x.deviceId === y.deviceId && x.ifIndex === y.ifIndex && x.port === y.port;
  return links.find(
    (k) => (same(k.a, end(a, ia)) && same(k.b, end(b, ib))) || (same(k.a, end(b, ib)) && same(k.b, end(a, ia))),
  );
}

test('LLDP-MIB: every device reports its neighbours by system name, interface name and chassis MAC', async (t) => {
  const l = labOrSkip(t);
  if (!l) return;
  const walked = await walkAll(l);
  const lldp: Record<string, LldpData> = Object.fromEntries(DEVICES.map((n) => [n, parseLldp(walked.get(n)!)]));
  for (const n of DEVICES) {
    const macs = Object.values(l.nodes[n].interfaces).map((i) => i.mac);
    assert.equal(lldp[n].local.sysName, n);
    assert.equal(lldp[n].local.chassisIdSubtype, 'macAddress');
    assert.ok(macs.includes(lldp[n].local.chassisId), `${n}: chassis ID ${lldp[n].local.chassisId} is one of its MACs`);
  }
  for (const n of DEVICES) {
    const local = new Map(lldp[n].local.ports.map((p) => [p.portNum, p]));
    const got = lldp[n].neighbours.map((x) => ({
      localPort: local.get(x.localPortNum)?.id,
      localIfIndex: x.localPortNum,
      sysName: x.sysName,
      portIdSubtype: x.portIdSubtype,
      portId: x.portId,
      chassisId: x.chassisId,
      mgmt: x.managementAddresses.map((m) => m.address),
    }));
    const want: typeof got = l.expectedNeighbours()[n].map((e) => ({
      localPort: e.localPort,
      localIfIndex: l.nodes[n].interfaces[e.localPort].ifIndex,
      sysName: e.sysName,
      portIdSubtype: 'interfaceName',
      portId: e.portId,
      chassisId: lldp[e.sysName].local.chassisId,
      mgmt: [l.nodes[e.sysName].mgmtAddress],
    }));
    const order = (x: { localPort?: string }, y: { localPort?: string }) =>
      (x.localPort ?? '') < (y.localPort ?? '') ? -1 : 1;
    assert.deepEqual(got.sort(order), want.sort(order), `${n}'s LLDP neighbours`);
  }
  assert.equal(lldp.r2.neighbours.length, 3, 'r2: two to r1 (the parallel pair), one to r3');
});

test('matchLinks: exactly the three links built, each seen from both ends with both ifIndexes', async (t) => {
  const l = labOrSkip(t);
  if (!l) return;
  const walked = await walkAll(l);
  const links = matchLinks(DEVICES.map((n) => deviceSideFrom(n, walked.get(n)!)));
  assert.equal(links.length, 3, JSON.stringify(links, null, 1));
  for (const built of LLDP_LINKS) {
    const found = findLink(l, links, built);
    assert.ok(found, `link ${built.join(' ')} in ${JSON.stringify(links, null, 1)}`);
    assert.equal(found.seenFrom, 'both');
    assert.deepEqual(found.via, ['lldp']);
  }
  // The parallel pair stays two links between the same two devices.
  const pair = links.filter((k) => [k.a.deviceId, k.b.deviceId].sort().join() === 'r1,r2');
  assert.equal(pair.length, 2);
});

test('ARP: each device has its segment peers at their MACs, on the interface facing them', async (t) => {
  const l = labOrSkip(t);
  if (!l) return;
  const walked = await walkAll(l);
  const arp = (n: string) => parseArp(walked.get(n)!);
  const iface = (n: string, i: string) => l.nodes[n].interfaces[i];
  const has = (n: string, ifName: string, peer: string, peerIf: string) => {
    const e = arp(n).find((x) => x.ip === iface(peer, peerIf).address);
    assert.ok(e, `${n} ARP has ${peer} ${peerIf} ${iface(peer, peerIf).address}: ${JSON.stringify(arp(n))}`);
    assert.equal(e.mac, iface(peer, peerIf).mac, `${n}: ${peer} ${peerIf} MAC`);
    assert.equal(e.ifIndex, iface(n, ifName).ifIndex, `${n}: ${peer} ${peerIf} seen on ${ifName}`);
    assert.equal(e.family, 4);
  };
  has('r1', 'eth1', 'r2', 'eth1');
  has('r1', 'eth2', 'r2', 'eth2');
  has('r2', 'eth1', 'r1', 'eth1');
  has('r2', 'eth2', 'r1', 'eth2');
  // r3 switches r2 and h1 on one segment and has its address on br0.
  has('r2', 'eth3', 'r3', 'br0');
  has('r2', 'eth3', 'h1', 'eth0');
  has('r3', 'br0', 'r2', 'eth3');
  has('r3', 'br0', 'h1', 'eth0');
});

test('FDB: the switch learned r2 and h1 on the right ports; locate() finds h1 by MAC and by IP', async (t) => {
  const l = labOrSkip(t);
  if (!l) return;
  const walked = await walkAll(l);
  const r3 = l.nodes.r3.interfaces;
  const fdb = parseFdb(walked.get('r3')!);
  const learned = (mac: string) => fdb.find((e) => e.mac === mac && e.status === 'learned');
  const r2mac = l.nodes.r2.interfaces.eth3.mac;
  const h1 = l.nodes.h1.interfaces.eth0;
  assert.equal(learned(r2mac)?.ifIndex, r3.eth1.ifIndex, `r2 eth3 on r3 eth1: ${JSON.stringify(fdb)}`);
  assert.equal(learned(h1.mac)?.ifIndex, r3.eth2.ifIndex, `h1 on r3 eth2: ${JSON.stringify(fdb)}`);
  // The bridge's own port addresses are 'self', never 'learned'.
  for (const port of ['eth1', 'eth2']) {
    const own = fdb.find((e) => e.mac === r3[port].mac);
    assert.ok(!own || own.status === 'self', `r3 ${port}'s own MAC: ${JSON.stringify(own)}`);
  }
  for (const n of ['r1', 'r2']) assert.deepEqual(parseFdb(walked.get(n)!), [], `${n} is no switch`);

  const side = deviceSideFrom('r3', walked.get('r3')!);
  const uplinks = new Set(side.lldp?.neighbours.map((x) => x.localPortNum));
  const sources = {
    switches: [{ deviceId: 'r3', name: 'r3', fdb, uplinkIfIndexes: uplinks }],
    routers: DEVICES.map((n) => ({ deviceId: n, name: n, arp: parseArp(walked.get(n)!) })),
  };
  for (const query of [h1.mac, h1.address!]) {
    const found = locate(query, sources, new Date().toISOString());
    assert.equal(found.mac, h1.mac, query);
    assert.deepEqual(found.ips, [h1.address], query);
    assert.equal(found.best?.deviceId, 'r3', query);
    assert.equal(found.best?.ifIndex, r3.eth2.ifIndex, query);
    assert.equal(found.best?.uplink, false, query);
  }
  // r2's port on r3 leads to a device LLDP knows: it is an uplink, not where r2 "is".
  const r2at = locate(r2mac, sources, new Date().toISOString());
  assert.equal(r2at.where[0]?.ifIndex, r3.eth1.ifIndex);
  assert.equal(r2at.where[0]?.uplink, true);
  assert.equal(r2at.best, undefined);
});

test('a cut link disappears from LLDP and from matchLinks; the others stay; restored, it is back', async (t) => {
  const l = labOrSkip(t);
  if (!l) return;
  const links = async () => {
    const walked = await walkAll(l);
    return matchLinks(DEVICES.map((n) => deviceSideFrom(n, walked.get(n)!)));
  };
  await l.cut(0);
  await l.waitForLldp();
  const after = await links();
  assert.equal(after.length, 2, JSON.stringify(after, null, 1));
  assert.equal(findLink(l, after, LLDP_LINKS[0]), undefined, 'the cut link is gone');
  for (const built of LLDP_LINKS.slice(1)) assert.equal(findLink(l, after, built)?.seenFrom, 'both', built.join(' '));

  await l.restore(0);
  await l.waitForLldp();
  const restored = await links();
  assert.equal(restored.length, 3);
  for (const built of LLDP_LINKS) assert.equal(findLink(l, restored, built)?.seenFrom, 'both', built.join(' '));
});
