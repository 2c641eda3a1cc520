// LLDP and CDP of every recording in ../shared/devices: every neighbour row parsed and decoded, then matchLinks
// over all recordings together (different real networks, so few links may join them; none may join wrongly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { testDataPath } from '../harness/testdata.ts';
import { recordingVarBinds } from './rec-varbinds.ts';
import { deviceSideFrom } from '../../src/topology/device-side.ts';
import { matchLinks } from '../../src/topology/match.ts';
import type { DeviceSide } from '../../src/topology/identity.ts';
import type { VarBind } from '../../src/model/records.ts';

const dir = testDataPath('devices');
const files = readdirSync(dir).filter((f) => f.endsWith('.snmprec'));
const sides: DeviceSide[] = [];
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Distinct row indexes under a table entry, counted straight from the varbinds. */
function rawRows(vbs: VarBind[], entry: string, indexLen: number): Set<string> {
  const rows = new Set<string>();
  for (const vb of vbs)
    if (vb.oid.startsWith(entry + '.')) {
      const parts = vb.oid.slice(entry.length + 1).split('.');
      rows.add(parts.slice(1, 1 + indexLen).join('.'));
    }
  return rows;
}

for (const f of files) {
  const id = f.replace(/\.snmprec$/, '');
  test(`recording ${id}: every LLDP and CDP neighbour row parsed`, () => {
    const vbs = recordingVarBinds(`${dir}/${f}`);
    const side = deviceSideFrom(id, vbs);
    sides.push(side);
    const lldpRaw = new Set([...rawRows(vbs, '1.0.8802.1.1.2.1.4.1.1', 3)].map((k) => k.split('.').slice(1).join('.')));
    const cdpRaw = rawRows(vbs, '1.3.6.1.4.1.9.9.23.1.2.1.1', 2);
    const lldp = side.lldp?.neighbours ?? [];
    const cdp = side.cdp ?? [];
    console.log(`${id}: LLDP ${lldp.length}/${lldpRaw.size} rows, CDP ${cdp.length}/${cdpRaw.size} rows`);
    assert.equal(lldp.length, lldpRaw.size);
    assert.equal(cdp.length, cdpRaw.size);
    for (const n of lldp) {
      console.log(
        `  LLDP port ${n.localPortNum}: ${n.chassisIdSubtype} ${n.chassisId} / ${n.portIdSubtype} ${n.portId}`,
      );
      assert.notEqual(n.chassisIdSubtype, 'unknown');
      assert.notEqual(n.portIdSubtype, 'unknown');
      assert.ok(n.chassisId && n.portId, 'chassis and port IDs present');
      if (n.chassisIdSubtype === 'macAddress') assert.match(n.chassisId, MAC);
      if (n.portIdSubtype === 'macAddress') assert.match(n.portId, MAC);
      for (const m of n.managementAddresses) assert.ok(!m.address.startsWith('0x'), `address ${m.address} decoded`);
    }
    for (const n of cdp) {
      console.log(`  CDP ifIndex ${n.ifIndex}: ${n.deviceId} ${n.address ?? '-'} ${n.devicePort ?? '-'}`);
      assert.ok(n.deviceId);
      assert.ok(
        side.interfaces.some((i) => i.ifIndex === n.ifIndex),
        `CDP ifIndex ${n.ifIndex} is an interface`,
      );
    }
    if (side.lldp?.local.chassisIdSubtype === 'macAddress') assert.match(side.lldp.local.chassisId, MAC);
  });
}

