// The wireless profiles over every recording in devices/ and devices-large/: each file is read once, its profile
// detected from sysObjectID and the probe columns, and only the profile's roots kept. A recording whose AP tables
// have rows must parse completely: every AP row and every radio row in the file is an AP and a radio of the
// snapshot (as many as the file has distinct AP and radio instances), names, states, channels, clients and a few
// more fields equal the file's values, and the controller's totals add up. A recording with no wireless rows parses
// to nothing. No per-file constants: what the file holds is read from the file, through the table layout of the
// profile's MIB. The large controller's parse time and heap are printed (not asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testDataPath } from '../harness/testdata.ts';
import { recordingVarBinds } from '../topology/rec-varbinds.ts';
import type { VarBind } from '../../src/model/records.ts';
import type { Radio, WirelessSnapshot } from '../../src/model/wireless.ts';
import {
  detectWireless,
  WIRELESS_PROBE_ROOTS,
  type WirelessProfile,
} from '../../src/collectors/snmp/profiles/wireless/index.ts';

interface Recording {
  name: string;
  profile: WirelessProfile;
  vbs: VarBind[];
  byOid: Map<string, VarBind['value']>;
  /** Size of the whole recording, for the timing report. */
  total: number;
}

const underAny = (roots: readonly string[]) => {
  const re = new RegExp(`^(?:${roots.map((r) => r.replaceAll('.', '\\.')).join('|')})\\.`);
  return (v: VarBind) => re.test(v.oid);
};

/** Every recording whose profile's probe answers, kept to that profile's roots (and the roots those call for). */
function load(): { recordings: Recording[]; silent: string[] } {
  const recordings: Recording[] = [];
  const silent: string[] = [];
  const probe = underAny(WIRELESS_PROBE_ROOTS);
  for (const dir of ['devices', 'devices-large']) {
    const path = testDataPath(dir);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)
      .filter((f) => f.endsWith('.snmprec'))
      .sort()) {
      const all = recordingVarBinds(join(path, file));
      const sysObjectID = String(all.find((v) => v.oid === '1.3.6.1.2.1.1.2.0')?.value ?? '');
      const profile = detectWireless(sysObjectID, all.filter(probe));
      if (!profile) {
        silent.push(`${dir}/${file}`);
        continue;
      }
      let vbs = all.filter(underAny(profile.roots));
      const more = profile.moreRoots?.(vbs) ?? [];
      if (more.length) vbs = [...vbs, ...all.filter(underAny(more))];
      recordings.push({
        name: `${dir}/${file}`,
        profile,
        vbs,
        byOid: new Map(vbs.map((v) => [v.oid, v.value])),
        total: all.length,
      });
    }
  }
  return { recordings, silent };
}
const { recordings, silent } = load();

/** What the file says, read through the table layout of the profile's MIB. */
interface Expected {
  /** By the id the AP must have. */
  aps: Map<string, { name: string; up: boolean; clients?: number; fields: Record<string, unknown> }>;
  /** By `apId/slot`. */
  radios: Map<string, { channel?: number; fields: Record<string, unknown> }>;
}

/** Distinct instances of a table in the recording (over all its columns kept), those of `arcs` sub-identifiers. */
function instances(rec: Recording, entry: string, arcs: number): string[] {
  const out = new Set<string>();
  for (const v of rec.vbs) {
    if (!v.oid.startsWith(entry + '.')) continue;
    const parts = v.oid.slice(entry.length + 1).split('.');
    if (parts.length === arcs + 1) out.add(parts.slice(1).join('.'));
  }
  return [...out];
}
const val = (rec: Recording, entry: string, col: number, inst: string) => rec.byOid.get(`${entry}.${col}.${inst}`);
const n = (v: VarBind['value'] | undefined) => (v === undefined || v === null ? undefined : Number(v));
const text = (v: VarBind['value'] | undefined) => (typeof v === 'string' ? v.replace(/\s+$/, '') : undefined);
const macOf = (inst: string) =>
  inst
    .split('.')
    .slice(0, 6)
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .join(':');

