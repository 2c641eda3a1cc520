/**
 * End-host tables of the recorded devices: every BRIDGE-MIB / Q-BRIDGE-MIB forwarding table and IP-MIB ARP/ND
 * table in the recordings is parsed, and the counts and values are checked against the recording's own rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { octetsToValue } from '../../src/collectors/snmp/varbind.ts';
import type { VarBind } from '../../src/model/records.ts';
import { parseArp, parseIpNetToMedia, parseIpNetToPhysical } from '../../src/topology/arp.ts';
import { parseDot1dFdb, parseDot1qFdb, parseFdb } from '../../src/topology/fdb.ts';
import { locate } from '../../src/topology/locate.ts';
import { type RecEntry, readSnmprec } from '../snmp/snmprec.ts';
import { testDataPath } from '../harness/testdata.ts';

const D = '1.3.6.1.2.1.17.4.3.1';
const Q = '1.3.6.1.2.1.17.7.1.2.2.1';
const BP = '1.3.6.1.2.1.17.1.4.1';
const MEDIA = '1.3.6.1.2.1.4.22.1';
const PHYS = '1.3.6.1.2.1.4.35.1';
const MAC_RE = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
const INT_TAGS = new Set(['2', '65', '66', '67']);

/** A recording entry as the SNMP collector would hand it over. */
function toVarBind(e: RecEntry): VarBind {
  if (e.bytes) return { oid: e.oid, type: 'OctetString', value: octetsToValue(e.bytes) };
  if (INT_TAGS.has(e.tag)) return { oid: e.oid, type: 'Integer', value: Number(e.text) };
  return { oid: e.oid, type: 'Other', value: e.text };
}

/** Raw rows of a table: index → column → entry. */
function rows(rec: Map<string, RecEntry>, prefix: string): Map<string, Map<number, RecEntry>> {
  const out = new Map<string, Map<number, RecEntry>>();
  for (const [oid, e] of rec) {
    if (!oid.startsWith(`${prefix}.`)) continue;
    const [col, ...idx] = oid.slice(prefix.length + 1).split('.');
    const index = idx.join('.');
    if (!out.has(index)) out.set(index, new Map());
    out.get(index)?.set(Number(col), e);
  }
  return out;
}
const num = (e: RecEntry | undefined) => (e ? Number(e.text) : undefined);
const hexMac = (ids: string[]) => ids.map((n) => Number(n).toString(16).padStart(2, '0')).join(':');
const usablePhys = (e: RecEntry | undefined) => !!e?.bytes?.length && e.bytes.some((b) => b !== 0);

const dir = testDataPath('devices');
const recordings = readdirSync(dir)
  .filter((f) => f.endsWith('.snmprec'))
  .sort();

