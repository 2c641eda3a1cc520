import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startPipeline, type Pipeline } from './pipeline.ts';

// util-linux `logger` is the real peer: it writes RFC 3164 and 5424, over UDP and TCP, octet-counted or with newlines.
const run = promisify(execFile);
let p: Pipeline;
before(async () => {
  p = await startPipeline(
    {},
    {
      devices: [
        {
          id: 'lo',
          name: 'loopback',
          address: '127.0.0.1',
          tags: [],
          icmp: { enabled: false },
          pollIntervalS: 60,
          origin: 'config',
        },
      ],
    },
  );
});
after(() => p?.close());

const logger = (args: string[], msg: string) => run('logger', ['--server', '127.0.0.1', ...args, msg]);
const one = async (word: string) => {
  const page = await p.store.queryLogs({ q: word });
  assert.equal(page.logs.length, 1, `exactly one log for ${word}`);
  return page.logs[0];
};

test('UDP, RFC 5424 with structured data and msgid', async () => {
  await logger(
    [
      '--port',
      String(p.collector.ports.udp),
      '--udp',
      '--rfc5424',
      '-t',
      'vigiltest',
      '-p',
      'local3.warning',
      '--msgid',
      'ID7',
      '--sd-id',
      'zoo@32473',
      '--sd-param',
      'tiger="hungry \\"very\\""',
    ],
    'udp5424 hello',
  );
  await p.waitForLogs(1, 10_000, { q: 'udp5424' });
  const l = await one('udp5424');
  assert.equal(l.transport, 'udp');
  assert.equal(l.facility, 19);
  assert.equal(l.severity, 4);
  assert.equal(l.app, 'vigiltest');
  assert.equal(l.msgid, 'ID7');
  assert.equal(l.structuredData?.['zoo@32473']?.tiger, 'hungry "very"');
  assert.equal(l.message, 'udp5424 hello');
  assert.equal(l.deviceId, 'lo');
  assert.equal(l.sourceAddress, '127.0.0.1');
  assert.ok(Math.abs(l.ts - Date.now()) < 60_000);
});

test('UDP, RFC 3164', async () => {
  await logger(
    ['--port', String(p.collector.ports.udp), '--udp', '--rfc3164', '-t', 'bsdtag', '-p', 'auth.err', '-i'],
    'udp3164 hello',
  );
  await p.waitForLogs(1, 10_000, { q: 'udp3164' });
  const l = await one('udp3164');
  assert.equal(l.facility, 4);
  assert.equal(l.severity, 3);
  assert.equal(l.app, 'bsdtag');
  assert.match(l.procid ?? '', /^\d+$/);
  assert.ok(l.hostname);
  assert.equal(l.flags, undefined);
});

test('TCP with octet counting, RFC 5424, several lines in one connection', async () => {
  await logger(
    ['--port', String(p.collector.ports.tcp), '--tcp', '--octet-count', '--rfc5424', '-t', 'octet'],
    'tcpoctet one\nwith a second line',
  );
  await p.waitForLogs(1, 10_000, { q: 'tcpoctet' });
  const l = await one('tcpoctet');
  assert.equal(l.transport, 'tcp');
  assert.equal(l.app, 'octet');
});

test('TCP with newlines, RFC 3164', async () => {
  await logger(['--port', String(p.collector.ports.tcp), '--tcp', '--rfc3164', '-t', 'nl'], 'tcpnewline hello');
  await p.waitForLogs(1, 10_000, { q: 'tcpnewline' });
  const l = await one('tcpnewline');
  assert.equal(l.app, 'nl');
  assert.equal(l.transport, 'tcp');
});

test('TCP with newlines, many messages from a file in one connection', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/vigil-logger-');
  writeFileSync(`${dir}/lines`, Array.from({ length: 500 }, (_, i) => `batchline n${i} of the file`).join('\n') + '\n');
  await run('logger', [
    '--server',
    '127.0.0.1',
    '--port',
    String(p.collector.ports.tcp),
    '--tcp',
    '--rfc5424',
    '-t',
    'filer',
    '-f',
    `${dir}/lines`,
  ]);
  await p.waitForLogs(500, 10_000, { q: 'batchline' });
  assert.equal(await p.count({ q: 'batchline' }), 500);
  assert.equal(await p.count({ q: 'n499' }), 1);
  const s = p.collector.stats();
  assert.ok(s.tcp.connectionsTotal >= 3);
  assert.ok(s.sources.find((x) => x.address === '127.0.0.1' && x.deviceId === 'lo' && x.messages >= 500));
});
