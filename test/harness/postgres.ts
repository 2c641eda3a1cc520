/**
 * A throwaway PostgreSQL for tests and benchmarks: `initdb` into a temporary directory, then `postgres` itself run in
 * the foreground as a child (so its process id is the server's), on a free loopback port with its socket in that
 * directory; never the machine's own cluster. As root, both run as the `postgres` user (PostgreSQL refuses root).
 * `stop()` sends the server a fast shutdown by its process id and removes the directory.
 * @example
 * const pg = await startPostgres();
 * after(() => pg.stop());
 * // pg.url: postgres://vigil@127.0.0.1:PORT/vigil
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './ports.ts';
import { type StartResult, waitForStart } from './process.ts';

export interface TestPostgres {
  url: string;
  port: number;
  /** The server's process id. */
  pid: number;
  /** Its data directory (temporary). */
  dir: string;
  /** Fast shutdown by process id; resolves once the server is gone (safe to call twice). */
  stop(): Promise<void>;
  /** Stops the server but keeps its data, for tests of a database going away and coming back. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data after `pause()`. */
  resume(): Promise<void>;
}

const INSTALL_HINT = 'apt-get install postgresql-15';

/** Directory of PostgreSQL's server programs: Debian keeps them out of PATH, under /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  throw new Error(`PostgreSQL's server programs were not found under ${base} (${INSTALL_HINT})`);
}

/** The uid/gid the server runs as: the postgres user when this process is root, else this process's own. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPostgres(opts: { database?: string; user?: string } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = opts.user ?? 'vigil';
  const database = opts.database ?? 'vigil';
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const data = join(dir, 'data');
  const owner = serverUser();
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, 0o700);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...asOwner, stdio: 'pipe', cwd: dir },
  );

  let port = 0;
  let server: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      port = port || (await freeTcpPort());
      // fsync off: a throwaway cluster; the tests measure Vigil, not the disk.
      const child = spawn(
        join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-k',
          dir,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'fsync=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        {
          ...asOwner,
          stdio: ['ignore', 'pipe', 'pipe'],
          cwd: dir,
        },
      );
      const started = waitForStart(child, {
        name: 'postgres',
        ready: /ready to accept connections/,
        portInUse: /could not bind|Address already in use/,
        timeoutMs: 30_000,
        installHint: INSTALL_HINT,
      });
      const r: StartResult = await started.result;
      if (r === 'ready') {
        server = child;
        return;
      }
      child.kill('SIGKILL');
      if (r !== 'port-in-use') throw r;
      port = 0;
    }
    throw new Error('postgres: no free port after 5 attempts');
  };
  await launch();
  // The database Vigil uses, made by the superuser initdb created.
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ host: '127.0.0.1', port, user, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const halt = async () => {
    const s = server;
    server = undefined;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const exited = new Promise((r) => s.once('exit', r));
    // SIGINT is PostgreSQL's fast shutdown: sessions rolled back, then a clean stop.
    s.kill('SIGINT');
    const t = setTimeout(() => s.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  let stopped = false;
  return {
    get url() {
      return `postgres://${user}@127.0.0.1:${port}/${database}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return server?.pid ?? 0;
    },
    dir,
    pause: halt,
    resume: launch,
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
