/**
 * A throwaway Kafka for tests and benchmarks: librdkafka's mock cluster, hosted by kcat (`kcat -b x:9092 -X
 * test.mock.num.brokers=N -C -t keepalive`), which prints the brokers' addresses on stderr and keeps the cluster up
 * while it runs. The brokers listen on 127.0.0.1, on ports the mock picks. kcat is started under `setpriv --pdeathsig
 * KILL` where there is one, so it dies with the process that started it even when that process is SIGKILLed.
 *
 * `blockPorts` makes brokers unreachable for a while with iptables rules on the loopback interface (root only); each
 * rule carries a comment naming this process's pid, and `removeStaleBlocks` deletes rules left by dead processes.
 *
 * What the mock (librdkafka 2.0.2) is not (measured; docs/kafka-client.md has the figures):
 * - Topics are created on first use with 4 partitions; CreateTopics is not supported, and it keeps only the last
 *   ~5 MiB per partition (older batches are dropped: a consumer that falls behind loses records).
 * - Its Metadata names controller 0, a broker that does not exist: kafkajs's `idempotent: true` producer and admin
 *   calls that go to the controller fail with "Broker 0 not found in the cached metadata".
 * - A group's first join waits 3 s; after a member dies, reassignment takes about 2 × sessionTimeout − 1 s.
 * - A follower whose SyncGroup arrives after the leader's gets INVALID_REQUEST, which stops a kafkajs consumer for
 *   good (no restart): start group members one after another, or restart a consumer on its CRASH event.
 * - No SASL, no TLS; values up to ~99.99 MB are accepted, larger requests are dropped with the connection.
 * @example
 * const kafka = await startKafkaMock({ brokers: 3 });
 * after(() => kafka.stop());
 * const unblock = await blockPorts(kafka.ports);
 * try { ... } finally { await unblock(); }
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { stopChild } from './process.ts';

const run = promisify(execFile);

export interface KafkaMock {
  /** `127.0.0.1:PORT` of each broker, in broker id order. */
  brokers: string[];
  ports: number[];
  /** kcat's process id (the mock cluster runs inside it). */
  pid: number;
  /** The last 64 KB kcat printed (librdkafka's log; with `debug`, every request the mock served). */
  output(): string;
  /** Kills kcat by its pid and resolves once it is gone (safe to call twice). */
  stop(): Promise<void>;
}

const KCAT_HINT = 'apt-get install kcat';
const IPTABLES_HINT = 'apt-get install iptables';
const OUTPUT_KEEP = 64 * 1024;
/** Both forms librdkafka prints: the `-d mock` debug line and the notice it always logs. */
const SERVERS = /(?:bootstrap\.servers=|replaced with )((?:127\.0\.0\.1:\d+,?)+)/;

/** The absolute path of a program on PATH (or `program` itself when it is a path and executable), or undefined. */
export function which(program: string): string | undefined {
  const dirs = program.includes('/') ? [''] : (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter);
  for (const dir of dirs) {
    const p = dir ? join(dir, program) : program;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {}
  }
  return undefined;
}

/**
 * Starts a mock cluster of `brokers` brokers (default 3). `debug` adds `-d mock` (kcat then logs every request,
 * kept in `output()`; off by default since it costs throughput). Topics are created on first use with the mock's
 * default of 4 partitions.
 */
export async function startKafkaMock(
  opts: { brokers?: number; debug?: boolean; timeoutMs?: number } = {},
): Promise<KafkaMock> {
  const n = opts.brokers ?? 3;
  if (!Number.isInteger(n) || n < 1) throw new Error(`startKafkaMock: brokers must be a positive integer, not ${n}`);
  const kcat = which('kcat');
  if (!kcat) throw new Error(`kcat was not found on PATH; the Kafka mock cluster needs it (${KCAT_HINT})`);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const args = ['-b', 'x:9092', '-X', `test.mock.num.brokers=${n}`, ...(opts.debug ? ['-d', 'mock'] : [])];
  // -E: kcat's own consumer must outlive "all brokers down" (blockPorts cuts it off too); by default it exits on it.
  args.push('-q', '-E', '-C', '-t', 'keepalive');
  const setpriv = which('setpriv');
  // setpriv execs kcat, so the pid stays kcat's.
  const child: ChildProcess = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', kcat, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(kcat, args, { stdio: ['ignore', 'ignore', 'pipe'] });

  let out = '';
  // Always drained: with `-d mock` kcat logs from the mock's own thread, which would stall on a full pipe.
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.length > 2 * OUTPUT_KEEP) out = out.slice(-OUTPUT_KEEP);
  });
  const servers = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`kcat (${KCAT_HINT}) did not start a mock Kafka cluster: ${why}\n${out.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no broker addresses within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = () => {
      const m = SERVERS.exec(out);
      if (m) {
        cleanup();
        resolve(m[1].replace(/,$/, ''));
      }
    };
    const onError = (e: Error) => fail(e.message);
    const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? code})`);
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
  const brokers = servers.split(',');
  const ports = brokers.map((b) => Number(b.slice(b.lastIndexOf(':') + 1)));
  const pid = child.pid!;
  let stopping: Promise<void> | undefined;
  return {
    brokers,
    ports,
    pid,
    output: () => out.slice(-OUTPUT_KEEP),
    stop() {
      // SIGTERM first (kcat closes its consumer and the mock), SIGKILL after 3 s.
      stopping ??= stopChild(child);
      return stopping;
    },
  };
}

