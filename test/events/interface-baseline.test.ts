/**
 * Adding a switch must not flood the console: snmpsim replays the real Cisco C3560 recording (48 access ports,
 * most without a cable, down with admin up). Its first polls open no interface event; rewriting the recording so that
 * an up port goes down opens exactly one, and bringing it back clears it. A storm (40 ports going down between two
 * polls) is one incident with 40 children and one webhook call.
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { VigilEvent } from '../../src/model/events.ts';
import { devicesDir, startSnmpsim, type RunningSnmpsim } from '../harness/snmpsim.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

const OPER = '1.3.6.1.2.1.2.2.1.8.';
let dir: string;
let sim: RunningSnmpsim;
let vigil: TestVigil;
let version = 0;
let hook: Server;
const calls: { kind: string; events: VigilEvent[] }[] = [];
const file = () => join(dir, 'c3560.snmprec');

/** Sets interfaces' ifOperStatus in the served recording (snmpsimd re-reads a file whose mtime moved). */
function setOper(ifIndex: number | number[], value: number): void {
  let text = readFileSync(file(), 'latin1');
  for (const i of [ifIndex].flat())
    text = text.replace(new RegExp(`^${OPER.replaceAll('.', '\\.')}${i}\\|2\\|\\d+$`, 'm'), `${OPER}${i}|2|${value}`);
  writeFileSync(file(), text, 'latin1');
  const t = Date.now() / 1000 + ++version * 10;
  utimesSync(file(), t, t);
}

const interfaceEvents = async (): Promise<VigilEvent[]> => {
  const r = await vigil.api('/api/v1/events?limit=500');
  const body = (await r.json()) as { events: VigilEvent[] };
  return body.events.filter((e) => e.dedupKey.startsWith('snmp:ifdown:'));
};

/** Interface events, once what the engine decided has reached the store (it writes behind, within a second or so). */
async function settledEvents(want: (open: VigilEvent[]) => boolean): Promise<VigilEvent[]> {
  let open: VigilEvent[] = [];
  for (let i = 0; i < 40; i++) {
    open = (await interfaceEvents()).filter((e) => e.state === 'open');
    if (want(open)) return open;
    await new Promise((res) => setTimeout(res, 250));
  }
  return open;
}

/** Waits until the device's interface `ifIndex` reports `oper` (a poll has seen the change). */
async function waitOper(ifIndex: number, oper: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const r = await vigil.api('/api/v1/devices/lab-c3560/interfaces');
    const rows = ((await r.json()) as { items: { ifIndex: number; operStatus?: number }[] }).items;
    if (rows.find((x) => x.ifIndex === ifIndex)?.operStatus === oper) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`interface ${ifIndex} never reported oper ${oper}`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-baseline-'));
  chmodSync(dir, 0o755);
  copyFileSync(join(devicesDir(), 'cisco-c3560.snmprec'), file());
  chmodSync(file(), 0o644);
  sim = await startSnmpsim({ dataDir: dir });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(JSON.parse(body) as (typeof calls)[number]);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as { port: number }).port;
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 5 },
    notify: {
      groupWindowS: 3,
      channels: [{ id: 'hook', type: 'webhook', url: `http://127.0.0.1:${hookPort}/hook` }],
      routes: [{ id: 'all', channels: ['hook'] }],
    },
  });
});
after(async () => {
  hook?.close();
  await vigil?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a new C3560 opens no interface event; an up port going down opens one; coming back clears it', async () => {
  const recording = readFileSync(file(), 'latin1');
  const downAdminUp = [...recording.matchAll(new RegExp(`^${OPER.replaceAll('.', '\\.')}(\\d+)\\|2\\|2$`, 'gm'))]
    .length;
  assert.ok(downAdminUp > 30, `the recording has ${downAdminUp} ports down (what used to open as many events)`);
  const upPort = Number(new RegExp(`^${OPER.replaceAll('.', '\\.')}(\\d+)\\|2\\|1$`, 'm').exec(recording)![1]);

  const created = await vigil.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'lab-c3560',
      address: '127.0.0.1',
      icmp: { enabled: false },
      pollIntervalS: 5,
      snmp: { version: 'v2c', community: 'c3560', port: sim.port, timeoutMs: 2000, retries: 1 },
    },
  });
  assert.equal(created.status, 201, await created.clone().text());
  await waitOper(upPort, 1);
  // A second poll of the unchanged device: still nothing.
  setOper(upPort, 1);
  await new Promise((res) => setTimeout(res, 6000));
  assert.deepEqual(await interfaceEvents(), []);

  setOper(upPort, 2);
  await waitOper(upPort, 2);
  const open = await settledEvents((o) => o.length > 0);
  assert.equal(open.length, 1, JSON.stringify(open.map((e) => e.summary)));
  assert.equal(open[0].dedupKey, `snmp:ifdown:lab-c3560:${upPort}`);

  setOper(upPort, 1);
  await waitOper(upPort, 1);
  assert.deepEqual(await settledEvents((o) => o.length === 0), []);
});

test('a storm: 40 ports going down between two polls are one incident with 40 children and one webhook call', async () => {
  const recording = readFileSync(file(), 'latin1');
  const adminUp = [...recording.matchAll(/^1\.3\.6\.1\.2\.1\.2\.2\.1\.7\.(\d+)\|2\|1$/gm)].map((m) => Number(m[1]));
  const ports = adminUp
    .filter((i) => new RegExp(`^${OPER.replaceAll('.', '\\.')}${i}\\|2\\|`, 'm').test(recording))
    .slice(0, 40);
  assert.equal(ports.length, 40, 'the recording has 40 admin-up ports');
  setOper(ports, 1);
  await waitOper(ports[39], 1);
  await new Promise((res) => setTimeout(res, 4000));
  const before = calls.length;

  setOper(ports, 2);
  await waitOper(ports[39], 2);
  let incidents: VigilEvent[] = [];
  for (let i = 0; i < 60 && !(incidents.length === 1 && incidents[0].details?.active === 40); i++) {
    await new Promise((res) => setTimeout(res, 250));
    incidents = (
      (await (await vigil.api('/api/v1/events?state=open&source=incident')).json()) as { events: VigilEvent[] }
    ).events;
  }
  assert.equal(incidents.length, 1);
  assert.equal(incidents[0].summary, 'lab-c3560: 40 interfaces down');
  const children = (
    (await (await vigil.api(`/api/v1/events?incident=${incidents[0].id}&limit=500`)).json()) as { events: VigilEvent[] }
  ).events;
  assert.equal(children.length, 40);
  const top = ((await (await vigil.api('/api/v1/events?state=open&topLevel=true')).json()) as { events: VigilEvent[] })
    .events;
  assert.deepEqual(
    top.map((e) => e.id),
    [incidents[0].id],
    'the console shows the incident, not its children',
  );

  // The notifier's group window (3 s) passes: one call, carrying the incident alone.
  await new Promise((res) => setTimeout(res, 5000));
  const raised = calls.slice(before);
  assert.deepEqual(
    raised.map((c) => [c.kind, c.events.map((e) => e.id)]),
    [['raise', [incidents[0].id]]],
  );

  // One acknowledgement covers the children.
  const ack = await vigil.api(`/api/v1/events/${incidents[0].id}/ack`, { method: 'POST', json: {} });
  assert.equal(ack.status, 200, await ack.clone().text());
  const acked = (
    (await (await vigil.api(`/api/v1/events?incident=${incidents[0].id}&limit=500`)).json()) as { events: VigilEvent[] }
  ).events;
  assert.ok(acked.every((e) => e.state === 'acknowledged'));
});
