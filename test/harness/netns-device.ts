/**
 * A real SNMP device whose data link can flap, for flapping-detection tests (issue 15). Two network namespaces:
 * "device" is joined to the root namespace by a management veth on a random 10.213.X.Y/30 that stays up (poll the
 * device at `address:port` from the root namespace) and runs a real `snmpd` serving one read-only community; its
 * data interface `eth1` is a veth whose other end sits in a second namespace, "peer". `linkDown()` sets the peer end
 * down: on the device eth1 keeps ifAdminStatus up(1) and its ifOperStatus goes down(2) (Linux shows NO-CARRIER,
 * operstate "down"; snmpd never reports lowerLayerDown(7) for it). `linkUp()` brings it back to up(1).
 *
 * snmpd reloads ifTable/ifXTable from a timer every 3 s (IFTABLE_CACHE_TIMEOUT, compiled in; no snmpd.conf
 * directive changes it). The harness sets it to `ifTableCacheS` (default 1 s) with an SNMP SET of
 * NET-SNMP-AGENT-MIB::nsCacheTimeout for ifTable, sent over the device namespace's own loopback with a random
 * write community whose view is that one object, so a state change is served within about a second. A poller
 * only sees a down/up if the link stays in each state longer than the cache timeout plus its poll interval.
 *
 * Needs CAP_NET_ADMIN: returns `{ skip }` with the reason when `ip netns` is not permitted. Throws when snmpd
 * cannot be started (apt-get install snmpd snmp).
 * @example
 * const dev = await createFlappingDevice({ community: 'flap' });
 * if ('skip' in dev) return t.skip(dev.skip);
 * after(() => dev.destroy());
 * await dev.flap(3, 2500); // poll `${dev.address}:${dev.port}`, ifOperStatus.${dev.dataIfIndex}
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stopChild, waitForStart } from './process.ts';
import { snmpdConfig } from './snmpd.ts';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);
/** net-snmp tools without MIB loading: numeric OIDs, enumerations as numbers. */
const toolEnv = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' };

export const OID = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  /** NET-SNMP-AGENT-MIB::nsCacheTimeout, indexed (IMPLIED) by the cached table's OID: here ifTable's. */
  ifTableCacheTimeout: '1.3.6.1.4.1.8072.1.5.3.1.2.1.3.6.1.2.1.2.2',
} as const;

export interface FlappingDeviceOptions {
  /** The read-only community (letters, digits, `._-`); default random. */
  community?: string;
  /** snmpd's UDP port on the device's addresses (its own namespace, so 161 is free); default 161. */
  port?: number;
  /** Seconds snmpd caches ifTable (1..3); default 1. */
  ifTableCacheS?: number;
}

export interface FlappingDevice {
  /** The device's management address: where snmpd answers. */
  address: string;
  /** The root-namespace end of the management veth (the source of polls). */
  hostAddress: string;
  port: number;
  community: string;
  /** Names of the two namespaces. */
  deviceNs: string;
  peerNs: string;
  /** The device's data interface (`eth1`) and its ifIndex as snmpd reports it. */
  dataIfName: string;
  dataIfIndex: number;
  ifTableCacheS: number;
  /** snmpd's process id (the `ip netns exec` child execs snmpd in place). */
  pid: number;
  /** One value with the real `snmpget` (numeric, e.g. '1' for up), from the root namespace. */
  get(oid: string): Promise<string>;
  /** Sets the peer's end down: the device's data interface loses carrier. */
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  /** `times` × (down, wait holdMs, up), with holdMs between cycles; ends up. */
  flap(times: number, holdMs: number): Promise<void>;
  /** Everything snmpd printed. */
  output(): string;
  /** Stops snmpd by pid, deletes the veths and both namespaces. Safe to call twice. */
  destroy(): Promise<void>;
}

/** A /30 in 10.213.0.0/16 that no interface here uses yet. */
async function freeNet(): Promise<number[]> {
  for (let i = 0; i < 20; i++) {
    const net = [10, 213, randomInt(0, 256), randomInt(0, 64) * 4];
    const { stdout } = await ip('-o', '-4', 'addr', 'show', 'to', `${net.join('.')}/30`);
    if (!stdout.trim()) return net;
  }
  throw new Error('no free /30 in 10.213.0.0/16');
}

