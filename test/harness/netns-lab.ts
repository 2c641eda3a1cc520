/**
 * A small real network in Linux network namespaces, for topology and discovery tests against real peers. Each
 * device namespace runs its own Net-SNMP `snmpd` (IF-MIB, IP-MIB, ipNetToMediaTable/ipNetToPhysicalTable from its
 * own ARP cache) with Debian's `lldpd` as an AgentX subagent (LLDP-MIB from real LLDP frames on the data links),
 * and a switch also serves BRIDGE-MIB from its Linux bridge through bridge-pass-persist.mjs. End hosts are plain
 * namespaces that answer ping and run no agent.
 *
 * Management: a bridge in the root namespace with 10.214.R.1/24 (R random and unused here); every namespace has a
 * `mgmt0` veth on it with 10.214.R.(10+i)/24, and snmpd listens there only (udp 161, community `public` from the
 * management subnet). Data links: veth pairs named as the spec says; each layer-2 segment (a link, or all links on
 * one switch's `br0`) gets 10.215.S.0/24 inside the namespaces only, and every member pings the others once so
 * ARP caches and the switch's forwarding table are filled before the agents start.
 *
 * lldpd instances are kept apart by their own control socket (-u), pid file (-p), configuration file (-O, so the
 * packaged /etc/lldpd.conf and /etc/lldpd.d are not read), AgentX socket (-X, that namespace's snmpd), interface
 * lists (-I/-C: the data interfaces only, never mgmt0) and management address (-m); they share only lldpd's
 * empty privilege-separation chroot (/run/lldpd). Any lldpd of the machine's own is neither needed nor touched.
 *
 * Needs root (CAP_NET_ADMIN): returns `{ skip, cause: 'permission' }` when `ip netns` is not permitted, and
 * `{ skip, cause: 'missing-tool' }` when snmpd, lldpd or fping is not installed (scripts/install-peers.sh test).
 * @example
 * const lab = await createLab({ nodes: ['r1', 'r2'], links: [['r1', 'eth1', 'r2', 'eth1']] });
 * if ('skip' in lab) return t.skip(lab.skip);
 * after(() => lab.destroy());
 * const vbs = await lab.walk('r1', [LLDP_ROOT]); // parseLldp(vbs).neighbours[0].sysName === 'r2'
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { openSnmpSession, type SnmpSession } from '../../src/collectors/snmp/session.ts';
import type { VarBind } from '../../src/model/records.ts';
import { LLDP_ROOT, type LldpNeighbour, parseLldp } from '../../src/topology/lldp.ts';
import { stopChild, waitForStart } from './process.ts';
import { snmpdConfig } from './snmpd.ts';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);
/** The first line of what went wrong: a failed command's stderr, else the message. */
const firstLine = (e: unknown) =>
  ((e as { stderr?: string }).stderr?.trim() || String((e as Error).message ?? e)).split('\n')[0];
const PASS_PERSIST = fileURLToPath(new URL('./bridge-pass-persist.mjs', import.meta.url));
const NEVER = /[^\s\S]/;

/** A data link: a veth pair from `ifA` in node A to `ifB` in node B. */
export type LabLink = readonly [nodeA: string, ifA: string, nodeB: string, ifB: string];

export interface LabSpec {
  /** Devices, each with snmpd + lldpd; the name is its sysName and LLDP system name (lowercase, ≤ 15 chars). */
  nodes: readonly string[];
  /** End hosts: a management address and data links, no agent. */
  hosts?: readonly string[];
  links: readonly LabLink[];
  /** Switches: device → the ports it bridges in `br0` (its data address is on br0); served as BRIDGE-MIB. */
  bridges?: Readonly<Record<string, readonly string[]>>;
  /** Read-only community, from the management subnet only; default `public`. */
  community?: string;
  /** How long createLab waits for every link's LLDP neighbours; default 30 s. */
  lldpTimeoutMs?: number;
}

export interface LabInterface {
  name: string;
  /** The kernel ifindex, which is snmpd's ifIndex. */
  ifIndex: number;
  mac: string;
  /** IPv4 address, when it has one (data ports not in a bridge, br0, mgmt0). */
  address?: string;
}

