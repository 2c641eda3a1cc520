import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort, makeTestPki, startRsyslog, type Rsyslog, type TestPki } from '../harness/rsyslog.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';

// rsyslog receives from `logger` on its own imtcp port and forwards to Vigil: over plain TCP, and over TLS (gtls,
// x509 both ways) with a CA this test makes.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-rsyslog-'));
let pki: TestPki;
let vigil: Pipeline;
const peers: Rsyslog[] = [];

before(async () => {
  pki = makeTestPki(join(dir, 'pki'));
  vigil = await startPipeline({
    tls: { host: '127.0.0.1', port: 0, cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requireClientCert: true },
  });
});
after(async () => {
  for (const r of peers) await r.stop();
  await vigil?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function forwarder(name: string, action: string, global = ''): Promise<number> {
  const inPort = await freePort();
  const conf = `${global}
module(load="imtcp")
input(type="imtcp" port="${inPort}" address="127.0.0.1")
action(${action})`;
  const r = await startRsyslog(join(dir, name), conf, inPort);
  peers.push(r);
  return inPort;
}

test('rsyslog forwards to Vigil over TCP (octet-counted RFC 5424)', async () => {
  const inPort = await forwarder(
    'tcp',
    `type="omfwd" target="127.0.0.1" port="${vigil.collector.ports.tcp}" protocol="tcp" tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"`,
  );
  for (let i = 0; i < 20; i++)
    await run('logger', [
      '--server',
      '127.0.0.1',
      '--port',
      String(inPort),
      '--tcp',
      '--rfc3164',
      '-t',
      'viarsyslog',
      '-p',
      'daemon.err',
      `rsyslogtcp message ${i}`,
    ]);
  await vigil.waitForLogs(20, 15_000, { q: 'rsyslogtcp' });
  const l = (await vigil.store.queryLogs({ q: 'rsyslogtcp message 7' })).logs;
  assert.equal(l.length, 1);
  assert.equal(l[0].app, 'viarsyslog');
  assert.equal(l[0].facility, 3);
  assert.equal(l[0].severity, 3);
  assert.equal(l[0].transport, 'tcp');
  assert.equal(l[0].flags, undefined);
});

test('rsyslog forwards to Vigil over TLS with a client certificate (gtls, x509/name)', async () => {
  const inPort = await forwarder(
    'tls',
    `type="omfwd" target="127.0.0.1" port="${vigil.collector.ports.tls}" protocol="tcp" StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost" template="RSYSLOG_ForwardFormat"`,
    `global(DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${pki.ca}" DefaultNetstreamDriverCertFile="${pki.clientCert}" DefaultNetstreamDriverKeyFile="${pki.clientKey}")`,
  );
  for (let i = 0; i < 10; i++)
    await run('logger', [
      '--server',
      '127.0.0.1',
      '--port',
      String(inPort),
      '--tcp',
      '--rfc5424',
      '-i',
      '-t',
      'tlsapp',
      `rsyslogtls message ${i}`,
    ]);
  await vigil.waitForLogs(10, 15_000, { q: 'rsyslogtls' });
  const l = (await vigil.store.queryLogs({ q: 'rsyslogtls message 3' })).logs;
  assert.equal(l.length, 1);
  assert.equal(l[0].transport, 'tls');
  assert.equal(l[0].app, 'tlsapp', JSON.stringify(l[0]));
  assert.ok(vigil.collector.stats().tls.received >= 10);
});

test('a TLS client whose certificate is from another CA is refused and counted', async () => {
  const before = vigil.collector.stats().tls.handshakeErrors;
  await new Promise<void>((resolve) => {
    const s = tlsConnect({
      port: vigil.collector.ports.tls!,
      host: '127.0.0.1',
      ca: readFileSync(pki.ca),
      cert: readFileSync(pki.strangerCert),
      key: readFileSync(pki.strangerKey),
      servername: 'localhost',
    });
    s.on('secureConnect', () => s.write('<13>1 - - - - - - stranger says hi\n'));
    s.on('error', () => resolve());
    s.on('close', () => resolve());
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await vigil.count({ q: 'stranger' }), 0);
  assert.ok(vigil.collector.stats().tls.handshakeErrors > before);
});
