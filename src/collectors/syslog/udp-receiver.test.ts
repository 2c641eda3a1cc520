import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { LogRecord } from '../../model/records.ts';
import { syslogConfigSchema } from './config.ts';
import { startUdpReceiver } from './udp-receiver.ts';

const send = (port: number, text: string) =>
  new Promise<void>((resolve, reject) => {
    const s = createSocket('udp4');
    s.send(text, port, '127.0.0.1', (e) => {
      s.close();
      if (e) reject(e);
      else resolve();
    });
  });

async function until(f: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('UDP receiver thread: decodes on its own thread, and a thread that dies is replaced on the same port', async () => {
  const got: LogRecord[] = [];
  const errors: string[] = [];
  const config = syslogConfigSchema.parse({
    udp: { host: '127.0.0.1', port: 0 },
    tcp: { enabled: false },
    tls: { enabled: false },
  });
  const r = await startUdpReceiver(
    config,
    (records) => got.push(...records),
    (m) => errors.push(m),
  );
  try {
    await send(r.port, '<34>1 2026-11-25T10:00:00Z host1 app - - - first');
    await until(() => got.length === 1);
    assert.equal(got[0].hostname, 'host1');
    assert.equal(got[0].message, 'first');
    assert.equal(got[0].transport, 'udp');
    await r.crashThread();
    await until(() => r.restarts() === 1 && errors.some((e) => /starting another/.test(e)));
    // The new thread binds the same port; datagrams sent before it is up may be refused, so keep sending.
    await until(() => {
      void send(r.port, '<34>1 2026-11-25T10:00:00Z host1 app - - - second').catch(() => {});
      return got.some((g) => g.message === 'second');
    });
    assert.ok(r.counters().received >= 2, 'counters add up across threads');
  } finally {
    await r.stop();
  }
});
