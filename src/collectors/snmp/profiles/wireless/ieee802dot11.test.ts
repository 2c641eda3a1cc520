import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VarBind } from '../../../../model/records.ts';
import { parseDot11 } from './ieee802dot11.ts';

const vb = (oid: string, value: string | number) =>
  ({ oid, type: typeof value === 'number' ? 'Integer' : 'OctetString', value }) as VarBind;
const D = '1.2.840.10036';

test('parseDot11: one AP, a radio per ifIndex, power level converted from mW, state from IF-MIB', () => {
  const s = parseDot11([
    vb(`${D}.2.1.1.1.3`, '0x001122334457'),
    vb(`${D}.2.1.1.1.2`, '0x001122334456'),
    vb(`${D}.4.1.1.1.2`, 5), // hrdsss
    vb(`${D}.4.1.1.1.3`, 4), // ofdm
    vb(`${D}.4.3.1.2.2`, 100),
    vb(`${D}.4.3.1.3.2`, 50),
    vb(`${D}.4.3.1.10.2`, 2),
    vb(`${D}.4.5.1.1.2`, 11),
    vb(`${D}.4.11.1.1.3`, 149),
    vb('1.3.6.1.2.1.2.2.1.7.2', 1),
    vb('1.3.6.1.2.1.2.2.1.8.2', 1),
    vb('1.3.6.1.2.1.2.2.1.7.3', 2),
    vb('1.3.6.1.2.1.2.2.1.8.3', 2),
    vb('1.3.6.1.2.1.2.2.1.8.1', 1), // a wired interface: not a radio
    vb('1.3.6.1.2.1.1.5.0', 'ap-standalone'),
    vb('1.3.6.1.2.1.1.6.0', 'lab'),
  ])!;
  const [ap] = s.aps;
  assert.deepEqual(
    [ap.id, ap.idSource, ap.name, ap.location, ap.state, ap.clients],
    ['00:11:22:33:44:56', 'baseRadioMac', 'ap-standalone', 'lab', 'up', undefined],
  );
  assert.deepEqual(ap.radios, [
    {
      slot: 2,
      band: '2.4GHz',
      channel: 11,
      txPowerLevel: 2,
      txPowerDbm: 17,
      operState: 'up',
      adminUp: true,
      mac: '00:11:22:33:44:56',
    },
    { slot: 3, band: '5GHz', channel: 149, operState: 'down', adminUp: false, mac: '00:11:22:33:44:57' },
  ]);
  assert.equal(s.controller.clients, 0);
  assert.equal(parseDot11([vb('1.3.6.1.2.1.2.2.1.8.1', 1)]), undefined);
});