/** The comment on every rule `blockPorts` adds; the pid says whose it is. */
const TAG = 'vigil-kafka-block';
const tagFor = (pid: number) => `${TAG} pid=${pid}`;

export type BlockMode = 'reject' | 'drop';

/** Rules (minus the `-I INPUT` / `-D INPUT` in front) that cut loopback TCP to and from `port` in both directions. */
function ruleSpecs(port: number, mode: BlockMode): string[][] {
  const target = mode === 'reject' ? ['-j', 'REJECT', '--reject-with', 'tcp-reset'] : ['-j', 'DROP'];
  return ['--dport', '--sport'].map((dir) => [
    ...['-s', '127.0.0.0/8', '-d', '127.0.0.0/8', '-i', 'lo', '-p', 'tcp', '-m', 'tcp', dir, String(port)],
    // The resets REJECT sends must pass, or the other direction's rule swallows them and connections just hang.
    ...(mode === 'reject' ? ['!', '--tcp-flags', 'RST', 'RST'] : []),
    ...['-m', 'comment', '--comment', tagFor(process.pid), ...target],
  ]);
}

/** iptables on PATH, else in the sbin directories a non-login PATH may lack. */
function iptablesPath(): string | undefined {
  return which('iptables') ?? ['/usr/sbin/iptables', '/sbin/iptables'].find((p) => which(p) !== undefined);
}

async function iptables(args: string[]): Promise<string> {
  try {
    const { stdout } = await run(iptablesPath() ?? 'iptables', ['-w', '10', ...args]);
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT')
      throw new Error(`iptables was not found; blocking the Kafka brokers needs it (${IPTABLES_HINT})`);
    throw new Error(`iptables ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** Rules added by this process and not yet deleted, so that an exit without `unblock()` still removes them. */
const live = new Set<string[]>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const spec of live) {
      try {
        // Synchronous: nothing asynchronous runs in an exit handler.
        execFileSync(iptablesPath() ?? 'iptables', ['-w', '10', '-D', 'INPUT', ...spec], { stdio: 'ignore' });
      } catch {}
    }
  });
}

/**
 * Makes the brokers on `ports` unreachable: loopback TCP to those ports (`--dport`) and from them (`--sport`) is
 * refused with a TCP reset (`reject`, the default: new connections are refused and established ones reset at
 * their next packet, so kafkajs notices within milliseconds) or silently dropped (`drop`: connections hang until
 * kafkajs's own timeouts, like a cut cable). Needs root and iptables. Returns `unblock`, which deletes exactly the
 * rules added (safe to call twice). Rules left by test processes that died are deleted first.
 */
export async function blockPorts(ports: number[], opts: { mode?: BlockMode } = {}): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) throw new Error('blockPorts needs root (it adds iptables rules)');
  if (!iptablesPath())
    throw new Error(`iptables was not found; blocking the Kafka brokers needs it (${IPTABLES_HINT})`);
  await removeStaleBlocks();
  installExitHook();
  const added: string[][] = [];
  const unblock = async () => {
    const errors: string[] = [];
    while (added.length) {
      const spec = added.pop()!;
      try {
        await iptables(['-D', 'INPUT', ...spec]);
        live.delete(spec);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length) throw new Error(`unblock: ${errors.join('; ')}`);
  };
  try {
    for (const port of ports) {
      for (const spec of ruleSpecs(port, opts.mode ?? 'reject')) {
        await iptables(['-I', 'INPUT', '1', ...spec]);
        added.push(spec);
        live.add(spec);
      }
    }
  } catch (e) {
    await unblock().catch(() => {});
    throw e;
  }
  return unblock;
}

/** Splits one line of `iptables -S` into arguments (comments are printed in double quotes). */
function splitRule(line: string): string[] {
  const args: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) args.push(m[1] !== undefined ? m[1] : m[2]);
  return args;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the INPUT rules `blockPorts` added for processes that are no longer alive; returns how many. */
export async function removeStaleBlocks(): Promise<number> {
  if (!iptablesPath()) return 0;
  let removed = 0;
  for (const line of (await iptables(['-S', 'INPUT'])).split('\n')) {
    const m = new RegExp(`${TAG} pid=(\\d+)`).exec(line);
    if (!m || alive(Number(m[1]))) continue;
    const args = splitRule(line);
    if (args[0] !== '-A' || args[1] !== 'INPUT') continue;
    // Another test process may be removing the same stale rule.
    if (
      await iptables(['-D', ...args.slice(1)]).then(
        () => true,
        () => false,
      )
    )
      removed++;
  }
  return removed;
}
