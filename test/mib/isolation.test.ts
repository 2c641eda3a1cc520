/**
 * The MIB compile in its own process: a compile that runs out of memory or time fails alone and Vigil keeps answering
 * with its previous dictionary; a MIB dropped into a folder later is compiled and swapped in without a restart.
 * Vigil runs in this process (the compile does not); the large corpus is built once into the temp directory.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createApiToken } from '../../src/api/auth.ts';
import { quietVigilConfig } from '../harness/vigil.ts';
import { startVigil } from '../../src/main.ts';
import { MibCompileFailure, startCompileProcess } from '../../src/mib/compile-runner.ts';
import type { MibStatus } from '../../src/mib/service.ts';
import type { Logger } from '../../src/model/logger.ts';
import { largeMibCorpus } from '../harness/mib-corpus.ts';

const work = mkdtempSync(join(tmpdir(), 'vigil-mib-isolation-'));
after(() => rmSync(work, { recursive: true, force: true }));

const acme = (n: number, arc: number) => `ACME-${n}-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, MODULE-IDENTITY FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC;
acme${n} MODULE-IDENTITY LAST-UPDATED "202611250000Z" ORGANIZATION "Acme" CONTACT-INFO "noc@acme.example"
    DESCRIPTION "Acme ${n}." ::= { enterprises ${arc} }
acme${n}Banner OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current
    DESCRIPTION "The login banner." ::= { acme${n} 1 }
END
`;
const smallDir = join(work, 'small');
mkdirSync(smallDir);
writeFileSync(join(smallDir, 'ACME-1-MIB'), acme(1, 99_991));

const tmpFiles = (dataDir: string) =>
  existsSync(join(dataDir, 'mib')) ? readdirSync(join(dataDir, 'mib')).filter((f) => f.endsWith('.tmp')) : [];

function captureLog() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_o: object | string, msg?: string) => lines.push({ level, msg: msg ?? '' });
  const log: Logger = { debug: () => {}, info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return { log, lines };
}

async function start(dataDir: string, mib: Record<string, unknown>, log: Logger) {
  const config = quietVigilConfig(dataDir, { mib: { includeSystemMibs: false, ...mib } });
  const vigil = await startVigil(config, { log });
  const { token } = await createApiToken(vigil.store, { name: 'viewer', role: 'viewer' });
  const get = async (path: string) => {
    const r = await fetch(vigil.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  return { vigil, get, status: async () => (await get('/api/v1/mib/status')).body as unknown as MibStatus };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the compile process compiles into the cache and reports progress and its peak RSS', async () => {
  const dataDir = join(work, 'runner');
  const progress: [number, number][] = [];
  const { summary, peakRssMb } = await startCompileProcess(
    { dirs: [smallDir], includeSystemMibs: false, dataDir },
    { maxMemoryMb: 256, timeoutS: 60 },
    (d, t) => progress.push([d, t]),
  ).result;
  assert.ok(summary.cached);
  assert.ok(summary.nodes > 1000 && summary.files > 30, `${summary.nodes} nodes from ${summary.files} files`);
  assert.deepEqual(progress.at(-1), [summary.files, summary.files]);
  assert.ok(peakRssMb > 20 && peakRssMb < 1000, `peak RSS ${peakRssMb} MB`);
});

test('a compile past its deadline is stopped and leaves no partial cache behind', async () => {
  const dataDir = join(work, 'timeout');
  const job = startCompileProcess(
    { dirs: largeMibCorpus(), includeSystemMibs: false, dataDir },
    { maxMemoryMb: 2048, timeoutS: 1 },
    () => {},
  );
  const failure = await job.result.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(failure instanceof MibCompileFailure);
  assert.equal(failure.kind, 'timeout');
  assert.equal(failure.message, 'timed out after 1 s');
  assert.deepEqual(tmpFiles(dataDir), []);
});

test('a compile made to run out of memory leaves Vigil running with its previous dictionary', async () => {
  const dataDir = join(work, 'data-oom');
  // First a small collection, compiled and cached.
  let v = await start(dataDir, { dirs: [smallDir] }, captureLog().log);
  try {
    const s = await until('the first compile', async () =>
      (await v.status()).state === 'idle' && (await v.status()).serving === 'current' ? v.status() : undefined,
    );
    assert.ok(s.lastCompile && s.lastCompile.files > 30);
    assert.equal(
      (await v.get('/api/v1/mib/translate?oid=1.3.6.1.4.1.99991.1.0')).body.full,
      'ACME-1-MIB::acme1Banner.0',
    );
  } finally {
    await v.vigil.stop();
  }

  // Started again on the same files: opened from the cache, nothing compiled.
  const again = captureLog();
  v = await start(dataDir, { dirs: [smallDir] }, again.log);
  try {
    const s = await until('the cache to open', async () =>
      (await v.status()).state !== 'loading' ? v.status() : undefined,
    );
    assert.deepEqual([s.state, s.serving, s.lastCompile], ['idle', 'current', undefined]);
    assert.ok(!again.lines.some((l) => /compile/i.test(l.msg)), again.lines.map((l) => l.msg).join('\n'));
  } finally {
    await v.vigil.stop();
  }

  // Then the large corpus under a limit far too small for it.
  const { log, lines } = captureLog();
  v = await start(dataDir, { dirs: [smallDir, ...largeMibCorpus()], compile: { maxMemoryMb: 64 } }, log);
  try {
    const failed = await until('the compile to fail', async () =>
      (await v.status()).state === 'failed' ? v.status() : undefined,
    );
    assert.equal(failed.serving, 'previous');
    assert.equal(failed.lastError?.kind, 'memory');
    assert.match(
      failed.lastError!.reason,
      /^out of memory after [\d,]+ of [\d,]+ files \(mib\.compile\.maxMemoryMb 64\)$/,
    );
    assert.ok(failed.lastError!.total > 5_000, `total ${failed.lastError!.total}`);
    const errorLines = lines.filter((l) => l.level === 'error').map((l) => l.msg);
    assert.equal(errorLines.length, 1, errorLines.join('\n'));
    assert.match(
      errorLines[0],
      /^MIB compile failed: out of memory after [\d,]+ of [\d,]+ files \(mib\.compile\.maxMemoryMb 64\); keeping the previous dictionary \([\d,]+ OIDs\)$/,
    );
    // Still up, still translating with the previous dictionary; the failure is in /mib/errors too.
    assert.equal((await fetch(`${v.vigil.url}/api/v1/health`)).status, 200);
    assert.equal(
      (await v.get('/api/v1/mib/translate?oid=1.3.6.1.4.1.99991.1.0')).body.full,
      'ACME-1-MIB::acme1Banner.0',
    );
    const errors = await v.get('/api/v1/mib/errors');
    assert.equal((errors.body.status as MibStatus).state, 'failed');
    assert.deepEqual(tmpFiles(dataDir), [], 'no partial cache left');
  } finally {
    await v.vigil.stop();
  }
});

test('a MIB dropped into a folder later is compiled and answers without a restart', async () => {
  const dir = join(work, 'drop');
  mkdirSync(dir);
  writeFileSync(join(dir, 'ACME-2-MIB'), acme(2, 99_992));
  const { log } = captureLog();
  const v = await start(join(work, 'data-drop'), { dirs: [dir], rescanS: 1 }, log);
  try {
    await until('the first compile', async () =>
      (await v.status()).serving === 'current' && (await v.status()).state === 'idle' ? true : undefined,
    );
    const before = (await v.get('/api/v1/mib/translate?oid=1.3.6.1.4.1.99993.1.0')).body.full;
    assert.equal(before, 'RFC1155-SMI::enterprises.99993.1.0', 'not known yet');
    writeFileSync(join(dir, 'ACME-3-MIB'), acme(3, 99_993));
    const full = await until('the dropped MIB', async () => {
      const t = await v.get('/api/v1/mib/translate?oid=1.3.6.1.4.1.99993.1.0');
      return t.body.full !== before ? t.body.full : undefined;
    });
    assert.equal(full, 'ACME-3-MIB::acme3Banner.0');
    assert.equal(
      (await v.get('/api/v1/mib/translate?oid=1.3.6.1.4.1.99992.1.0')).body.full,
      'ACME-2-MIB::acme2Banner.0',
    );
  } finally {
    await v.vigil.stop();
  }
});
