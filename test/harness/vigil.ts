/**
 * Starts a Vigil in this process for integration tests: temp data dir, HTTP on a free loopback port,
 * every listener and collector off unless the test turns it on, and tokens for each role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createApiToken } from '../../src/api/auth.ts';
import { validateConfig } from '../../src/config/load.ts';
import type { VigilConfig } from '../../src/config/schema.ts';
import { startVigil, type VigilHandle } from '../../src/main.ts';
import { silentLogger } from '../../src/model/logger.ts';

export interface TestVigil extends VigilHandle {
  tokens: { admin: string; operator: string; viewer: string };
  /** fetch against the API with a role's token (or none). */
  api(
    path: string,
    init?: RequestInit & { role?: 'admin' | 'operator' | 'viewer' | 'none'; json?: unknown },
  ): Promise<Response>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** A validated config with every listener and collector off, HTTP on a free loopback port, and `overrides` merged in. */
export function quietVigilConfig(dataDir: string, overrides: Record<string, unknown> = {}): VigilConfig {
  const base = {
    dataDir,
    log: { level: 'silent' },
    http: { host: '127.0.0.1', port: 0 },
    icmp: { enabled: false, monitorLocalhost: false },
    snmp: { enabled: false, probeLocalAgent: false },
    syslog: { udp: { enabled: false }, tcp: { enabled: false }, tls: { enabled: false } },
    traps: { enabled: false },
    mib: { includeSystemMibs: false },
  };
  return validateConfig(merge(base, overrides), 'test');
}

/**
 * With VIGIL_TEST_STORE=postgres, every test Vigil gets a fresh database of its own on one throwaway PostgreSQL
 * cluster per test process (test/harness/postgres.ts), see postgres-shared.ts for when it stops: the same tests then run
 * on the PostgreSQL backend. A test that names its own store keeps it.
 */
if (process.env.VIGIL_TEST_STORE === 'postgres')
  after(async () => (await import('./postgres-shared.ts')).stopWhenUnused());

async function testStoreOverrides(overrides: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (process.env.VIGIL_TEST_STORE !== 'postgres' || (overrides.store as { url?: string } | undefined)?.url)
    return overrides;
  const { sharedTestPostgres } = await import('./postgres-shared.ts');
  const url = await (await sharedTestPostgres()).freshDatabase();
  return merge(overrides, { store: { backend: 'postgres', url } });
}

export async function startTestVigil(overrides: Record<string, unknown> = {}): Promise<TestVigil> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const store = await testStoreOverrides(overrides);
  const config = quietVigilConfig(dataDir, store);
  const vigil = await startVigil(config, { log: silentLogger });
  const shared = store !== overrides ? await import('./postgres-shared.ts') : undefined;
  shared?.vigilStarted();
  const tokens = {
    admin: (await createApiToken(vigil.store, { name: 'test-admin', role: 'admin' })).token,
    operator: (await createApiToken(vigil.store, { name: 'test-operator', role: 'operator' })).token,
    viewer: (await createApiToken(vigil.store, { name: 'test-viewer', role: 'viewer' })).token,
  };
  const stop = vigil.stop.bind(vigil);
  return Object.assign(vigil, {
    tokens,
    api(path: string, init: RequestInit & { role?: 'admin' | 'operator' | 'viewer' | 'none'; json?: unknown } = {}) {
      const headers = new Headers(init.headers);
      const role = init.role ?? 'admin';
      if (role !== 'none') headers.set('authorization', `Bearer ${tokens[role]}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(vigil.url + path, { ...init, headers, body });
    },
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      shared?.vigilStopped();
    },
  });
}
