/**
 * Real rsyslog for tests and benchmarks: a test PKI made with openssl, and rsyslogd run in the foreground
 * (`rsyslogd -n -f conf -i pidfile`) with its own config, work directory and ports; no imuxsock, so it never
 * touches the host's /dev/log.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { freeTcpPort } from './ports.ts';
import { stopChild } from './process.ts';
import { join } from 'node:path';

/** A TCP port free on loopback a moment ago. */
export const freePort = () => freeTcpPort();

export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA (must be refused). */
  strangerCert: string;
  strangerKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** Makes a CA, a server certificate for localhost/127.0.0.1 and client certificates under `dir`. */
export function makeTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const ca = (name: string) =>
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}-key.pem`,
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
      ],
      dir,
    );
  const leaf = (name: string, caName: string, cn: string, ext: string) => {
    openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}-key.pem`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      ],
      dir,
    );
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${caName}.pem`,
        '-CAkey',
        `${caName}-key.pem`,
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
  };
  ca('vigil-test-ca');
  ca('stranger-ca');
  leaf(
    'server',
    'vigil-test-ca',
    'localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  leaf('client', 'vigil-test-ca', 'rsyslog-client', 'subjectAltName=DNS:rsyslog-client\nextendedKeyUsage=clientAuth\n');
  leaf('stranger', 'stranger-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  const p = (f: string) => join(dir, f);
  return {
    ca: p('vigil-test-ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server-key.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client-key.pem'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger-key.pem'),
  };
}

export interface Rsyslog {
  process: ChildProcess;
  stop(): Promise<void>;
  stderr(): string;
}

/** Waits until something accepts TCP connections on 127.0.0.1:port. */
export async function waitForTcp(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listening on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts rsyslogd in the foreground with `conf` (the caller's rules; the work directory is set here).
 * @example
 * const port = await freePort(); // never a fixed one: the machine's own rsyslog may listen on 514
 * const r = await startRsyslog(dir, `module(load="imtcp")\ninput(type="imtcp" port="${port}" address="127.0.0.1")`, port);
 */
export async function startRsyslog(dir: string, conf: string, readyPort?: number): Promise<Rsyslog> {
  mkdirSync(join(dir, 'work'), { recursive: true });
  const confFile = join(dir, 'rsyslog.conf');
  writeFileSync(confFile, `global(workDirectory="${join(dir, 'work')}")\n${conf}\n`);
  const pidFile = join(dir, 'rsyslog.pid');
  const child = spawn('rsyslogd', ['-n', '-f', confFile, '-i', pidFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  child.stdout?.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (readyPort) {
    try {
      await Promise.race([
        waitForTcp(readyPort),
        exited.then(() => Promise.reject(new Error(`rsyslogd exited: ${err}`))),
      ]);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }
  return {
    process: child,
    stderr: () => err,
    stop: () => stopChild(child),
  };
}

/** Lines rsyslog wrote to a file (for side-by-side benchmarks). */
export const readLines = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/** Lines in a file rsyslog writes (0 while it does not exist), counted by `wc -l` so a large file is not read here. */
export function countLines(file: string): number {
  try {
    statSync(file);
    return Number(execFileSync('wc', ['-l', file]).toString().trim().split(' ')[0]);
  } catch {
    return 0;
  }
}
