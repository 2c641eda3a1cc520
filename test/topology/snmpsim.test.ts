// The topology parsers against a real agent: snmpsimd replays every recording in ../shared/devices, Vigil's own SNMP
// session walks the LLDP, CDP, FDB, ARP, system and interface subtrees, and what the parsers make of the walked
// varbinds must equal what they make of the recording file read directly (rec-varbinds.ts). matchLinks over the
// walked data must find the N5000 <-> ProCurve link from both sides, as recordings.test.ts does from the files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { devicesDir, startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { recordingVarBinds } from './rec-varbinds.ts';
import { readSnmprec } from '../snmp/snmprec.ts';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import { deviceSideFrom } from '../../src/topology/device-side.ts';
import { parseFdb } from '../../src/topology/fdb.ts';
import { parseArp } from '../../src/topology/arp.ts';
import { matchLinks } from '../../src/topology/match.ts';
import type { DeviceSide } from '../../src/topology/identity.ts';
import type { VarBind } from '../../src/model/records.ts';

/** Every subtree walked from the agent. */
const ROOTS = [
  '1.3.6.1.2.1.1', // system
  '1.3.6.1.2.1.2.2', // ifTable
  '1.3.6.1.2.1.31.1.1', // ifXTable
  '1.3.6.1.2.1.4.20', // ipAddrTable (DeviceSide management addresses)
  '1.0.8802.1.1.2.1', // LLDP-MIB
  '1.3.6.1.4.1.9.9.23.1.2.1.1', // CDP cache
  '1.3.6.1.2.1.17.4.3', // dot1dTpFdbTable
  '1.3.6.1.2.1.17.7.1.2.2', // dot1qTpFdbTable
  '1.3.6.1.2.1.17.1.4', // dot1dBasePortTable
  '1.3.6.1.2.1.17.7.1.4.2', // dot1qVlanCurrentTable
  '1.3.6.1.2.1.17.7.1.4.3', // dot1qVlanStaticTable (fdb.ts knownVlans reads it too)
  '1.3.6.1.2.1.4.22', // ipNetToMediaTable
  '1.3.6.1.2.1.4.35', // ipNetToPhysicalTable
];

const missing = spawnSync('snmpsimd', ['--version'], { stdio: 'ignore' }).error;
const skip = missing ? `snmpsimd is not installed (apt-get install snmpsim): ${missing.message}` : false;

const dir = devicesDir();
const ids = readdirSync(dir)
  .filter((f) => f.endsWith('.snmprec'))
  .map((f) => f.slice(0, -'.snmprec'.length))
  .sort();
const underRoots = (oid: string) => ROOTS.some((r) => oid === r || oid.startsWith(`${r}.`));

let sim: RunningSnmpsim | undefined;
const walked = new Map<string, VarBind[]>();
const walkedSides: DeviceSide[] = [];
const totals = { varbinds: 0, lldp: 0, cdp: 0, fdb: 0, arp: 0, interfaces: 0 };
let walkMs = 0;

before(async () => {
  if (skip) return;
  sim = await startSnmpsim({ dataDir: dir });
  const port = sim.port;
  const started = performance.now();
  await Promise.all(
    ids.map(async (community) => {
      const s = openSnmpSession('127.0.0.1', { version: 'v2c', community, port, timeoutMs: 5000, retries: 1 });
      try {
        // One walk at a time per device, the devices in parallel: snmpsimd answers one request at a time, and a
        // deep queue of requests would only bring their timeouts closer.
        const vbs: VarBind[] = [];
        for (const r of ROOTS) vbs.push(...(await s.walk(r)));
        walked.set(community, vbs);
      } finally {
        s.close();
      }
    }),
  );
  walkMs = performance.now() - started;
});
after(() => sim?.stop());

const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

for (const id of ids) {
  test(`recording ${id}: walked LLDP, CDP, FDB, ARP and interfaces parse as the file does`, { skip }, () => {
    const got = walked.get(id);
    assert.ok(got, `walked ${id}`);
    const file = recordingVarBinds(join(dir, `${id}.snmprec`));

    // The agent serves every fixed value of the recording under the walked subtrees, with the same type and value.
    const byOid = new Map(got.map((vb) => [vb.oid, vb]));
    const fileUnder = file.filter((vb) => underRoots(vb.oid));
    for (const vb of fileUnder) assert.deepEqual(byOid.get(vb.oid), vb, `${id} ${vb.oid}`);
    // …and nothing the recording does not have (a value computed by a variation module is still in the file).
    const recorded = readSnmprec(join(dir, `${id}.snmprec`));
    for (const vb of got) assert.ok(recorded.has(vb.oid), `${id}: agent invented ${vb.oid}`);
    assert.equal(got.length, [...recorded.keys()].filter(underRoots).length, `${id}: walked every recorded OID`);

    const side = deviceSideFrom(id, got);
    const fileSide = deviceSideFrom(id, file);
    assert.deepEqual(plain(side), plain(fileSide), `${id}: DeviceSide`);
    const fdb = parseFdb(got);
    assert.deepEqual(fdb, parseFdb(file), `${id}: FDB`);
    const arp = parseArp(got);
    assert.deepEqual(arp, parseArp(file), `${id}: ARP`);

    const lldp = side.lldp?.neighbours.length ?? 0;
    const cdp = side.cdp?.length ?? 0;
    totals.varbinds += got.length;
    totals.lldp += lldp;
    totals.cdp += cdp;
    totals.fdb += fdb.length;
    totals.arp += arp.length;
    totals.interfaces += side.interfaces.length;
    console.log(
      `${id}: ${got.length} varbinds walked (${fileUnder.length} fixed in file), ${side.interfaces.length} interfaces, ` +
        `LLDP ${lldp}, CDP ${cdp}, FDB ${fdb.length}, ARP ${arp.length}`,
    );
    walkedSides.push(side);
  });
}

test('matchLinks over the walked data finds the N5000 <-> ProCurve link from both sides', { skip }, () => {
  assert.equal(walkedSides.length, ids.length);
  const links = matchLinks(walkedSides);
  const joined = links.filter((l) => l.b.deviceId);
  for (const l of joined)
    console.log(
      `match: ${l.a.deviceId} ${l.a.port} <-> ${l.b.deviceId} ${l.b.port} via ${l.via} seen from ${l.seenFrom}`,
    );
  const nh = joined.find((l) => l.a.deviceId === 'cisco-n5000' && l.b.deviceId === 'hpe-procurve-516733-b21');
  assert.ok(nh, 'the N5000 to ProCurve link');
  assert.equal(nh.seenFrom, 'both');
  assert.equal(nh.a.port, 'Ethernet1/19');
  assert.equal(nh.b.ifIndex, 17);
  for (const l of joined) assert.ok(l === nh, `unexpected match ${JSON.stringify(l)}`);
  // The same links as from the files.
  const fileLinks = matchLinks(ids.map((id) => deviceSideFrom(id, recordingVarBinds(join(dir, `${id}.snmprec`)))));
  assert.deepEqual(plain(links), plain(fileLinks));
  console.log(
    `${ids.length} recordings walked in ${Math.round(walkMs)} ms: ${totals.varbinds} varbinds, ${totals.interfaces} interfaces, ` +
      `LLDP ${totals.lldp}, CDP ${totals.cdp}, FDB ${totals.fdb}, ARP ${totals.arp}; ${links.length} links, ${joined.length} between recordings`,
  );
});
