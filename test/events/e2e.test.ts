/**
 * End to end: a device in a network namespace this test creates is pinged by the real ICMP collector (fping);
 * taking its link down opens "device down", which is mailed (real SMTP server) and posted (local HTTP receiver),
 * acknowledged through the API, and cleared when the link comes back.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createApiToken } from '../../src/api/auth.ts';
import { buildApi } from '../../src/api/server.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { createIcmpCollector } from '../../src/collectors/icmp/index.ts';
import { validateConfig } from '../../src/config/load.ts';
import { createEventEngine } from '../../src/events/engine.ts';
import type { VigilEvent } from '../../src/model/events.ts';
import { systemClock } from '../../src/model/clock.ts';
import type { Device } from '../../src/model/device.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { createNotifier } from '../../src/notify/notifier.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';

const id = randomBytes(3).toString('hex');
const ns = `vigil-e2e-${id}`;
const hostIf = `vg${id}a`;
const nsIf = `vg${id}b`;
const octet = 16 + (parseInt(id, 16) % 200);
const hostAddr = `10.254.${octet}.1`;
const deviceAddr = `10.254.${octet}.2`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

let netnsOk = false;
const posts: { body: string }[] = [];
const mails: string[] = [];
let http: Server;
let smtp: SMTPServer;

before(async () => {
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${deviceAddr}/30`, 'dev', nsIf);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    netnsOk = true;
  } catch {
    netnsOk = false;
  }
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      posts.push({ body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  smtp = new SMTPServer({
    authOptional: true,
    logger: false,
    onData: (stream, _s, cb) => {
      let d = '';
      stream.on('data', (c: Buffer) => (d += c));
      stream.on('end', () => {
        mails.push(d);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
});

after(async () => {
  try {
    ip('link', 'del', hostIf);
  } catch {}
  try {
    ip('netns', 'del', ns);
  } catch {}
  await new Promise((r) => http.close(r));
  await new Promise((r) => smtp.close(r as () => void));
});

test('device unreachable → device down → email + webhook → ack via API → cleared on return', async (t) => {
  if (!netnsOk) return t.skip('cannot create a network namespace here (needs root / CAP_NET_ADMIN)');
  const config = validateConfig({
    icmp: { count: 1, periodMs: 20, timeoutMs: 300, downAfter: 2 },
    // Loss is 100 % too while down; kept out so that the messages counted are the device-down ones.
    events: { persistIntervalMs: 0, builtins: { packetLoss: { enabled: false } } },
    notify: {
      groupWindowS: 0,
      channels: [
        {
          id: 'mail',
          type: 'email',
          host: '127.0.0.1',
          port: (smtp.server.address() as AddressInfo).port,
          security: 'none',
          from: 'vigil@example.test',
          to: ['noc@example.test'],
        },
        { id: 'hook', type: 'webhook', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/vigil` },
      ],
      routes: [{ id: 'all', channels: ['mail', 'hook'] }],
    },
  });
  const device: Device = {
    id: 'leaf1',
    name: 'leaf1',
    address: deviceAddr,
    tags: [],
    icmp: { enabled: true },
    pollIntervalS: 60,
    origin: 'config',
  };
  const devices = () => [device];
  const store = openSqlite(':memory:');
  const bus = createMemoryBus();
  const notifier = await createNotifier({
    store,
    clock: systemClock,
    log: silentLogger,
    config: config.notify,
    device: (x) => devices().find((d) => d.id === x),
  });
  const engine = await createEventEngine({
    store,
    bus,
    clock: systemClock,
    log: silentLogger,
    config,
    devices,
    notifier,
  });
  engine.start();
  const icmp = createIcmpCollector(
    { bus, clock: systemClock, log: silentLogger, devices, deviceByAddress: () => undefined },
    config.icmp,
  );
  const cycle = async () => {
    await icmp.collect((r) => bus.publish(r), AbortSignal.timeout(10_000));
    await bus.drain();
    await engine.tick();
    await notifier.idle();
  };
  const api = await buildApi({
    store,
    bus,
    config,
    clock: systemClock,
    log: silentLogger,
    runtimeStats: () => ({}),
    services: { events: engine, notifier },
  });
  const { token } = await createApiToken(store, { name: 'oper', role: 'operator' });
  try {
    await cycle();
    await cycle();
    assert.equal(engine.activeEvents().length, 0, 'reachable: no event');

    ip('link', 'set', hostIf, 'down');
    await cycle();
    await cycle();
    const down = engine.activeEvents().find((e) => e.dedupKey === 'icmp:down:leaf1');
    assert.ok(down, 'device down after 2 failed cycles');
    assert.equal(down.severity, 'critical');
    assert.equal(mails.length, 1);
    assert.match(mails[0], /leaf1 is down/);
    assert.equal(posts.length, 1);
    assert.equal(JSON.parse(posts[0].body).events[0].id, down.id);

    const list = await api.inject({
      method: 'GET',
      url: '/api/v1/events?state=active',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(list.statusCode, 200);
    assert.ok((list.json() as { events: VigilEvent[] }).events.some((e) => e.id === down.id));
    const ack = await api.inject({
      method: 'POST',
      url: `/api/v1/events/${down.id}/ack`,
      headers: { authorization: `Bearer ${token}` },
      payload: { comment: 'looking' },
    });
    assert.equal(ack.statusCode, 200, ack.body);
    assert.equal((ack.json() as VigilEvent).state, 'acknowledged');
    assert.equal((ack.json() as VigilEvent).acknowledgedBy, 'token:oper');
    assert.ok(
      (await store.listAudit()).some(
        (a) => a.action === 'event.ack' && a.target === down.id && a.actor === 'token:oper',
      ),
    );

    ip('link', 'set', hostIf, 'up');
    await cycle();
    assert.equal(engine.activeEvents().length, 0, 'cleared when it answers again');
    const detail = await api.inject({
      method: 'GET',
      url: `/api/v1/events/${down.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const d = detail.json() as { event: VigilEvent; history: { action: string; actor: string }[] };
    assert.equal(d.event.state, 'cleared');
    assert.deepEqual(
      d.history.map((h) => h.action),
      ['opened', 'acknowledged', 'cleared'],
    );
    assert.equal(mails.length, 2, 'a clear message');
    assert.match(mails[1], /CLEARED/);
    const deliveries = await api.inject({
      method: 'GET',
      url: '/api/v1/notifications/deliveries',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal((deliveries.json() as { deliveries: { ok: boolean }[] }).deliveries.filter((x) => x.ok).length, 4);
  } finally {
    await engine.stop();
    await api.close();
    await store.close();
  }
});