export async function createFlappingDevice(
  opts: FlappingDeviceOptions = {},
): Promise<FlappingDevice | { skip: string }> {
  const id = randomBytes(3).toString('hex');
  const community = opts.community ?? `vigil-${id}`;
  const port = opts.port ?? 161;
  const ifTableCacheS = opts.ifTableCacheS ?? 1;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(community))
    throw new Error(`community must be 1-64 of [A-Za-z0-9._-]: ${JSON.stringify(community)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
  if (!Number.isInteger(ifTableCacheS) || ifTableCacheS < 1 || ifTableCacheS > 3)
    throw new Error(`ifTableCacheS must be 1..3`);
  const deviceNs = `vigil-dev-${id}`;
  const peerNs = `vigil-peer-${id}`;
  const hostIf = `vfh${id}`; // created in the root namespace; its peer (eth0) directly in the device namespace
  const dataIfName = 'eth1';
  const peerIf = 'peer0';
  const secret = randomBytes(12).toString('hex'); // write community for nsCacheTimeout, device loopback only
  const dir = mkdtempSync(join(tmpdir(), 'vigil-flapdev-'));
  let child: ChildProcess | undefined;
  let destroying: Promise<void> | undefined;
  const destroy = () =>
    (destroying ??= (async () => {
      if (child) await stopChild(child);
      await ip('link', 'del', hostIf).catch(() => {});
      await ip('netns', 'del', deviceNs).catch(() => {}); // takes eth0 and eth1 (and so peer0) with it
      await ip('netns', 'del', peerNs).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    })());
  try {
    await ip('netns', 'add', deviceNs);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `ip netns not permitted here (needs root/CAP_NET_ADMIN): ${(e as Error).message.split('\n')[0]}` };
  }
  let net = '';
  let hostAddress = '';
  let address = '';
  try {
    await ip('netns', 'add', peerNs);
    const [a, b, c, d] = await freeNet();
    net = `${a}.${b}.${c}.${d}/30`;
    hostAddress = `${a}.${b}.${c}.${d + 1}`;
    address = `${a}.${b}.${c}.${d + 2}`;
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', deviceNs);
    await ip('-n', deviceNs, 'link', 'add', dataIfName, 'type', 'veth', 'peer', 'name', peerIf, 'netns', peerNs);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('-n', deviceNs, 'addr', 'add', `${address}/30`, 'dev', 'eth0');
    for (const ifName of ['lo', 'eth0', dataIfName]) await ip('-n', deviceNs, 'link', 'set', ifName, 'up');
    await ip('-n', peerNs, 'link', 'set', peerIf, 'up');
  } catch (e) {
    await destroy();
    return { skip: `cannot set up veth pairs between network namespaces: ${(e as Error).message.split('\n')[0]}` };
  }
  const get = async (oid: string) =>
    (
      await run(
        'snmpget',
        ['-v2c', '-c', community, '-t', '1', '-r', '1', '-On', '-Oqv', '-Oe', `${address}:${port}`, oid],
        { env: toolEnv },
      )
    ).stdout.trim();
  try {
    const conf = join(dir, 'snmpd.conf');
    writeFileSync(
      conf,
      snmpdConfig({
        extraConfig: [
          `sysName flapping-device-${id}`,
          `rocommunity ${community} ${net}`,
          `rwcommunity ${secret} 127.0.0.1 ${OID.ifTableCacheTimeout}`,
        ],
      }),
    );
    const proc = spawn(
      'ip',
      [
        'netns',
        'exec',
        deviceNs,
        'snmpd',
        '-f',
        '-Lo',
        '-C',
        '-c',
        conf,
        '-p',
        join(dir, 'snmpd.pid'),
        `udp:${address}:${port},udp:127.0.0.1:${port}`,
      ],
      {
        env: { ...toolEnv, SNMP_PERSISTENT_DIR: join(dir, 'persist') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    const started = waitForStart(proc, {
      name: 'snmpd',
      ready: /NET-SNMP version/,
      portInUse: /Error opening specified endpoint/,
      timeoutMs: 10_000,
      installHint: 'apt-get install snmpd',
    });
    const result = await started.result;
    if (result !== 'ready')
      throw result === 'port-in-use'
        ? new Error(`snmpd: port ${port} in use in ${deviceNs}:\n${started.output()}`)
        : result;
    // Listening is not answering yet: wait for sysUpTime from the root namespace.
    for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
      try {
        await get(OID.sysUpTime);
        break;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(
            `snmpd in ${deviceNs} does not answer at ${address}:${port}: ${(e as Error).message}\n${started.output()}`,
          );
      }
    }
    await run(
      'ip',
      [
        'netns',
        'exec',
        deviceNs,
        'snmpset',
        '-v2c',
        '-c',
        secret,
        '-t',
        '1',
        '-r',
        '2',
        `127.0.0.1:${port}`,
        OID.ifTableCacheTimeout,
        'i',
        String(ifTableCacheS),
      ],
      { env: toolEnv },
    );
    const { stdout } = await run(
      'snmpwalk',
      ['-v2c', '-c', community, '-t', '1', '-r', '1', '-On', '-Oq', `${address}:${port}`, OID.ifDescr],
      { env: toolEnv },
    );
    const row = stdout.split('\n').find((l) => l.endsWith(` "${dataIfName}"`) || l.endsWith(` ${dataIfName}`));
    if (!row) throw new Error(`snmpd does not list ${dataIfName} in ifDescr:\n${stdout}`);
    const dataIfIndex = Number(row.split(' ')[0].split('.').pop());
    const setPeer = (state: 'up' | 'down') => async () => void (await ip('-n', peerNs, 'link', 'set', peerIf, state));
    const linkDown = setPeer('down');
    const linkUp = setPeer('up');
    return {
      address,
      hostAddress,
      port,
      community,
      deviceNs,
      peerNs,
      dataIfName,
      dataIfIndex,
      ifTableCacheS,
      pid: proc.pid!,
      get,
      linkDown,
      linkUp,
      output: started.output,
      destroy,
      flap: async (times, holdMs) => {
        if (!Number.isInteger(times) || times < 0 || !Number.isInteger(holdMs) || holdMs < 0)
          throw new Error(`flap(${times}, ${holdMs}): non-negative integers`);
        for (let i = 0; i < times; i++) {
          if (i > 0) await sleep(holdMs);
          await linkDown();
          await sleep(holdMs);
          await linkUp();
        }
      },
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