const LAYOUTS: Record<string, (rec: Recording) => Expected> = {
  'cisco-wlc': (rec) => {
    const cLAp = '1.3.6.1.4.1.9.9.513.1.1.1.1';
    const bsnAP = '1.3.6.1.4.1.14179.2.2.1.1';
    const bsnIf = '1.3.6.1.4.1.14179.2.2.2.1';
    const e: Expected = { aps: new Map(), radios: new Map() };
    for (const ap of new Set([...instances(rec, cLAp, 6), ...instances(rec, bsnAP, 6)])) {
      const oper = n(val(rec, bsnAP, 6, ap));
      const disabled = n(val(rec, cLAp, 38, ap)) === 2 || n(val(rec, bsnAP, 37, ap)) === 2;
      e.aps.set(macOf(ap), {
        name: text(val(rec, cLAp, 5, ap)) ?? text(val(rec, bsnAP, 3, ap)) ?? macOf(ap),
        up: (oper === undefined || oper === 1) && !disabled,
        clients: n(val(rec, cLAp, 54, ap)),
        fields: { model: text(val(rec, bsnAP, 16, ap)), serial: text(val(rec, bsnAP, 17, ap)) },
      });
    }
    for (const r of new Set([...instances(rec, '1.3.6.1.4.1.9.9.513.1.2.1.1', 7), ...instances(rec, bsnIf, 7)])) {
      const slot = r.split('.')[6];
      const channel = n(val(rec, bsnIf, 4, r));
      e.radios.set(`${macOf(r)}/${slot}`, {
        channel,
        fields: {
          txPowerLevel: n(val(rec, bsnIf, 6, r)),
          noiseDbm: n(rec.byOid.get(`1.3.6.1.4.1.14179.2.2.15.1.21.${r}.${channel}`)),
          channelUtilPct: n(val(rec, '1.3.6.1.4.1.14179.2.2.13.1', 3, r)),
        },
      });
    }
    return e;
  },
  aruba: (rec) => {
    const ap = '1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1';
    const radio = '1.3.6.1.4.1.14823.2.2.1.5.2.1.5.1';
    const bssid = '1.3.6.1.4.1.14823.2.2.1.5.2.1.7.1';
    const e: Expected = { aps: new Map(), radios: new Map() };
    const stations = new Map<string, number>();
    for (const b of instances(rec, bssid, 13)) {
      const owner = b.split('.').slice(0, 6).join('.');
      stations.set(owner, (stations.get(owner) ?? 0) + (n(val(rec, bssid, 12, b)) ?? 0));
    }
    for (const a of instances(rec, ap, 6))
      e.aps.set(macOf(a), {
        name: text(val(rec, ap, 3, a)) ?? macOf(a),
        up: n(val(rec, ap, 19, a)) === 1,
        clients: stations.get(a),
        fields: { group: text(val(rec, ap, 4, a)), serial: text(val(rec, ap, 6, a)) },
      });
    for (const r of instances(rec, radio, 7))
      e.radios.set(`${macOf(r)}/${r.split('.')[6]}`, {
        channel: n(val(rec, radio, 3, r)),
        fields: { clients: n(val(rec, radio, 7, r)) },
      });
    return e;
  },
  sangfor: (rec) => {
    const ap = '1.3.6.1.4.1.35047.2.12.1.1.1';
    const e: Expected = { aps: new Map(), radios: new Map() };
    for (const a of instances(rec, ap, 1)) {
      const id = text(val(rec, ap, 4, a)) || text(val(rec, ap, 2, a))!;
      e.aps.set(id, {
        name: text(val(rec, ap, 2, a)) ?? id,
        up: text(val(rec, ap, 8, a)) === 'online',
        clients: n(val(rec, ap, 19, a)),
        fields: { model: text(val(rec, ap, 3, a)) },
      });
      for (const [slot, col] of [
        [1, 12],
        [2, 17],
      ]) {
        const channel = n(val(rec, ap, col, a));
        if (channel) e.radios.set(`${id}/${slot}`, { channel, fields: {} });
      }
    }
    return e;
  },
};