for (const file of recordings) {
  const rec = readSnmprec(`${dir}/${file}`);
  const varbinds = [...rec.values()].map(toVarBind);
  const dRows = rows(rec, D);
  const qRows = rows(rec, Q);
  const mediaRows = rows(rec, MEDIA);
  const physRows = rows(rec, PHYS);
  if (!dRows.size && !qRows.size && !mediaRows.size && !physRows.size) continue;

  test(`${file}: forwarding tables`, (t) => {
    const portIf = new Map<number, number>();
    for (const [idx, r] of rows(rec, BP)) {
      const v = num(r.get(2));
      if (v) portIf.set(Number(idx), v);
    }
    const d = parseDot1dFdb(varbinds);
    const q = parseDot1qFdb(varbinds);
    const dExpected = [...dRows.values()].filter((r) => num(r.get(3)) !== 2).length;
    const qExpected = [...qRows.values()].filter((r) => num(r.get(3)) !== 2).length;
    assert.equal(d.length, dExpected);
    assert.equal(q.length, qExpected);
    const byMacD = new Map(d.map((e) => [e.mac, e]));
    for (const [idx, r] of dRows) {
      if (num(r.get(3)) === 2) continue;
      const e = byMacD.get(hexMac(idx.split('.')));
      assert.ok(e, `${idx} decodes`);
      assert.equal(e.bridgePort, num(r.get(2)) ?? 0);
      const col = r.get(1)?.bytes;
      if (col) assert.equal(e.mac, hexMac([...col].map(String)));
      assert.equal(e.ifIndex, portIf.get(e.bridgePort));
    }
    const qKeys = new Set<string>();
    for (const [idx, r] of qRows) {
      const ids = idx.split('.');
      if (num(r.get(3)) !== 2) qKeys.add(`${hexMac(ids.slice(1))}/${num(r.get(2)) ?? 0}`);
    }
    for (const e of q) {
      assert.match(e.mac, MAC_RE);
      assert.ok(qKeys.has(`${e.mac}/${e.bridgePort}`));
      if (e.vlan !== undefined) assert.ok(e.vlan >= 1 && e.vlan <= 4094);
    }
    const all = parseFdb(varbinds);
    const onlyD = d.filter((e) => !qKeys.has(`${e.mac}/${e.bridgePort}`)).length;
    assert.equal(all.length, q.length + onlyD);
    t.diagnostic(
      `${file}: dot1d ${d.length}, dot1q ${q.length}` +
        ` (with VLAN ${q.filter((e) => e.vlan).length}), merged ${all.length}`,
    );
  });

  test(`${file}: ARP/ND tables`, (t) => {
    const media = parseIpNetToMedia(varbinds);
    const phys = parseIpNetToPhysical(varbinds);
    const mediaExpected = [...mediaRows].filter(([, r]) => num(r.get(4)) !== 2 && usablePhys(r.get(2)));
    const physExpected = [...physRows].filter(
      ([, r]) => num(r.get(6)) !== 2 && num(r.get(7)) !== 5 && usablePhys(r.get(4)),
    );
    assert.equal(media.length, mediaExpected.length);
    assert.equal(phys.length, physExpected.length);
    for (const [i, [idx, r]] of mediaExpected.entries()) {
      const ids = idx.split('.');
      assert.equal(media[i].ip, ids.slice(1).join('.'));
      assert.equal(media[i].ifIndex, Number(ids[0]));
      assert.equal(media[i].mac, hexMac([...(r.get(2)?.bytes ?? [])].map(String)));
    }
    for (const [i, [idx, r]] of physExpected.entries()) {
      const e = phys[i];
      assert.equal(e.mac, hexMac([...(r.get(4)?.bytes ?? [])].map(String)));
      assert.equal(e.ifIndex, Number(idx.split('.')[0]));
      if (e.family === 4) assert.match(e.ip, /^\d{1,3}(\.\d{1,3}){3}$/);
      // WHATWG URL parsing prints IPv6 in RFC 5952 form: an independent check of formatIPv6.
      else assert.equal(`[${e.ip}]`, new URL(`http://[${e.ip}]/`).hostname);
    }
    const all = parseArp(varbinds);
    const physKeys = new Set(phys.map((e) => `${e.ifIndex}/${e.ip}`));
    assert.equal(all.length, phys.length + media.filter((e) => !physKeys.has(`${e.ifIndex}/${e.ip}`)).length);
    t.diagnostic(
      `${file}: ipNetToMedia ${media.length}, ipNetToPhysical ${phys.length}` +
        ` (IPv6 ${phys.filter((e) => e.family === 6).length}), merged ${all.length}`,
    );
  });
}

test('locate over a recording: an IP from its ARP table → the port its forwarding table learned the MAC on', (t) => {
  // Any recording with both a forwarding table and an ARP table whose MACs meet will do; pick the first.
  for (const file of recordings) {
    const rec = readSnmprec(`${dir}/${file}`);
    const varbinds = [...rec.values()].map(toVarBind);
    const fdb = parseFdb(varbinds);
    const arp = parseArp(varbinds);
    const hit = arp.find((a) => fdb.some((f) => f.mac === a.mac && f.status === 'learned' && f.bridgePort > 0));
    if (!hit) continue;
    const sources = { switches: [{ deviceId: file, name: file, fdb }], routers: [{ deviceId: file, name: file, arp }] };
    const r = locate(hit.ip, sources, '2024-01-01T00:00:00Z');
    assert.equal(r.mac, hit.mac);
    assert.ok(r.ips.includes(hit.ip));
    const ports = new Set(fdb.filter((f) => f.mac === hit.mac && f.bridgePort > 0).map((f) => f.bridgePort));
    assert.ok(r.best && ports.has(r.best.bridgePort), `${file}: best port ${r.best?.bridgePort}`);
    const onPort = new Set(
      fdb.filter((f) => f.bridgePort === r.best?.bridgePort && f.status !== 'self').map((f) => f.mac),
    );
    assert.equal(r.best.macsOnPort, onPort.size);
    assert.equal(
      locate(hit.mac.replaceAll(':', '-').toUpperCase(), sources, 'now').best?.bridgePort,
      r.best.bridgePort,
    );
    t.diagnostic(`${file}: ${hit.ip} → ${r.mac}, bridge port ${r.best.bridgePort}, ${r.best.macsOnPort} MAC(s) there`);
    return;
  }
  assert.fail('no recording has a MAC in both its forwarding and its ARP table');
});
