/**
 * Chromium on the event noise views (issue 15), against a real Vigil polling snmpsim: five devices behind one parent
 * whose SNMP agents never answer open five "SNMP unreachable" events, which the engine makes one incident. The console
 * shows the incident once with its child count (the children, arriving live first, leave the top level), expands to
 * its children, says why a child's notifications are held back, acknowledges the children with the incident, and
 * does it in Korean too; the device page says which ports are watched and why.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { freeUdpPort } from '../harness/ports.ts';
import { startTestVigil, type TestVigil } from '../harness/vigil.ts';
import { ensureWebBuilt, launchChromium, screenshotDir, startSnmpsim, createFirstAdmin } from './harness.ts';

let vigil: TestVigil;
let snmpsim: Awaited<ReturnType<typeof startSnmpsim>>;
let browser: Browser;
let page: Page;
let parentId: string;
const shots = screenshotDir();
const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const CHILDREN = 5;

/** Waits until `locator` matches exactly `n` elements (the page's live updates get there in their own time). */
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

/** Waits until every element `locator` matches has text matching `re`. */
async function waitForAll(locator: Locator, re: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = await locator.allInnerTexts();
    if (texts.length && texts.every((x) => re.test(x))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected every ${String(locator)} to match ${re}: ${JSON.stringify(texts)}`);
}

before(async () => {
  ensureWebBuilt();
  snmpsim = await startSnmpsim();
  vigil = await startTestVigil({
    snmp: { enabled: true, intervalS: 5 },
    // A user rule, so that the device page has a port whose verdict a rule made.
    events: { builtins: { interfaceDown: { rules: [{ name: 'lab-quiet', ports: ['Vl999'], watch: 'none' }] } } },
  });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: 'en-GB' })).newPage();
  page.setDefaultTimeout(20_000);
  await createFirstAdmin(page, vigil.url);

  const parent = await vigil.api('/api/v1/devices', {
    method: 'POST',
    json: {
      name: 'lab-c3560',
      address: '127.0.0.1',
      icmp: { enabled: false },
      pollIntervalS: 5,
      snmp: { version: 'v2c', community: 'cisco-c3560', port: snmpsim.port, timeoutMs: 2000, retries: 1 },
    },
  });
  assert.equal(parent.status, 201, await parent.clone().text());
  parentId = ((await parent.json()) as { id: string }).id;
});
after(async () => {
  await browser?.close();
  await vigil?.stop();
  await snmpsim?.stop();
});

test('the events page shows one incident with its child count; expanding lists the children; ack covers them', async () => {
  await page.click('[data-nav="/events"]');
  await page.locator('[data-page=events]').waitFor();
  // The live stream is up before the storm, so the children arrive live first and must leave the top level.
  await page.locator('.livedot.on').waitFor();

  const silent = await freeUdpPort();
  for (let i = 1; i <= CHILDREN; i++) {
    const r = await vigil.api('/api/v1/devices', {
      method: 'POST',
      json: {
        name: `edge-${i}`,
        address: '127.0.0.1',
        parent: parentId,
        icmp: { enabled: false },
        pollIntervalS: 5,
        snmp: { version: 'v2c', community: 'nobody-home', port: silent, timeoutMs: 300, retries: 0 },
      },
    });
    assert.equal(r.status, 201, await r.clone().text());
  }

  const table = page.getByTestId('events-table');
  const incidentRow = table.locator('tr[data-incident-row]');
  await incidentRow.waitFor({ timeout: 40_000 });
  await waitForAll(incidentRow.getByTestId('incident-count'), new RegExp(`${CHILDREN} active of ${CHILDREN}`));
  // Only the incident at the top level: its children were attached while the page was showing them.
  await waitForCount(table.locator('tr[data-event]'), 1);
  assert.match(await incidentRow.innerText(), new RegExp(`behind lab-c3560: ${CHILDREN} devices not answering SNMP`));
  assert.equal(await incidentRow.getByTestId('incident-mark').innerText(), 'Incident');
  await shot('events-incident');

  // Expanded: the children, from ?incident=<id>, under the incident.
  const incidentId = (await incidentRow.getAttribute('data-incident-row'))!;
  await incidentRow.getByTestId('incident-expand').click();
  const children = table.locator(`tr[data-child][data-incident="${incidentId}"]`);
  await waitForCount(children, CHILDREN);
  await waitForAll(children, /edge-\d: SNMP unreachable/);
  await shot('events-incident-expanded');

  // A child's detail says why it is silent and links to its incident.
  await children.first().click();
  const detail = page.locator('.event-detail');
  await detail.getByTestId('event-held-back').getByText('held back: part of an incident').waitFor();
  await detail.getByTestId('parent-incident').click();
  await detail.getByTestId('incident-children').waitFor();
  await waitForCount(detail.getByTestId('incident-children').locator('li'), CHILDREN);

  // Korean.
  await page.getByTestId('locale').selectOption('ko');
  try {
    await incidentRow.getByTestId('incident-mark').getByText('인시던트', { exact: true }).waitFor();
    await incidentRow.getByTestId('incident-count').getByText(`${CHILDREN}개 중 ${CHILDREN}개 활성`).waitFor();
    // The incident's sentence is worded by the UI from its parts, not the server's English.
    await incidentRow.getByText(`lab-c3560 하위: 장비 ${CHILDREN}대 SNMP 응답 없음`).waitFor();
    await page.getByRole('checkbox', { name: '인시던트에 묶인 이벤트도 목록에 표시' }).waitFor();
    await detail.getByRole('heading', { name: `이 인시던트에 묶인 이벤트 (${CHILDREN}개)` }).waitFor();
    await children.first().click();
    await detail.getByTestId('event-held-back').getByText('알림 보류: 인시던트에 묶임').waitFor();
    await shot('events-incident-ko');
  } finally {
    await page.getByTestId('locale').selectOption('en');
    await page.locator('[data-nav="/events"]', { hasText: 'Events' }).waitFor();
  }

  // Acknowledge on the incident's row: the server acknowledges its children, and the stream shows it.
  await incidentRow.getByTestId('incident-ack').click();
  await incidentRow.getByText('Acknowledged').waitFor();
  await waitForAll(children, /Acknowledged/);
  const listed = (await (await vigil.api(`/api/v1/events?incident=${incidentId}`)).json()) as {
    events: { state: string }[];
  };
  assert.equal(listed.events.length, CHILDREN);
  await shot('events-incident-acknowledged');

  // The source filter offers incidents; the flat list shows the children too.
  await page.getByTestId('source-filter').selectOption('incident');
  await waitForCount(table.locator('tr[data-event]'), 1);
  await page.getByTestId('source-filter').selectOption('');
  await page.getByTestId('show-children').check();
  await waitForCount(table.locator('tr[data-event]'), CHILDREN + 1);
  await table.getByTestId('held-back').first().waitFor();
  await page.getByTestId('show-children').uncheck();
  await waitForCount(table.locator('tr[data-event]'), 1);
});

test('the device page says which ports are watched and why, in English and Korean', async () => {
  await page.goto(`${vigil.url}/devices/${encodeURIComponent(parentId)}`);
  const table = page.getByTestId('if-table');
  await table.waitFor({ timeout: 30_000 });
  await table.locator('th', { hasText: 'Watched' }).waitFor();
  const cell = (ifIndex: number) =>
    table.locator('tr', { has: page.getByTestId(`if-${ifIndex}`) }).locator('[data-watched]');
  // The recording's Vl999 is matched by the user rule; an access port that was never up is not watched; a port seen up is.
  await cell(999).waitFor();
  assert.equal(await cell(999).innerText(), 'no · rule lab-quiet: none');
  assert.match((await cell(999).getAttribute('title')) ?? '', /watched port going from up to down raises an event/);
  const up = table.locator('[data-watched=yes][data-reason=seen-up]');
  await up.first().waitFor();
  assert.equal(await up.first().innerText(), 'yes · seen up');
  const never = table.locator('[data-watched=no][data-reason=never-up]');
  await never.first().waitFor();
  assert.equal(await never.first().innerText(), 'no · never up');
  // The parent's recent events list the incident it carries, worded by the UI.
  await page
    .getByRole('link', { name: `behind lab-c3560: ${CHILDREN} devices not answering SNMP` })
    .first()
    .waitFor();
  await shot('device-watched');

  await page.getByTestId('locale').selectOption('ko');
  try {
    await table.locator('th', { hasText: '감시' }).waitFor();
    await cell(999).getByText('아니요 · 규칙 lab-quiet: 감시 안 함').waitFor();
    await up.first().getByText('예 · up 상태였던 적 있음').waitFor();
    await never.first().getByText('아니요 · up 상태였던 적 없음').waitFor();
    await shot('device-watched-ko');
  } finally {
    await page.getByTestId('locale').selectOption('en');
  }
});
