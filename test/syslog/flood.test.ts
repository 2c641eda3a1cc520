import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { after, test } from 'node:test';
import { isVigilError } from '../../src/model/errors.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';

const open: Pipeline[] = [];
after(async () => {
  for (const p of open) await p.close();
});

function sendTcp(port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(payload));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

test('TCP flood from several connections: every message stored exactly once, backpressure engaged', async () => {
  // A small bus queue so that the store writer falls behind and connections must be paused.
  const p = await startPipeline({}, { capacity: 200, onDisk: true });
  open.push(p);
  const conns = 4;
  const perConn = 25_000;
  const sends = Array.from({ length: conns }, (_, c) => {
    const parts: string[] = [];
    for (let i = 0; i < perConn; i++) {
      const msg =
        i % 2
          ? `<13>1 2026-11-25T10:00:00Z h app - - - flood c${c}m${i} x`
          : `<13>Nov 25 10:00:00 h app[1]: flood c${c}m${i} y`;
      // Connection 0 and 2 count octets, 1 and 3 use newlines.
      parts.push(c % 2 ? `${msg}\n` : `${Buffer.byteLength(msg)} ${msg}`);
    }
    return sendTcp(p.collector.ports.tcp!, Buffer.from(parts.join('')));
  });
  await Promise.all(sends);
  const total = conns * perConn;
  await p.waitForLogs(total, 60_000);
  assert.equal(await p.count(), total);
  const dup = await p.sqlCount(
    'SELECT COUNT(*) AS n FROM (SELECT message FROM logs GROUP BY message HAVING COUNT(*) > 1) AS d',
  );
  assert.equal(dup, 0, 'no message stored twice');
  assert.equal(await p.count({ q: 'c3m24999' }), 1);
  const s = p.collector.stats();
  assert.equal(s.tcp.received, total);
  assert.ok(s.tcp.pauses > 0, 'connections were paused while the store was behind');
  assert.equal(s.parseFailures, 0);
});

test('UDP at a fixed rate: drops counted equal sent minus stored', async (t) => {
  const p = await startPipeline(
    { udp: { host: '127.0.0.1', port: 0, rcvbufBytes: 4 * 1024 * 1024 } },
    { capacity: 500 },
  );
  open.push(p);
  const sock = createSocket('udp4');
  const attempts = 20_000;
  let sent = 0;
  let sendErrors = 0;
  // ~20k datagrams in bursts of 500 each 5 ms: faster than a 500-record queue drains at times, so some drops are expected.
  // Only datagrams the sender's kernel accepted count as sent.
  for (let i = 0; i < attempts; i += 500) {
    for (let j = i; j < i + 500; j++)
      sock.send(`<13>1 2026-11-25T10:00:00Z h app - - - udpflood ${j}`, p.collector.ports.udp!, '127.0.0.1', (e) =>
        e ? sendErrors++ : sent++,
      );
    await new Promise((r) => setTimeout(r, 5));
  }
  while (sent + sendErrors < attempts) await new Promise((r) => setTimeout(r, 20));
  sock.close();
  // Settled when every sent datagram is either read or dropped by the kernel (or 10 s pass).
  const until = Date.now() + 10_000;
  for (;;) {
    const st = p.collector.stats();
    if (st.udp.received + (st.udp.kernel.socketDrops ?? 0) >= sent || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await p.bus.drain();
  const stored = await p.count();
  const s = p.collector.stats();
  const kernel = s.udp.kernel.socketDrops ?? 0;
  t.diagnostic(
    `sent ${sent} (send errors ${sendErrors}), stored ${stored}, dropped busy ${s.udp.droppedBusy}, kernel socket drops ${kernel}, system RcvbufErrors since start ${s.udp.kernel.systemRcvbufErrorsSinceStart}`,
  );
  assert.equal(s.udp.received - s.udp.droppedBusy, stored, 'what was not dropped by Vigil was stored');
  assert.equal(
    s.udp.droppedBusy + kernel,
    sent - stored,
    `sent ${sent}, stored ${stored}, busy ${s.udp.droppedBusy}, kernel ${kernel}`,
  );
});

test('truncation over TCP flags the long message and keeps the next one', async () => {
  const p = await startPipeline({ maxMessageBytes: 1024 });
  open.push(p);
  const long = `<13>1 2026-11-25T10:00:00Z h app - - - longone ${'z'.repeat(5000)}`;
  await sendTcp(p.collector.ports.tcp!, Buffer.from(`${long}\n<13>1 2026-11-25T10:00:00Z h app - - - shortafter\n`));
  await p.waitForLogs(2);
  const l = (await p.store.queryLogs({ q: 'longone' })).logs[0];
  assert.deepEqual(l.flags, ['truncated']);
  assert.ok(l.message.length < 1024);
  assert.equal(await p.count({ q: 'shortafter' }), 1);
  assert.equal(p.collector.stats().tcp.truncated, 1);
});

test('a port in use rejects start() naming the setting and the env var', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(startPipeline({ udp: { enabled: false }, tcp: { host: '127.0.0.1', port } }), (e: unknown) => {
      assert.ok(isVigilError(e));
      assert.equal(e.code, 'VIGIL_PORT_IN_USE');
      assert.equal(
        e.message,
        `syslog.tcp.port ${port}: address already in use (or needs root); set syslog.tcp.port or VIGIL_SYSLOG_TCP_PORT`,
      );
      return true;
    });
  } finally {
    blocker.close();
  }
});

test('garbage on a connection is counted, never crashes the listener', async () => {
  const p = await startPipeline();
  open.push(p);
  await sendTcp(p.collector.ports.tcp!, Buffer.from([0, 1, 2, 255, 10, 0x3c, 0x3e, 10, 0xff, 0xfe, 10]));
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.send(Buffer.alloc(0), p.collector.ports.udp!, '127.0.0.1', () => r()));
  s.close();
  await sendTcp(p.collector.ports.tcp!, Buffer.from('<13>1 - - - - - - stillalive\n'));
  await p.waitForLogs(1, 10_000, { q: 'stillalive' });
  assert.ok(p.collector.stats().parseFailures >= 2);
});
