/**
 * What the web e2e tests and the render benchmark share: a built UI, Vigil serving it on a loopback port,
 * snmpsim serving the recorded devices, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { devicesDir, startSnmpsim as startSharedSnmpsim } from '../harness/snmpsim.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

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
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** Launches /usr/bin/chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** snmpsimd serving every shared recording (community = file name), via the common harness. */
export const startSnmpsim = () => startSharedSnmpsim({ dataDir: devicesDir() });

export function screenshotDir(): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

/** Opens Vigil's first-run page and creates the first administrator; resolves on the overview. */
export async function createFirstAdmin(
  page: Page,
  url: string,
  admin = { name: 'admin', password: 'admin-pass-123' },
): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=name]', admin.name);
  await page.fill('input[name=password]', admin.password);
  await page.fill('input[name=again]', admin.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.locator('[data-page=overview]').waitFor();
}
