/**
 * Starts a real Net-SNMP `snmpd` on a free loopback UDP port with its own config and persistent
 * directory in a temp dir, for tests that poll, walk, set, or receive traps from it.
 * @example
 * const agent = await startSnmpd({ communities: [{ name: 'public' }, { name: 'private', write: true }],
 *   users: [{ name: 'u256', authProtocol: 'SHA-256', authKey: 'authpass1', privProtocol: 'AES', privKey: 'privpass1' }] });
 * after(() => agent.stop());
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freeUdpPort } from './ports.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitForStart } from './process.ts';

export interface SnmpdCommunity {
  name: string;
  /** rwcommunity instead of rocommunity. */
  write?: boolean;
  /** Restrict to an OID subtree (view), e.g. '.1.3.6.1.2.1.1'. */
  oid?: string;
}

export interface SnmpdUser {
  name: string;
  /** Net-SNMP names: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512. Omit for noAuthNoPriv. */
  authProtocol?: string;
  authKey?: string;
  /** Net-SNMP names: DES, AES, AES-192, AES-256 (Blumenthal key extension in Debian's build). Omit for authNoPriv. */
  privProtocol?: string;
  privKey?: string;
  write?: boolean;
}

export interface SnmpdOptions {
  communities?: SnmpdCommunity[];
  users?: SnmpdUser[];
  /** Extra snmpd.conf lines: `pass`, `extend`, `trap2sink`, `sysName` … */
  extraConfig?: string[];
  host?: string;
  /** Fixed port; default a free one. */
  port?: number;
  /** Also listen on [::1] with the same port. */
  ipv6?: boolean;
  /** More IPv4 addresses to listen on with the same port (one agent reached at several addresses). */
  extraHosts?: string[];
  /** Engine ID hex (snmpd `engineID` is text; this sets `exactEngineID`). */
  engineIdHex?: string;
}

export interface RunningSnmpd {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, for net-snmp command lines. */
  endpoint: string;
  dir: string;
  process: ChildProcess;
  /** Everything snmpd printed (its log goes to stdout with -Lo). */
  output(): string;
  stop(): Promise<void>;
}

export { freeUdpPort } from './ports.ts';

/** The snmpd.conf text for these options (exported so tests can show it on failure). */
export function snmpdConfig(opts: SnmpdOptions): string {
  const lines = [
    '# written by test/harness/snmpd.ts',
    'dontLogTCPWrappersConnects yes',
    'sysLocation Vigil test rack',
    'sysContact vigil-tests@example.invalid',
  ];
  if (opts.engineIdHex) lines.push(`exactEngineID 0x${opts.engineIdHex}`);
  for (const c of opts.communities ?? [])
    lines.push(
      `${c.write ? 'rwcommunity' : 'rocommunity'} ${c.name} 127.0.0.1${c.oid ? ' ' + c.oid : ''}`,
      `${c.write ? 'rwcommunity6' : 'rocommunity6'} ${c.name} ::1${c.oid ? ' ' + c.oid : ''}`,
    );
  for (const u of opts.users ?? []) {
    const parts = ['createUser', u.name];
    if (u.authProtocol) parts.push(u.authProtocol, JSON.stringify(u.authKey ?? ''));
    if (u.authProtocol && u.privProtocol) parts.push(u.privProtocol, JSON.stringify(u.privKey ?? ''));
    lines.push(parts.join(' '));
    const level = !u.authProtocol ? 'noauth' : u.privProtocol ? 'priv' : 'auth';
    lines.push(`${u.write ? 'rwuser' : 'rouser'} ${u.name} ${level}`);
  }
  lines.push(...(opts.extraConfig ?? []));
  return lines.join('\n') + '\n';
}

async function launch(opts: SnmpdOptions, host: string, port: number): Promise<RunningSnmpd | 'port-in-use'> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-snmpd-'));
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, snmpdConfig(opts));
  let endpoint = host.includes(':') ? `udp6:[${host}]:${port}` : `udp:${host}:${port}`;
  if (opts.ipv6 && !host.includes(':')) endpoint += `,udp6:[::1]:${port}`;
  for (const h of opts.extraHosts ?? []) endpoint += `,udp:${h}:${port}`;
  const child = spawn('snmpd', ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid'), endpoint], {
    // Own persistent dir (engine boots, users): tests run concurrently. No MIB loading: faster and quiet.
    env: { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'persist'), MIBS: '', MIBDIRS: join(dir, 'no-mibs') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = waitForStart(child, {
    name: 'snmpd',
    ready: /NET-SNMP version/,
    portInUse: /Error opening specified endpoint/,
    timeoutMs: 10_000,
    installHint: 'apt-get install snmpd',
  });
  const result = await started.result;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  if (result !== 'ready') {
    await stop();
    if (result === 'port-in-use') return 'port-in-use';
    throw result;
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { host, port, endpoint: `${hostPart}:${port}`, dir, process: child, output: started.output, stop };
}

/** Starts snmpd and resolves once it listens. Stop it in an `after()` hook. */
export async function startSnmpd(opts: SnmpdOptions = {}): Promise<RunningSnmpd> {
  const host = opts.host ?? '127.0.0.1';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = opts.port ?? (await freeUdpPort(host));
    const r = await launch(opts, host, port);
    if (r !== 'port-in-use') return r;
    if (opts.port) throw new Error(`snmpd: port ${opts.port} is in use`);
  }
  throw new Error('snmpd: no free port after 5 attempts');
}
