/**
 * Starts `snmpsimd` (Debian package snmpsim) on a free loopback UDP port, serving a directory of
 * .snmprec recordings: the community is the file name without `.snmprec`.
 * @example
 * const sim = await startSnmpsim({ dataDir: devicesDir() });
 * after(() => sim.stop());
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpPort } from './ports.ts';
import { testDataPath } from './testdata.ts';
import { stopChild, waitForStart } from './process.ts';

export interface SnmpsimOptions {
  /** Directory of .snmprec files (read by the unprivileged `nobody` user). */
  dataDir: string;
  host?: string;
  /** One SNMPv3 user (snmpsim serves v1/v2c communities and this user). Protocol names as snmpsimd takes them. */
  v3?: { user: string; authKey?: string; authProto?: 'MD5' | 'SHA' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512'; privKey?: string; privProto?: 'DES' | 'AES' | 'AES192' | 'AES192BLMT' | 'AES256' | 'AES256BLMT' };
}

export interface RunningSnmpsim {
  host: string;
  port: number;
  /** Communities served (file names without .snmprec). */
  communities: string[];
  output(): string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The shared recordings: $VIGIL_TESTDATA/devices, else ../shared/devices beside the project. */
export function devicesDir(): string {
  return testDataPath('devices');
}

/** Starts snmpsimd and resolves once it listens. Stop it in an `after()` hook. */
export async function startSnmpsim(opts: SnmpsimOptions): Promise<RunningSnmpsim> {
  if (!existsSync(opts.dataDir)) throw new Error(`snmpsim: no data dir ${opts.dataDir}`);
  const host = opts.host ?? '127.0.0.1';
  const communities = readdirSync(opts.dataDir).filter((f) => f.endsWith('.snmprec')).map((f) => f.slice(0, -'.snmprec'.length)).sort();
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort(host);
    const cache = mkdtempSync(join(tmpdir(), 'vigil-snmpsim-'));
    // snmpsimd drops privileges to nobody, which must be able to write its index cache.
    chmodSync(cache, 0o777);
    const args = [
      `--data-dir=${opts.dataDir}`,
      `--agent-udpv4-endpoint=${host}:${port}`,
      `--cache-dir=${cache}`,
      '--process-user=nobody',
      '--process-group=nogroup',
      '--logging-method=stdout',
    ];
    if (opts.v3) {
      args.push(`--v3-user=${opts.v3.user}`);
      if (opts.v3.authKey) args.push(`--v3-auth-key=${opts.v3.authKey}`, `--v3-auth-proto=${opts.v3.authProto ?? 'MD5'}`);
      if (opts.v3.privKey) args.push(`--v3-priv-key=${opts.v3.privKey}`, `--v3-priv-proto=${opts.v3.privProto ?? 'DES'}`);
    }
    const child = spawn('snmpsimd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = waitForStart(child, { name: 'snmpsimd', ready: /Listening at UDP/, portInUse: /Address already in use|Errno 98/i, timeoutMs: 60_000, installHint: 'apt-get install snmpsim' });
    const result = await started.result;
    const stop = async () => {
      await stopChild(child);
      rmSync(cache, { recursive: true, force: true });
    };
    if (result === 'ready') return { host, port, communities, output: started.output, process: child, stop };
    await stop();
    if (result instanceof Error) throw result;
  }
  throw new Error('snmpsimd: no free port after 5 attempts');
}