/** Leaves out fields the file does not have, so `{ model: undefined }` means "not in the file", not "must be absent". */
const present = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function check(rec: Recording, s: WirelessSnapshot): void {
  const e = LAYOUTS[rec.profile.name](rec);
  assert.deepEqual(s.aps.map((a) => a.id).sort(), [...e.aps.keys()].sort(), `${rec.name}: one AP per AP row`);
  let clients = 0;
  for (const ap of s.aps) {
    const want = e.aps.get(ap.id)!;
    assert.equal(ap.name, want.name, `${rec.name} ${ap.id}: name`);
    assert.equal(ap.state === 'up', want.up, `${rec.name} ${ap.id}: state ${ap.state}`);
    if (want.clients !== undefined) assert.equal(ap.clients, want.clients, `${rec.name} ${ap.id}: clients`);
    clients += ap.clients ?? 0;
    const got = ap as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(present(want.fields))) assert.equal(got[k], v, `${rec.name} ${ap.id}: ${k}`);
  }
  const radios = new Map<string, Radio>(s.aps.flatMap((ap) => ap.radios.map((r) => [`${ap.id}/${r.slot}`, r])));
  assert.deepEqual([...radios.keys()].sort(), [...e.radios.keys()].sort(), `${rec.name}: one radio per radio row`);
  for (const [key, want] of e.radios) {
    const got = radios.get(key)! as unknown as Record<string, unknown>;
    assert.equal(got.channel, want.channel, `${rec.name} ${key}: channel`);
    assert.notEqual(got.band, 'unknown', `${rec.name} ${key}: band`);
    for (const [k, v] of Object.entries(present(want.fields))) assert.equal(got[k], v, `${rec.name} ${key}: ${k}`);
  }
  const c = s.controller;
  assert.equal(c.apsTotal, e.aps.size, rec.name);
  assert.equal(c.apsUp, [...e.aps.values()].filter((a) => a.up).length, rec.name);
  assert.equal(c.apsDown, c.apsTotal - c.apsUp, rec.name);
  assert.equal(c.clients, clients, rec.name);
}

test('every recording a wireless probe answers is a complete snapshot of its AP and radio rows', (t) => {
  for (const layout of Object.keys(LAYOUTS))
    assert.ok(
      recordings.some((r) => r.profile.name === layout),
      `a recording of ${layout}`,
    );
  for (const rec of recordings) {
    // With VIGIL_NODE_FLAGS=--expose-gc the heap figure is what the parse keeps, not what it left to collect.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const s = rec.profile.parse(rec.vbs);
    const ms = performance.now() - t0;
    gc?.();
    const heapMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    assert.ok(s, `${rec.name}: ${rec.profile.name}'s probe answered, so its tables have rows`);
    if (LAYOUTS[rec.profile.name]) check(rec, s);
    else assert.equal(s.controller.apsUp + s.controller.apsDown, s.controller.apsTotal, rec.name);
    const c = s.controller;
    const radios = s.aps.reduce((k, a) => k + a.radios.length, 0);
    t.diagnostic(
      `${rec.name} (${rec.profile.name}, ${c.sourceMibs.join(' + ')}): ${c.apsTotal} APs (${c.apsUp} up, ${c.apsDown} ` +
        `down), ${radios} radios, ${c.clients} clients, by SSID ${JSON.stringify(c.clientsBySsid)}` +
        (c.rogueAps ? `, ${c.rogueAps.count} rogues` : ''),
    );
    t.diagnostic(
      `${rec.name}: parsed ${rec.vbs.length} of ${rec.total} varbinds in ${ms.toFixed(1)} ms, heap change ${heapMb.toFixed(1)} MB${gc ? ' after GC' : ''}, ` +
        `snapshot ${(JSON.stringify(s).length / 1024).toFixed(0)} KiB as JSON`,
    );
  }
  t.diagnostic(`no wireless profile answered: ${silent.join(', ')}`);
});
