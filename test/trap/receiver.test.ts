/**
 * The trap receiver against the real net-snmp C tools (snmptrap, snmpinform) on loopback,
 * and against the npm net-snmp library for the AES-256 key extensions the C tools lack (Reeder).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
// @ts-expect-error net-snmp ships no typings; the test uses it only as a sender.
import snmp from 'net-snmp';
import type { Device } from '../../src/model/device.ts';
import { runTool, startReceiver, toolEnv, wait, type RunningReceiver } from './harness.ts';

const SENDER_ENGINE = '0x8000000001020304';
const users = [
  { user: 'md5user', authProtocol: 'md5', authKey: 'authpass1' },
  { user: 'sha224user', authProtocol: 'sha224', authKey: 'authpass1' },
  { user: 'sha256aes', authProtocol: 'sha256', authKey: 'authpass2', privProtocol: 'aes', privKey: 'privpass2' },
  { user: 'sha512aes256', authProtocol: 'sha512', authKey: 'authpass3', privProtocol: 'aes256', privKey: 'privpass3' },
  { user: 'shades', authProtocol: 'sha', authKey: 'authpass4', privProtocol: 'des', privKey: 'privpass4' },
  { user: 'sha384aes192', authProtocol: 'sha384', authKey: 'authpass5', privProtocol: 'aes192', privKey: 'privpass5' },
  { user: 'shaaes256', authProtocol: 'sha', authKey: 'authpass6', privProtocol: 'aes256', privKey: 'privpass6' },
  { user: 'shaaes256c', authProtocol: 'sha', authKey: 'authpass7', privProtocol: 'aes256c', privKey: 'privpass7' },
  { user: 'pinned', authProtocol: 'sha', authKey: 'authpass8', engineId: '8000000001aabbcc' },
];
const device: Device = {
  id: 'edge-1',
  name: 'edge-1',
  address: '127.0.0.9',
  tags: [],
  icmp: { enabled: false },
  pollIntervalS: 60,
  origin: 'config',
};

describe('trap receiver with net-snmp tools', () => {
  let rx: RunningReceiver;
  const tools = toolEnv();
  let target: string;
  const reasons = () => (rx.collector.stats!() as { dropReasons: Record<string, number> }).dropReasons;
  const next = async (before: number) => (await rx.waitFor(before + 1))[before];

  before(async () => {
    rx = await startReceiver({ communities: ['public', 'second'], users }, [device]);
    target = `127.0.0.1:${rx.port}`;
  });
  after(async () => {
    await rx.stop();
    tools.cleanup();
  });

  it('receives a v1 trap in RFC 3584 form, linked to the device named by agent-addr', async () => {
    const n = rx.records.length;
    const r = await runTool(
      'snmptrap',
      [
        '-v',
        '1',
        '-c',
        'public',
        target,
        '1.3.6.1.4.1.8072.2.3.1',
        '127.0.0.9',
        '6',
        '17',
        '',
        '1.3.6.1.2.1.1.5.0',
        's',
        'hello',
      ],
      tools.env,
    );
    assert.equal(r.code, 0, r.out);
    const t = await next(n);
    assert.equal(t.version, 'v1');
    assert.equal(t.pduType, 'trapv1');
    assert.equal(t.trapOid, '1.3.6.1.4.1.8072.2.3.1.0.17');
    assert.equal(t.agentAddress, '127.0.0.9');
    assert.equal(t.sourceAddress, '127.0.0.1');
    assert.equal(t.deviceId, 'edge-1');
    assert.deepEqual(t.varbinds[0], { oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'hello' });
    assert.ok(t.varbinds.some((v) => v.oid === '1.3.6.1.6.3.18.1.3.0' && v.value === '127.0.0.9'));
  });

  it('maps v1 generic traps to snmpTraps', async () => {
    const n = rx.records.length;
    await runTool(
      'snmptrap',
      ['-v', '1', '-c', 'second', target, '1.3.6.1.4.1.8072', '', '2', '0', '', '1.3.6.1.2.1.2.2.1.1.4', 'i', '4'],
      tools.env,
    );
    const t = await next(n);
    assert.equal(t.trapOid, '1.3.6.1.6.3.1.1.5.3');
  });

  it('receives a v2c trap and acknowledges a v2c inform', async () => {
    const n = rx.records.length;
    await runTool(
      'snmptrap',
      ['-v', '2c', '-c', 'public', target, '123', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.7', 'i', '7'],
      tools.env,
    );
    const t = await next(n);
    assert.equal(t.version, 'v2c');
    assert.equal(t.uptimeCs, 123);
    assert.equal(t.trapOid, '1.3.6.1.6.3.1.1.5.3');
    assert.deepEqual(t.varbinds, [{ oid: '1.3.6.1.2.1.2.2.1.1.7', type: 'Integer', value: 7 }]);
    const inform = await runTool(
      'snmpinform',
      [
        '-r',
        '0',
        '-t',
        '3',
        '-v',
        '2c',
        '-c',
        'public',
        target,
        '',
        '1.3.6.1.6.3.1.1.5.4',
        '1.3.6.1.2.1.2.2.1.1.7',
        'i',
        '7',
      ],
      tools.env,
    );
    assert.equal(inform.code, 0, inform.out);
    const i = await next(n + 1);
    assert.equal(i.pduType, 'inform');
  });

  it('drops a wrong community and counts it', async () => {
    const before = reasons()['bad-community'] ?? 0;
    await runTool('snmptrap', ['-v', '2c', '-c', 'nope', target, '', '1.3.6.1.6.3.1.1.5.3'], tools.env);
    const inform = await runTool(
      'snmpinform',
      ['-r', '0', '-t', '1', '-v', '2c', '-c', 'nope', target, '', '1.3.6.1.6.3.1.1.5.3'],
      tools.env,
    );
    assert.notEqual(inform.code, 0, 'an inform with a wrong community must not be acknowledged');
    await wait(100);
    assert.equal(reasons()['bad-community'], before + 2);
  });

  const v3 = (user: string, level: string, a: string, A: string, x?: string, X?: string) => [
    '-v',
    '3',
    '-u',
    user,
    '-l',
    level,
    '-a',
    a,
    '-A',
    A,
    ...(x ? ['-x', x, '-X', X!] : []),
  ];
  const cases: [string, string[]][] = [
    ['authNoPriv MD5', v3('md5user', 'authNoPriv', 'MD5', 'authpass1')],
    ['authNoPriv SHA-224', v3('sha224user', 'authNoPriv', 'SHA-224', 'authpass1')],
    ['authPriv SHA-256/AES-128', v3('sha256aes', 'authPriv', 'SHA-256', 'authpass2', 'AES', 'privpass2')],
    ['authPriv SHA-512/AES-256', v3('sha512aes256', 'authPriv', 'SHA-512', 'authpass3', 'AES-256', 'privpass3')],
    ['authPriv SHA/DES', v3('shades', 'authPriv', 'SHA', 'authpass4', 'DES', 'privpass4')],
    ['authPriv SHA-384/AES-192', v3('sha384aes192', 'authPriv', 'SHA-384', 'authpass5', 'AES-192', 'privpass5')],
    [
      'authPriv SHA/AES-256 (Blumenthal key extension)',
      v3('shaaes256', 'authPriv', 'SHA', 'authpass6', 'AES-256', 'privpass6'),
    ],
  ];
  for (const [name, args] of cases) {
    it(`v3 ${name}: trap received, inform acknowledged`, async () => {
      const n = rx.records.length;
      const trap = await runTool(
        'snmptrap',
        [...args, '-e', SENDER_ENGINE, target, '', '1.3.6.1.6.3.1.1.5.1', '1.3.6.1.2.1.1.5.0', 's', name],
        tools.env,
      );
      assert.equal(trap.code, 0, trap.out);
      const t = await next(n);
      assert.equal(t.version, 'v3');
      assert.equal(t.user, args[3]);
      assert.equal(t.trapOid, '1.3.6.1.6.3.1.1.5.1');
      assert.equal(t.varbinds[0].value, name);
      const inform = await runTool(
        'snmpinform',
        ['-r', '1', '-t', '3', ...args, target, '', '1.3.6.1.6.3.1.1.5.2'],
        tools.env,
      );
      assert.equal(inform.code, 0, inform.out);
      const i = await next(n + 1);
      assert.equal(i.pduType, 'inform');
      assert.equal(i.trapOid, '1.3.6.1.6.3.1.1.5.2');
    });
  }

  it('drops bad authentication, an unknown user, a too-low security level and a foreign engine for a pinned user', async () => {
    const before = { ...reasons() };
    await runTool(
      'snmptrap',
      [
        ...v3('sha256aes', 'authPriv', 'SHA-256', 'wrongpass', 'AES', 'privpass2'),
        '-e',
        SENDER_ENGINE,
        target,
        '',
        '1.3.6.1.6.3.1.1.5.1',
      ],
      tools.env,
    );
    await runTool(
      'snmptrap',
      [...v3('nobody', 'authNoPriv', 'SHA', 'authpass1'), '-e', SENDER_ENGINE, target, '', '1.3.6.1.6.3.1.1.5.1'],
      tools.env,
    );
    await runTool(
      'snmptrap',
      [
        ...v3('sha256aes', 'authNoPriv', 'SHA-256', 'authpass2'),
        '-e',
        SENDER_ENGINE,
        target,
        '',
        '1.3.6.1.6.3.1.1.5.1',
      ],
      tools.env,
    );
    await runTool(
      'snmptrap',
      [...v3('pinned', 'authNoPriv', 'SHA', 'authpass8'), '-e', SENDER_ENGINE, target, '', '1.3.6.1.6.3.1.1.5.1'],
      tools.env,
    );
    const inform = await runTool(
      'snmpinform',
      [
        '-r',
        '0',
        '-t',
        '1',
        ...v3('sha256aes', 'authPriv', 'SHA-256', 'wrongpass', 'AES', 'privpass2'),
        target,
        '',
        '1.3.6.1.6.3.1.1.5.2',
      ],
      tools.env,
    );
    assert.notEqual(inform.code, 0);
    await wait(100);
    const now = reasons();
    assert.equal(now['wrong-digest'], (before['wrong-digest'] ?? 0) + 2);
    assert.equal(now['unknown-user'], (before['unknown-user'] ?? 0) + 1);
    assert.equal(now['bad-security-level'], (before['bad-security-level'] ?? 0) + 1);
    assert.equal(now['unknown-engine-id'], (before['unknown-engine-id'] ?? 0) + 1);
    const n = rx.records.length;
    await runTool(
      'snmptrap',
      [
        ...v3('pinned', 'authNoPriv', 'SHA', 'authpass8'),
        '-e',
        '0x8000000001aabbcc',
        target,
        '',
        '1.3.6.1.6.3.1.1.5.1',
      ],
      tools.env,
    );
    assert.equal((await next(n)).user, 'pinned');
  });

  it('receives over IPv6 loopback when the host has it', async (t) => {
    const v6 = rx.collector.addresses().find((a) => a.family === 'IPv6');
    if (!v6) return t.skip('no IPv6 loopback here');
    const n = rx.records.length;
    await runTool(
      'snmptrap',
      ['-v', '2c', '-c', 'public', `udp6:[::1]:${v6.port}`, '', '1.3.6.1.6.3.1.1.5.1'],
      tools.env,
    );
    const r = await next(n);
    assert.equal(r.sourceAddress, '::1');
  });

  it('decrypts AES-256 with the Reeder key extension (npm net-snmp as the sender)', async () => {
    const n = rx.records.length;
    const session = snmp.createV3Session(
      '127.0.0.1',
      {
        name: 'shaaes256c',
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha,
        authKey: 'authpass7',
        privProtocol: snmp.PrivProtocols.aes256r,
        privKey: 'privpass7',
      },
      { trapPort: rx.port, version: snmp.Version3, engineID: '8000000001020304' },
    );
    await new Promise<void>((resolve, reject) =>
      session.trap('1.3.6.1.6.3.1.1.5.1', (e: Error | null) => (e ? reject(e) : resolve())),
    );
    session.close();
    const t = await next(n);
    assert.equal(t.user, 'shaaes256c');
    assert.equal(t.trapOid, '1.3.6.1.6.3.1.1.5.1');
  });
});
