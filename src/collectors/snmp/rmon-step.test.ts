import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample, VarBind } from '../../model/records.ts';
import { pollRmon } from './rmon-step.ts';
import type { SnmpSession } from './session-types.ts';

/** A fake agent over a list of varbinds: walks return the subtree. */
function agent(varbinds: () => VarBind[]): SnmpSession {
  const under = (root: string) => varbinds().filter((v) => v.oid.startsWith(`${root}.`));
  return {
    get: async () => [],
    getNext: async () => [],
    walk: async (root) => under(root),
    walkLimited: async (root, o) => ({ varbinds: under(root).slice(0, o.maxResults ?? Infinity), requests: 1 }),
    set: async (v) => v,
    close: () => {},
  };
}

const CTL = '1.3.6.1.2.1.16.2.1.1';
const HIST = '1.3.6.1.2.1.16.2.2.1';
const int = (oid: string, value: number): VarBind => ({ oid, type: 'Integer', value });
const bucket = (sampleIndex: number, startCs: number, octets: number, util: number): VarBind[] => [
  int(`${HIST}.1.1.${sampleIndex}`, 1),
  int(`${HIST}.2.1.${sampleIndex}`, sampleIndex),
  { oid: `${HIST}.3.1.${sampleIndex}`, type: 'TimeTicks', value: startCs },
  { oid: `${HIST}.5.1.${sampleIndex}`, type: 'Counter32', value: octets },
  { oid: `${HIST}.6.1.${sampleIndex}`, type: 'Counter32', value: 10 },
  ...[8, 9, 10, 11, 12].map((c) => ({ oid: `${HIST}.${c}.1.${sampleIndex}`, type: 'Counter32', value: 0 })),
  int(`${HIST}.15.1.${sampleIndex}`, util),
];

test("a probe's own history buckets are imported once each, at their own times, and again after a restart", async () => {
  const control: VarBind[] = [
    int(`${CTL}.1.1`, 1),
    { oid: `${CTL}.2.1`, type: 'ObjectIdentifier', value: '1.3.6.1.2.1.2.2.1.1.3' },
    int(`${CTL}.3.1`, 50),
    int(`${CTL}.4.1`, 10),
    int(`${CTL}.5.1`, 30),
    int(`${CTL}.7.1`, 1),
  ];
  let buckets = [...bucket(1, 1000, 3000, 150), ...bucket(2, 4000, 6000, 250)];
  const session = agent(() => [...control, ...buckets]);
  const make = (metric: string, value: number, labels: Record<string, string>): Sample => ({
    kind: 'sample',
    deviceId: 'p',
    metric,
    labels,
    ts: 0,
    value,
  });
  const ifs = new Map([[3, { name: 'eth3', speedBps: 1e9 }]]);
  const wall = 1_000_000_000;
  const first = await pollRmon(session, {}, undefined, wall, false, 10_000, ifs, make);
  const util = first.samples.filter((s) => s.metric === 'rmon.hist.util.pct');
  assert.deepEqual(
    util.map((s) => [s.value, s.ts, s.labels.ifName, s.labels.interval]),
    [
      [1.5, wall - 90_000, 'eth3', '30'],
      [2.5, wall - 60_000, 'eth3', '30'],
    ],
  );
  assert.deepEqual(
    first.samples.filter((s) => s.metric === 'rmon.hist.bps').map((s) => s.value),
    [800, 1600],
  );
  // Next poll: one new bucket; the old ones are not imported again.
  buckets = [...buckets, ...bucket(3, 7000, 0, 0)];
  const second = await pollRmon(session, {}, first.memory, wall + 30_000, false, 13_000, ifs, make);
  assert.deepEqual(
    second.samples.filter((s) => s.metric === 'rmon.hist.util.pct').map((s) => s.ts),
    [wall + 30_000 - 60_000],
  );
  // The probe restarted (sysUpTime went back): its buckets start again at 1 and are all new.
  buckets = bucket(1, 100, 30, 5);
  const third = await pollRmon(session, {}, second.memory, wall + 60_000, true, 3100, ifs, make);
  assert.deepEqual(
    third.samples.filter((s) => s.metric === 'rmon.hist.util.pct').map((s) => s.value),
    [0.05],
  );
});
