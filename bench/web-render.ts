/**
 * Web UI render benchmark: with N devices and N×K interfaces in the store (default 2,000 × 25 = 50,000),
 * the time until Overview, Devices and a Device page show their data in Chromium, and the API response time
 * behind each. Goals (issue 7): page < 1 s, API < 200 ms. There is no peer for a UI, so the ratio printed
 * is against the goal. Run: npx tsx bench/web-render.ts  (BENCH_DEVICES, BENCH_IFS env to resize)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/api/passwords.ts';
import { buildApi } from '../src/api/server.ts';
import { sessionResolver } from '../src/api/sessions.ts';
import { registerWebUi } from '../src/api/static.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { validateConfig } from '../src/config/load.ts';
import { systemClock } from '../src/model/clock.ts';
import { silentLogger } from '../src/model/logger.ts';
import type { DeviceState, InterfaceState, Sample } from '../src/model/records.ts';
import { openSqlite } from '../src/store/sqlite/async.ts';
import { ensureWebBuilt, launchChromium, WEB_DIST } from '../test/web/harness.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 2000);
const IFS = Number(process.env.BENCH_IFS ?? 25);
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-web-'));
const store = openSqlite(dir);
const now = Date.now();
console.log(`filling the store: ${DEVICES} devices, ${DEVICES * IFS} interfaces…`);
const t0 = performance.now();
await store.transaction(async (tx) => {
  const states: DeviceState[] = [];
  const ifs: InterfaceState[] = [];
  const samples: Sample[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const id = `dev-${String(d).padStart(5, '0')}`;
    const address = `10.${(d >> 16) & 255}.${(d >> 8) & 255}.${d & 255}`;
    await tx.putDevice({
      id,
      name: `sw-${d}`,
      address,
      tags: d % 10 === 0 ? ['core'] : [],
      group: `site-${d % 40}`,
      icmp: { enabled: true },
      pollIntervalS: 60,
      snmp: { version: d % 7 === 0 ? 'v3' : 'v2c', community: 'public', port: 161, timeoutMs: 2000, retries: 1 },
      origin: 'api',
    });
    states.push({
      kind: 'device-state',
      deviceId: id,
      ts: now,
      icmp: { up: d % 50 !== 0, lossPct: d % 50 === 0 ? 100 : 0, rttAvgMs: 0.5 + (d % 100) / 10 },
      snmp: {
        ok: true,
        version: d % 7 === 0 ? 'v3' : 'v2c',
        system: {
          sysName: `sw-${d}`,
          sysDescr: 'Cisco IOS Software, C3560 Software',
          vendor: 'Cisco',
          sysUpTimeCs: 123456789,
        },
      },
    });
    samples.push({
      kind: 'sample',
      deviceId: id,
      metric: 'icmp.rtt.avg',
      labels: {},
      ts: now,
      value: 0.5 + (d % 100) / 10,
    });
    samples.push({
      kind: 'sample',
      deviceId: id,
      metric: 'cpu.load.pct',
      labels: { cpu: '1' },
      ts: now,
      value: d % 97,
    });
    for (let i = 1; i <= IFS; i++) {
      const util = (d * 31 + i * 7) % 100;
      ifs.push({
        kind: 'interface-state',
        deviceId: id,
        ts: now,
        ifIndex: i,
        name: `Gi0/${i}`,
        alias: i === 1 ? 'uplink' : '',
        type: 6,
        speedBps: 1e9,
        adminStatus: 1,
        operStatus: i % 9 === 0 ? 2 : 1,
        lastChangeTs: now - i * 60_000,
        inBps: util * 1e7,
        outBps: util * 5e6,
        inUtilPct: util,
        outUtilPct: util / 2,
        inErrorsPerSec: i % 13 === 0 ? 0.5 : 0,
        outErrorsPerSec: 0,
      });
      samples.push({
        kind: 'sample',
        deviceId: id,
        metric: 'if.in.util.pct',
        labels: { ifIndex: String(i) },
        ts: now,
        value: util,
      });
    }
  }
  await tx.applyDeviceStates(states);
  await tx.applyInterfaceStates(ifs);
  await tx.writeSamples(samples);
});
console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const hash = await hashPassword('bench-password');
await store.createUser(
  { id: randomUUID(), name: 'bench', role: 'admin', createdTs: now, updatedTs: now, locale: 'en' },
  hash,
);
const config = validateConfig({ dataDir: dir, log: { level: 'silent' } });
const app = await buildApi(
  {
    store,
    bus: createMemoryBus(),
    config,
    clock: systemClock,
    log: silentLogger,
    services: {},
    runtimeStats: () => ({}),
  },
  { resolvers: [sessionResolver(store)] },
);
ensureWebBuilt();
registerWebUi(app, { distDir: WEB_DIST });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const login = await fetch(`${url}/api/v1/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench', password: 'bench-password' }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0];

async function timeApi(path: string): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    const r = await fetch(`${url}/api/v1${path}`, { headers: { cookie, 'accept-encoding': 'gzip' } });
    bytes = (await r.arrayBuffer()).byteLength;
    if (!r.ok && r.status !== 404 && r.status !== 503) throw new Error(`${path}: ${r.status}`);
    times.push(performance.now() - s);
  }
  return { ms: median(times), bytes };
}

const device = 'dev-00042';
const pages = [
  {
    name: 'Overview',
    path: '/',
    ready: '[data-testid=count-up]:not(:text("—"))',
    apis: [
      '/stats/devices',
      '/stats/snmp-versions',
      '/devices',
      '/metrics/latest?name=if.in.util.pct&top=30',
      '/metrics/latest?name=cpu.load.pct&top=60',
      '/metrics/latest?name=icmp.rtt.avg&top=10',
      '/events?limit=1000',
    ],
  },
  { name: 'Devices', path: '/devices', ready: '[data-testid=devices-table] tbody tr', apis: ['/devices'] },
  {
    name: 'Device',
    path: `/devices/${device}`,
    ready: '[data-testid=if-table] tbody tr',
    apis: [
      `/devices/${device}`,
      `/devices/${device}/interfaces`,
      `/metrics?device=${device}&name=icmp.rtt.avg&from=-3600s&step=60`,
    ],
  },
];

const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
await ctx.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=').slice(1).join('='), url }]);
const page = await ctx.newPage();
await page.goto(url);
await page.waitForSelector('[data-page=overview]');

console.log(
  `\nVigil web UI, ${DEVICES} devices / ${DEVICES * IFS} interfaces (median of ${RUNS}; goal page < 1000 ms, API < 200 ms)`,
);
console.log('page       first-render ms  (cold)  goal ratio | API behind it: median ms (bytes)');
let worstPage = 0;
let worstApi = 0;
for (const p of pages) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    const s = performance.now();
    await page.goto(url + p.path);
    await page.waitForSelector(p.ready, { timeout: 30_000 });
    times.push(performance.now() - s);
  }
  const apis = [] as string[];
  for (const a of p.apis) {
    const r = await timeApi(a);
    worstApi = Math.max(worstApi, r.ms);
    apis.push(`${a.split('?')[0]} ${r.ms.toFixed(1)} (${r.bytes})`);
  }
  const m = median(times);
  worstPage = Math.max(worstPage, m);
  console.log(
    `${p.name.padEnd(10)} ${m.toFixed(0).padStart(15)}  ${times[0].toFixed(0).padStart(6)}  ${(m / 1000).toFixed(2).padStart(10)} | ${apis.join('; ')}`,
  );
}
console.log(
  `\nworst page ${worstPage.toFixed(0)} ms (ratio to 1 s goal ${(worstPage / 1000).toFixed(2)}), worst API ${worstApi.toFixed(1)} ms (ratio to 200 ms goal ${(worstApi / 200).toFixed(2)})`,
);
await browser.close();
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
