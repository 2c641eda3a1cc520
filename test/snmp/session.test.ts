// SnmpSession against a real Net-SNMP snmpd: v1, v2c, v3 with every auth/priv pair Debian's snmpd has, errors, set, IPv6, DNS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSnmpd, type RunningSnmpd } from '../harness/snmpd.ts';
import { openSnmpSession } from '../../src/collectors/snmp/session.ts';
import type { SnmpCredentials } from '../../src/model/device.ts';
import { isVigilError } from '../../src/model/errors.ts';

let agent: RunningSnmpd;
const users = [
  {
    name: 'u256',
    authProtocol: 'SHA-256',
    authKey: 'auth-pass-256',
    privProtocol: 'AES',
    privKey: 'priv-pass-128',
    vigil: { authProtocol: 'sha256', privProtocol: 'aes' },
  },
  {
    name: 'u512',
    authProtocol: 'SHA-512',
    authKey: 'auth-pass-512',
    privProtocol: 'AES-256',
    privKey: 'priv-pass-256',
    vigil: { authProtocol: 'sha512', privProtocol: 'aes256' },
  },
  {
    name: 'u384',
    authProtocol: 'SHA-384',
    authKey: 'auth-pass-384',
    privProtocol: 'AES-192',
    privKey: 'priv-pass-192',
    vigil: { authProtocol: 'sha384', privProtocol: 'aes192' },
  },
  {
    name: 'u224',
    authProtocol: 'SHA-224',
    authKey: 'auth-pass-224',
    privProtocol: 'DES',
    privKey: 'priv-pass-des',
    vigil: { authProtocol: 'sha224', privProtocol: 'des' },
  },
  {
    name: 'umd5',
    authProtocol: 'MD5',
    authKey: 'auth-pass-md5',
    privProtocol: 'AES',
    privKey: 'priv-pass-md5',
    vigil: { authProtocol: 'md5', privProtocol: 'aes' },
  },
  { name: 'usha', authProtocol: 'SHA', authKey: 'auth-pass-sha', vigil: { authProtocol: 'sha' } },
] as const;

before(async () => {
  agent = await startSnmpd({
    ipv6: true,
    communities: [{ name: 'public' }, { name: 'private', write: true }],
    users: users.map((u) => ({ ...u })),
  });
});
after(() => agent?.stop());

const v2c = (community = 'public', extra: Partial<SnmpCredentials> = {}): SnmpCredentials => ({
  version: 'v2c',
  community,
  port: agent.port,
  timeoutMs: 1000,
  retries: 0,
  ...extra,
});
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

test('v2c get and GetBulk walk of ifTable', async () => {
  const s = openSnmpSession('127.0.0.1', v2c());
  try {
    const [d] = await s.get([SYS_DESCR]);
    assert.equal(d.type, 'OctetString');
    assert.match(String(d.value), /Linux/);
    const rows = await s.walk('1.3.6.1.2.1.2.2', { maxRepetitions: 10 });
    assert.ok(rows.length > 10, `ifTable rows: ${rows.length}`);
    assert.ok(rows.every((r) => r.oid.startsWith('1.3.6.1.2.1.2.2.')));
    assert.ok(
      rows.some((r) => r.oid.startsWith('1.3.6.1.2.1.2.2.1.2.') && r.value === 'lo'),
      'ifDescr lo',
    );
  } finally {
    s.close();
  }
});

test('v1 walk uses GetNext and returns the same rows as v2c', async () => {
  const a = openSnmpSession('127.0.0.1', v2c('public', { version: 'v1' }));
  const b = openSnmpSession('127.0.0.1', v2c());
  try {
    const [r1, r2] = await Promise.all([a.walk('1.3.6.1.2.1.1'), b.walk('1.3.6.1.2.1.1')]);
    assert.deepEqual(
      r1.map((r) => r.oid),
      r2.map((r) => r.oid).filter((o) => r1.some((x) => x.oid === o)),
    );
    assert.ok(r1.length >= 7);
  } finally {
    a.close();
    b.close();
  }
});

