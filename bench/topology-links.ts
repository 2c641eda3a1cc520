/**
 * Link computation at scale (goal from the issue: 2,000 devices with 50 neighbours each, under 5 s and under 200 MB
 * extra memory): matchLinks then groupLinks (LAGs) end to end over synthetic DeviceSides, in a fresh process started
 * with --expose-gc, so the memory figures are what this work adds to a heap holding only its input.
 * The network is seeded and fixed: each device has 52 interfaces (48 access ports, 2 uplinks in port-channel 1, 2
 * port-channels) named in one of four vendor styles, reports its neighbours by LLDP with the chassis ID and port ID
 * subtypes of the far end's style (MAC or local-name chassis; ifName, MAC or local port ID), Cisco-style pairs also by
 * CDP; 5 unknown neighbours per device, 4 parallel links per device pair (i, i + N/2), uplink LAGs between pairs
 * (2k, 2k + 1), and one device in ten that reports nothing (its links are seen from one side).
 * The digest of the output lets two versions of match.ts be compared on the same input.
 *   npx tsx bench/topology-links.ts [--devices 2000] [--neighbours 50] [--runs 3]
 * No peer to compare with; the goal is the reference.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CdpNeighbour } from '../src/topology/cdp.ts';
import type { DeviceSide, Iface } from '../src/topology/identity.ts';
import { groupLinks } from '../src/topology/lag.ts';
import type { LldpLocalPort, LldpNeighbour } from '../src/topology/lldp.ts';
import { matchLinks } from '../src/topology/match.ts';

const GOAL_MS = 5000;
const GOAL_MB = 200;
const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    neighbours: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    child: { type: 'boolean', default: false },
  },
});
const devices = Number(values.devices);
const neighbours = Number(values.neighbours);
const runs = Number(values.runs);

type Style = 'cisco' | 'arista' | 'procurve' | 'linux';
const STYLES: Style[] = ['cisco', 'arista', 'procurve', 'linux'];
const ACCESS = 48;
const UPLINKS = [49, 50];
const UNKNOWN = 5;

/** A small seeded PRNG (mulberry32), so every run sees the same network. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number) => n.toString(16).padStart(2, '0');
const mac = (dev: number, port: number) =>
  ['02', hex((dev >> 16) & 255), hex((dev >> 8) & 255), hex(dev & 255), hex(port >> 8), hex(port & 255)].join(':');

/** One synthetic device: its style, its interfaces by port number 1..52 and how LLDP names it and its ports. */
interface Gen {
  n: number;
  style: Style;
  side: DeviceSide;
  ifOf: (port: number) => Iface;
  /** What a neighbour's LLDP row says about this device's `port`. */
  chassis: Pick<LldpNeighbour, 'chassisIdSubtype' | 'chassisId'>;
  portId: (port: number) => Pick<LldpNeighbour, 'portIdSubtype' | 'portId'>;
  /** lldpLocPortNum of `port`. */
  portNum: (port: number) => number;
  address: string;
  silent: boolean;
}

function makeDevice(n: number): Gen {
  const style = STYLES[n % 4];
  const silent = n % 10 === 9;
  const name = `sw-${String(n).padStart(4, '0')}`;
  const sysName = n % 10 === 3 ? name : `${name}.site${n % 40}.example.net`;
  const ifIndexOf = (p: number) => (style === 'arista' ? 1000 + p : style === 'cisco' ? 10100 + p : p);
  const names = (p: number): [string, string] => {
    const lag = p > ACCESS + UPLINKS.length;
    const k = lag ? p - ACCESS - UPLINKS.length : p;
    if (style === 'cisco')
      return lag
        ? [`Po${k}`, `Port-channel${k}`]
        : p > ACCESS
          ? [`Te1/1/${p - ACCESS}`, `TenGigabitEthernet1/1/${p - ACCESS}`]
          : [`Gi1/0/${p}`, `GigabitEthernet1/0/${p}`];
    if (style === 'arista') return lag ? [`Port-Channel${k}`, `Port-Channel${k}`] : [`Ethernet${p}`, `Ethernet${p}`];
    if (style === 'procurve') return lag ? [`Trk${k}`, `Trk${k}`] : [`${p}`, `${p}`];
    return lag ? [`bond${k}`, `bond${k}`] : [`eth${p}`, `eth${p}`];
  };
  const interfaces: Iface[] = [];
  for (let p = 1; p <= ACCESS + UPLINKS.length + 2; p++) {
    const [ifName, ifDescr] = names(p);
    interfaces.push({ ifIndex: ifIndexOf(p), ifName, ifDescr, ifPhysAddress: mac(n, p) });
  }
  const ifOf = (p: number) => interfaces[p - 1];
  const chassis: Gen['chassis'] =
    style === 'linux'
      ? { chassisIdSubtype: 'local', chassisId: name }
      : { chassisIdSubtype: 'macAddress', chassisId: mac(n, 0) };
  const portId = (p: number): Pick<LldpNeighbour, 'portIdSubtype' | 'portId'> =>
    style === 'linux'
      ? { portIdSubtype: 'macAddress', portId: mac(n, p) }
      : style === 'procurve'
        ? { portIdSubtype: 'local', portId: String(p) }
        : { portIdSubtype: 'interfaceName', portId: ifOf(p).ifName! };
  const portNum = (p: number) => (style === 'arista' ? p : ifIndexOf(p));
  const ports: LldpLocalPort[] = interfaces.slice(0, ACCESS + UPLINKS.length).map((i, k) => {
    const id = portId(k + 1);
    return { portNum: portNum(k + 1), idSubtype: id.portIdSubtype, id: id.portId, desc: i.ifDescr };
  });
  const address = `10.${(n >> 8) & 255}.${n & 255}.1`;
  const side: DeviceSide = {
    deviceId: `dev-${n}`,
    sysName,
    interfaces,
    chassisMacs: chassis.chassisIdSubtype === 'macAddress' ? [chassis.chassisId] : [],
    managementAddresses: [address],
    lldp: { local: { ...chassis, sysName, ports }, neighbours: [] },
    ...(style === 'cisco' ? { cdp: [] } : {}),
  };
  return { n, style, side, ifOf, chassis, portId, portNum, address, silent };
}

