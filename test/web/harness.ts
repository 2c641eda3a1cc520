/**
 * What the web e2e tests and the render benchmark share: a built UI, Vigil serving it on a loopback port,
 * snmpsim serving the recorded devices, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { freeUdpPort } from '../harness/ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApi } from '../../src/api/server.ts';
import { sessionResolver } from '../../src/api/sessions.ts';
import { registerWebUi } from '../../src/api/static.ts';
import type { VigilHandle } from '../../src/main.ts';
import { systemClock } from '../../src/model/clock.ts';
import { silentLogger } from '../../src/model/logger.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
export const TESTDATA = process.env.VIGIL_TESTDATA ?? join(ROOT, '..', 'shared');

function newestMtime(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    max = Math.max(max, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return max;
}

/** Builds web/dist when it is missing or older than web/src (vite, ~2 s). */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'web', 'src'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** Launches /usr/bin/chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/**
 * The URL where the running Vigil serves the UI with session cookies. When the composition root already wires
 * `registerWebUi` and `sessionResolver`, that is Vigil's own port; otherwise a second API instance over the same
 * store and services is started on another loopback port, so the UI sees exactly what Vigil collects.
 */
export async function webUrlFor(vigil: Pick<VigilHandle, 'url' | 'store' | 'bus' | 'config' | 'services'>): Promise<{ url: string; close(): Promise<void> }> {
  const probe = await fetch(`${vigil.url}/`).catch(() => undefined);
  const session = await fetch(`${vigil.url}/api/v1/setup`).catch(() => undefined);
  if (probe?.ok && probe.headers.get('content-type')?.startsWith('text/html') && session?.ok) return { url: vigil.url, close: async () => {} };
  const app: FastifyInstance = await buildApi(
    { store: vigil.store, bus: vigil.bus, config: vigil.config, clock: systemClock, log: silentLogger, services: vigil.services, runtimeStats: () => ({}) },
    { resolvers: [sessionResolver(vigil.store)] },
  );
  registerWebUi(app, { distDir: WEB_DIST });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

/** snmpsimd serving every recording in ../shared/devices on a free loopback UDP port; community = file name. */
export async function startSnmpsim(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freeUdpPort();
  const cache = mkdtempSync(join(tmpdir(), 'vigil-snmpsim-'));
  const root = process.getuid?.() === 0;
  // snmpsimd drops to nobody when started as root and must still write its index there.
  if (root) chmodSync(cache, 0o777);
  const args = [`--data-dir=${join(TESTDATA, 'devices')}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`, `--cache-dir=${cache}`, ...(root ? ['--process-user=nobody', '--process-group=nogroup'] : [])];
  const child: ChildProcess = spawn('snmpsimd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Ready when it answers a get (it indexes the recordings first).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = spawnSync('snmpget', ['-v2c', '-c', 'cisco-c3560', '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.5.0'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.includes('STRING')) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`snmpsimd did not start: ${stderr}`);
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((res) => (child.exitCode !== null ? res(null) : child.once('exit', res)));
      }
      rmSync(cache, { recursive: true, force: true });
    },
  };
}

export function screenshotDir(): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}