for (const u of users) {
  test(`v3 ${u.name}: ${u.authProtocol}${'privProtocol' in u ? ' + ' + u.privProtocol : ' authNoPriv'}`, async () => {
    const creds: SnmpCredentials = {
      version: 'v3',
      user: u.name,
      authKey: u.authKey,
      ...u.vigil,
      ...('privKey' in u
        ? { privKey: u.privKey, securityLevel: 'authPriv' as const }
        : { securityLevel: 'authNoPriv' as const }),
      port: agent.port,
      timeoutMs: 1500,
      retries: 0,
    } as SnmpCredentials;
    const s = openSnmpSession('127.0.0.1', creds);
    try {
      const [d] = await s.get([SYS_DESCR]);
      assert.match(String(d.value), /Linux/);
      const rows = await s.walk('1.3.6.1.2.1.1');
      assert.ok(rows.length >= 7);
    } finally {
      s.close();
    }
  });
}

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    assert.ok(isVigilError(e), `not a VigilError: ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('wrong community: timeout that names the likely cause', async () => {
  const s = openSnmpSession('127.0.0.1', v2c('wrong', { timeoutMs: 300 }));
  const e = await errorOf(s.get([SYS_DESCR]));
  s.close();
  assert.equal(e.code, 'VIGIL_SNMP_TIMEOUT');
  assert.match(e.message, /wrong community or unreachable/);
});

test('v3 wrong auth password: VIGIL_SNMP_AUTH (usmStatsWrongDigests)', async () => {
  const s = openSnmpSession('127.0.0.1', {
    version: 'v3',
    user: 'u256',
    securityLevel: 'authPriv',
    authProtocol: 'sha256',
    authKey: 'not-the-password',
    privProtocol: 'aes',
    privKey: 'priv-pass-128',
    port: agent.port,
    timeoutMs: 1000,
    retries: 0,
  });
  const e = await errorOf(s.get([SYS_DESCR]));
  s.close();
  assert.equal(e.code, 'VIGIL_SNMP_AUTH');
  assert.match(e.message, /wrong authentication password/);
});

test('v3 wrong priv password: VIGIL_SNMP_AUTH or a timeout naming it', async () => {
  const s = openSnmpSession('127.0.0.1', {
    version: 'v3',
    user: 'u256',
    securityLevel: 'authPriv',
    authProtocol: 'sha256',
    authKey: 'auth-pass-256',
    privProtocol: 'aes',
    privKey: 'wrong-priv-pass',
    port: agent.port,
    timeoutMs: 500,
    retries: 0,
  });
  const e = await errorOf(s.get([SYS_DESCR]));
  s.close();
  assert.ok(['VIGIL_SNMP_AUTH', 'VIGIL_SNMP_TIMEOUT'].includes(e.code), e.message);
});

test('v3 unknown user: VIGIL_SNMP_AUTH', async () => {
  const s = openSnmpSession('127.0.0.1', {
    version: 'v3',
    user: 'nobody-here',
    securityLevel: 'authNoPriv',
    authProtocol: 'sha',
    authKey: 'whatever-pass',
    port: agent.port,
    timeoutMs: 1000,
    retries: 0,
  });
  const e = await errorOf(s.get([SYS_DESCR]));
  s.close();
  assert.equal(e.code, 'VIGIL_SNMP_AUTH');
  assert.match(e.message, /unknown user/);
});

test('set with the read-write community, then read back', async () => {
  const s = openSnmpSession('127.0.0.1', v2c('private'));
  try {
    const [r] = await s.set([{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'vigil-set-test' }]);
    assert.equal(r.value, 'vigil-set-test');
    const [g] = await s.get(['1.3.6.1.2.1.1.5.0']);
    assert.equal(g.value, 'vigil-set-test');
  } finally {
    s.close();
  }
  const ro = openSnmpSession('127.0.0.1', v2c('public'));
  const e = await errorOf(ro.set([{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'nope' }]));
  ro.close();
  assert.equal(e.code, 'VIGIL_SNMP_ERROR');
});

test('IPv6 address and DNS name', async () => {
  for (const address of ['::1', '[::1]', 'localhost']) {
    const s = openSnmpSession(address, v2c());
    try {
      const [d] = await s.get([SYS_DESCR]);
      assert.match(String(d.value), /Linux/, address);
    } finally {
      s.close();
    }
  }
  const s = openSnmpSession('no-such-host.invalid', v2c());
  const e = await errorOf(s.get([SYS_DESCR]));
  assert.equal(e.code, 'VIGIL_SNMP_UNREACHABLE');
});