export interface LabNode {
  name: string;
  kind: 'device' | 'host';
  /** Network namespace name (`ip -n <ns> …`, `ip netns exec <ns> …`). */
  ns: string;
  mgmtAddress: string;
  /** Every interface but lo, by name: the data ports, `br0` on a switch, `mgmt0`. */
  interfaces: Record<string, LabInterface>;
  /** Process ids of the agents this lab started (devices only). */
  snmpdPid?: number;
  lldpdPid?: number;
}

/** One LLDP neighbour a device should report: on local port `localPort`, system `sysName`'s port `portId`. */
export interface LabNeighbour {
  localPort: string;
  sysName: string;
  portId: string;
}

export interface Lab {
  id: string;
  nodes: Record<string, LabNode>;
  /** `10.214.R.0/24`: every node's management address, and the root namespace's. */
  mgmtSubnet: string;
  /** The root namespace's address on the management bridge (`10.214.R.1`): the source of polls and sweeps. */
  hostAddress: string;
  /** The management bridge's name in the root namespace. */
  bridge: string;
  community: string;
  links: readonly LabLink[];
  /** Setup times in ms (network, agents started, LLDP complete), for diagnostics. */
  timings: { networkMs: number; agentsMs: number; lldpMs: number };
  /** Sets node A's end of link `linkIndex` down (B loses carrier). */
  cut(linkIndex: number): Promise<void>;
  restore(linkIndex: number): Promise<void>;
  /** The neighbours each device should report with the links not cut: device → sorted list. */
  expectedNeighbours(): Record<string, LabNeighbour[]>;
  /** Polls every device's LLDP-MIB until it reports exactly `expectedNeighbours()`; throws after `timeoutMs`. */
  waitForLldp(timeoutMs?: number): Promise<void>;
  /** Vigil's SNMP session to a device's snmpd (close it). */
  session(node: string): SnmpSession;
  /** Walks each root in turn; a root that walks empty is fetched with get (a scalar such as sysName.0). */
  walk(node: string, roots: readonly string[]): Promise<VarBind[]>;
  /** Runs a command inside a node's namespace; resolves to its stdout. */
  exec(node: string, cmd: string, args: readonly string[]): Promise<string>;
  /** What a device's snmpd and lldpd printed. */
  output(node: string): { snmpd: string; lldpd: string };
  /** Stops the agents by pid, deletes namespaces, veths, the bridge and the temp dir. Safe to call twice. */
  destroy(): Promise<void>;
}

/** A device's agent processes and their output. */
interface Agents {
  snmpd?: ChildProcess;
  lldpd?: ChildProcess;
  snmpdOut?: () => string;
  lldpdOut?: () => string;
}

export interface LabSkip {
  skip: string;
  cause: 'permission' | 'missing-tool';
}

/** Synchronous cleanups of the labs alive in this process, run on exit and on SIGINT/SIGTERM. */
const live = new Map<string, () => void>();
let exitHooked = false;
function cleanupOnExit(id: string, cleanup: () => void) {
  live.set(id, cleanup);
  if (exitHooked) return;
  exitHooked = true;
  const all = () => {
    for (const f of live.values()) f();
    live.clear();
  };
  process.on('exit', all);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      all();
      process.kill(process.pid, sig);
    });
}

function validate(spec: LabSpec) {
  const names = [...spec.nodes, ...(spec.hosts ?? [])];
  for (const n of names) if (!/^[a-z][a-z0-9-]{0,14}$/.test(n)) throw new Error(`lab: bad node name ${n}`);
  if (new Set(names).size !== names.length) throw new Error('lab: node names must be unique');
  if (names.length > 200) throw new Error('lab: at most 200 nodes');
  const ends = new Set<string>();
  for (const [a, ia, b, ib] of spec.links)
    for (const [n, i] of [
      [a, ia],
      [b, ib],
    ]) {
      if (!names.includes(n)) throw new Error(`lab: link end ${n}/${i}: no such node`);
      if (!/^[a-zA-Z][a-zA-Z0-9._-]{0,14}$/.test(i) || ['lo', 'mgmt0', 'br0'].includes(i))
        throw new Error(`lab: bad interface name ${n}/${i}`);
      if (ends.has(`${n}/${i}`)) throw new Error(`lab: ${n}/${i} used twice`);
      ends.add(`${n}/${i}`);
    }
  for (const [n, ports] of Object.entries(spec.bridges ?? {})) {
    if (!spec.nodes.includes(n)) throw new Error(`lab: bridge on ${n}: not a device`);
    for (const p of ports) if (!ends.has(`${n}/${p}`)) throw new Error(`lab: bridge port ${n}/${p} is on no link`);
  }
}

