/**
 * Chromium on the MIB page: the dictionary's summary from the real API, then a long compile's progress and a failed
 * compile (the status answer faked with a page route, as a 5,000-file compile would give them), in English and Korean.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { MibStatus } from '../../src/mib/service.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { ensureWebBuilt, launchChromium, screenshotDir, createFirstAdmin } from './harness.ts';

let vigil: TestVigil;
let browser: Browser;
let page: Page;
const shots = screenshotDir();
const limits = { maxMemoryMb: 768, timeoutS: 600 };
const compiling: MibStatus = {
  state: 'compiling',
  done: 2_300,
  total: 5_614,
  startedAt: Date.now() - 4_000,
  serving: 'previous',
  nodes: 412_000,
  files: 4_100,
  errors: 3,
  limits,
  rescanS: 60,
};
const failed: MibStatus = {
  ...compiling,
  state: 'failed',
  done: 3_120,
  finishedAt: Date.now(),
  lastError: {
    kind: 'memory',
    reason: 'out of memory after 3,120 of 5,614 files (mib.compile.maxMemoryMb 768)',
    at: Date.now(),
    done: 3_120,
    total: 5_614,
  },
};

before(async () => {
  ensureWebBuilt();
  vigil = await startTestVigil();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1300, height: 800 }, locale: 'en-GB' })).newPage();
  page.setDefaultTimeout(15_000);
  await createFirstAdmin(page, vigil.url);
});
after(async () => {
  await browser?.close();
  await vigil?.stop();
});

test('the MIB page sums up the loaded dictionary', async () => {
  await page.click('[data-nav="/mib"]');
  const status = page.locator('[data-testid=mib-status][data-state=idle]');
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /^[\d,]+ OIDs from [\d,]+ files \(0 with errors\), compiled /);
  await page.getByTestId('mib-tree').waitFor();
});

test('a long compile shows its progress; a failed one says why and what answers instead, in English and Korean', async () => {
  let answer = compiling;
  await page.route('**/api/v1/mib/status', (route) => route.fulfill({ json: answer }));
  try {
    await page.reload();
    const status = page.locator('[data-testid=mib-status][data-state=compiling]');
    await status.waitFor();
    assert.match(await status.innerText(), /Compiling MIBs: 2,300 of 5,614 files \(41%\)/);
    assert.match(await status.innerText(), /The previous dictionary \(412,000 OIDs\) answers meanwhile\./);
    assert.equal(await status.locator('progress').getAttribute('value'), '2300');
    await page.screenshot({ path: join(shots, 'mib-compiling.png'), fullPage: true });

    // The page keeps asking while a compile runs, and sees it fail.
    answer = failed;
    const alert = page.locator('[data-testid=mib-status][data-state=failed]');
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      /MIB compile failed: out of memory after 3,120 of 5,614 files \(mib\.compile\.maxMemoryMb 768\)/,
    );
    assert.match(await alert.innerText(), /Vigil goes on with the previous dictionary \(412,000 OIDs\)\./);
    assert.equal(await alert.getAttribute('role'), 'alert');
    await page.screenshot({ path: join(shots, 'mib-compile-failed.png'), fullPage: true });

    await page.getByTestId('locale').selectOption('ko');
    await alert.getByText('MIB 컴파일 실패: out of memory').waitFor();
    await alert.getByText('Vigil은 이전 사전(OID 412,000개)으로 계속 동작합니다.').waitFor();
    answer = { ...compiling, serving: 'builtin', nodes: 1_372 };
    await page.reload();
    await page
      .locator('[data-testid=mib-status][data-state=compiling]')
      .getByText('MIB 컴파일 중: 파일 5,614개 중 2,300개 (41%)')
      .waitFor();
    await page.screenshot({ path: join(shots, 'mib-compiling-ko.png'), fullPage: true });
  } finally {
    await page.getByTestId('locale').selectOption('en');
    await page.unroute('**/api/v1/mib/status');
  }
});
