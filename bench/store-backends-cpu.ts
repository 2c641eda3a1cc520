/**
 * Where the time of a bench/store-backends.ts phase went, from /proc: this process's CPU per thread (the main thread,
 * SQLite's writer thread…), PostgreSQL's per process (the postmaster and its children: backends, WAL writer,
 * checkpointer, autovacuum; children that ended are in the postmaster's cutime/cstime), what the rest of the machine
 * used, iowait, and the bytes each side had written to disk. `bound` reads the split as "what held the figure back".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux). */
const HZ = 100;
export const CORES = cpus().length;

interface ProcTimes {
  ppid: number;
  /** utime + stime, ticks. */
  own: number;
  /** cutime + cstime (children waited for), ticks. */
  children: number;
}

function procStat(path: string): ProcTimes | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // Fields after the command (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

function writeBytes(pid: number | 'self'): number {
  try {
    const m = /write_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function label(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    const text = cmd.replace(/^postgres:\s*/, '');
    // A backend: "user database host(port) state"; the state changes, the port names it.
    const m = /^\S+ \S+ [\d.]+\((\d+)\)/.exec(text);
    return m ? `backend :${m[1]}` : text.split(' ').slice(0, 2).join(' ');
  } catch {
    return `pid ${pid}`;
  }
}

export interface Snapshot {
  at: number;
  /** The postmaster's pid (0: no PostgreSQL); the key -pgPid holds its ended children's time. */
  pgPid: number;
  /** This process's threads: tid → ticks. */
  threads: Map<number, number>;
  /** PostgreSQL's processes: pid → ticks (with their ended children's). */
  pg: Map<number, number>;
  pgLabels: Map<number, string>;
  machine: { busy: number; idle: number; iowait: number };
  selfWritten: number;
  pgWritten: number;
}

/** This process's thread ids now: those that appear after starting a worker are the worker's. */
export function threadIds(): Set<number> {
  return new Set(readdirSync('/proc/self/task').map(Number));
}

function machine(): Snapshot['machine'] {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return { busy: f[0] + f[1] + f[2] + f[5] + f[6] + f[7], idle: f[3], iowait: f[4] };
}

export function snapshot(pgPid?: number): Snapshot {
  const threads = new Map<number, number>();
  for (const t of readdirSync('/proc/self/task')) {
    const s = procStat(`/proc/self/task/${t}/stat`);
    if (s) threads.set(Number(t), s.own);
  }
  const pg = new Map<number, number>();
  const pgLabels = new Map<number, string>();
  let pgWritten = 0;
  if (pgPid) {
    const root = procStat(`/proc/${pgPid}/stat`);
    if (root) {
      pg.set(pgPid, root.own);
      pgLabels.set(pgPid, 'postmaster');
      // Children that ended (autovacuum workers, mostly) were added to the postmaster's cutime/cstime when reaped.
      pg.set(-pgPid, root.children);
      pgLabels.set(-pgPid, 'ended children (autovacuum workers)');
      pgWritten += writeBytes(pgPid);
    }
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = procStat(`/proc/${name}/stat`);
      if (s?.ppid !== pgPid) continue;
      const pid = Number(name);
      pg.set(pid, s.own + s.children);
      pgLabels.set(pid, label(pid));
      pgWritten += writeBytes(pid);
    }
  }
  return {
    at: performance.now(),
    pgPid: pgPid ?? 0,
    threads,
    pg,
    pgLabels,
    machine: machine(),
    selfWritten: writeBytes('self'),
    pgWritten,
  };
}

/** A phase's time, in cores (CPU seconds per second of the phase), and bytes written. */
export interface Split {
  wallS: number;
  vigil: number;
  vigilMain: number;
  /** The store's writer thread (SQLite's), when there is one. */
  vigilWriter: number;
  /** The busiest other thread of this process (V8's collector threads, libuv's pool). */
  vigilThread: number;
  pg: number;
  /** PostgreSQL's busiest processes, busiest first. */
  pgTop: [string, number][];
  /** PostgreSQL's backends (the connections' processes) together. */
  pgBackends: number;
  /** The rest of the machine: other processes (other work on the machine distorts the figure). */
  other: number;
  iowait: number;
  idle: number;
  vigilMB: number;
  pgMB: number;
}

const delta = (a: Map<number, number>, b: Map<number, number>) => {
  const out = new Map<number, number>();
  for (const [k, v] of b) out.set(k, v - (a.get(k) ?? 0));
  return out;
};

