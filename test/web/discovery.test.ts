/**
 * Chromium on the Discovery page, against a real Vigil and a real agent (snmpd on a loopback address) swept by fping:
 * an admin starts a job from the form, watches the progress bar fill, sees the agent listed as found, adds it with one
 * click and finds it in the inventory; the page in Korean too.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { freeUdpPort, type RunningSnmpd, startSnmpd } from '../harness/snmpd.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { createFirstAdmin, ensureWebBuilt, launchChromium, screenshotDir } from './harness.ts';

const net = `127.81.${randomInt(1, 250)}`;
let agent: RunningSnmpd;
let vigil: TestVigil;
let browser: Browser;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });

before(async () => {
  ensureWebBuilt();
  const port = await freeUdpPort(`${net}.9`);
  agent = await startSnmpd({
    host: `${net}.9`,
    port,
    communities: [{ name: 'ui-disc' }],
    extraConfig: ['sysName ui-switch', 'sysDescr Lab switch'],
  });
  vigil = await startTestVigil({
    credentials: { lab: { version: 'v2c', community: 'ui-disc', port } },
    discovery: { snmp: { timeoutMs: 400, retries: 0 } },
  });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 950 }, locale: 'en-GB' })).newPage();
  page.setDefaultTimeout(20_000);
  await createFirstAdmin(page, vigil.url);
});
after(async () => {
  await browser?.close();
  await vigil?.stop();
  await agent?.stop();
});

test('a job started from the page shows its progress, lists the device found, and one click adds it', async () => {
  await page.click('[data-nav="/discovery"]');
  await page.getByTestId('discovery').waitFor();
  await page.getByTestId('discovery-targets').fill(`${net}.0/28`);
  await page.getByTestId('discovery-start').click();
  const bar = page.getByTestId('discovery-progress').last();
  await bar.waitFor();
  await page.getByTestId('discovery-summary').getByText(/^done/).waitFor({ timeout: 30_000 });
  assert.equal(await bar.getAttribute('aria-valuenow'), '100');
  assert.match(
    await page.getByTestId('discovery-summary').innerText(),
    /14\/14 swept, 14 answered ping, 1\/14 answered SNMP/,
  );
  const found = page.getByTestId('discovery-found');
  await found.getByText('ui-switch').waitFor({ timeout: 15_000 });
  await shot('discovery');
  await found.getByTestId('discovery-add').first().click();
  await page.getByText('Nothing waiting to be added.').waitFor();
  const devices = (await (await vigil.api('/api/v1/devices')).json()) as {
    items?: { name: string; address: string }[];
  };
  assert.ok(
    devices.items?.some((d) => d.name === 'ui-switch' && d.address === `${net}.9`),
    JSON.stringify(devices),
  );
});

test('the page in Korean', async () => {
  await page.getByTestId('locale').selectOption('ko');
  await page.getByText('새 탐색').waitFor();
  await page.getByText('작업', { exact: true }).waitFor();
  await shot('discovery-ko');
  await page.getByTestId('locale').selectOption('en');
});
