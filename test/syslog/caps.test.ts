import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { syslogConfigSchema } from '../../src/collectors/syslog/config.ts';
import { createSyslogCollector } from '../../src/collectors/syslog/index.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';
import { makeTestPki } from '../harness/rsyslog.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';

// The caps of the TCP and TLS listeners: at most maxConnections open (the rest closed at once and counted), and
// connections silent for idleTimeoutS closed and counted, but never while Vigil itself holds them paused.
const run = promisify(execFile);
const open: Pipeline[] = [];
const clients: Socket[] = [];
const dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-caps-'));
after(async () => {
  for (const c of clients) c.destroy();
  for (const p of open) await p.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pipeline(raw: Record<string, unknown>): Promise<Pipeline> {
  const p = await startPipeline(raw);
  open.push(p);
  return p;
}

/** A client that records when the server closed it. */
function client(port: number): Promise<Socket & { gone: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    clients.push(s);
    const closed = new Promise<number>((r) => s.on('close', () => r(Date.now())));
    s.on('error', () => {});
    s.once('connect', () => resolve(Object.assign(s, { gone: closed })));
    s.once('error', reject);
  });
}

async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const isOpen = async (s: Socket & { gone: Promise<number> }, ms: number) =>
  await Promise.race([s.gone.then(() => false), new Promise<true>((r) => setTimeout(() => r(true), ms))]);

test('TCP: beyond maxConnections new connections are closed at once and counted; a freed slot is reused', async () => {
  const p = await pipeline({ tcp: { host: '127.0.0.1', port: 0, maxConnections: 5 } });
  const port = p.collector.ports.tcp!;
  const first = [];
  for (let i = 0; i < 5; i++) first.push(await client(port));
  await until('5 open', () => p.collector.stats().tcp.connectionsOpen === 5);
  const extra = [];
  for (let i = 0; i < 3; i++) extra.push(await client(port));
  // The extra three are closed by Vigil without a byte sent by either side.
  await Promise.all(extra.map((s) => s.gone));
  const s = p.collector.stats().tcp;
  assert.equal(s.connectionsRefused, 3);
  assert.equal(s.connectionsOpen, 5);
  assert.equal(s.connectionsTotal, 5);
  assert.equal(s.maxConnections, 5);
  // The five accepted ones still work.
  for (const [i, c] of first.entries()) c.write(`<13>1 - h app - - - capword conn${i}\n`);
  await p.waitForLogs(5, 10_000, { q: 'capword' });
  for (const c of first.slice(0, 2)) c.end();
  await Promise.all(first.slice(0, 2).map((c) => c.gone));
  await until('3 open', () => p.collector.stats().tcp.connectionsOpen === 3);
  const again = await client(port);
  again.end('<13>1 - h app - - - capword again\n');
  await p.waitForLogs(1, 10_000, { q: 'again' });
  assert.equal(p.collector.stats().tcp.connectionsRefused, 3);
  for (const c of first.slice(2)) c.destroy();
});

test('TCP: a connection silent for idleTimeoutS is closed and counted; one that keeps sending stays', async () => {
  const p = await pipeline({ tcp: { host: '127.0.0.1', port: 0, idleTimeoutS: 0.3 } });
  const port = p.collector.ports.tcp!;
  const silent = await client(port);
  const talker = await client(port);
  const opened = Date.now();
  let n = 0;
  const timer = setInterval(() => talker.write(`<13>1 - h app - - - idleword talk${n++}\n`), 100);
  try {
    const closedAt = await silent.gone;
    assert.ok(closedAt - opened >= 250 && closedAt - opened < 3000, `closed after ${closedAt - opened} ms`);
    assert.ok(await isOpen(talker, 600), 'the talking connection stays open past the timeout');
  } finally {
    clearInterval(timer);
  }
  assert.equal(p.collector.stats().tcp.connectionsIdleClosed, 1);
  // Once it falls silent it is closed too.
  await talker.gone;
  assert.equal(p.collector.stats().tcp.connectionsIdleClosed, 2);
  await p.waitForLogs(n, 10_000, { q: 'idleword' });
});

