/**
 * Starts `snmpsimd` (Debian package snmpsim) on a free loopback UDP port, serving a directory of
 * .snmprec recordings: the community is the file name without `.snmprec`. snmpsimd drops to user nobody, so a
 * directory nobody cannot read (say, under root's 0700 home) is served from a readable copy in the temp dir,
 * removed on stop.
 * @example
 * const sim = await startSnmpsim({ dataDir: devicesDir() });
 * after(() => sim.stop());
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpPort } from './ports.ts';
import { testDataPath } from './testdata.ts';
import { stopChild, waitForStart } from './process.ts';

export interface SnmpsimOptions {
  /** Directory of .snmprec files; served from a copy when user nobody cannot read it. */
  dataDir: string;
  host?: string;
  /** One SNMPv3 user (snmpsim serves v1/v2c communities and this user). Protocol names as snmpsimd takes them. */
  v3?: {
    user: string;
    authKey?: string;
    authProto?: 'MD5' | 'SHA' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';
    privKey?: string;
    privProto?: 'DES' | 'AES' | 'AES192' | 'AES192BLMT' | 'AES256' | 'AES256BLMT';
  };
}

export interface RunningSnmpsim {
  host: string;
  port: number;
  /** Communities served (file names without .snmprec). */
  communities: string[];
  /** The directory snmpsimd serves: `dataDir`, or its readable copy (a test that rewrites recordings while serving writes here). */
  servedDir: string;
  output(): string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The shared recordings: devices/ in the test data (testdata.ts: $VIGIL_TESTDATA, ../shared or .testdata). */
export function devicesDir(): string {
  return testDataPath('devices');
}

/** Whether user nobody (whom snmpsimd runs as) can enter `dir` and read each of `files` there. */
function readableByNobody(dir: string, files: string[]): boolean {
  // Only root can start snmpsimd as nobody (and ask runuser); anyone else serves as themselves.
  if (process.getuid?.() !== 0) return true;
  const r = spawnSync(
    'runuser',
    [
      '-u',
      'nobody',
      '--',
      'sh',
      '-c',
      'cd "$1" || exit 1; shift; for f do [ -r "$f" ] || exit 1; done',
      'sh',
      dir,
      ...files,
    ],
    { stdio: 'ignore', timeout: 10_000 },
  );
  return r.status === 0;
}

/** `files` of `dir` copied into a new temp directory that every user can read (0755, files 0644). */
function readableCopy(dir: string, files: string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'vigil-snmpsim-data-'));
  chmodSync(copy, 0o755);
  for (const f of files) {
    copyFileSync(join(dir, f), join(copy, f));
    chmodSync(join(copy, f), 0o644);
  }
  if (!readableByNobody(copy, files)) {
    rmSync(copy, { recursive: true, force: true });
    throw new Error(
      `snmpsim: user nobody can read neither ${dir} nor its copy in ${tmpdir()}; set TMPDIR to a directory every user can enter`,
    );
  }
  return copy;
}

/** Starts snmpsimd and resolves once it listens. Stop it in an `after()` hook. */
export async function startSnmpsim(opts: SnmpsimOptions): Promise<RunningSnmpsim> {
  if (!existsSync(opts.dataDir)) throw new Error(`snmpsim: no data dir ${opts.dataDir}`);
  const host = opts.host ?? '127.0.0.1';
  const files = readdirSync(opts.dataDir)
    .filter((f) => f.endsWith('.snmprec'))
    .sort();
  const communities = files.map((f) => f.slice(0, -'.snmprec'.length));
  const copy = readableByNobody(opts.dataDir, files) ? undefined : readableCopy(opts.dataDir, files);
  const servedDir = copy ?? opts.dataDir;
  const removeCopy = () => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freeUdpPort(host);
      const cache = mkdtempSync(join(tmpdir(), 'vigil-snmpsim-'));
      // snmpsimd drops privileges to nobody, which must be able to write its index cache.
      chmodSync(cache, 0o777);
      const args = [
        `--data-dir=${servedDir}`,
        `--agent-udpv4-endpoint=${host}:${port}`,
        `--cache-dir=${cache}`,
        '--process-user=nobody',
        '--process-group=nogroup',
        '--logging-method=stdout',
      ];
      if (opts.v3) {
        args.push(`--v3-user=${opts.v3.user}`);
        if (opts.v3.authKey)
          args.push(`--v3-auth-key=${opts.v3.authKey}`, `--v3-auth-proto=${opts.v3.authProto ?? 'MD5'}`);
        if (opts.v3.privKey)
          args.push(`--v3-priv-key=${opts.v3.privKey}`, `--v3-priv-proto=${opts.v3.privProto ?? 'DES'}`);
      }
      const child = spawn('snmpsimd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const started = waitForStart(child, {
        name: 'snmpsimd',
        ready: /Listening at UDP/,
        portInUse: /Address already in use|Errno 98/i,
        timeoutMs: 60_000,
        installHint: 'apt-get install snmpsim',
      });
      const result = await started.result;
      const stopSim = async () => {
        await stopChild(child);
        rmSync(cache, { recursive: true, force: true });
      };
      if (result === 'ready') {
        const stop = async () => {
          await stopSim();
          removeCopy();
        };
        return { host, port, communities, servedDir, output: started.output, process: child, stop };
      }
      await stopSim();
      if (result instanceof Error) throw result;
    }
    throw new Error('snmpsimd: no free port after 5 attempts');
  } catch (e) {
    removeCopy();
    throw e;
  }
}
