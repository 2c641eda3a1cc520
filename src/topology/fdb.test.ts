import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../model/records.ts';
import { macFromValue, normalizeMac, parseDot1dFdb, parseDot1qFdb, parseFdb } from './fdb.ts';

const int = (oid: string, value: number): VarBind => ({ oid, type: 'Integer', value });
const str = (oid: string, value: string): VarBind => ({ oid, type: 'OctetString', value });
const D = '1.3.6.1.2.1.17.4.3.1';
const Q = '1.3.6.1.2.1.17.7.1.2.2.1';
const BP = '1.3.6.1.2.1.17.1.4.1';
const VC = '1.3.6.1.2.1.17.7.1.4.2.1';
const M1 = '0.17.34.51.68.85'; // 00:11:22:33:44:55
const M2 = '170.187.204.221.238.255'; // aa:bb:cc:dd:ee:ff

test('macFromValue: hex, printable text, text with its trailing NUL dropped, formatted text', () => {
  assert.equal(macFromValue('0x001122334455'), '00:11:22:33:44:55');
  assert.equal(macFromValue('0xAABBCCDDEEFF'), 'aa:bb:cc:dd:ee:ff');
  assert.equal(macFromValue('ABCDEF'), '41:42:43:44:45:46');
  assert.equal(macFromValue('ABCDE'), '41:42:43:44:45:00');
  assert.equal(macFromValue('0x1a2b'), '30:78:31:61:32:62'); // six printable bytes that look like short hex
  assert.equal(macFromValue('aa-bb-cc-dd-ee-ff'), 'aa:bb:cc:dd:ee:ff');
  assert.equal(macFromValue('0x00112233'), undefined);
  assert.equal(macFromValue(null), undefined);
  assert.equal(macFromValue(7), undefined);
});

test('normalizeMac: every common spelling, any case; rejects the rest', () => {
  for (const s of [
    'AA:BB:CC:DD:EE:0F',
    'aa-bb-cc-dd-ee-0f',
    'aabb.ccdd.ee0f',
    'AABBCCDDEE0F',
    'aa:bb:cc:dd:ee:f',
    ' aabbccddee0f ',
  ])
    assert.equal(normalizeMac(s), 'aa:bb:cc:dd:ee:0f', s);
  for (const s of [
    '',
    'aa:bb:cc:dd:ee',
    'aa:bb-cc:dd:ee:ff',
    'gg:bb:cc:dd:ee:ff',
    'aabbccddeeff00',
    '10.0.0.1',
    'aabb.ccdd',
  ])
    assert.equal(normalizeMac(s), undefined, s);
});

test('dot1dTpFdbTable: MAC from the index, port → ifIndex through dot1dBasePortIfIndex, statuses', () => {
  const vbs = [
    str(`${D}.1.${M1}`, '0x001122334455'),
    int(`${D}.2.${M1}`, 3),
    int(`${D}.3.${M1}`, 3),
    int(`${D}.2.${M2}`, 0), // port not known
    int(`${D}.3.${M2}`, 4), // self
    int(`${BP}.1.3`, 3),
    int(`${BP}.2.3`, 10103),
  ];
  assert.deepEqual(parseDot1dFdb(vbs), [
    { mac: '00:11:22:33:44:55', bridgePort: 3, ifIndex: 10103, status: 'learned', source: 'dot1d' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 0, status: 'self', source: 'dot1d' },
  ]);
});

test('dot1dTpFdbTable: MAC from the address column when the index is not six sub-ids; leading dots; statuses', () => {
  const vbs = [
    str(`.${D}.1.7`, 'ABCDEF'), // printable MAC, agent with a broken index
    int(`.${D}.2.7`, 5),
    int(`.${D}.3.7`, 5),
    int(`${D}.2.${M1}`, 4),
    int(`${D}.3.${M1}`, 2), // invalid: left out
    int(`${D}.2.${M2}`, 6), // no status column → other
    { oid: `${D}.3.${M2}`, type: 'NoSuchInstance', value: null },
    int(`${D}.2.1.2.3.4.5.300`, 1), // sub-id > 255, no address column: no MAC, left out
  ];
  assert.deepEqual(parseDot1dFdb(vbs), [
    { mac: '41:42:43:44:45:46', bridgePort: 5, status: 'mgmt', source: 'dot1d' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 6, status: 'other', source: 'dot1d' },
  ]);
});

