/**
 * Chromium on the Wireless page, the overview's wireless tiles and a device's RMON section, against a real Vigil
 * polling the aruba-7210 and sangfor-wac-2 controllers and the hpe-procurve-516733-b21 RMON probe (replayed by
 * snmpsim). Every count the page should show is read from the API, not written here: the controllers listed, each
 * controller's AP rows, what a search leaves, an AP's radios, the probe's statistics rows; an AP that left is retired
 * from the page; the pages in Korean too.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AccessPoint, WirelessController } from '../../src/model/wireless.ts';
import { knownApsKey } from '../../src/wireless/service.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { createFirstAdmin, ensureWebBuilt, launchChromium, screenshotDir, startSnmpsim } from './harness.ts';

const CONTROLLERS = ['aruba-7210', 'sangfor-wac-2'];
const PROBE = 'hpe-procurve-516733-b21';
let vigil: TestVigil;
let snmpsim: Awaited<ReturnType<typeof startSnmpsim>>;
let browser: Browser;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });

type ControllerItem = WirelessController & { deviceId: string; name: string };
interface ControllerDetail {
  controller: WirelessController;
  aps: AccessPoint[];
  gone: { id: string; name: string }[];
}
const getJson = async <T>(path: string): Promise<T> => (await (await vigil.api(path)).json()) as T;
const controllers = () => getJson<{ items: ControllerItem[] }>('/api/v1/wireless').then((r) => r.items);
const detail = (id: string) => getJson<ControllerDetail>(`/api/v1/wireless/controllers/${encodeURIComponent(id)}`);
const rmonLatest = () =>
  getJson<{ items: { labels: Record<string, string> }[] }>(
    `/api/v1/metrics/latest?name=rmon.bps&device=${encodeURIComponent(PROBE)}`,
  ).then((r) => r.items);

/** Polls `fn` until it returns true (the server and the page get there in their own time). */
async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until `locator` matches exactly `n` elements. */
async function waitForCount(locator: Locator, n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${n} of ${String(locator)}, found ${last}`);
}

/** What the AP search is meant to keep, written out independently of the page: name, or MAC/serial/IP, separators ignored. */
function expectedMatches(aps: AccessPoint[], needle: string): AccessPoint[] {
  const n = needle.toLowerCase();
  const bare = (s: string) => s.toLowerCase().replace(/[:.-]/g, '');
  return aps.filter(
    (a) =>
      a.name.toLowerCase().includes(n) ||
      [a.id, a.ethernetMac, a.baseRadioMac, a.serial, a.ip].some(
        (f) => f !== undefined && (f.toLowerCase().includes(n) || (bare(n) !== '' && bare(f).includes(bare(n)))),
      ),
  );
}

/** The texts of one column of a Table, found by its header. */
async function column(table: Locator, header: RegExp): Promise<string[]> {
  const headers = await table.locator('thead th').allInnerTexts();
  const i = headers.findIndex((h) => header.test(h));
  assert.ok(i >= 0, `no column ${header} in ${JSON.stringify(headers)}`);
  return table.locator(`tbody tr td:nth-child(${i + 1})`).allInnerTexts();
}

before(async () => {
  ensureWebBuilt();
  snmpsim = await startSnmpsim();
  vigil = await startTestVigil({
    // Two polls at least, so that the RMON rows have rates and the charts have points.
    snmp: { enabled: true, intervalS: 10, topology: { enabled: false } },
    devices: [...CONTROLLERS, PROBE].map((id) => ({
      id,
      name: id,
      address: '127.0.0.1',
      icmp: { enabled: false },
      snmp: { version: 'v2c', community: id, port: snmpsim.port, timeoutMs: 5000, retries: 1 },
    })),
  });
  await until('both controllers polled', async () => (await controllers()).length === CONTROLLERS.length, 120_000);
  await until('RMON rates of the probe', async () => (await rmonLatest()).length > 0, 120_000);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: 'en-GB' })).newPage();
  page.setDefaultTimeout(20_000);
  await createFirstAdmin(page, vigil.url);
});
after(async () => {
  await browser?.close();
  await vigil?.stop();
  await snmpsim?.stop();
});

test('the overview sums the controllers: APs up of all, and clients', async () => {
  const items = await controllers();
  const up = items.reduce((a, c) => a + c.apsUp, 0);
  const total = items.reduce((a, c) => a + c.apsTotal, 0);
  const clients = items.reduce((a, c) => a + c.clients, 0);
  const fmt = (n: number) => n.toLocaleString('en-GB');
  await page.getByTestId('wireless-aps-up').waitFor();
  assert.equal((await page.getByTestId('wireless-aps-up').innerText()).replace(/\s/g, ''), `${fmt(up)}/${fmt(total)}`);
  assert.equal(await page.getByTestId('wireless-clients').innerText(), fmt(clients));
  await shot('overview-wireless');
});

test('the Wireless page lists both controllers with their figures', async () => {
  await page.click('[data-nav="/wireless"]');
  await page.getByTestId('wireless').waitFor();
  const items = await controllers();
  const table = page.getByTestId('wireless-controllers');
  await waitForCount(table.locator('tbody tr'), items.length);
  for (const c of items) {
    const row = table.locator('tr', { has: page.getByTestId(`controller-${c.deviceId}`) });
    assert.equal(await page.getByTestId(`controller-${c.deviceId}`).innerText(), c.name);
    const cells = await row.locator('td').allInnerTexts();
    assert.ok(cells.includes(c.vendor), JSON.stringify(cells));
    assert.ok(cells.includes(c.apsTotal.toLocaleString('en-GB')), JSON.stringify(cells));
    assert.ok(cells.includes(c.clients.toLocaleString('en-GB')), JSON.stringify(cells));
  }
  await shot('wireless-controllers');
});

for (const id of CONTROLLERS) {
  test(`${id}: one row per AP the API returns; sorted by clients; a search narrows them`, async () => {
    const d = await detail(id);
    assert.ok(d.aps.length > 0);
    await page.goto(`${vigil.url}/wireless`);
    await page.getByTestId(`controller-${id}`).click();
    const aps = page.getByTestId('wireless-aps');
    await waitForCount(aps.locator('tbody tr'), d.aps.length);
    await page.getByTestId('wireless-ssids').waitFor();
    const ssids = Object.keys(d.controller.clientsBySsid);
    await waitForCount(page.getByTestId('wireless-ssids').locator('tbody tr'), ssids.length);
    await shot(`wireless-${id}`);

    // Clients, ascending then descending: the largest first is the API's largest.
    const header = aps.locator('thead th', { hasText: /^Clients/ });
    await header.click();
    const numbers = (texts: string[]) => texts.filter((x) => x !== '—').map((x) => Number(x.replace(/,/g, '')));
    const asc = numbers(await column(aps, /^Clients/));
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );
    await header.click();
    const desc = numbers(await column(aps, /^Clients/));
    const most = Math.max(...d.aps.map((a) => a.clients ?? -1));
    if (most >= 0) assert.equal(desc[0], most);
    // Utilisation: sorting by the radios column puts the busiest radio first.
    const utils = d.aps.map((a) => Math.max(-1, ...a.radios.map((r) => r.channelUtilPct ?? -1)));
    const radios = aps.locator('thead th', { hasText: /^Radios/ });
    await radios.click();
    await radios.click();
    if (Math.max(...utils) >= 0) {
      const first = (await aps.getByTestId('ap-link').first().innerText()).trim();
      const busiest = d.aps.filter((_, i) => utils[i] === Math.max(...utils)).map((a) => a.name);
      assert.ok(busiest.includes(first), `${first} not among ${busiest}`);
    }

    // A name search, then a MAC (or serial) search with other separators: what is left is what the API data says.
    const search = page.getByTestId('ap-search');
    const byName = d.aps[d.aps.length - 1].name;
    await search.fill(byName);
    await waitForCount(aps.locator('tbody tr'), expectedMatches(d.aps, byName).length);
    const target = d.aps[0];
    const byId = target.id.includes(':') ? target.id.toUpperCase().replace(/:/g, '-') : target.id;
    await search.fill(byId);
    await waitForCount(aps.locator('tbody tr'), expectedMatches(d.aps, byId).length);
    await page.getByTestId('ap-shown').waitFor();
    await shot(`wireless-${id}-search`);

    // The AP's page: its facts, one row per radio, and its charts.
    await aps.getByTestId('ap-link').filter({ hasText: target.name }).first().click();
    await page.getByTestId('wireless-ap').waitFor();
    assert.equal(await page.getByTestId('ap-name').innerText(), target.name);
    if (target.radios.length)
      await waitForCount(page.getByTestId('ap-radios').locator('tbody tr'), target.radios.length);
    if (target.clients !== undefined) await page.getByTestId('chart-ap-clients').waitFor({ timeout: 30_000 });
    if (target.radios.some((r) => r.channelUtilPct !== undefined))
      await page.getByTestId('chart-ap-util').waitFor({ timeout: 30_000 });
    await shot(`wireless-ap-${id}`);
    await page.getByTestId('ap-back').click();
    await page.getByTestId('wireless-aps').waitFor();
  });
}

test('an AP that left is listed under its controller and an operator retires it', async () => {
  const id = CONTROLLERS[0];
  const leftAp = { id: 'de:ad:be:ef:00:01', name: 'AP-removed-lab', lastSeen: Date.now() - 3_600_000, up: false };
  // The wireless service keeps what it has seen; an AP in that list and no longer polled is one that left.
  await until('the AP that left to be listed', async () => {
    const known = ((await vigil.store.getKv<{ id: string }[]>(knownApsKey(id))) ?? []).filter(
      (a) => a.id !== leftAp.id,
    );
    if (!(await detail(id)).gone.some((g) => g.id === leftAp.id))
      await vigil.store.setKv(knownApsKey(id), [...known, leftAp]);
    return (await detail(id)).gone.some((g) => g.id === leftAp.id);
  });
  await page.goto(`${vigil.url}/wireless/${id}`);
  const gone = page.getByTestId('wireless-gone');
  await gone.getByText(leftAp.name).waitFor();
  await shot('wireless-gone');
  page.once('dialog', (dialog) => void dialog.accept());
  await gone.locator('tr', { hasText: leftAp.name }).getByTestId('ap-retire').click();
  await gone.waitFor({ state: 'detached' });
  assert.ok(!(await detail(id)).gone.some((g) => g.id === leftAp.id));
});

test('the RMON probe has an RMON section on its device page: rows, charts, and the probe’s tables', async () => {
  const rows = new Set((await rmonLatest()).map((s) => s.labels.index));
  await page.goto(`${vigil.url}/devices/${PROBE}`);
  const rmon = page.getByTestId('rmon');
  await rmon.waitFor({ timeout: 30_000 });
  // Rows with rates at least; the live read may add rows that have none yet.
  await until(
    'the rows with rates',
    async () => (await rmon.getByTestId('rmon-rows').locator('tbody tr').count()) >= rows.size,
  );
  for (const index of rows) await rmon.getByTestId(`rmon-row-${index}`).waitFor();
  await rmon.getByTestId('chart-rmon-bps').waitFor({ timeout: 30_000 });
  await rmon.getByTestId('chart-rmon-sizes').waitFor({ timeout: 30_000 });
  // The probe's own tables, read live: alarms first, events on their tab.
  const probe = rmon.getByTestId('rmon-probe');
  await probe.waitFor({ timeout: 60_000 });
  await probe.getByRole('tab', { name: /^Events/ }).click();
  await probe.getByTestId('rmon-events').or(probe.getByTestId('empty')).first().waitFor();
  await shot('device-rmon');
  await rmon.screenshot({ path: join(screenshotDir(), 'device-rmon-section.png') });
  // Another row's charts.
  const other = [...rows].find((r) => r !== [...rows][0]);
  if (other) {
    await rmon.getByTestId(`rmon-row-${other}`).click();
    await rmon.getByText(new RegExp(`RMON statistics: .*\\(#${other}\\)`)).waitFor();
  }
});

