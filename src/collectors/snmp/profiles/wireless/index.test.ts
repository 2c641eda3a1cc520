import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { VarBind } from '../../../../model/records.ts';
import { detectWireless, WIRELESS_PROBE_ROOTS, WIRELESS_PROFILES } from './index.ts';

const vb = (oid: string, value: string | number) =>
  ({ oid, type: typeof value === 'number' ? 'Integer' : 'OctetString', value }) as VarBind;

test('detectWireless: by enterprise, then by which probe answered', () => {
  assert.equal(detectWireless('1.3.6.1.4.1.9.1.1069')?.name, 'cisco-wlc');
  assert.equal(detectWireless('.1.3.6.1.4.1.14179.1.1.4.3')?.name, 'cisco-wlc');
  assert.equal(detectWireless('1.3.6.1.4.1.14823.1.1.32')?.name, 'aruba');
  assert.equal(detectWireless('1.3.6.1.4.1.35047.2.12')?.name, 'sangfor');
  assert.equal(detectWireless('1.3.6.1.4.1.25053.3.1.5.15')?.name, 'ruckus');
  assert.equal(detectWireless('1.3.6.1.4.1.8072.3.2.10'), undefined);
  assert.equal(detectWireless('1.3.6.1.4.1.148230'), undefined, 'a longer enterprise number is not Aruba');

  // A Cisco autonomous AP: Cisco's enterprise, but only IEEE802dot11-MIB answers.
  const dot11 = [vb('1.2.840.10036.2.1.1.1.1', '0x001122334455')];
  assert.equal(detectWireless('1.3.6.1.4.1.9.1.525', dot11)?.name, 'ieee802dot11');
  // A Cisco switch: nothing answers.
  assert.equal(detectWireless('1.3.6.1.4.1.9.1.1208', []), undefined);
  // UniFi under Net-SNMP's sysObjectID, found by its probe; the vendor MIB wins over IEEE802dot11 there too.
  const unifi = [vb('1.3.6.1.4.1.41112.1.6.1.2.1.6.1', 'home'), ...dot11];
  assert.equal(detectWireless('1.3.6.1.4.1.8072.3.2.10', unifi)?.name, 'ubiquiti-unifi');
  const airmax = [vb('1.3.6.1.4.1.41112.1.4.1.1.2.1', 2)];
  assert.equal(detectWireless('1.3.6.1.4.1.41112', airmax)?.name, 'ubiquiti-airmax');
  assert.equal(
    detectWireless('1.3.6.1.4.1.9.1.1069', [vb('1.3.6.1.4.1.14179.2.2.1.1.3.1.2.3.4.5.6', 'ap')])?.name,
    'cisco-wlc',
  );
});

test('WIRELESS_PROFILES: numeric, distinct roots; every probe among the roots; nothing parses from nothing', () => {
  assert.equal(new Set(WIRELESS_PROFILES.map((p) => p.name)).size, WIRELESS_PROFILES.length);
  for (const p of WIRELESS_PROFILES) {
    assert.ok(p.roots.length > 0, p.name);
    assert.ok(
      p.roots.every((r) => /^\d+(\.\d+)+$/.test(r)),
      p.name,
    );
    assert.equal(new Set(p.roots).size, p.roots.length, p.name);
    for (const probe of p.probe) assert.ok(p.roots.includes(probe), `${p.name} probe ${probe}`);
    assert.equal(p.parse([]), undefined, p.name);
  }
  assert.ok(WIRELESS_PROBE_ROOTS.length >= WIRELESS_PROFILES.length);
});

/** Varbinds under a profile's roots with arbitrary instances, types and values. */
function arbitraryWalk(roots: readonly string[]) {
  const value = fc.oneof(
    fc.integer({ min: -200, max: 70000 }),
    fc.string({ maxLength: 12 }),
    fc.constantFrom('0x003a98b02e70', '0x', '10.0.0.1', 'online', '2.4G', '5805 MHz', '314:51:43', 'Connect'),
    fc.constant(null),
  );
  const arc = fc.integer({ min: 0, max: 300 });
  const vbArb = fc.record({
    root: fc.constantFrom(...roots),
    instance: fc.oneof(
      fc.array(arc, { minLength: 1, maxLength: 9 }),
      fc.constant([0, 58, 152, 176, 46, 112]),
      fc.constant([0, 58, 152, 176, 46, 112, 0]),
      fc.constant([0, 58, 152, 176, 46, 112, 1, 1]),
    ),
    type: fc.constantFrom('Integer', 'OctetString', 'Gauge32', 'TimeTicks', 'Counter64', 'NoSuchInstance', 'IpAddress'),
    value,
  });
  return fc.array(
    vbArb.map((v): VarBind => ({ oid: `${v.root}.${v.instance.join('.')}`, type: v.type, value: v.value })),
    { maxLength: 60 },
  );
}

test('every parser: never throws on arbitrary rows under its roots, and its totals add up', () => {
  for (const p of WIRELESS_PROFILES)
    fc.assert(
      fc.property(arbitraryWalk(p.roots), (vbs) => {
        const s = p.parse(vbs);
        if (!s) return;
        const c = s.controller;
        assert.equal(c.apsUp + c.apsDown, c.apsTotal, p.name);
        assert.equal(c.apsTotal, s.aps.length, p.name);
        assert.equal(new Set(s.aps.map((a) => a.id)).size, s.aps.length, `${p.name}: ids unique`);
        assert.equal(
          c.clients,
          s.aps.reduce((n, a) => n + (a.clients ?? 0), 0),
          p.name,
        );
        JSON.stringify(s);
      }),
      { numRuns: 200 },
    );
});
