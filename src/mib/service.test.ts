import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../model/logger.ts';
import { MibCompileFailure, type CompileResult, type StartCompile } from './compile-runner.ts';
import type { MibCompileSummary } from './load.ts';
import { createMibService, type LoadedDictionary, type MibServiceOptions } from './service.ts';

const dict = (name: string, nodes: number): LoadedDictionary =>
  ({
    name,
    stats: () => ({ nodes, modules: 1, files: nodes > 5000 ? 5583 : 30, errors: 0, compiledAt: 1 }),
  }) as unknown as LoadedDictionary;
const summary = (fingerprint: string, nodes: number, extra: Partial<MibCompileSummary> = {}): MibCompileSummary => ({
  fingerprint,
  files: 5583,
  nodes,
  errors: [],
  compileMs: 7000,
  cached: true,
  ...extra,
});

/** A compile the test drives: progress, then done or failed. */
function fakeCompiles() {
  const jobs: {
    progress(done: number, total: number): void;
    finish(r: CompileResult): void;
    fail(e: Error): void;
    cancelled: boolean;
  }[] = [];
  const start: StartCompile = (_opts, _limits, onProgress) => {
    let finish!: (r: CompileResult) => void;
    let fail!: (e: Error) => void;
    const result = new Promise<CompileResult>((res, rej) => ((finish = res), (fail = rej)));
    const job = { progress: onProgress, finish, fail, cancelled: false };
    jobs.push(job);
    return {
      result,
      cancel() {
        job.cancelled = true;
        fail(new MibCompileFailure('cancelled', 'cancelled', 0, 0));
      },
    };
  };
  return { jobs, start };
}

function harness(over: Partial<MibServiceOptions> & { caches?: Record<string, LoadedDictionary>; fp?: string } = {}) {
  const lines: { level: string; msg: string }[] = [];
  const log: Logger = {
    debug: () => {},
    info: (_o, msg) => lines.push({ level: 'info', msg: msg ?? '' }),
    warn: (_o, msg) => lines.push({ level: 'warn', msg: msg ?? '' }),
    error: (_o, msg) => lines.push({ level: 'error', msg: msg ?? '' }),
    child: () => log,
  };
  const compiles = fakeCompiles();
  const caches: Record<string, LoadedDictionary> = { ...over.caches };
  const served: string[] = [];
  const state = { fp: over.fp ?? 'fp-new', time: 1_000 };
  const service = createMibService({
    load: { dirs: ['/vendor'], dataDir: '/data' },
    limits: { maxMemoryMb: 768, timeoutS: 600 },
    rescanS: 0,
    log,
    onDictionary: (d) => served.push(d ? (d as unknown as { name: string }).name : 'none'),
    startCompile: compiles.start,
    fingerprint: async () => state.fp,
    openCached: (_dir, fp) => caches[fp ?? 'any'],
    loadBuiltin: async () => dict('builtin', 1_372),
    heap: () => ({ limitBytes: 450e6, usedBytes: 50e6 }),
    now: () => state.time,
    ...over,
  });
  return { service, compiles, caches, served, lines, state };
}
const tick = () => new Promise((r) => setImmediate(r));

test('a current cache is opened and nothing is compiled', async () => {
  const h = harness({ caches: { 'fp-new': dict('current', 560_000) } });
  assert.equal(h.service.status().state, 'loading');
  await h.service.start();
  assert.deepEqual(h.served, ['current']);
  assert.equal(h.compiles.jobs.length, 0);
  assert.deepEqual(
    { ...h.service.status(), limits: undefined },
    {
      state: 'idle',
      done: 0,
      total: 0,
      serving: 'current',
      nodes: 560_000,
      files: 5583,
      errors: 0,
      compiledAt: 1,
      limits: undefined,
      rescanS: 0,
    },
  );
});