test('the pages in Korean', async () => {
  const id = CONTROLLERS[1];
  const d = await detail(id);
  await page.goto(`${vigil.url}/wireless`);
  await page.getByTestId('wireless').waitFor();
  await page.getByTestId('locale').selectOption('ko');
  try {
    await page.locator('[data-nav="/wireless"]', { hasText: '무선' }).waitFor();
    await page.getByRole('heading', { name: '컨트롤러', exact: true }).waitFor();
    await page.getByTestId(`controller-${id}`).click();
    const aps = page.getByTestId('wireless-aps');
    await waitForCount(aps.locator('tbody tr'), d.aps.length);
    await page.getByRole('heading', { name: `AP (${d.aps.length.toLocaleString('ko-KR')}대)` }).waitFor();
    await aps.locator('thead th', { hasText: '클라이언트' }).waitFor();
    await page.getByRole('heading', { name: 'SSID별 클라이언트' }).waitFor();
    await shot('wireless-ko');
    await aps.getByTestId('ap-link').first().click();
    await page.getByTestId('wireless-ap').waitFor();
    await page.getByRole('heading', { name: 'AP 정보' }).waitFor();
    await page.getByRole('heading', { name: /^라디오 \(/ }).waitFor();
    await shot('wireless-ap-ko');
    await page.goto(`${vigil.url}/devices/${PROBE}`);
    await page
      .getByTestId('rmon')
      .getByRole('heading', { name: /^RMON 프로브/ })
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('rmon-probe').getByRole('tab', { name: /^알람/ }).waitFor({ timeout: 60_000 });
    await shot('device-rmon-ko');
    await page.goto(vigil.url);
    await page.getByText('정상 무선 AP').waitFor();
  } finally {
    await page.getByTestId('locale').selectOption('en');
  }
});
