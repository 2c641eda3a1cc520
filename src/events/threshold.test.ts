import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from '../model/records.ts';
import { thresholdRuleSchema } from './rule-schema.ts';
import { levelFor, ThresholdEvaluator } from './threshold.ts';

const sample = (
  value: number,
  ts: number,
  labels: Record<string, string> = {},
  metric = 'cpu.load.pct',
  deviceId = 'r1',
): Sample => ({ kind: 'sample', deviceId, metric, labels, ts, value });
const rule = (extra: Record<string, unknown>) =>
  thresholdRuleSchema.parse({ id: 't', kind: 'threshold', metric: 'cpu.load.pct', ...extra });
const ladder = [
  { severity: 'warning', value: 80, recovery: 75 },
  { severity: 'critical', value: 95, recovery: 90 },
];

test('severity ladder with hysteresis: levels rise at their value and fall only past their recovery', () => {
  const levels = rule({ levels: ladder }).levels;
  assert.equal(levelFor(levels, true, 70, -1), -1);
  assert.equal(levelFor(levels, true, 80, -1), 0);
  assert.equal(levelFor(levels, true, 96, 0), 1);
  assert.equal(levelFor(levels, true, 92, 1), 1, 'held at critical above its recovery');
  assert.equal(levelFor(levels, true, 85, 1), 0);
  assert.equal(levelFor(levels, true, 77, 0), 0, 'held at warning above 75');
  assert.equal(levelFor(levels, true, 75, 0), -1);
});

test('above: raises with the ladder severity, updates, clears after recovery', () => {
  const ev = new ThresholdEvaluator([rule({ levels: ladder })], () => undefined);
  const seen = [81, 96, 92, 78, 74].map((v, i) => ev.onSample(sample(v, i * 1000)));
  assert.deepEqual(
    seen.map((s) => s.map((x) => `${x.action}:${x.severity}`)),
    [['raise:warning'], ['raise:critical'], ['raise:critical'], ['raise:warning'], ['clear:warning']],
  );
  assert.equal(seen[0][0].dedupKey, 'threshold:t:r1');
});

test('below, with a hold duration', () => {
  const ev = new ThresholdEvaluator(
    [rule({ condition: 'below', levels: [{ severity: 'minor', value: 10 }], forS: 60 })],
    () => undefined,
  );
  assert.equal(ev.onSample(sample(5, 0)).length, 0);
  assert.equal(ev.onSample(sample(5, 30_000)).length, 0, 'not held long enough');
  assert.equal(ev.onSample(sample(5, 60_000))[0].action, 'raise');
  assert.equal(ev.onSample(sample(50, 70_000))[0].action, 'clear');
  assert.equal(ev.onSample(sample(5, 80_000)).length, 0, 'the hold starts again');
});

test('rate of change per second', () => {
  const ev = new ThresholdEvaluator(
    [rule({ metric: 'if.in.errors.ps', condition: 'rate', levels: [{ severity: 'major', value: 1 }] })],
    () => undefined,
  );
  const s = (v: number, ts: number) => sample(v, ts, { ifIndex: '3', ifName: 'Gi0/3' }, 'if.in.errors.ps');
  assert.equal(ev.onSample(s(0, 0)).length, 0);
  assert.equal(ev.onSample(s(5, 10_000)).length, 0, '0.5/s');
  const r = ev.onSample(s(100, 20_000));
  assert.equal(r[0].action, 'raise');
  assert.equal(r[0].component, 'Gi0/3');
  assert.equal(ev.onSample(s(100, 30_000))[0].action, 'clear');
});

test('components by pattern and devices by tag', () => {
  const devices = new Map([
    ['sw1', { id: 'sw1', tags: ['core'] }],
    ['sw2', { id: 'sw2', tags: [] }],
  ]);
  const ev = new ThresholdEvaluator(
    [
      rule({
        metric: 'if.in.util.pct',
        devices: { tags: ['core'] },
        components: { ifName: 'Te*' },
        levels: [{ severity: 'warning', value: 80 }],
      }),
    ],
    (id) => devices.get(id) as never,
  );
  assert.equal(ev.onSample(sample(90, 0, { ifName: 'Te1/1' }, 'if.in.util.pct', 'sw1')).length, 1);
  assert.equal(ev.onSample(sample(90, 0, { ifName: 'Gi1/1' }, 'if.in.util.pct', 'sw1')).length, 0);
  assert.equal(ev.onSample(sample(90, 0, { ifName: 'Te1/1' }, 'if.in.util.pct', 'sw2')).length, 0);
});

test('no data for N seconds raises on tick and clears when data returns', () => {
  const ev = new ThresholdEvaluator([rule({ condition: 'nodata', noDataS: 300, severity: 'major' })], () => undefined);
  ev.onSample(sample(1, 0));
  assert.equal(ev.tick(200_000).length, 0);
  const raised = ev.tick(300_000);
  assert.equal(raised[0].action, 'raise');
  assert.equal(raised[0].severity, 'major');
  assert.equal(ev.tick(400_000).length, 0, 'raised once');
  assert.equal(ev.onSample(sample(1, 410_000))[0].action, 'clear');
});
