// RMON alarm and event rows created and deleted on a probe through the API, end to end: snmpsimd plays a probe whose
// alarm and event rows are writable (its writecache variation keeps what is Set), Vigil's routes send the RMON
// sequence (createRequest, columns, valid), and snmpget, a separate program, reads the rows back from the probe.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningSnmpsim, startSnmpsim } from '../harness/snmpsim.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const missing = spawnSync('snmpsimd', ['--version'], { stdio: 'ignore' }).error;
const skip = missing ? `snmpsimd is not installed: ${missing.message}` : false;
const ALARM = '1.3.6.1.2.1.16.3.1.1';
const EVENT = '1.3.6.1.2.1.16.9.1.1';
const dir = mkdtempSync(join(tmpdir(), 'vigil-rmon-probe-'));
let sim: RunningSnmpsim | undefined;
let vigil: TestVigil | undefined;

/** A probe: system group, one etherStats row, and writable alarm row 5 and event row 7 (not yet valid). */
function probeRecording(): string {
  const w = (oid: string, type: number, value: string | number) => `${oid}|${type}:writecache|value=${value}`;
  const lines = [
    '1.3.6.1.2.1.1.1.0|4|RMON probe',
    '1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10',
    '1.3.6.1.2.1.1.3.0|67|100000',
    '1.3.6.1.2.1.1.5.0|4|probe1',
    '1.3.6.1.2.1.16.1.1.1.1.1|2|1',
    '1.3.6.1.2.1.16.1.1.1.2.1|6|1.3.6.1.2.1.2.2.1.1.1',
    '1.3.6.1.2.1.16.1.1.1.4.1|65|123456',
    '1.3.6.1.2.1.16.1.1.1.5.1|65|1234',
    '1.3.6.1.2.1.16.1.1.1.21.1|2|1',
    w(`${ALARM}.1.5`, 2, 5),
    w(`${ALARM}.2.5`, 2, 0),
    w(`${ALARM}.3.5`, 6, '0.0'),
    w(`${ALARM}.4.5`, 2, 1),
    w(`${ALARM}.5.5`, 2, 0),
    w(`${ALARM}.6.5`, 2, 3),
    w(`${ALARM}.7.5`, 2, 0),
    w(`${ALARM}.8.5`, 2, 0),
    w(`${ALARM}.9.5`, 2, 0),
    w(`${ALARM}.10.5`, 2, 0),
    w(`${ALARM}.11.5`, 4, ''),
    w(`${ALARM}.12.5`, 2, 4),
    w(`${EVENT}.1.7`, 2, 7),
    w(`${EVENT}.2.7`, 4, ''),
    w(`${EVENT}.3.7`, 2, 1),
    w(`${EVENT}.4.7`, 4, ''),
    w(`${EVENT}.5.7`, 67, 0),
    w(`${EVENT}.6.7`, 4, ''),
    w(`${EVENT}.7.7`, 2, 4),
  ];
  return `${lines.sort((a, b) => cmpOid(a.split('|')[0], b.split('|')[0])).join('\n')}\n`;
}
function cmpOid(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

before(async () => {
  if (skip) return;
  writeFileSync(join(dir, 'probe.snmprec'), probeRecording());
  sim = await startSnmpsim({ dataDir: dir });
  vigil = await startTestVigil({
    devices: [
      {
        id: 'probe1',
        name: 'probe1',
        address: '127.0.0.1',
        icmp: { enabled: false },
        snmp: { version: 'v2c', community: 'probe', port: sim.port },
      },
    ],
  });
});
after(async () => {
  await vigil?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const snmpget = (oids: string[]) =>
  execFileSync(
    'snmpget',
    ['-v2c', '-c', 'probe', '-On', '-Oe', '-Oq', '-t', '3', `127.0.0.1:${sim!.port}`, '--', ...oids],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .map((l) => l.replace(/^\S+\s+/, '').replace(/^"|"$/g, ''));

test('an admin creates a rising alarm and its event on the probe; snmpget reads them back; they can be deleted', {
  skip,
}, async () => {
  const ev = await vigil!.api('/api/v1/devices/probe1/rmon/events', {
    method: 'POST',
    json: { index: 7, type: 'logandtrap', description: 'CRC storm', community: 'public', owner: 'vigil' },
  });
  assert.equal(ev.status, 201, await ev.clone().text());
  const al = await vigil!.api('/api/v1/devices/probe1/rmon/alarms', {
    method: 'POST',
    json: {
      index: 5,
      intervalS: 30,
      variable: '1.3.6.1.2.1.16.1.1.1.8.1',
      sampleType: 'delta',
      startupAlarm: 'rising',
      risingThreshold: 1000,
      fallingThreshold: 100,
      risingEventIndex: 7,
      owner: 'vigil',
    },
  });
  assert.equal(al.status, 201, await al.clone().text());
  assert.deepEqual(
    snmpget([
      `${ALARM}.2.5`,
      `${ALARM}.3.5`,
      `${ALARM}.4.5`,
      `${ALARM}.6.5`,
      `${ALARM}.7.5`,
      `${ALARM}.8.5`,
      `${ALARM}.9.5`,
      `${ALARM}.11.5`,
      `${ALARM}.12.5`,
    ]),
    ['30', '.1.3.6.1.2.1.16.1.1.1.8.1', '2', '1', '1000', '100', '7', 'vigil', '1'],
  );
  assert.deepEqual(snmpget([`${EVENT}.2.7`, `${EVENT}.3.7`, `${EVENT}.4.7`, `${EVENT}.7.7`]), [
    'CRC storm',
    '4',
    'public',
    '1',
  ]);
  // Read back through Vigil too.
  const probe = (await (await vigil!.api('/api/v1/devices/probe1/rmon', { role: 'viewer' })).json()) as {
    alarms: { index: number; risingThreshold?: number; status?: string }[];
    etherStats: { index: number; ifIndex?: number }[];
  };
  assert.deepEqual(
    probe.alarms.map((a) => [a.index, a.risingThreshold, a.status]),
    [[5, 1000, 'valid']],
  );
  assert.deepEqual(
    probe.etherStats.map((r) => [r.index, r.ifIndex]),
    [[1, 1]],
  );
  // Sets are admin only, and audited.
  const op = await vigil!.api('/api/v1/devices/probe1/rmon/alarms/5', { method: 'DELETE', role: 'operator' });
  assert.equal(op.status, 403);
  const del = await vigil!.api('/api/v1/devices/probe1/rmon/alarms/5', { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.deepEqual(snmpget([`${ALARM}.12.5`]), ['4']);
  const audit = (await (await vigil!.api('/api/v1/audit')).json()) as {
    items?: { action: string }[];
    entries?: { action: string }[];
  };
  const actions = (audit.items ?? audit.entries ?? []).map((a) => a.action);
  for (const a of ['rmon.event.create', 'rmon.alarm.create', 'rmon.alarm.delete']) assert.ok(actions.includes(a), a);
});

test('a bad alarm is refused before anything is sent', { skip }, async () => {
  const r = await vigil!.api('/api/v1/devices/probe1/rmon/alarms', {
    method: 'POST',
    json: {
      index: 0,
      intervalS: 30,
      variable: 'ifInOctets',
      sampleType: 'delta',
      risingThreshold: 1,
      fallingThreshold: 0,
    },
  });
  assert.equal(r.status, 400);
});
