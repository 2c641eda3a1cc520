import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { durationS, parseSangfor } from './sangfor.ts';

const vb = (oid: string, value: string | number) =>
  ({ oid, type: typeof value === 'number' ? 'Integer' : 'OctetString', value }) as VarBind;
const AP = '1.3.6.1.4.1.35047.2.12.1.1.1';
const CLIENT = '1.3.6.1.4.1.35047.2.12.2.1.1';

const row = (i: number, cols: Record<number, string | number>) =>
  Object.entries(cols).map(([c, v]) => vb(`${AP}.${c}.${i}`, v));

const walk: VarBind[] = [
  ...row(1, {
    2: '纺织楼_南附楼_305',
    3: 'ap-362',
    4: 'CKG7340471',
    6: '172.254.236.91',
    7: '213:37:18',
    8: 'online',
    9: 'SDKJ_FZ ',
    10: '',
    12: 13,
    13: '2472 MHz',
    15: '5.8G',
    17: 161,
    18: '5805 MHz',
    19: 3,
  }),
  ...row(2, { 2: 'GWL_213_Free', 3: 'ap-350-p', 4: 'CFQ7350606', 6: '', 7: '', 8: 'offline', 12: 0, 13: '0 MHz' }),
  ...row(3, { 2: 'same-serial', 4: 'CKG7340471', 8: 'online', 12: 1, 19: 1 }),
  ...row(4, { 2: 'no-serial', 4: '', 8: 'rebooting', 12: 6 }),
  vb(`${CLIENT}.7.1`, 'SDKJ_FZ'),
  vb(`${CLIENT}.7.2`, 'SDKJ_FZ'),
  vb(`${CLIENT}.7.3`, ''),
];

test('parseSangfor: APs by serial, two radios per row, bands from text, MHz or channel', () => {
  const s = parseSangfor(walk)!;
  const byName = new Map(s.aps.map((a) => [a.name, a]));
  const a = byName.get('纺织楼_南附楼_305')!;
  assert.deepEqual(
    [a.id, a.idSource, a.model, a.ip, a.state, a.stateRaw],
    ['CKG7340471', 'serial', 'ap-362', '172.254.236.91', 'up', 'online'],
  );
  assert.equal(a.joinedUptimeS, 213 * 3600 + 37 * 60 + 18);
  assert.equal(a.clients, 3);
  assert.deepEqual(a.radios, [
    { slot: 1, band: '2.4GHz', channel: 13, operState: 'up' },
    { slot: 2, band: '5GHz', channel: 161, operState: 'up' },
  ]);
  const off = byName.get('GWL_213_Free')!;
  assert.deepEqual([off.state, off.ip, off.joinedUptimeS, off.radios], ['down', undefined, undefined, []]);
  assert.equal(byName.get('same-serial')!.id, 'CKG7340471#3', 'a repeated serial keeps the id unique');
  const odd = byName.get('no-serial')!;
  assert.deepEqual([odd.id, odd.idSource, odd.state, odd.stateRaw], ['no-serial', 'name', 'unknown', 'rebooting']);
  assert.deepEqual(
    [s.controller.apsTotal, s.controller.apsUp, s.controller.apsDown, s.controller.clients],
    [4, 2, 2, 4],
  );
  assert.deepEqual(s.controller.clientsBySsid, { SDKJ_FZ: 2 }, 'clients without an SSID are left out');
});

test('durationS and an empty walk', () => {
  assert.equal(durationS('314:51:43'), 314 * 3600 + 51 * 60 + 43);
  assert.equal(durationS('1:02:03:04'), 93784);
  assert.equal(durationS(''), undefined);
  assert.equal(durationS('soon'), undefined);
  assert.equal(parseSangfor([]), undefined);
});
