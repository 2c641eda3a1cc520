/**
 * `vigil start` (the real command, with its default 384 MB heap) pointed at a MIB collection the size operators load
 * (~5,600 files, ~560,000 OIDs): it stays up, answers the API and pings while the dictionary compiles in its own
 * process, shows the compile's progress, and then translates from the new dictionary.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { MibStatus } from '../../src/mib/service.ts';
import { largeMibCorpus } from '../harness/mib-corpus.ts';
import { freeTcpPort } from '../harness/ports.ts';
import { stopChild } from '../harness/process.ts';

const bin = new URL('../../bin/vigil.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-mib-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Peak RSS of a process, MB (VmHWM), or undefined once it is gone. */
function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
/** The Vigil process: `bin/vigil.js` runs itself again with its Node flags, as its only child. */
function vigilPid(wrapper: number): number | undefined {
  const file = `/proc/${wrapper}/task/${wrapper}/children`;
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]) || undefined : undefined;
}

test('vigil start with ~5,600 MIB files and the default heap stays up and polls while the dictionary compiles', {
  timeout: 180_000,
}, async (t) => {
  const dirs = largeMibCorpus();
  const port = await freeTcpPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_DATA_DIR: join(dir, 'data'),
    VIGIL_LOG_LEVEL: 'info',
    VIGIL_HTTP_HOST: '127.0.0.1',
    VIGIL_HTTP_PORT: String(port),
    VIGIL_SYSLOG_UDP_ENABLED: 'false',
    VIGIL_SYSLOG_TCP_ENABLED: 'false',
    VIGIL_SYSLOG_TLS_ENABLED: 'false',
    VIGIL_TRAPS_ENABLED: 'false',
    VIGIL_SNMP_ENABLED: 'false',
    VIGIL_ICMP_INTERVAL_S: '5',
    VIGIL_ICMP_COUNT: '1',
    VIGIL_ICMP_PERIOD_MS: '100',
    VIGIL_ICMP_TIMEOUT_MS: '500',
    VIGIL_MIB_DIRS: JSON.stringify(dirs),
    VIGIL_MIB_INCLUDE_SYSTEM_MIBS: 'false',
  };
  // The command's own heap ceiling (384 MB) and the compile's default limit (512 MB), not any from the environment.
  delete env.VIGIL_HEAP_MB;
  delete env.NODE_OPTIONS;
  delete env.VIGIL_MIB_COMPILE_MAX_MEMORY_MB;
  const made = spawnSync(process.execPath, [bin, 'token', 'create', '--role', 'viewer', '--name', 'mib-start'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(made.status, 0, made.stderr);
  const token = made.stdout.trim();
  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    return r.json() as Promise<Record<string, unknown>>;
  };

  const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  try {
    let up = false;
    for (let i = 0; i < 150 && !up && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
    }
    assert.ok(up, `vigil did not come up:\n${log.slice(-3000)}`);

    // While it compiles: the API answers quickly, the status shows progress, pings are stored.
    let status: MibStatus;
    let slowestHealthMs = 0;
    let sawProgress = false;
    const pingTimes = new Set<number>();
    const deadline = Date.now() + 150_000;
    for (;;) {
      assert.equal(child.exitCode, null, `vigil exited while compiling:\n${log.slice(-3000)}`);
      const t0 = performance.now();
      await get('/health');
      status = (await get('/mib/status')) as unknown as MibStatus;
      if (status.state === 'compiling') slowestHealthMs = Math.max(slowestHealthMs, performance.now() - t0);
      if (status.state === 'compiling' && status.done > 0 && status.total > 5000) sawProgress = true;
      for (const item of ((await get('/metrics/latest?name=icmp.loss.pct&device=localhost')).items ?? []) as {
        ts: number;
      }[])
        pingTimes.add(item.ts);
      if (status.state !== 'compiling' && status.state !== 'loading') break;
      assert.ok(Date.now() < deadline, 'the compile did not end');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status.state, 'idle', `compile failed: ${status.lastError?.reason}\n${log.slice(-3000)}`);
    assert.equal(status.serving, 'current');
    assert.ok(status.nodes > 500_000, `${status.nodes} OIDs`);
    assert.ok(sawProgress, 'progress (files done of total) was shown while compiling');
    assert.ok(slowestHealthMs < 1000, `the API took ${Math.round(slowestHealthMs)} ms to answer during the compile`);
    assert.match(log, /MIB compile started in its own process/);
    assert.match(log, /MIB dictionary compiled: [\d,]+ OIDs from [\d,]+ files/);

    // Pings were stored; one taken after the compile began when the compile outlasted a polling cycle.
    const compileMs = status.finishedAt! - status.startedAt!;
    const during = [...pingTimes].filter((ts) => ts >= status.startedAt! && ts <= status.finishedAt!);
    assert.ok(pingTimes.size > 0, 'ICMP samples for 127.0.0.1');
    if (compileMs > 7_000)
      assert.ok(during.length > 0, `no ping stored during a ${compileMs} ms compile: ${[...pingTimes].join(', ')}`);

    // The new dictionary answers: a Cisco object from the second rewritten copy of the vendor folders.
    const translated = await get('/mib/translate?oid=1.3.6.1.4.1.2000009.9.41.2.0.1');
    assert.equal(translated.full, 'CISCO-SYSLOG-MIB-K2::clogMessageGenerated');
    assert.equal((await get('/mib/translate?oid=1.3.6.1.2.1.2.2.1.8.3')).full, 'IF-MIB::ifOperStatus.3');

    const pid = vigilPid(child.pid!);
    t.diagnostic(
      `compile ${(compileMs / 1000).toFixed(1)} s of ${status.files} files, ${status.nodes} OIDs; compile process peak RSS ${status.lastCompile?.peakRssMb} MB; ` +
        `Vigil's own peak RSS ${pid ? peakRssMb(pid) : '?'} MB; slowest /health during the compile ${Math.round(slowestHealthMs)} ms; pings during the compile ${during.length}`,
    );
  } finally {
    await stopChild(child);
  }
});