test('no cache: the built-in set answers while the compile runs, with its progress; then the new dictionary', async () => {
  const h = harness();
  await h.service.start();
  assert.deepEqual(h.served, ['builtin']);
  assert.equal(h.service.status().state, 'compiling');
  assert.equal(h.service.status().startedAt, 1_000);
  h.compiles.jobs[0].progress(0, 5583);
  h.state.time = 7_000; // 6 s on: a progress line
  h.compiles.jobs[0].progress(2_000, 5583);
  h.compiles.jobs[0].progress(2_100, 5583); // too soon for another
  assert.deepEqual(
    [h.service.status().done, h.service.status().total, h.service.status().serving],
    [2_100, 5583, 'builtin'],
  );
  assert.deepEqual(
    h.lines.filter((l) => l.msg.startsWith('MIB compile:')).map((l) => l.msg),
    ['MIB compile: 2,000 of 5,583 files (35 %)'],
  );
  h.caches['fp-new'] = dict('compiled', 560_000);
  h.state.time = 9_000;
  h.compiles.jobs[0].finish({ summary: summary('fp-new', 560_000), peakRssMb: 900 });
  await h.service.settled();
  assert.deepEqual(h.served, ['builtin', 'compiled']);
  const s = h.service.status();
  assert.deepEqual([s.state, s.serving, s.nodes, s.finishedAt], ['idle', 'current', 560_000, 9_000]);
  assert.deepEqual(s.lastCompile, { ms: 8_000, peakRssMb: 900, files: 5583, nodes: 560_000, at: 9_000 });
  assert.ok(
    h.lines.some(
      (l) =>
        l.msg === 'MIB dictionary compiled: 560,000 OIDs from 5,583 files in 8.0 s (compile process peak RSS 900 MB)',
    ),
  );
});

test('a compile that runs out of memory keeps the previous dictionary, says so once, and is not retried until the files change', async () => {
  const h = harness({ caches: { any: dict('previous', 412_000) } });
  await h.service.start();
  assert.deepEqual(h.served, ['previous']);
  h.compiles.jobs[0].progress(3_100, 5583);
  h.state.time = 5_000;
  h.compiles.jobs[0].fail(new MibCompileFailure('memory', 'out of memory', 3_120, 5_583));
  await h.service.settled();
  const s = h.service.status();
  assert.equal(s.state, 'failed');
  assert.equal(s.serving, 'previous');
  assert.deepEqual(s.lastError, {
    kind: 'memory',
    reason: 'out of memory after 3,120 of 5,583 files (mib.compile.maxMemoryMb 768)',
    at: 5_000,
    done: 3_120,
    total: 5_583,
  });
  assert.deepEqual(
    h.lines.filter((l) => l.level === 'error').map((l) => l.msg),
    [
      'MIB compile failed: out of memory after 3,120 of 5,583 files (mib.compile.maxMemoryMb 768); keeping the previous dictionary (412,000 OIDs)',
    ],
  );
  assert.deepEqual(h.served, ['previous'], 'nothing swapped');

  await h.service.rescan();
  assert.equal(h.compiles.jobs.length, 1, 'same files: not tried again');
  h.state.fp = 'fp-newer';
  await h.service.rescan();
  assert.equal(h.compiles.jobs.length, 2, 'a file changed: compiled again');
  assert.equal(h.service.status().state, 'compiling');
  assert.equal(
    h.service.status().lastError?.kind,
    'memory',
    'the last failure stays visible while the next compile runs',
  );
  h.caches['fp-newer'] = dict('fixed', 420_000);
  h.compiles.jobs[1].finish({ summary: summary('fp-newer', 420_000), peakRssMb: 700 });
  await h.service.settled();
  assert.deepEqual(
    [h.service.status().state, h.service.status().lastError, h.served.at(-1)],
    ['idle', undefined, 'fixed'],
  );
});

