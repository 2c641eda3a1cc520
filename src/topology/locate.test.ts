import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../model/errors.ts';
import type { ArpEntry } from './arp.ts';
import type { FdbEntry } from './fdb.ts';
import { locate, type LocateSources } from './locate.ts';

const HOST = '00:11:22:33:44:55';
const fdb = (mac: string, ifIndex: number, extra: Partial<FdbEntry> = {}): FdbEntry => ({
  mac,
  ifIndex,
  bridgePort: ifIndex,
  vlan: 10,
  status: 'learned',
  source: 'dot1q',
  ...extra,
});
const arp = (ip: string, mac: string, extra: Partial<ArpEntry> = {}): ArpEntry => ({
  ip,
  mac,
  ifIndex: 1,
  type: 'dynamic',
  family: ip.includes(':') ? 6 : 4,
  source: 'ipNetToPhysical',
  ...extra,
});
const others = (n: number, ifIndex: number) =>
  Array.from({ length: n }, (_, i) =>
    fdb(`02:00:00:00:${ifIndex.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}`, ifIndex),
  );

/** core: the host behind uplink 49 (with 30 other MACs); access: the host alone on port 7 with a phone. */
function sources(): LocateSources {
  return {
    switches: [
      { deviceId: 'core', name: 'core-sw1', fdb: [fdb(HOST, 49), ...others(30, 49)], uplinkIfIndexes: new Set([49]) },
      { deviceId: 'access', name: 'access-sw3', fdb: [fdb(HOST, 7), ...others(1, 7), ...others(12, 52)] },
    ],
    routers: [
      {
        deviceId: 'rtr',
        name: 'rtr1',
        arp: [
          arp('10.0.0.20', HOST),
          arp('2001:db8::20', HOST),
          arp('10.0.0.3', HOST),
          arp('10.0.0.99', '02:aa:aa:aa:aa:aa'),
        ],
      },
    ],
  };
}

test('locate: a MAC learned on an uplink and on an access port → the access port wins', () => {
  const r = locate('00:11:22:33:44:55', sources(), '2024-05-01T10:00:00Z');
  assert.equal(r.mac, HOST);
  assert.deepEqual(r.ips, ['10.0.0.3', '10.0.0.20', '2001:db8::20']);
  assert.equal(r.seenAt, '2024-05-01T10:00:00Z');
  assert.deepEqual(
    r.where.map((w) => [w.deviceId, w.ifIndex, w.macsOnPort, w.uplink]),
    [
      ['access', 7, 2, false],
      ['core', 49, 31, true],
    ],
  );
  assert.deepEqual(r.best, {
    deviceId: 'access',
    name: 'access-sw3',
    ifIndex: 7,
    bridgePort: 7,
    vlan: 10,
    status: 'learned',
    macsOnPort: 2,
    uplink: false,
  });
});

test('locate: without uplink information the port with fewer MACs wins', () => {
  const s = sources();
  const sw = s.switches.map(({ uplinkIfIndexes: _u, ...rest }) => rest);
  const r = locate('0011.2233.4455', { ...s, switches: sw }, 'now');
  assert.equal(r.best?.deviceId, 'access');
  assert.equal(r.where[1].uplink, false);
});

test('locate: every MAC spelling, any case', () => {
  for (const q of [
    '00:11:22:33:44:55',
    '00-11-22-33-44-55',
    '0011.2233.4455',
    '001122334455',
    '00:11:22:33:44:55'.toUpperCase(),
  ])
    assert.equal(locate(q, sources(), 'now').best?.ifIndex, 7, q);
});

test('locate: an IP goes through ARP/ND (IPv4 and any IPv6 spelling)', () => {
  assert.equal(locate('10.0.0.20', sources(), 'now').mac, HOST);
  const r = locate('2001:DB8:0::20', sources(), 'now');
  assert.equal(r.mac, HOST);
  assert.equal(r.best?.deviceId, 'access');
  assert.equal(r.otherMacs, undefined);
});

test('locate: an IP with two MACs → the one a switch has learned, the other in otherMacs', () => {
  const s = sources();
  const routers = [...s.routers, { deviceId: 'r2', name: 'rtr2', arp: [arp('10.0.0.20', '02:bb:bb:bb:bb:bb')] }];
  const r = locate('10.0.0.20', { ...s, routers }, 'now');
  assert.equal(r.mac, HOST);
  assert.deepEqual(r.otherMacs, ['02:bb:bb:bb:bb:bb']);
});

test('locate: self entries, port 0 and all-uplink results', () => {
  const s: LocateSources = {
    switches: [
      {
        deviceId: 'sw',
        name: 'sw',
        fdb: [fdb(HOST, 0, { bridgePort: 0, ifIndex: undefined }), fdb(HOST, 3, { status: 'self' }), fdb(HOST, 49)],
        uplinkIfIndexes: new Set([49]),
      },
    ],
    routers: [],
  };
  const r = locate(HOST, s, 'now');
  assert.deepEqual(
    r.where.map((w) => w.ifIndex),
    [49],
  );
  assert.equal(r.best, undefined); // the host is behind a switch Vigil does not read
  assert.deepEqual(locate('02:99:99:99:99:99', s, 'now').where, []);
});

test('locate: invalid queries → VIGIL_VALIDATION; an IP in no ARP table → VIGIL_NOT_FOUND', () => {
  for (const q of ['', 'switch-1', '00:11:22:33:44', '10.0.0.300', 'zz:11:22:33:44:55', '1::2::3'])
    assert.throws(
      () => locate(q, sources(), 'now'),
      (e: unknown) => e instanceof VigilError && e.code === 'VIGIL_VALIDATION' && e.message.includes('MAC'),
      q,
    );
  assert.throws(
    () => locate('10.9.9.9', sources(), 'now'),
    (e: unknown) => e instanceof VigilError && e.code === 'VIGIL_NOT_FOUND',
  );
});
