/**
 * A Vigil started as its own process (`bin/vigil.js start`), for tests that kill it (SIGKILL) or restart it: the
 * config is written as YAML into a temporary data directory; HTTP on a free loopback port. The store URL goes through
 * VIGIL_STORE_URL, not the file. `kill` signals it by its process id; `stop` sends SIGTERM (then SIGKILL after 3 s).
 * @example const p = await startVigilProcess({ node: { roles: ['processor'] }, ... }); await p.kill('SIGKILL');
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freeTcpPort } from './ports.ts';
import { stopChild, waitForStart } from './process.ts';

export interface VigilProcess {
  pid: number;
  url: string;
  dataDir: string;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM and wait; then the data directory is removed unless `keep`. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
/** `b` over `a`, objects merged key by key (so `syslog: { tcp }` keeps the quiet `udp: { enabled: false }`). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

export async function startVigilProcess(
  config: Record<string, unknown>,
  opts: { env?: Record<string, string>; dataDir?: string } = {},
): Promise<VigilProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  const port = await freeTcpPort();
  const file = join(dataDir, 'vigil.yaml');
  const full = {
    dataDir,
    log: { level: 'warn' },
    http: { host: '127.0.0.1', port },
    icmp: { enabled: false, monitorLocalhost: false },
    snmp: { enabled: false, probeLocalAgent: false },
    syslog: { udp: { enabled: false }, tcp: { enabled: false }, tls: { enabled: false } },
    traps: { enabled: false },
    mib: { includeSystemMibs: false },
  };
  const merged = merge(full, config);
  writeFileSync(file, stringify(merged), { mode: 0o600 });
  // Started as the process that runs Vigil itself (no re-exec by bin/vigil.js), so its pid is Vigil's: a SIGKILL
  // reaches Vigil, not a wrapper.
  const flags = ['--openssl-legacy-provider', '--max-old-space-size=384', '--import', import.meta.resolve('tsx')];
  const child: ChildProcess = spawn(process.execPath, [...flags, BIN, 'start', '-c', file], {
    env: { ...process.env, ...opts.env, VIGIL_NO_REEXEC: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = waitForStart(child, {
    name: 'vigil',
    ready: /vigil: listening on/,
    portInUse: /EADDRINUSE/,
    timeoutMs: 60_000,
    installHint: 'npm install',
  });
  const r = await started.result;
  if (r !== 'ready') {
    await stopChild(child);
    throw r === 'port-in-use' ? new Error('vigil: port in use') : r;
  }
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    output: started.output,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((res) => child.once('exit', res));
      process.kill(child.pid!, signal);
      await exited;
    },
    async stop(o = {}) {
      // Vigil gets 30 s to stop (send what it holds, finish its batch), as a service manager would give it.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((res) => child.once('exit', res));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(t);
      }
      if (!o.keep && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