/** What a perfect matcher finds: cables seen from both ends, from one end, and unknown neighbours. */
const expected = { both: 0, one: 0, unknown: 0 };

/** Records the link between `x`'s port `px` and `y`'s port `py` in each end's neighbour tables. */
function cable(x: Gen, px: number, y: Gen, py: number, rand: () => number) {
  if (!x.silent && !y.silent) expected.both++;
  else if (!x.silent || !y.silent) expected.one++;
  for (const [me, mp, far, fp] of [
    [x, px, y, py],
    [y, py, x, px],
  ] as const) {
    if (me.silent) continue;
    const lldp = me.side.lldp!;
    lldp.neighbours.push({
      localPortNum: me.portNum(mp),
      remIndex: lldp.neighbours.length + 1,
      ...far.chassis,
      ...far.portId(fp),
      portDesc: far.ifOf(fp).ifDescr,
      // Some agents leave lldpRemSysName out: then only the chassis ID identifies the far end.
      ...(rand() < 0.9 ? { sysName: far.side.sysName } : {}),
      capSupported: ['bridge', 'router'],
      capEnabled: ['bridge'],
      managementAddresses: rand() < 0.5 ? [{ family: 'ipv4', address: far.address }] : [],
    });
    if (me.style === 'cisco' && far.style === 'cisco')
      me.side.cdp!.push({
        ifIndex: me.ifOf(mp).ifIndex,
        deviceIndex: me.side.cdp!.length + 1,
        deviceId: `${far.side.sysName}(FOC${String(far.n).padStart(7, '0')})`,
        address: far.address,
        addressType: 1,
        devicePort: far.ifOf(fp).ifDescr,
        platform: 'cisco WS-C3850-48P',
        capabilities: ['router', 'switch', 'igmp'],
      } satisfies CdpNeighbour);
  }
}

/** The synthetic network and the LAG membership of every device that reports it. */
function buildNetwork(count: number, perDevice: number) {
  const rand = prng(20240601);
  const gens = Array.from({ length: count }, (_, n) => makeDevice(n));
  // Unknown neighbours: phones, access points and servers that are not in the inventory.
  for (const g of gens) {
    if (g.silent) continue;
    for (let p = 1; p <= UNKNOWN; p++) {
      expected.unknown++;
      const phoneMac = mac(0x800000 + g.n, p);
      g.side.lldp!.neighbours.push({
        localPortNum: g.portNum(p),
        remIndex: g.side.lldp!.neighbours.length + 1,
        chassisIdSubtype: 'macAddress',
        chassisId: phoneMac,
        portIdSubtype: p % 2 ? 'macAddress' : 'local',
        portId: p % 2 ? phoneMac : 'eth0',
        ...(p % 3 ? { sysName: `SEP${phoneMac.replace(/:/g, '').toUpperCase()}` } : {}),
        capSupported: ['telephone'],
        capEnabled: ['telephone'],
        managementAddresses: [],
      });
    }
  }
  // Uplinks: a LAG of two parallel links between devices 2k and 2k + 1.
  for (let k = 0; k + 1 < count; k += 2) for (const p of UPLINKS) cable(gens[k], p, gens[k + 1], p, rand);
  // Parallel links: ports 45, 46 of i to ports 47, 48 of i + N/2 and back, four links per pair.
  const half = Math.floor(count / 2);
  for (let i = 0; i < half; i++) {
    const j = i + half;
    cable(gens[i], 45, gens[j], 47, rand);
    cable(gens[i], 46, gens[j], 48, rand);
    cable(gens[j], 45, gens[i], 47, rand);
    cable(gens[j], 46, gens[i], 48, rand);
  }
  // The rest: ports 6..44 (fewer for fewer neighbours) cabled at random between devices (no self-links).
  const last = Math.min(44, perDevice - UPLINKS.length - 4);
  const slots: [number, number][] = [];
  for (const g of gens) for (let p = UNKNOWN + 1; p <= last; p++) slots.push([g.n, p]);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  for (let i = 0; i + 1 < slots.length; i += 2) {
    if (slots[i][0] === slots[i + 1][0] && i + 2 < slots.length)
      [slots[i + 1], slots[i + 2]] = [slots[i + 2], slots[i + 1]];
    const [x, px] = slots[i];
    const [y, py] = slots[i + 1];
    if (x !== y) cable(gens[x], px, gens[y], py, rand);
  }
  const lags = new Map<string, Map<number, number>>();
  for (const g of gens) {
    if (g.silent) continue;
    const po = g.ifOf(ACCESS + UPLINKS.length + 1).ifIndex;
    lags.set(g.side.deviceId, new Map(UPLINKS.map((p) => [g.ifOf(p).ifIndex, po])));
  }
  return { sides: gens.map((g) => g.side), lags };
}

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