/** Layer-2 segments: each a list of `node/if` keys with an address (a bridge's ports give way to its br0). */
function segments(spec: LabSpec): string[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const r = find(p);
    parent.set(k, r);
    return r;
  };
  const union = (x: string, y: string) => parent.set(find(x), find(y));
  const bridged = new Set<string>();
  for (const [n, ports] of Object.entries(spec.bridges ?? {}))
    for (const p of ports) {
      bridged.add(`${n}/${p}`);
      union(`${n}/${p}`, `${n}/br0`);
    }
  const order: string[] = [];
  for (const [a, ia, b, ib] of spec.links) {
    union(`${a}/${ia}`, `${b}/${ib}`);
    for (const k of [`${a}/${ia}`, `${b}/${ib}`]) {
      const [n] = k.split('/');
      order.push(bridged.has(k) ? `${n}/br0` : k);
    }
  }
  const byRoot = new Map<string, string[]>();
  for (const k of order) {
    const r = find(k);
    const list = byRoot.get(r) ?? [];
    if (!list.includes(k)) list.push(k);
    byRoot.set(r, list);
  }
  return [...byRoot.values()];
}

/** A random 10.214.R.0/24 that no interface here uses. */
async function freeMgmtThird(): Promise<number> {
  for (let i = 0; i < 30; i++) {
    const r = randomInt(0, 256);
    const { stdout } = await ip('-o', '-4', 'addr', 'show', 'to', `10.214.${r}.0/24`);
    if (!stdout.trim()) return r;
  }
  throw new Error('lab: no free /24 in 10.214.0.0/16');
}

const installed = (cmd: string) => !spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error;

const neighbourKey = (x: LabNeighbour) => `${x.localPort} ${x.sysName} ${x.portId}`;

/** The part of `ip -j addr show` read here. */
interface IpAddrShow {
  ifindex: number;
  ifname: string;
  address: string;
  addr_info?: { family: string; local: string }[];
}

const running = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

/** The children of process `pid` (lldpd's monitor has one: its unprivileged worker). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process's state letter from /proc (`Z` for a zombie), or undefined once it is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {}
};

/**
 * Stops lldpd without leaving its worker a zombie. The monitor (our child) reaps the worker only if the worker is
 * already dead when the monitor sees their socket close; otherwise it exits without waiting and init inherits the
 * zombie. So: pause the monitor, kill the worker, wait until it is a zombie, let the monitor go: it reaps and exits.
 */
async function stopLldpd(p: ChildProcess): Promise<void> {
  if (!p.pid || !running(p)) return;
  const workers = childPids(p.pid);
  if (workers.length) {
    p.kill('SIGSTOP');
    for (const w of workers) signal(w, 'SIGKILL');
    for (const deadline = Date.now() + 2000; Date.now() < deadline; await sleep(10))
      if (workers.every((w) => (procState(w) ?? 'Z') === 'Z')) break;
    p.kill('SIGCONT');
    if (running(p)) await Promise.race([once(p, 'exit'), sleep(2000)]);
  }
  await stopChild(p);
}

/** Starts `cmd` inside namespace `ns` (`ip netns exec` execs it in place: the child's pid is the daemon's). */
async function startInNs(
  ns: string,
  cmd: string,
  args: string[],
  opts: { ready: RegExp; env?: NodeJS.ProcessEnv; onSpawn: (p: ChildProcess, output: () => string) => void },
): Promise<void> {
  const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = waitForStart(child, {
    name: `${cmd} in ${ns}`,
    ready: opts.ready,
    portInUse: NEVER,
    timeoutMs: 10_000,
    installHint: `apt-get install ${cmd}`,
  });
  opts.onSpawn(child, started.output);
  const result = await started.result;
  if (result !== 'ready') throw result === 'port-in-use' ? new Error(`${cmd} in ${ns} did not start`) : result;
}