test('with nothing to keep, a failed compile leaves the built-in set answering; a timeout names its limit', async () => {
  const h = harness();
  await h.service.start();
  h.compiles.jobs[0].fail(new MibCompileFailure('timeout', 'timed out after 600 s', 10, 5583));
  await h.service.settled();
  assert.equal(h.service.status().serving, 'builtin');
  assert.match(
    h.lines.find((l) => l.level === 'error')!.msg,
    /^MIB compile failed: timed out after 600 s after 10 of 5,583 files \(mib\.compile\.timeoutS 600\); serving the built-in MIBs only \(1,372 OIDs\)$/,
  );
});

test('a compile whose cache could not be written fails alone', async () => {
  const h = harness({ caches: { any: dict('previous', 1_500) } });
  await h.service.start();
  h.compiles.jobs[0].finish({ summary: summary('fp-new', 560_000, { cached: false }), peakRssMb: 900 });
  await h.service.settled();
  assert.equal(h.service.status().state, 'failed');
  assert.match(h.service.status().lastError!.reason, /could not be written to \/data/);
  assert.deepEqual(h.served, ['previous']);
});

test('rescan compiles a dropped-in MIB, swaps it in, and skips while a compile runs', async () => {
  const h = harness({ caches: { 'fp-1': dict('first', 1_500) }, fp: 'fp-1' });
  await h.service.start();
  await h.service.rescan();
  assert.equal(h.compiles.jobs.length, 0, 'unchanged');
  h.state.fp = 'fp-2';
  await h.service.rescan();
  await h.service.rescan();
  assert.equal(h.compiles.jobs.length, 1, 'one compile at a time');
  assert.equal(h.service.status().serving, 'current');
  h.caches['fp-2'] = dict('second', 1_600);
  h.compiles.jobs[0].finish({ summary: summary('fp-2', 1_600), peakRssMb: 80 });
  await h.service.settled();
  assert.deepEqual(h.served, ['first', 'second']);
  await h.service.rescan();
  assert.equal(h.compiles.jobs.length, 1);
});

test('the rescan timer runs every rescanS; stop cancels a running compile', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const h = harness({ caches: { 'fp-1': dict('first', 1_500) }, fp: 'fp-1', rescanS: 60 });
  await h.service.start();
  h.state.fp = 'fp-2';
  t.mock.timers.tick(59_000);
  await tick();
  assert.equal(h.compiles.jobs.length, 0);
  t.mock.timers.tick(1_000);
  await tick();
  await tick();
  assert.equal(h.compiles.jobs.length, 1);
  await h.service.stop();
  assert.equal(h.compiles.jobs[0].cancelled, true);
  assert.ok(!h.lines.some((l) => l.level === 'error'), 'a cancelled compile is no failure');
});

test('when the old and the new dictionary would not fit side by side, the built-in set answers during the swap', async () => {
  const used = { bytes: 300e6 };
  const h = harness({
    caches: { 'fp-1': dict('big', 560_000) },
    fp: 'fp-1',
    heap: () => ({ limitBytes: 450e6, usedBytes: used.bytes }),
  });
  await h.service.start();
  h.state.fp = 'fp-2';
  await h.service.rescan();
  h.caches['fp-2'] = dict('bigger', 561_000);
  h.compiles.jobs[0].finish({ summary: summary('fp-2', 561_000), peakRssMb: 900 });
  await h.service.settled();
  assert.deepEqual(h.served, ['big', 'builtin', 'bigger']);

  // With room for both, no gap.
  used.bytes = 60e6;
  h.state.fp = 'fp-3';
  await h.service.rescan();
  h.caches['fp-3'] = dict('biggest', 562_000);
  h.compiles.jobs[1].finish({ summary: summary('fp-3', 562_000), peakRssMb: 900 });
  await h.service.settled();
  assert.deepEqual(h.served.slice(3), ['biggest']);
});

test('without a data directory the dictionary is compiled in this thread', async () => {
  const h = harness({ load: { includeSystemMibs: false } });
  await h.service.start();
  assert.equal(h.compiles.jobs.length, 0);
  assert.equal(h.service.status().serving, 'current');
  assert.ok(h.service.status().nodes > 1000, 'the built-in set');
});