test('dot1qTpFdbTable: FdbId → VLAN through dot1qVlanFdbId (authoritative when present)', () => {
  const vbs = [
    int(`${Q}.2.2.${M1}`, 1),
    int(`${Q}.3.2.${M1}`, 3),
    int(`${Q}.2.9.${M2}`, 1), // FdbId 9: no VLAN uses it → no VLAN, even though 9 would be a valid VLAN id
    int(`${Q}.3.9.${M2}`, 3),
    int(`${Q}.2.4.${M2}`, 2), // FdbId 4 shared by VLANs 60 and 61 → ambiguous, no VLAN
    int(`${Q}.3.4.${M2}`, 3),
    int(`${Q}.2.2.${M2}`, 1), // invalid: left out
    int(`${Q}.3.2.${M2}`, 2),
    { oid: `${VC}.3.0.50`, type: 'Gauge32', value: 2 },
    { oid: `${VC}.3.0.60`, type: 'Gauge32', value: 4 },
    { oid: `${VC}.3.12345.61`, type: 'Gauge32', value: 4 },
    { oid: `${VC}.3.0.1`, type: 'Gauge32', value: 0 }, // 0 = not known, ignored
    int(`${BP}.2.1`, 1001),
    int(`${BP}.2.2`, 0), // 0 → no ifIndex
  ];
  assert.deepEqual(parseDot1qFdb(vbs), [
    { mac: '00:11:22:33:44:55', bridgePort: 1, ifIndex: 1001, fdbId: 2, vlan: 50, status: 'learned', source: 'dot1q' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 1, ifIndex: 1001, fdbId: 9, status: 'learned', source: 'dot1q' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 2, fdbId: 4, status: 'learned', source: 'dot1q' },
  ]);
});

test('dot1qTpFdbTable: an FdbId no VLAN maps to, numbered like an existing VLAN, is that VLAN', () => {
  const vbs = [
    int(`${Q}.2.602.${M1}`, 1), // VLAN 602 exists (the agent maps it to FdbId 90, but learns under 602)
    int(`${Q}.3.602.${M1}`, 3),
    int(`${Q}.2.700.${M1}`, 1), // VLAN 700 is only in dot1qVlanStaticTable
    int(`${Q}.2.90.${M2}`, 1), // FdbId 90 → VLAN 602 through the mapping
    int(`${Q}.2.800.${M2}`, 1), // neither mapped nor a known VLAN
    { oid: `${VC}.3.0.602`, type: 'Gauge32', value: 90 },
    str(`${VC.replace('4.2.1', '4.3.1')}.1.700`, 'guests'),
  ];
  assert.deepEqual(
    parseDot1qFdb(vbs).map((e) => [e.fdbId, e.vlan]),
    [
      [602, 602],
      [700, 700],
      [90, 602],
      [800, undefined],
    ],
  );
});

test('dot1qTpFdbTable without dot1qVlanFdbId: FdbId is the VLAN when it is a VLAN id (1–4094), else no VLAN', () => {
  const vbs = [
    int(`${Q}.2.40.${M1}`, 7),
    int(`${Q}.3.40.${M1}`, 3),
    int(`${Q}.2.131072.${M2}`, 42),
    int(`${Q}.3.131072.${M2}`, 3),
    int(`${Q}.3.0.${M2}`, 4), // no port column → port 0
  ];
  assert.deepEqual(parseDot1qFdb(vbs), [
    { mac: '00:11:22:33:44:55', bridgePort: 7, fdbId: 40, vlan: 40, status: 'learned', source: 'dot1q' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 42, fdbId: 131072, status: 'learned', source: 'dot1q' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 0, fdbId: 0, status: 'self', source: 'dot1q' },
  ]);
});

test('parseFdb: both tables, a BRIDGE-MIB row repeated in Q-BRIDGE is kept once (with its VLAN)', () => {
  const vbs = [
    str(`${D}.1.${M1}`, '0x001122334455'),
    int(`${D}.2.${M1}`, 3),
    int(`${D}.3.${M1}`, 3),
    int(`${D}.2.${M2}`, 4), // only in BRIDGE-MIB
    int(`${D}.3.${M2}`, 3),
    int(`${Q}.2.10.${M1}`, 3),
    int(`${Q}.3.10.${M1}`, 3),
    int(`${BP}.2.3`, 3),
    int(`${BP}.2.4`, 4),
  ];
  const got = parseFdb(vbs);
  assert.deepEqual(got, [
    { mac: '00:11:22:33:44:55', bridgePort: 3, ifIndex: 3, fdbId: 10, vlan: 10, status: 'learned', source: 'dot1q' },
    { mac: 'aa:bb:cc:dd:ee:ff', bridgePort: 4, ifIndex: 4, status: 'learned', source: 'dot1d' },
  ]);
  assert.deepEqual(parseFdb([]), []);
  assert.deepEqual(parseFdb([int('1.3.6.1.2.1.2.2.1.1.1', 1)]), []);
});