/** The lab: built by `createLab`, its public members are arrow functions so they may be passed around unbound. */
class NetnsLab implements Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly nodes: Record<string, LabNode> = {};
  readonly bridge = `vgb${this.id}`;
  readonly community: string;
  readonly links: readonly LabLink[];
  mgmtSubnet = '';
  hostAddress = '';
  timings = { networkMs: 0, agentsMs: 0, lldpMs: 0 };
  private readonly all: string[];
  private readonly dir = mkdtempSync(join(tmpdir(), 'vigil-lab-'));
  /** Namespaces added so far (deleted by destroy). */
  private readonly made: string[] = [];
  private readonly agents = new Map<string, Agents>();
  private readonly down = new Set<number>();
  private third = 0;
  private destroying?: Promise<void>;

  constructor(private readonly spec: LabSpec) {
    this.community = spec.community ?? 'public';
    this.links = spec.links;
    this.all = [...spec.nodes, ...(spec.hosts ?? [])];
    // lldpd's monitor runs as _lldpd (with capabilities) and runs lldpcli as _lldpd: they must reach their sockets.
    chmodSync(this.dir, 0o711);
  }

  private ns = (n: string) => `vigil-lab-${this.id}-${n}`;
  private rootVeth = (n: string) => `vgm${this.id}${this.all.indexOf(n)}`;
  private ipn = (n: string, ...args: string[]) => ip('-n', this.ns(n), ...args);
  private mgmtAddress = (n: string) => `10.214.${this.third}.${10 + this.all.indexOf(n)}`;
  private nsExec = (n: string, cmd: string, args: readonly string[]) =>
    run('ip', ['netns', 'exec', this.ns(n), cmd, ...args], { env: { ...process.env, MIBS: '' } });

  /** Adds the first namespace; why not, when `ip` is missing or `ip netns` not permitted. */
  async firstNamespace(): Promise<LabSkip | undefined> {
    try {
      await ip('netns', 'add', this.ns(this.all[0]));
      this.made.push(this.all[0]);
    } catch (e) {
      rmSync(this.dir, { recursive: true, force: true });
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { skip: 'ip is not installed (apt-get install iproute2)', cause: 'missing-tool' };
      return { skip: `ip netns not permitted here (needs root/CAP_NET_ADMIN): ${firstLine(e)}`, cause: 'permission' };
    }
    cleanupOnExit(this.id, this.cleanupSync);
  }

  /** The management bridge on a 10.214.R.0/24 no other interface here has (checked again once it is ours). */
  private async mgmtBridge() {
    await ip('link', 'add', this.bridge, 'type', 'bridge');
    for (let attempt = 0; ; attempt++) {
      this.third = await freeMgmtThird();
      this.mgmtSubnet = `10.214.${this.third}.0/24`;
      this.hostAddress = `10.214.${this.third}.1`;
      await ip('addr', 'add', `${this.hostAddress}/24`, 'dev', this.bridge);
      const { stdout } = await ip('-o', '-4', 'addr', 'show', 'to', this.mgmtSubnet);
      if (stdout.trim().split('\n').length === 1) break;
      await ip('addr', 'del', `${this.hostAddress}/24`, 'dev', this.bridge);
      if (attempt === 4) throw new Error('no free management subnet');
    }
    await ip('link', 'set', this.bridge, 'up');
  }

  /** Namespaces, management veths, data links, switches, addresses; then every segment's members ping each other. */
  async buildNetwork() {
    await this.mgmtBridge();
    await Promise.all(
      this.all.map(async (n) => {
        if (!this.made.includes(n)) {
          this.made.push(n);
          await ip('netns', 'add', this.ns(n));
        }
        // IPv4 only: no IPv6 neighbour discovery or MLD in the ARP and forwarding tables, nor in LLDP.
        const noV6 = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
        await this.nsExec(n, 'sysctl', ['-q', '-w', ...noV6]);
        await ip('link', 'add', this.rootVeth(n), 'type', 'veth', 'peer', 'name', 'mgmt0', 'netns', this.ns(n));
        await ip('link', 'set', this.rootVeth(n), 'master', this.bridge, 'up');
        await this.ipn(n, 'addr', 'add', `${this.mgmtAddress(n)}/24`, 'dev', 'mgmt0');
        for (const i of ['lo', 'mgmt0']) await this.ipn(n, 'link', 'set', i, 'up');
      }),
    );
    for (const [a, ia, b, ib] of this.links) {
      await this.ipn(a, 'link', 'add', ia, 'type', 'veth', 'peer', 'name', ib, 'netns', this.ns(b));
      await this.ipn(a, 'link', 'set', ia, 'up');
      await this.ipn(b, 'link', 'set', ib, 'up');
    }
    for (const [n, ports] of Object.entries(this.spec.bridges ?? {})) {
      await this.ipn(n, 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0');
      for (const p of ports) await this.ipn(n, 'link', 'set', p, 'master', 'br0');
      await this.ipn(n, 'link', 'set', 'br0', 'up');
    }
    const segs = segments(this.spec);
    if (segs.length > 250) throw new Error('too many segments');
    const addresses = new Map<string, string>(); // `node/if` → 10.215.S.H
    for (const [s, members] of segs.entries())
      for (const [h, key] of members.entries()) {
        const [n, ifName] = key.split('/');
        addresses.set(key, `10.215.${s + 1}.${h + 1}`);
        await this.ipn(n, 'addr', 'add', `${addresses.get(key)}/24`, 'dev', ifName);
      }
    // Every member of a segment pings the others: ARP caches and the switches' forwarding tables fill.
    await Promise.all(
      segs.flatMap((members) =>
        members.map(async (key) => {
          const others = members.filter((k) => k !== key).map((k) => addresses.get(k)!);
          if (others.length) await this.nsExec(key.split('/')[0], 'fping', ['-q', '-r', '3', '-t', '300', ...others]);
        }),
      ),
    );
    for (const n of this.all) {
      const { stdout } = await this.ipn(n, '-j', 'addr', 'show');
      const links = JSON.parse(stdout) as IpAddrShow[];
      const interfaces: Record<string, LabInterface> = {};
      for (const l of links.filter((x) => x.ifname !== 'lo')) {
        const v4 = l.addr_info?.find((x) => x.family === 'inet')?.local;
        interfaces[l.ifname] = { name: l.ifname, ifIndex: l.ifindex, mac: l.address, ...(v4 ? { address: v4 } : {}) };
      }
      const kind = this.spec.nodes.includes(n) ? 'device' : 'host';
      this.nodes[n] = { name: n, kind, ns: this.ns(n), mgmtAddress: this.mgmtAddress(n), interfaces };
    }
  }

  /** snmpd on the management address, then lldpd as its AgentX subagent on the data ports. */
  startAgents = async (n: string) => {
    const d = join(this.dir, n);
    mkdirSync(d, { mode: 0o711 });
    const agentx = join(d, 'agentx.sock');
    const conf = join(d, 'snmpd.conf');
    const extraConfig = [
      `sysName ${n}`,
      `rocommunity ${this.community} ${this.mgmtSubnet}`,
      'master agentx',
      `agentXSocket ${agentx}`,
    ];
    if (this.spec.bridges?.[n])
      extraConfig.push(`pass_persist .1.3.6.1.2.1.17 ${process.execPath} ${PASS_PERSIST} br0`);
    writeFileSync(conf, snmpdConfig({ extraConfig }));
    const c: Agents = {};
    this.agents.set(n, c);
    const endpoint = `udp:${this.mgmtAddress(n)}:161`;
    await startInNs(this.ns(n), 'snmpd', ['-f', '-Lo', '-C', '-c', conf, '-p', join(d, 'snmpd.pid'), endpoint], {
      ready: /NET-SNMP version/,
      env: { ...process.env, MIBS: '', MIBDIRS: join(d, 'no-mibs'), SNMP_PERSISTENT_DIR: join(d, 'persist') },
      onSpawn: (p, output) => Object.assign(c, { snmpd: p, snmpdOut: output }),
    });
    this.nodes[n].snmpdPid = c.snmpd?.pid;
    // Listening is not answering yet: wait for sysName from the root namespace.
    for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
      try {
        await this.walk(n, ['1.3.6.1.2.1.1.5.0']);
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`snmpd in ${n} does not answer: ${firstLine(e)}`);
      }
    }
    if (this.spec.bridges?.[n]) {
      // snmpd starts the pass_persist script on the first request: start it now, and fail here if it cannot serve.
      const numPorts = await this.walk(n, ['1.3.6.1.2.1.17.1.2.0']);
      if (numPorts.length !== 1) throw new Error(`${n}: BRIDGE-MIB not served (bridge-pass-persist.mjs)`);
    }
    // Only the data ports speak LLDP (a device with none: no port, and its name as chassis ID).
    const ports = this.links.flatMap(([a, ia, b, ib]) => [...(a === n ? [ia] : []), ...(b === n ? [ib] : [])]);
    const dataIfs = ports.join(',') || '!*';
    const lldpConf = join(d, 'lldpd.conf');
    const lines = [
      `configure system hostname ${n}`,
      'configure lldp tx-interval 1',
      'configure lldp portidsubtype ifname',
    ];
    writeFileSync(lldpConf, `${lines.join('\n')}\n`);
    const files = ['-u', join(d, 'lldpd.sock'), '-p', join(d, 'lldpd.pid'), '-O', lldpConf, '-X', agentx];
    // lldpd starts paused and resumes once lldpcli has applied the -O file: its first frame has the right name.
    await startInNs(this.ns(n), 'lldpd', ['-d', ...files, '-I', dataIfs, '-C', dataIfs, '-m', this.mgmtAddress(n)], {
      ready: /should resume operations/,
      onSpawn: (p, output) => Object.assign(c, { lldpd: p, lldpdOut: output }),
    });
    this.nodes[n].lldpdPid = c.lldpd?.pid;
  };

  expectedNeighbours = () => {
    const out: Record<string, LabNeighbour[]> = Object.fromEntries(this.spec.nodes.map((n) => [n, []]));
    const devices = new Set(this.spec.nodes);
    this.links.forEach(([a, ia, b, ib], i) => {
      if (this.down.has(i) || !devices.has(a) || !devices.has(b)) return;
      out[a].push({ localPort: ia, sysName: b, portId: ib });
      out[b].push({ localPort: ib, sysName: a, portId: ia });
    });
    for (const list of Object.values(out)) list.sort((x, y) => (neighbourKey(x) < neighbourKey(y) ? -1 : 1));
    return out;
  };

  /** What a device's LLDP-MIB reports, as sorted neighbour keys. */
  private reported = async (n: string): Promise<string[]> => {
    const lldp = parseLldp(await this.walk(n, [LLDP_ROOT]));
    const local = new Map(lldp.local.ports.map((p) => [p.portNum, p.id]));
    const key = (x: LldpNeighbour) =>
      neighbourKey({
        localPort: local.get(x.localPortNum) ?? `#${x.localPortNum}`,
        sysName: x.sysName ?? '',
        portId: x.portId,
      });
    return lldp.neighbours.map(key).sort();
  };

  waitForLldp = async (timeoutMs = 30_000) => {
    const want = Object.fromEntries(
      Object.entries(this.expectedNeighbours()).map(([n, l]) => [n, l.map(neighbourKey)]),
    );
    const devices = this.spec.nodes;
    for (const deadline = Date.now() + timeoutMs; ; await sleep(250)) {
      const got = Object.fromEntries(
        await Promise.all(
          devices.map(async (n) => [n, await this.reported(n).catch((e) => [`error: ${firstLine(e)}`])]),
        ),
      );
      if (devices.every((n) => JSON.stringify(got[n]) === JSON.stringify(want[n]))) return;
      if (Date.now() > deadline) {
        const diff = devices.map((n) => `${n}: want ${JSON.stringify(want[n])}, got ${JSON.stringify(got[n])}`);
        throw new Error(`lab: LLDP neighbours still not as built after ${timeoutMs} ms:\n${diff.join('\n')}`);
      }
    }
  };

  private setLink = async (i: number, state: 'up' | 'down') => {
    const link = this.links[i];
    if (!link) throw new Error(`lab: no link ${i}`);
    await this.ipn(link[0], 'link', 'set', link[1], state);
    if (state === 'down') this.down.add(i);
    else this.down.delete(i);
  };
  cut = (i: number) => this.setLink(i, 'down');
  restore = (i: number) => this.setLink(i, 'up');

  session = (n: string) =>
    openSnmpSession(this.mgmtAddress(n), {
      version: 'v2c',
      community: this.community,
      port: 161,
      timeoutMs: 2000,
      retries: 1,
    });

  walk = async (n: string, roots: readonly string[]) => {
    const s = this.session(n);
    try {
      const out: VarBind[] = [];
      for (const r of roots) {
        const got = await s.walk(r);
        out.push(...(got.length ? got : (await s.get([r])).filter((vb) => vb.value !== null)));
      }
      return out;
    } finally {
      s.close();
    }
  };

  exec = async (n: string, cmd: string, args: readonly string[]) => (await this.nsExec(n, cmd, args)).stdout;

  output = (n: string) => ({
    snmpd: this.agents.get(n)?.snmpdOut?.() ?? '',
    lldpd: this.agents.get(n)?.lldpdOut?.() ?? '',
  });

  /** Every agent's output, for a failure message. */
  logs = () =>
    [...this.agents.keys()]
      .map((n) => `--- ${n} snmpd:\n${this.output(n).snmpd}\n--- ${n} lldpd:\n${this.output(n).lldpd}`)
      .join('\n');

  destroy = () =>
    (this.destroying ??= (async () => {
      const agents = [...this.agents.values()];
      await Promise.all(agents.map((c) => c.lldpd && stopLldpd(c.lldpd)));
      await Promise.all(agents.map((c) => c.snmpd && stopChild(c.snmpd)));
      await Promise.all(this.all.map((n) => ip('link', 'del', this.rootVeth(n)).catch(() => {})));
      await ip('link', 'del', this.bridge).catch(() => {});
      await Promise.all(this.made.map((n) => ip('netns', 'del', this.ns(n)).catch(() => {})));
      rmSync(this.dir, { recursive: true, force: true });
      live.delete(this.id);
    })());

  /** destroy() for process exit: signals only, no waiting. */
  private cleanupSync = () => {
    for (const c of this.agents.values()) {
      if (c.lldpd?.pid && running(c.lldpd)) for (const w of childPids(c.lldpd.pid)) signal(w, 'SIGTERM');
      for (const p of [c.lldpd, c.snmpd]) if (p && running(p)) p.kill('SIGTERM');
      if (c.lldpd && running(c.lldpd)) c.lldpd.kill('SIGCONT'); // in case stopLldpd was interrupted
    }
    const quiet = (...args: string[]) => {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {}
    };
    for (const n of this.all) quiet('link', 'del', this.rootVeth(n));
    quiet('link', 'del', this.bridge);
    for (const n of this.made) quiet('netns', 'del', this.ns(n));
    rmSync(this.dir, { recursive: true, force: true });
  };
}

