// Port-name normalisation: vendor abbreviations, case and blanks, Juniper forms, MikroTik bridge ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePort, samePort } from '../../src/topology/ports.ts';

test('abbreviations match their long forms', () => {
  const same: [string, string][] = [
    ['Gi0/1', 'GigabitEthernet0/1'],
    ['gig 0/1', 'GigabitEthernet0/1'],
    ['Te1/0/25', 'Ten-GigabitEthernet1/0/25'],
    ['XGE1/0/25', 'TenGigabitEthernet1/0/25'],
    ['Fa0/3', 'FastEthernet0/3'],
    ['Eth1/19', 'Ethernet1/19'],
    ['Et23', 'Ethernet23'],
    ['Po10', 'Port-channel10'],
    ['Twe1/0/1', 'TwentyFiveGigE1/0/1'],
    ['Hu0/0/0/1', 'HundredGigE0/0/0/1'],
    ['Fo1/1', 'FortyGigabitEthernet1/1'],
    ['mgmt0', 'Management0'],
    ['Ma1', 'Management1'],
    ['bridge/ether1', 'ether1'],
    ['bridge1/sfp-sfpplus1', 'sfp-sfpplus1'],
  ];
  for (const [a, b] of same) assert.ok(samePort(a, b), `${a} = ${b}`);
});

test('different ports and Juniper forms stay apart', () => {
  assert.ok(!samePort('Gi0/1', 'Gi0/10'));
  assert.ok(!samePort('Gi0/1', 'Te0/1'));
  assert.ok(!samePort('ge-0/0/1', 'GigabitEthernet0/0/1'), 'Juniper names are kept as they are');
  assert.ok(samePort('GE-0/0/1', 'ge-0/0/1'));
  assert.ok(!samePort(undefined, 'x'));
  assert.equal(normalisePort('xe-1/2/0'), 'xe-1/2/0');
  assert.equal(normalisePort('Ten-GigabitEthernet1/0/49'), 'tengigabitethernet1/0/49');
});
