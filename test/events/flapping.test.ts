/**
 * Flapping against a real device: snmpd in a network namespace whose data link is taken down and up again and
 * again (test/harness/netns-device.ts), polled every second by a real Vigil. The port's first downs and ups are
 * told; once it changed more than `maxChanges` times it is one flapping event, and nothing more about the port
 * reaches the webhook until it has been quiet for `settleM`, when the flapping event clears.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, test } from 'node:test';
import type { VigilEvent } from '../../src/model/events.ts';
import { createFlappingDevice, type FlappingDevice } from '../harness/netns-device.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';

let dev: FlappingDevice | undefined;
let vigil: TestVigil | undefined;
let hook: Server | undefined;
after(async () => {
  await vigil?.stop();
  hook?.close();
  await dev?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a link taken down and up five times: one flapping event, the up/down notifications held back until it settles', async (t) => {
  const d = await createFlappingDevice({ community: 'flaptest' });
  if ('skip' in d) return t.skip(d.skip);
  dev = d;
  const calls: { kind: string; ts: number; events: VigilEvent[] }[] = [];
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ ...(JSON.parse(body) as { kind: string; events: VigilEvent[] }), ts: Date.now() });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as { port: number }).port;
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 5 },
    events: { flapping: { maxChanges: 4, windowM: 10, settleM: 0.25 } },
    notify: {
      groupWindowS: 1,
      channels: [{ id: 'hook', type: 'webhook', url: `http://127.0.0.1:${hookPort}/hook` }],
      routes: [{ id: 'all', channels: ['hook'] }],
    },
  });
  const v = vigil;
  const created = await v.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'flappy',
      address: d.address,
      icmp: { enabled: false },
      pollIntervalS: 5,
      snmp: { version: 'v2c', community: d.community, port: d.port, timeoutMs: 1000, retries: 1 },
    },
  });
  assert.equal(created.status, 201, await created.clone().text());
  const id = ((await created.json()) as { id: string }).id;

  const oper = async () => {
    const rows = (
      (await (await v.api(`/api/v1/devices/${id}/interfaces`)).json()) as {
        items: { ifIndex: number; operStatus?: number }[];
      }
    ).items;
    return rows.find((r) => r.ifIndex === d.dataIfIndex)?.operStatus;
  };
  const waitOper = async (want: number) => {
    for (let i = 0; i < 120; i++) {
      if ((await oper()) === want) return;
      await sleep(250);
    }
    throw new Error(`ifOperStatus.${d.dataIfIndex} never became ${want}`);
  };
  await waitOper(1);
  // Each state is held until Vigil has polled it, so every change is seen.
  for (let i = 0; i < 5; i++) {
    await d.linkDown();
    await waitOper(2);
    await d.linkUp();
    await waitOper(1);
  }
  await sleep(2500);

  const events = ((await (await v.api('/api/v1/events?limit=500')).json()) as { events: VigilEvent[] }).events;
  const downKey = `snmp:ifdown:${id}:${d.dataIfIndex}`;
  const downs = events.filter((e) => e.dedupKey === downKey);
  const flaps = events.filter((e) => e.ruleId === 'builtin.flapping');
  assert.equal(downs.length, 5, 'each down opened (and cleared) its event');
  assert.equal(flaps.length, 1, JSON.stringify(flaps.map((e) => e.summary)));
  assert.equal(flaps[0].dedupKey, `flapping:${downKey}`);
  assert.equal(flaps[0].state, 'open');

  const about = (c: (typeof calls)[number], key: string) => c.events.some((e) => e.dedupKey === key);
  const flapRaise = calls.findIndex((c) => c.kind === 'raise' && about(c, flaps[0].dedupKey));
  assert.ok(flapRaise >= 0, 'the flapping event was told');
  const portCalls = calls.filter((c) => about(c, downKey));
  assert.ok(portCalls.length <= 4, `at most the first four changes were told, got ${portCalls.length}`);
  assert.equal(
    calls.slice(flapRaise).filter((c) => about(c, downKey)).length,
    0,
    'nothing about the port after it was flapping',
  );

  // Quiet for settleM (15 s): the flapping event clears, and since the port is up nothing else is told about it.
  let flap: VigilEvent | undefined;
  for (let i = 0; i < 60; i++) {
    flap = ((await (await v.api(`/api/v1/events/${flaps[0].id}`)).json()) as { event: VigilEvent }).event;
    if (flap.state === 'cleared') break;
    await sleep(500);
  }
  assert.equal(flap!.state, 'cleared');
  await sleep(2000);
  assert.ok(
    calls.some((c) => c.kind === 'clear' && about(c, flaps[0].dedupKey)),
    'its clearing was told',
  );
  assert.equal(calls.slice(flapRaise).filter((c) => about(c, downKey)).length, 0);
});
