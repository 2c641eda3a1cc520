/**
 * Chromium, as a browser on another machine (the proxy header marks it so): first-admin setup asks for the setup code
 * that `vigil start` prints, refuses a wrong one, and accepts the right one. Then an admin disables a user in the UI
 * and that user's open session ends.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { ensureWebBuilt, launchChromium, screenshotDir } from './harness.ts';

let vigil: TestVigil;
let browser: Browser;
let page: Page;
const shots = screenshotDir();

before(async () => {
  ensureWebBuilt();
  vigil = await startTestVigil();
  browser = await launchChromium();
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
  // Every request as if it came through a reverse proxy from elsewhere.
  await ctx.route('**/*', (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': '198.51.100.7' } }),
  );
  page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await vigil?.stop();
});

test('setup from elsewhere asks for the setup code; a wrong one is refused, the printed one works', async () => {
  await page.goto(vigil.url);
  await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
  await page.fill('input[name=setupCode]', 'WRONGWRONGWR');
  await page.fill('input[name=name]', 'boss');
  await page.fill('input[name=password]', 'boss-password-1');
  await page.fill('input[name=again]', 'boss-password-1');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page
    .getByRole('alert')
    .getByText(/not the setup code/)
    .waitFor();
  await page.screenshot({ path: join(shots, 'setup-code-wrong.png'), fullPage: true });
  assert.equal(await vigil.store.countUsers(), 0);
  const code = readFileSync(join(vigil.config.dataDir, 'setup-code'), 'utf8').trim();
  await page.fill('input[name=setupCode]', code);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.locator('[data-page=overview]').waitFor();
  assert.equal(await vigil.store.countUsers(), 1);
});

test('an admin disables a user in Settings → Users; the user is signed out and cannot sign in again', async () => {
  assert.equal(
    (
      await page.request.post(`${vigil.url}/api/v1/users`, {
        data: { name: 'dora', role: 'operator', password: 'dora-password-1' },
      })
    ).status(),
    201,
  );
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
  const dora = await ctx.newPage();
  await dora.goto(vigil.url);
  await dora.fill('input[name=name]', 'dora');
  await dora.fill('input[name=password]', 'dora-password-1');
  await dora.getByRole('button', { name: 'Sign in' }).click();
  await dora.locator('[data-page=overview]').waitFor();
  assert.equal((await dora.request.get(`${vigil.url}/api/v1/session`)).status(), 200);

  await page.goto(`${vigil.url}/settings?tab=users`);
  const row = page.getByTestId('users').locator('tr', { hasText: 'dora' });
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByRole('button', { name: 'Enable' }).waitFor();
  await page.screenshot({ path: join(shots, 'settings-users-disabled.png'), fullPage: true });

  assert.equal((await dora.request.get(`${vigil.url}/api/v1/session`)).status(), 401);
  const again = await dora.request.post(`${vigil.url}/api/v1/session`, {
    data: { name: 'dora', password: 'dora-password-1' },
  });
  assert.equal(again.status(), 403);
  await ctx.close();
});