/** `writer`: the thread ids of the store's writer thread (see `threadIds`). */
export function split(a: Snapshot, b: Snapshot, writer: ReadonlySet<number> = new Set()): Split {
  const wallS = (b.at - a.at) / 1000;
  const cores = (ticks: number) => ticks / HZ / wallS;
  const threads = delta(a.threads, b.threads);
  const main = threads.get(process.pid) ?? 0;
  let vigil = 0;
  let vigilWriter = 0;
  let vigilThread = 0;
  for (const [tid, t] of threads) {
    vigil += t;
    if (writer.has(tid)) vigilWriter += t;
    else if (tid !== process.pid) vigilThread = Math.max(vigilThread, t);
  }
  // Threads that ended during the phase are not in b; none end mid-phase here.
  const pg = delta(a.pg, b.pg);
  // A child that ended meanwhile took all its time into the postmaster's children counter, the part counted in `a` too.
  for (const [pid, t] of a.pg) if (!b.pg.has(pid) && b.pgPid) pg.set(-b.pgPid, (pg.get(-b.pgPid) ?? 0) - t);
  let pgSum = 0;
  let pgBackends = 0;
  for (const [pid, t] of pg) {
    pgSum += t;
    if (b.pgLabels.get(pid)?.startsWith('backend')) pgBackends += t;
  }
  const pgTop = [...pg]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .map(([pid, t]): [string, number] => [b.pgLabels.get(pid) ?? String(pid), cores(t)]);
  const busy = b.machine.busy - a.machine.busy;
  return {
    wallS,
    vigil: cores(vigil),
    vigilMain: cores(main),
    vigilWriter: cores(vigilWriter),
    vigilThread: cores(vigilThread),
    pg: cores(pgSum),
    pgTop,
    pgBackends: cores(pgBackends),
    other: Math.max(0, cores(busy - vigil - pgSum)),
    iowait: cores(b.machine.iowait - a.machine.iowait),
    idle: cores(b.machine.idle - a.machine.idle),
    vigilMB: (b.selfWritten - a.selfWritten) / 1e6,
    pgMB: (b.pgWritten - a.pgWritten) / 1e6,
  };
}

/**
 * What held a phase back: one thread or process at a full core (it is the bottleneck, the other side waits on it),
 * else both cores busy, else the disk (iowait), else neither side busy: round trips, locks, fsync.
 */
export function bound(s: Split): string {
  const full = 0.75;
  const disturbed = s.other >= 0.2 ? ` (other processes took ${s.other.toFixed(2)} cores: figure disturbed)` : '';
  const pg = s.pgTop[0];
  if (s.vigilMain >= full) return `Vigil's main thread, ${pct(s.vigilMain)}${disturbed}`;
  if (s.vigilWriter >= full) return `Vigil's writer thread, ${pct(s.vigilWriter)}${disturbed}`;
  if (pg && pg[1] >= full) return `PostgreSQL ${pg[0]}, ${pct(pg[1])}${disturbed}`;
  // One batch at a time: Vigil builds the statement while PostgreSQL waits, then the other way round.
  const vigilTop = Math.max(s.vigilMain, s.vigilWriter);
  if (pg && vigilTop + s.pgBackends >= full && s.vigil + s.pg < full * CORES)
    return `Vigil's ${s.vigilMain >= s.vigilWriter ? 'main' : 'writer'} thread and PostgreSQL's backends taking turns (${vigilTop.toFixed(2)} + ${s.pgBackends.toFixed(2)} cores: one batch in flight)${disturbed}`;
  if (s.vigil + s.pg + s.other >= full * CORES)
    return `both cores busy: Vigil ${s.vigil.toFixed(2)}, PostgreSQL ${s.pg.toFixed(2)}, other ${s.other.toFixed(2)}${disturbed}`;
  if (s.iowait >= 0.2) return `disk: iowait ${s.iowait.toFixed(2)} cores${disturbed}`;
  return `waiting, no CPU full: Vigil ${s.vigil.toFixed(2)} cores (busiest thread ${Math.max(s.vigilMain, s.vigilWriter).toFixed(2)}), PostgreSQL ${s.pg.toFixed(2)} (busiest process ${(pg?.[1] ?? 0).toFixed(2)}), idle ${s.idle.toFixed(2)}${disturbed}`;
}

const pct = (x: number) => `${Math.round(x * 100)}% of a core`;

export function describe(s: Split, withPg: boolean): string {
  const writer = s.vigilWriter ? `, writer thread ${s.vigilWriter.toFixed(2)}` : '';
  const parts = [
    `Vigil ${s.vigil.toFixed(2)} cores (main ${s.vigilMain.toFixed(2)}${writer}, busiest other thread ${s.vigilThread.toFixed(2)})`,
  ];
  if (withPg)
    parts.push(`PostgreSQL ${s.pg.toFixed(2)} (${s.pgTop.map(([l, c]) => `${l} ${c.toFixed(2)}`).join(', ')})`);
  parts.push(`other ${s.other.toFixed(2)}`, `iowait ${s.iowait.toFixed(2)}`, `idle ${s.idle.toFixed(2)}`);
  parts.push(`written: Vigil ${Math.round(s.vigilMB)} MB${withPg ? `, PostgreSQL ${Math.round(s.pgMB)} MB` : ''}`);
  return parts.join('; ');
}
