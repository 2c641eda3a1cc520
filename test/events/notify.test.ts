import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { VigilEvent } from '../../src/model/events.ts';
import { manualClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { notifyConfigSchema } from '../../src/notify/config.ts';
import { createNotifier } from '../../src/notify/notifier.ts';
import { signBody } from '../../src/notify/webhook/index.ts';
import { openSqlite } from '../../src/store/sqlite/async.ts';
import { testEvent as ev } from '../../src/notify/test-events.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
const mails: { from: string; to: string[]; data: string; user?: string; secure: boolean }[] = [];
let http: Server;
let smtp: SMTPServer;
let httpPort = 0;
let smtpPort = 0;
/** Path → how many more times to answer 500. */
const failures = new Map<string, number>();

before(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const left = failures.get(req.url!) ?? 0;
      if (left > 0) {
        failures.set(req.url!, left - 1);
        res.writeHead(500).end('busy');
        return;
      }
      received.push({ path: req.url!, headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpPort = (http.address() as AddressInfo).port;
  smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'vigil' && auth.password === 's3cret-pass') cb(null, { user: 'vigil' });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({
          // biome-ignore lint/complexity/useOptionalChain: mailFrom is `false`, not undefined, when absent
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
          user: session.user as string | undefined,
          secure: session.secure,
        });
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
after(async () => {
  await new Promise((r) => http.close(r));
  await new Promise((r) => smtp.close(r as () => void));
});

async function setup(notify: Record<string, unknown>) {
  const store = openSqlite(':memory:');
  const clock = manualClock(Date.parse('2026-11-25T10:00:00Z'));
  const config = notifyConfigSchema.parse({ retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 }, ...notify });
  const events = new Map<string, VigilEvent>();
  const notifier = await createNotifier({
    store,
    clock,
    log: silentLogger,
    config,
    device: (id) => ({
      id,
      name: `dev-${id}`,
      address: '127.0.0.1',
      tags: ['core'],
      group: 'dc1',
      icmp: { enabled: true },
      pollIntervalS: 60,
      origin: 'config',
    }),
  });
  notifier.setEventLookup((id) => events.get(id));
  return { store, clock, notifier, events };
}

const email = (id = 'mail') => ({
  id,
  type: 'email',
  host: '127.0.0.1',
  port: smtpPort,
  security: 'starttls',
  allowSelfSigned: true,
  auth: { user: 'vigil', password: 's3cret-pass' },
  from: 'vigil@example.test',
  to: ['noc@example.test'],
});
const webhook = (path: string, extra: Record<string, unknown> = {}) => ({
  id: path.slice(1),
  type: 'webhook',
  url: `http://127.0.0.1:${httpPort}${path}?token=tok-123`,
  ...extra,
});

test('a storm within the grouping window becomes one email (STARTTLS + auth) and one signed webhook', async () => {
  const t = await setup({
    groupWindowS: 30,
    channels: [
      email(),
      webhook('/hook1', {
        hmacSecret: 'hmac-key',
        headers: { 'X-Api-Key': 'key-1' },
        template: '{"title": {{subject}}, "n": {{count}}, "items": {{events}}}',
      }),
    ],
    routes: [{ id: 'all', channels: ['mail', 'hook1'] }],
  });
  for (let i = 0; i < 12; i++) t.notifier.notify(ev(`e${i}`), 'raise');
  t.notifier.tick();
  await t.notifier.idle();
  assert.equal(mails.length + received.filter((r) => r.path.startsWith('/hook1')).length, 0, 'held for the window');
  t.clock.advance(30_000);
  t.notifier.tick();
  await t.notifier.idle();
  assert.equal(mails.length, 1);
  assert.equal(mails[0].user, 'vigil');
  assert.equal(mails[0].secure, true, 'upgraded with STARTTLS');
  assert.match(mails[0].data, /Subject: \[Vigil\] 12 events \(12 critical\)/);
  assert.match(mails[0].data, /dev-r1/);
  const hook = received.filter((r) => r.path.startsWith('/hook1'));
  assert.equal(hook.length, 1);
  const body = JSON.parse(hook[0].body);
  assert.equal(body.n, 12);
  assert.equal(body.items.length, 12);
  assert.equal(hook[0].headers['x-api-key'], 'key-1');
  assert.equal(hook[0].headers['x-vigil-signature'], 'sha256=' + signBody('hmac-key', hook[0].body));
  const deliveries = await t.store.listDeliveries();
  assert.equal(deliveries.length, 2);
  assert.ok(deliveries.every((d) => d.ok && d.eventIds.length === 12));
});

test('retries with backoff, and a dead channel never holds back a working one; secrets never in the log', async () => {
  failures.set('/flaky?token=tok-123', 2);
  const dead = { id: 'dead', type: 'slack', url: 'http://127.0.0.1:1/services/T000/B000/secret-path-xyz' };
  const t = await setup({
    groupWindowS: 0,
    channels: [webhook('/flaky'), dead, email('mail2')],
    routes: [{ id: 'r', channels: ['dead', 'flaky', 'mail2'] }],
  });
  const before = mails.length;
  t.notifier.notify(ev('x1'), 'raise');
  await t.notifier.idle();
  assert.equal(received.filter((r) => r.path.startsWith('/flaky')).length, 1, 'delivered on the third attempt');
  assert.equal(mails.length, before + 1);
  const log = await t.store.listDeliveries({ limit: 50 });
  const flaky = log.filter((d) => d.channelId === 'flaky').reverse();
  assert.deepEqual(
    flaky.map((d) => [d.attempt, d.ok, d.status ?? null]),
    [
      [1, false, 500],
      [2, false, 500],
      [3, true, 204],
    ],
  );
  const deadLog = log.filter((d) => d.channelId === 'dead');
  assert.equal(deadLog.length, 3);
  assert.ok(deadLog.every((d) => !d.ok));
  assert.equal(deadLog.find((d) => d.attempt === 3)!.willRetry, false);
  const text = JSON.stringify(log);
  assert.ok(!text.includes('secret-path-xyz') && !text.includes('tok-123') && !text.includes('s3cret-pass'), text);
  assert.equal(t.notifier.stats().failed, 1);
});

test('routing by severity, group and time of day; a clear message; re-notify with escalation while unacknowledged', async () => {
  const t = await setup({
    groupWindowS: 0,
    channels: [webhook('/oncall'), webhook('/boss'), webhook('/office')],
    routes: [
      {
        id: 'crit',
        match: { minSeverity: 'major', devices: { groups: ['dc1'] } },
        channels: ['oncall'],
        renotifyAfterM: 10,
        escalateTo: ['boss'],
      },
      {
        id: 'office',
        match: { timeOfDay: { from: '08:00', to: '18:00', days: [1, 2, 3, 4, 5] } },
        channels: ['office'],
        notifyClear: false,
      },
    ],
  });
  const count = (p: string) => received.filter((r) => r.path.startsWith(p)).length;
  const base = { oncall: count('/oncall'), boss: count('/boss'), office: count('/office') };
  const minor = ev('m1', { severity: 'minor' });
  t.events.set(minor.id, minor);
  t.notifier.notify(minor, 'raise'); // Wednesday 10:00 UTC: office only
  const crit = ev('c1');
  t.events.set(crit.id, crit);
  t.notifier.notify(crit, 'raise');
  await t.notifier.idle();
  assert.equal(count('/oncall') - base.oncall, 1);
  assert.equal(count('/office') - base.office, 2);
  t.clock.advance(11 * 60_000);
  t.notifier.tick();
  await t.notifier.idle();
  assert.equal(count('/oncall') - base.oncall, 2, 're-notified');
  assert.equal(count('/boss') - base.boss, 1, 'escalated');
  assert.equal(JSON.parse(received.filter((r) => r.path.startsWith('/boss')).at(-1)!.body).kind, 'escalation');
  crit.state = 'acknowledged';
  t.clock.advance(11 * 60_000);
  t.notifier.tick();
  await t.notifier.idle();
  assert.equal(count('/oncall') - base.oncall, 2, 'acknowledged: no more re-notification');
  crit.state = 'cleared';
  t.notifier.notify(crit, 'clear');
  await t.notifier.idle();
  assert.equal(JSON.parse(received.filter((r) => r.path.startsWith('/oncall')).at(-1)!.body).kind, 'clear');
  assert.equal(count('/office') - base.office, 2, 'office route sends no clear');
  // At night the office route does not match.
  t.clock.set(Date.parse('2026-11-25T22:00:00Z'));
  t.notifier.notify(ev('n1', { severity: 'info' }), 'raise');
  await t.notifier.idle();
  assert.equal(count('/office') - base.office, 2);
});

test('raised and cleared within the window: nothing is sent; suppressed events are dropped from the group', async () => {
  const t = await setup({
    groupWindowS: 60,
    channels: [webhook('/quiet')],
    routes: [{ id: 'r', channels: ['quiet'] }],
  });
  const a = ev('q1');
  t.notifier.notify(a, 'raise');
  t.notifier.notify({ ...a, state: 'cleared' }, 'clear');
  t.notifier.notify(ev('q2'), 'raise');
  t.notifier.suppress('q2');
  t.clock.advance(61_000);
  t.notifier.tick();
  await t.notifier.idle();
  assert.equal(received.filter((r) => r.path.startsWith('/quiet')).length, 0);
});

test('a digest channel: 10 opens and 5 clears over three 5-minute periods make exactly 4 POSTs (the first at once, then one digest per period)', async () => {
  const t = await setup({
    groupWindowS: 10,
    channels: [webhook('/digest', { digestM: 5 })],
    routes: [{ id: 'r', channels: ['digest'] }],
  });
  const at = (min: number) => Date.parse('2026-11-25T10:00:00Z') + min * 60_000;
  // Minute of the change → what changes then.
  const plan: [number, 'raise' | 'clear', string][] = [
    [0, 'raise', 'd0'],
    [1, 'raise', 'd1'],
    [1, 'raise', 'd2'],
    [1, 'raise', 'd3'],
    [2, 'clear', 'd0'],
    [3, 'raise', 'd4'],
    [6, 'raise', 'd5'],
    [6, 'raise', 'd6'],
    [6, 'clear', 'd1'],
    [7, 'raise', 'd7'],
    [7.5, 'clear', 'd5'],
    [9, 'clear', 'd2'],
    [11, 'raise', 'd8'],
    [11, 'raise', 'd9'],
    [12, 'clear', 'd3'],
  ];
  const posts = () => received.filter((r) => r.path.startsWith('/digest')).map((r) => JSON.parse(r.body));
  // Tick every 10 s for 25 minutes, applying the plan as the clock passes each change.
  for (let s = 0; s <= 25 * 60; s += 10) {
    t.clock.set(at(s / 60));
    for (const [min, kind, id] of plan) {
      if (Math.round(min * 60) !== s) continue;
      const e =
        kind === 'raise'
          ? ev(id, { firstSeen: t.clock.now(), lastSeen: t.clock.now() })
          : { ...t.events.get(id)!, state: 'cleared' as const };
      t.events.set(id, e);
      t.notifier.notify(e, kind);
    }
    t.notifier.tick();
    await t.notifier.idle();
  }
  t.notifier.flush();
  await t.notifier.idle();
  const got = posts();
  assert.deepEqual(
    got.map((b) => b.kind),
    ['raise', 'digest', 'digest', 'digest'],
  );
  assert.deepEqual(
    got[0].events.map((e: VigilEvent) => e.id),
    ['d0'],
    'a single outage after a quiet period is told at the group window',
  );
  assert.deepEqual(
    got.slice(1).map((b) => [b.subject, b.digest.opened, b.digest.cleared, b.digest.stillOpen]),
    [
      ['DIGEST: 4 opened, 1 cleared (4 still open)', 4, 1, 4],
      ['DIGEST: 3 opened, 3 cleared (2 still open)', 3, 3, 2],
      ['DIGEST: 2 opened, 1 cleared (2 still open)', 2, 1, 2],
    ],
  );
  const d5 = got[2].events.filter((e: { id: string }) => e.id === 'd5');
  assert.equal(d5.length, 1, 'opened and cleared in one period: once');
  assert.deepEqual([d5[0].state, d5[0].changes], ['cleared', ['opened', 'cleared']]);
  assert.equal(1 + got.slice(1).reduce((n, b) => n + b.digest.opened, 0), 10);
  assert.equal(
    got.slice(1).reduce((n, b) => n + b.digest.cleared, 0),
    5,
  );
  assert.deepEqual((await t.store.listDeliveries({ channelId: 'digest' })).map((d) => [d.kind, d.ok]).reverse(), [
    ['raise', true],
    ['digest', true],
    ['digest', true],
    ['digest', true],
  ]);
});
