/**
 * One throwaway PostgreSQL per test process, shared by the tests in it, each taking fresh databases from it. It is
 * stopped by its process id once the file's tests are over (`stopWhenUnused`, from an `after` hook that runs before
 * the file's own, which stop the Vigils using it: so it waits for those, up to a minute, without holding them up). For running whole suites on the PostgreSQL backend
 * (VIGIL_TEST_STORE=postgres, see vigil.ts).
 */
import pg from 'pg';
import { startPostgres, type TestPostgres } from './postgres.ts';

export interface SharedPostgres {
  server: TestPostgres;
  /** Creates an empty database and returns its URL. */
  freshDatabase(): Promise<string>;
}

let shared: Promise<SharedPostgres> | undefined;
let count = 0;

export function sharedTestPostgres(): Promise<SharedPostgres> {
  shared ??= (async () => {
    const server = await startPostgres();
    return {
      server,
      async freshDatabase() {
        const name = `t${process.pid}_${++count}`;
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        const u = new URL(server.url);
        u.pathname = `/${name}`;
        return u.toString();
      },
    };
  })();
  return shared;
}

/** Stops the shared cluster if one was started. */
export async function stopSharedTestPostgres(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (s) await (await s).server.stop();
}

let live = 0;
let idle: (() => void) | undefined;
/** A test Vigil on the shared cluster started, or stopped. */
export const vigilStarted = () => void live++;
export function vigilStopped() {
  if (--live === 0) idle?.();
}

/** Stops the cluster once no test Vigil uses it (at most a minute from now), in the background. */
export function stopWhenUnused(): void {
  if (!shared) return;
  const unused = live === 0 ? Promise.resolve() : new Promise<void>((r) => (idle = r));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((r) => (timer = setTimeout(r, 60_000)));
  void Promise.race([unused, late]).then(() => {
    clearTimeout(timer);
    return stopSharedTestPostgres();
  });
}
