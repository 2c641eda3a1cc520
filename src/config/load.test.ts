import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { envNameFor } from '../model/env.ts';
import { loadConfig } from './load.ts';

const file = (text: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'vigil-cfg-')), 'vigil.yaml');
  writeFileSync(p, text);
  return p;
};

test('defaults without a file', () => {
  const c = loadConfig(undefined, {});
  assert.equal(c.dataDir, './vigil-data');
  assert.equal(c.http.port, 8080);
  assert.equal(c.syslog.udp.port, 514);
  assert.equal(c.syslog.tcp.port, 514);
  assert.equal(c.syslog.tls.port, 6514);
  assert.equal(c.traps.port, 162);
  assert.deepEqual(c.store.retentionDays, { raw: 7, '5m': 90, '1h': 730 });
});

test('env names are VIGIL_ + the key path in upper snake case', () => {
  assert.equal(envNameFor(['http', 'port']), 'VIGIL_HTTP_PORT');
  assert.equal(envNameFor(['dataDir']), 'VIGIL_DATA_DIR');
  assert.equal(envNameFor(['syslog', 'tls', 'port']), 'VIGIL_SYSLOG_TLS_PORT');
});

test('the required environment overrides apply, typed', () => {
  const c = loadConfig(file('http:\n  port: 1\n'), {
    VIGIL_HTTP_PORT: '9001',
    VIGIL_DATA_DIR: '/var/lib/x',
    VIGIL_SYSLOG_UDP_PORT: '5514',
    VIGIL_SYSLOG_TCP_PORT: '5515',
    VIGIL_SYSLOG_TLS_PORT: '5516',
    VIGIL_TRAPS_PORT: '1162',
    VIGIL_ICMP_ENABLED: 'false',
  });
  assert.equal(c.http.port, 9001);
  assert.equal(c.dataDir, '/var/lib/x');
  assert.equal(c.syslog.udp.port, 5514);
  assert.equal(c.syslog.tcp.port, 5515);
  assert.equal(c.syslog.tls.port, 5516);
  assert.equal(c.traps.port, 1162);
  assert.equal(c.icmp.enabled, false);
});

test('errors name the path of the bad key', () => {
  const bad = file(
    `devices:\n  - name: a\n    address: 10.0.0.1\n  - name: b\n    address: 10.0.0.2\n    snmp:\n      version: v3\n      user: u\n      authProtocol: sha999\n      authKey: longenough\n`,
  );
  assert.throws(
    () => loadConfig(bad, {}),
    /devices\[1\]\.snmp\.authProtocol: expected one of md5, sha, sha224, sha256, sha384, sha512/,
  );
  assert.throws(() => loadConfig(file('http:\n  prot: 1\n'), {}), /http\.prot: unknown key/);
  assert.throws(() => loadConfig(file('http:\n  port: "x"\n'), {}), /http\.port:/);
  assert.throws(() => loadConfig(undefined, { VIGIL_HTTP_PORT: 'abc' }), /VIGIL_HTTP_PORT: expected a number/);
  assert.throws(
    () => loadConfig(file('devices:\n  - name: a\n    address: x\n    snmpProfile: nope\n'), {}),
    /devices\[0\]\.snmpProfile: no credential profile named "nope"/,
  );
  assert.throws(
    () => loadConfig(file('devices:\n  - name: a\n    address: x\n    snmp: { version: v2c }\n'), {}),
    /devices\[0\]\.snmp\.community: required/,
  );
  assert.throws(() => loadConfig(file(': : :\n\t- ['), {}), /not valid YAML/);
});

test('v3 credentials need keys of 8 characters or more for their level', () => {
  const bad = file(
    `credentials:\n  core:\n    version: v3\n    user: ops\n    securityLevel: authPriv\n    authProtocol: sha256\n    authKey: short\n`,
  );
  assert.throws(
    () => loadConfig(bad, {}),
    (e: Error) => /credentials\.core\.authKey/.test(e.message) && /credentials\.core\.privProtocol/.test(e.message),
  );
});

test('every module rejects unknown keys, naming them', () => {
  for (const [text, path] of [
    ['syslog:\n  udpp: {}\n', /syslog\.udpp: unknown key/],
    ['traps:\n  comunities: [x]\n', /traps\.comunities: unknown key/],
    ['events:\n  thresholdz: []\n', /events\.thresholdz: unknown key/],
    ['notify:\n  chanels: []\n', /notify\.chanels: unknown key/],
    ['mib:\n  dir: []\n', /mib\.dir: unknown key/],
  ] as const)
    assert.throws(() => loadConfig(file(text), {}), path);
});

test('store: PostgreSQL from VIGIL_STORE_URL, and backend postgres without a URL names the key', async () => {
  const { storeBackend } = await import('../store/config.ts');
  const c = loadConfig(undefined, { VIGIL_STORE_URL: 'postgres://vigil:pw@db.example:5432/vigil' });
  assert.equal(c.store.url, 'postgres://vigil:pw@db.example:5432/vigil');
  assert.equal(storeBackend(c.store), 'postgres');
  const { redactBySchema } = await import('../model/secret.ts');
  const { configSchema } = await import('./schema.ts');
  assert.equal(redactBySchema(configSchema, c).store.url, 'postgres://db.example:5432/<secret>', 'a secret, masked');
  assert.equal(storeBackend(loadConfig(undefined, {}).store), 'sqlite');
  assert.throws(() => loadConfig(file('store:\n  backend: postgres\n'), {}), /store\.url/);
  assert.throws(() => loadConfig(file('store:\n  url: mysql://x/y\n'), {}), /store\.url/);
});

test('bus: kafka needs brokers; a message size that one record might not fit names the key; the SASL password is a secret', async () => {
  assert.throws(() => loadConfig(file('bus:\n  kind: kafka\n'), {}), /bus\.kafka/);
  assert.throws(
    () =>
      loadConfig(
        file('bus:\n  kind: kafka\n  kafka:\n    brokers: [k1:9092]\n    producer: { maxMessageBytes: 100000 }\n'),
        {},
      ),
    /bus\.kafka\.producer\.maxMessageBytes/,
  );
  assert.throws(
    () => loadConfig(file('bus:\n  kind: kafka\n  kafka:\n    brokers: ["not a broker"]\n'), {}),
    /bus\.kafka\.brokers/,
  );
  const c = loadConfig(
    file(
      'bus:\n  kind: kafka\n  kafka:\n    brokers: [k1:9092]\n    sasl: { mechanism: scram-sha-512, username: v, password: hunter2 }\n',
    ),
    {},
  );
  assert.equal(c.bus.kafka?.instance, 'vigil');
  const { redactBySchema } = await import('../model/secret.ts');
  const { configSchema } = await import('./schema.ts');
  assert.ok(!JSON.stringify(redactBySchema(configSchema, c)).includes('hunter2'));
  assert.throws(() => loadConfig(file('node:\n  roles: [collecter]\n'), {}), /node\.roles/);
});
