import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MibDictionary } from '../mib/types.ts';
import type { Device } from '../model/device.ts';
import type { TrapRecord } from '../model/records.ts';
import { compileTrapRules, defaultTrapRules, evaluateTrapRules, type TrapRule } from './trap-rules.ts';

const trap = (trapOid: string, varbinds: TrapRecord['varbinds'], over: Partial<TrapRecord> = {}): TrapRecord => ({
  kind: 'trap',
  receivedTs: 5000,
  sourceAddress: '10.0.0.1',
  agentAddress: '10.0.0.1',
  deviceId: 'sw1',
  version: 'v2c',
  pduType: 'trap',
  trapOid,
  varbinds,
  ...over,
});
const linkVbs = (state: number) => [
  { oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 },
  { oid: '1.3.6.1.2.1.2.2.1.7.3', type: 'Integer', value: 1 },
  { oid: '1.3.6.1.2.1.2.2.1.8.3', type: 'Integer', value: state },
  { oid: '1.3.6.1.2.1.2.2.1.2.3', type: 'OctetString', value: 'Gi0/3' },
];

describe('trap rules', () => {
  const rules = compileTrapRules(defaultTrapRules);
  it('linkDown raises and linkUp clears the same declared key', () => {
    const [down] = evaluateTrapRules(rules, trap('1.3.6.1.6.3.1.1.5.3', linkVbs(2)));
    assert.equal(down.action, 'raise');
    assert.equal(down.dedupKey, 'link:sw1:3');
    assert.equal(down.severity, 'major');
    assert.equal(down.summary, 'Interface Gi0/3 down on sw1');
    assert.equal(down.component, 'ifIndex 3');
    const [up] = evaluateTrapRules(rules, trap('1.3.6.1.6.3.1.1.5.4', linkVbs(1)));
    assert.equal(up.action, 'clear');
    assert.equal(up.dedupKey, 'link:sw1:3');
  });
  it('falls back to the instance when a linkDown has no ifIndex varbind', () => {
    const [down] = evaluateTrapRules(
      rules,
      trap('1.3.6.1.6.3.1.1.5.3', [{ oid: '1.3.6.1.2.1.2.2.1.8.12', type: 'Integer', value: 2 }], {
        deviceId: undefined,
        agentAddress: '10.9.9.9',
      }),
    );
    assert.equal(down.dedupKey, 'link:10.9.9.9:12');
  });
  it('coldStart and warmStart raise a restart event', () => {
    for (const oid of ['1.3.6.1.6.3.1.1.5.1', '1.3.6.1.6.3.1.1.5.2']) {
      const [s] = evaluateTrapRules(rules, trap(oid, []));
      assert.equal(s.dedupKey, 'restart:sw1');
    }
    assert.deepEqual(evaluateTrapRules(rules, trap('1.3.6.1.4.1.9.0.1', [])), []);
  });
  it("an RMON probe's risingAlarm raises an event per alarm row, its fallingAlarm clears it", () => {
    const vbs = (value: number) => [
      { oid: '1.3.6.1.2.1.16.3.1.1.1.5', type: 'Integer', value: 5 },
      { oid: '1.3.6.1.2.1.16.3.1.1.3.5', type: 'ObjectIdentifier', value: '1.3.6.1.2.1.16.1.1.1.8.1' },
      { oid: '1.3.6.1.2.1.16.3.1.1.4.5', type: 'Integer', value: 2 },
      { oid: '1.3.6.1.2.1.16.3.1.1.5.5', type: 'Integer', value },
      { oid: '1.3.6.1.2.1.16.3.1.1.7.5', type: 'Integer', value: 1000 },
    ];
    const [up] = evaluateTrapRules(rules, trap('1.3.6.1.2.1.16.0.1', vbs(1500)));
    assert.equal(up.action, 'raise');
    assert.equal(up.dedupKey, 'rmon:sw1:5');
    assert.equal(up.summary, 'RMON alarm 5 on sw1: 1.3.6.1.2.1.16.1.1.1.8.1 = 1500 (rising threshold 1000)');
    const [down] = evaluateTrapRules(rules, trap('1.3.6.1.2.1.16.0.2', vbs(50)));
    assert.equal(down.action, 'clear');
    assert.equal(down.dedupKey, 'rmon:sw1:5');
  });
  it('matches on varbind conditions, device groups and subtrees', () => {
    const custom: TrapRule[] = [
      {
        id: 'cisco-config',
        trap: '1.3.6.1.4.1.9.9.43.2.0.*',
        group: 'core',
        varbinds: [{ varbind: '1.3.6.1.4.1.9.9.43.1.1.6.1.5', in: [3, 4] }],
        summary: 'config changed by {{1.3.6.1.4.1.9.9.43.1.1.6.1.5.7}}',
        severity: 'info',
      },
      {
        id: 'oper-down',
        trap: 'linkDown',
        varbinds: [
          { varbind: 'ifOperStatus', equals: 2 },
          { varbind: 'ifDescr', regex: '^Gi' },
        ],
        action: 'raise',
        severity: 'critical',
      },
    ];
    const core: Device = {
      id: 'sw1',
      name: 'sw1',
      address: '10.0.0.1',
      tags: [],
      group: 'core',
      icmp: { enabled: true },
      pollIntervalS: 60,
      origin: 'config',
    };
    const t = trap('1.3.6.1.4.1.9.9.43.2.0.1', [{ oid: '1.3.6.1.4.1.9.9.43.1.1.6.1.5.7', type: 'Integer', value: 3 }]);
    assert.equal(evaluateTrapRules(custom, t, undefined, { device: core })[0].summary, 'config changed by 3');
    assert.equal(evaluateTrapRules(custom, t, undefined, { device: { ...core, group: 'edge' } }).length, 0);
    assert.equal(evaluateTrapRules(custom, trap('1.3.6.1.6.3.1.1.5.3', linkVbs(2)))[0].severity, 'critical');
    assert.equal(evaluateTrapRules(custom, trap('1.3.6.1.6.3.1.1.5.3', linkVbs(1))).length, 0);
  });
  it('resolves names through the dictionary and formats values for summaries', () => {
    const dict: MibDictionary = {
      translate: (oid) =>
        oid === '1.3.6.1.4.1.99.0.1'
          ? { oid, full: 'ACME-MIB::fanFail', name: 'fanFail' }
          : oid.startsWith('1.3.6.1.4.1.99.1.')
            ? { oid, full: 'ACME-MIB::fanState.1', name: 'fanState', instance: '1' }
            : { oid, full: oid },
      resolve: (n) =>
        n === 'ACME-MIB::fanFail' ? '1.3.6.1.4.1.99.0.1' : n === 'fanState' ? '1.3.6.1.4.1.99.1' : undefined,
      formatValue: (_o, v) => (v === 2 ? 'failed(2)' : String(v)),
    };
    const r: TrapRule[] = [
      {
        id: 'fan',
        trap: 'ACME-MIB::fanFail',
        varbinds: [{ varbind: 'fanState', equals: 2 }],
        summary: '{{trap}}: fan {{index}} {{fanState}}',
        dedupKey: 'fan:{{device}}:{{fanState}}',
      },
    ];
    const [s] = evaluateTrapRules(
      r,
      trap('1.3.6.1.4.1.99.0.1', [{ oid: '1.3.6.1.4.1.99.1.1', type: 'Integer', value: 2 }]),
      dict,
    );
    assert.equal(s.summary, 'fanFail: fan 1 failed(2)');
    assert.equal(s.dedupKey, 'fan:sw1:2');
    assert.throws(() => compileTrapRules(r), /unknown trap "ACME-MIB::fanFail"/);
    assert.throws(
      () =>
        compileTrapRules([{ id: 'x', trap: 'linkDown', varbinds: [{ varbind: 'ifIndex', equals: 1, regex: 'a' }] }]),
      /exactly one/,
    );
  });
});