if (values.child) {
  if (!gc) throw new Error('run the child with --expose-gc');
  const { sides, lags } = buildNetwork(devices, neighbours);
  const rows = sides.reduce((s, d) => s + (d.lldp?.neighbours.length ?? 0) + (d.cdp?.length ?? 0), 0);
  gc();
  gc();
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let started = performance.now();
  let grouped = groupLinks(matchLinks(sides), lags);
  const firstMs = performance.now() - started;
  const after = process.memoryUsage();
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  gc();
  gc();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  const warmMs: number[] = [];
  for (let r = 1; r < runs; r++) {
    started = performance.now();
    grouped = groupLinks(matchLinks(sides), lags);
    warmMs.push(performance.now() - started);
  }
  const links = grouped.links;
  const count = (f: (l: (typeof links)[number]) => boolean) => links.filter(f).length;
  console.log(
    JSON.stringify({
      rows,
      links: links.length,
      both: count((l) => l.seenFrom === 'both'),
      one: count((l) => l.seenFrom === 'a' && l.b.deviceId !== undefined),
      unknown: count((l) => l.b.deviceId === undefined),
      lldpAndCdp: count((l) => l.via.length > 1),
      aggregates: grouped.aggregates.length,
      expected,
      digest: createHash('sha256').update(JSON.stringify(grouped)).digest('hex').slice(0, 16),
      firstMs,
      warmMs,
      rssDelta: after.rss - before.rss,
      maxRssDelta: Math.max(0, maxRssAfter - maxRssBefore),
      heapDelta: after.heapUsed - before.heapUsed,
      retained,
      inputHeap: before.heapUsed,
    }),
  );
  process.exit(0);
}

const child = spawnSync(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', import.meta.filename, '--child', ...process.argv.slice(2)],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
);
if (child.status !== 0) throw new Error(`benchmark process failed (status ${child.status}, signal ${child.signal})`);
const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
const mb = (b: number) => (b / MB).toFixed(0).padStart(5);
const extraMb = Math.max(r.rssDelta, r.maxRssDelta) / MB;
console.log(
  `topology links: ${devices} devices x ${neighbours} neighbours, ${r.rows} neighbour rows (LLDP + CDP), ` +
    `input heap ${mb(r.inputHeap).trim()} MB`,
);
console.log(
  `  output: ${r.links} links (${r.both} seen from both ends, ${r.one} from one end, ${r.unknown} to unknown ` +
    `neighbours, ${r.lldpAndCdp} by LLDP and CDP), ${r.aggregates} aggregate links, digest ${r.digest}`,
);
console.log(
  `  cabled: ${r.expected.both} seen from both ends, ${r.expected.one} from one end, ${r.expected.unknown} unknown`,
);
console.log('                                   Vigil     goal');
console.log(
  `  matchLinks + groupLinks, ms   ${r.firstMs.toFixed(0).padStart(8)} ${String(GOAL_MS).padStart(8)}  ` +
    `${r.firstMs < GOAL_MS ? 'ok' : 'OVER'} (first run, fresh process)`,
);
if (r.warmMs.length)
  console.log(`  warm runs, ms                 ${r.warmMs.map((x: number) => x.toFixed(0).padStart(8)).join(' ')}`);
console.log(
  `  extra RSS, MB                 ${mb(r.rssDelta).padStart(8)} ${String(GOAL_MB).padStart(8)}  ` +
    `${extraMb < GOAL_MB ? 'ok' : 'OVER'} (peak by getrusage: +${mb(r.maxRssDelta).trim()} MB)`,
);
console.log(
  `  extra heap, MB                ${mb(r.heapDelta).padStart(8)}           (retained after GC, output held: ${mb(r.retained).trim()} MB)`,
);