test('matchLinks over all recordings', () => {
  assert.equal(sides.length, files.length);
  const links = matchLinks(sides);
  const rows = sides.reduce((n, s) => n + (s.lldp?.neighbours.length ?? 0) + (s.cdp?.length ?? 0), 0);
  assert.ok(links.length > 0 && links.length <= rows);
  for (const l of links) {
    assert.notEqual(l.b.deviceId, l.a.deviceId, 'no device linked to itself');
    if (l.a.ifIndex !== undefined) assert.ok(sides.find((s) => s.deviceId === l.a.deviceId)?.interfaces.length);
  }
  const joined = links.filter((l) => l.b.deviceId);
  for (const l of joined)
    console.log(
      `match: ${l.a.deviceId} ${l.a.port} <-> ${l.b.deviceId} ${l.b.port} via ${l.via} seen from ${l.seenFrom}`,
    );
  console.log(`${links.length} links, ${joined.length} between recordings`);
  // The N5000 and the ProCurve recordings come from one network: N5000 Ethernet1/19 is cabled to ProCurve port 17,
  // and both report it (LLDP chassis MACs agree).
  const nh = joined.find((l) => l.a.deviceId === 'cisco-n5000' && l.b.deviceId === 'hpe-procurve-516733-b21');
  assert.ok(nh, 'the N5000 to ProCurve link');
  assert.equal(nh.seenFrom, 'both');
  assert.equal(nh.a.port, 'Ethernet1/19');
  assert.equal(nh.b.ifIndex, 17);
  for (const l of joined) assert.ok(l === nh, `unexpected match ${JSON.stringify(l)}`);
});

test('LAG membership of every recording that has it', async () => {
  const { parseLag } = await import('../../src/topology/lag.ts');
  const AGG = '1.2.840.10006.300.43.1.2.1.1.';
  const STACK = '1.3.6.1.2.1.31.1.2.1.3.';
  const IF_TYPE = '1.3.6.1.2.1.2.2.1.3.';
  let total = 0;
  for (const f of files) {
    const id = f.replace(/\.snmprec$/, '');
    const vbs = recordingVarBinds(`${dir}/${f}`);
    const lags = parseLag(vbs);
    // Expected straight from the varbinds: dot3adAggPortTable rows attached (else selected) to another interface; or,
    // without that table, ifStackTable rows under an ieee8023adLag(161) interface.
    const expected = new Map<number, number>();
    const attached = new Map<number, { sel?: number; att?: number }>();
    for (const vb of vbs)
      if (vb.oid.startsWith(AGG)) {
        const [col, member] = vb.oid.slice(AGG.length).split('.').map(Number);
        const r = attached.get(member) ?? {};
        if (col === 12) r.sel = Number(vb.value);
        if (col === 13) r.att = Number(vb.value);
        attached.set(member, r);
      }
    for (const [member, r] of attached) {
      const agg = r.att || r.sel || 0;
      if (agg !== 0 && agg !== member) expected.set(member, agg);
    }
    const lagIfs = new Set(
      vbs.filter((vb) => vb.oid.startsWith(IF_TYPE) && vb.value === 161).map((vb) => vb.oid.slice(IF_TYPE.length)),
    );
    if (attached.size === 0) {
      for (const vb of vbs)
        if (vb.oid.startsWith(STACK)) {
          const [higher, lower] = vb.oid.slice(STACK.length).split('.');
          if (lagIfs.has(higher) && lower !== '0') expected.set(Number(lower), Number(higher));
        }
    }
    if (attached.size === 0 && lags.size === 0 && lagIfs.size === 0) continue;
    const ifIndexes = new Set(
      vbs.filter((vb) => vb.oid.startsWith('1.3.6.1.2.1.2.2.1.')).map((vb) => Number(vb.oid.split('.').pop())),
    );
    const self = [...attached].filter(([m, r]) => (r.att || r.sel) === m).length;
    console.log(
      `${id}: ${lags.size} LAG members (${attached.size} dot3adAggPort rows, ${self} self-attached, ` +
        `${lagIfs.size} ieee8023adLag ifs)` +
        (lags.size ? `: ${[...lags].map(([m, a]) => `${m}->${a}`).join(' ')}` : ''),
    );
    assert.deepEqual(lags, expected);
    for (const [m, a] of lags) {
      assert.ok(ifIndexes.has(m), `member ${m} in ifTable`);
      assert.ok(ifIndexes.has(a), `aggregate ${a} in ifTable`);
    }
    total += lags.size;
  }
  assert.ok(total > 0, 'some recording has LAG members');
});