test('TCP: a connection paused by backpressure is not idle', async () => {
  // A bus that holds the first record for 1.5 s, five times the idle timeout.
  const config = syslogConfigSchema.parse({
    udp: { enabled: false },
    tcp: { host: '127.0.0.1', port: 0, idleTimeoutS: 0.3 },
    tls: { enabled: false },
  });
  const collector = createSyslogCollector(
    {
      bus: { saturated: false } as never,
      clock: systemClock,
      log: silentLogger,
      devices: () => [],
      deviceByAddress: () => undefined,
    },
    config,
  );
  const got: string[] = [];
  let held = false;
  await collector.start((r) => {
    got.push((r as { message: string }).message);
    if (held) return undefined;
    held = true;
    return new Promise<void>((resolve) => setTimeout(resolve, 1500));
  });
  try {
    const c = await client(collector.ports.tcp!);
    const started = Date.now();
    c.write('<13>1 - h app - - - first\n<13>1 - h app - - - second\n');
    await until('the pause', () => collector.stats().tcp.pauses === 1);
    const closedAt = await c.gone;
    const s = collector.stats().tcp;
    assert.deepEqual(got, ['first', 'second']);
    // Paused for 1.5 s without being closed, then closed 0.3 s after the pause ended.
    assert.ok(closedAt - started >= 1700, `closed after ${closedAt - started} ms`);
    assert.equal(s.connectionsIdleClosed, 1);
  } finally {
    await collector.stop();
  }
});

test('TLS: the same cap, applied before the handshake', async () => {
  const pki = makeTestPki(join(dir, 'pki'));
  const p = await pipeline({
    tcp: { enabled: false },
    tls: { host: '127.0.0.1', port: 0, cert: pki.serverCert, key: pki.serverKey, maxConnections: 2 },
  });
  const port = p.collector.ports.tls!;
  const tlsClient = () =>
    new Promise<{ ok: boolean; socket: ReturnType<typeof tlsConnect> }>((resolve) => {
      const socket = tlsConnect({ port, host: '127.0.0.1', ca: readFileSync(pki.ca), servername: 'localhost' });
      clients.push(socket);
      socket.once('secureConnect', () => resolve({ ok: true, socket }));
      socket.once('error', () => resolve({ ok: false, socket }));
      socket.once('close', () => resolve({ ok: false, socket }));
    });
  const a = await tlsClient();
  const b = await tlsClient();
  const c = await tlsClient();
  assert.deepEqual([a.ok, b.ok, c.ok], [true, true, false]);
  const s = p.collector.stats().tls;
  assert.equal(s.connectionsRefused, 1);
  // A refusal is not a failed handshake: the connection never got that far.
  assert.equal(s.handshakeErrors, 0);
  a.socket.end('<13>1 - h app - - - tlscapword\n');
  await p.waitForLogs(1, 10_000, { q: 'tlscapword' });
  b.socket.destroy();
});

test('util-linux logger still delivers over TCP under a cap (five senders, cap five, one at a time)', async () => {
  const p = await pipeline({ tcp: { host: '127.0.0.1', port: 0, maxConnections: 5, idleTimeoutS: 5 } });
  const port = String(p.collector.ports.tcp);
  // Two connections held open by others leave three slots; logger's own connection uses one of them.
  const held = [await client(Number(port)), await client(Number(port))];
  for (let i = 0; i < 5; i++)
    await run('logger', [
      '--tcp',
      '-n',
      '127.0.0.1',
      '-P',
      port,
      '--rfc5424',
      '-t',
      'capped',
      `loggercap message ${i}`,
    ]);
  await run('logger', [
    '--tcp',
    '-n',
    '127.0.0.1',
    '-P',
    port,
    '--octet-count',
    '--rfc3164',
    '-t',
    'capped',
    'loggercap octet',
  ]);
  await p.waitForLogs(6, 10_000, { q: 'loggercap' });
  const l = (await p.store.queryLogs({ q: 'loggercap message 3' })).logs;
  assert.equal(l.length, 1);
  assert.equal(l[0].app, 'capped');
  assert.equal(l[0].transport, 'tcp');
  const s = p.collector.stats().tcp;
  assert.equal(s.connectionsRefused, 0);
  assert.equal(s.connectionsTotal, 8);
  for (const h of held) h.destroy();
});