/**
 * Builds the lab and waits until every device's snmpd serves exactly the LLDP neighbours of the links built; throws
 * (with the agents' output) when it cannot, after removing whatever it made.
 */
export async function createLab(spec: LabSpec): Promise<Lab | LabSkip> {
  validate(spec);
  const lab = new NetnsLab(spec);
  const denied = await lab.firstNamespace();
  if (denied) return denied;
  for (const cmd of ['snmpd', 'lldpd', 'fping'])
    if (!installed(cmd)) {
      await lab.destroy();
      return { skip: `${cmd} is not installed (apt-get install ${cmd})`, cause: 'missing-tool' };
    }
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  try {
    await lab.buildNetwork();
    lab.timings.networkMs = since();
    await Promise.all(spec.nodes.map(lab.startAgents));
    lab.timings.agentsMs = since() - lab.timings.networkMs;
    await lab.waitForLldp(spec.lldpTimeoutMs);
    lab.timings.lldpMs = since() - lab.timings.networkMs - lab.timings.agentsMs;
  } catch (e) {
    const logs = lab.logs();
    await lab.destroy();
    const message = (e as Error).message;
    throw new Error(`${message.startsWith('lab:') ? '' : 'lab: '}${message}\n${logs.slice(-6000)}`);
  }
  return lab;
}
