import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { VigilError } from '../../model/errors.ts';
import {
  describeCompileFailure,
  MibCompileFailure,
  startCompileProcess,
  type CompileLimits,
} from '../../mib/compile-runner.ts';
import {
  currentFingerprint,
  loadMibDictionary,
  mibSearchPath,
  openCachedDictionary,
  type MibLoadOptions,
} from '../../mib/load.ts';
import type { MibObjectDetails } from '../../mib/types.ts';
import type { CommandModule } from './types.ts';

interface MibCliOptions {
  config?: string;
  dir?: string[];
}

/** Load options from the config file, with `--dir` adding directories in front. */
function options(opts: MibCliOptions): MibLoadOptions & { limits: CompileLimits } {
  const config = loadConfig(opts.config ?? process.env.VIGIL_CONFIG);
  return {
    dirs: [...(opts.dir ?? []), ...config.mib.dirs],
    includeSystemMibs: config.mib.includeSystemMibs,
    excludeBuiltin: config.mib.excludeBuiltin,
    dataDir: config.dataDir,
    limits: config.mib.compile,
  };
}

/**
 * The dictionary for a command: the cache when it is current, else a compile. With a data directory the compile runs
 * in its own process under `mib.compile`'s limits, as in `vigil start` (the command's heap is as small as the
 * server's), showing its progress on a terminal.
 */
async function dictionaryFor(
  o: MibLoadOptions & { limits: CompileLimits },
  force = false,
  onCompiled?: (peakRssMb: number) => void,
) {
  if (!o.dataDir || o.dataDir === ':memory:') return loadMibDictionary({ ...o, force });
  const started = performance.now();
  const searchPath = mibSearchPath(o);
  if (!force) {
    const cached = openCachedDictionary(o.dataDir, currentFingerprint(o), searchPath);
    if (cached) return cached;
  }
  const tty = process.stderr.isTTY;
  const job = startCompileProcess(o, o.limits, (done, total) => {
    if (tty)
      process.stderr.write(
        `\rcompiling MIBs: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} files`,
      );
  });
  let result;
  try {
    result = await job.result;
  } catch (error) {
    if (error instanceof MibCompileFailure)
      throw new VigilError('VIGIL_UNAVAILABLE', `MIB compile failed: ${describeCompileFailure(error, o.limits)}`);
    throw error;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
  const dict = result.summary.cached
    ? openCachedDictionary(o.dataDir, result.summary.fingerprint, searchPath)
    : undefined;
  if (!dict)
    throw new VigilError(
      'VIGIL_UNAVAILABLE',
      `MIB compile: the compiled dictionary could not be written to or read from ${o.dataDir}`,
    );
  Object.assign(dict.loadInfo, {
    fromCache: false,
    ms: performance.now() - started,
    compileMs: result.summary.compileMs,
  });
  onCompiled?.(result.peakRssMb);
  return dict;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const common = (cmd: Command) =>
  cmd
    .option('-c, --config <file>', 'config file (MIB dirs, dataDir)')
    .option('-d, --dir <dir>', 'extra MIB directory (repeatable)', collect);

function printDetails(d: MibObjectDetails): void {
  const line = (k: string, v: unknown) =>
    v !== undefined && v !== '' && console.log(`${k.padEnd(12)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  line('name', `${d.module}::${d.name}`);
  line('oid', d.oid);
  line('kind', d.kind);
  line('vendor', d.vendor);
  if (d.syntax) {
    const s = d.syntax;
    line(
      'syntax',
      `${s.tc ? `${s.tc} (${s.type})` : s.type}${s.range ? ` (${s.range})` : ''}${s.size ? ` (SIZE ${s.size})` : ''}`,
    );
    if (s.enums) line('values', s.enums.map(([n, v]) => `${n}(${v})`).join(', '));
    line('hint', s.hint);
  }
  line('units', d.units);
  line('access', d.access);
  line('status', d.status);
  if (d.table) line('table', `${d.table.name} (${d.table.oid})`);
  if (d.rowIndex) line('index', d.rowIndex.map((i) => `${i.implied ? 'IMPLIED ' : ''}${i.name}`).join(', '));
  if (d.objects) line('objects', d.objects.map((o) => o.name).join(', '));
  if (d.aliases) line('also', d.aliases.join(', '));
  if (d.description) console.log(`\n${d.description.replace(/^\s+/gm, '  ')}`);
}

/** `vigil mib translate|search|show|compile`: the MIB dictionary from the command line (uses the cache in dataDir). */
export const mibCommand: CommandModule = (program) => {
  const mib = program.command('mib').description('MIB dictionary: translate OIDs, search, show objects, compile');
  common(
    mib
      .command('translate')
      .argument('<oid-or-name>')
      .description('numeric OID → MODULE::name.instance, or a name → numeric OID'),
  ).action(async (input: string, opts: MibCliOptions) => {
    const dict = await dictionaryFor(options(opts));
    if (/^\.?\d+(\.\d+)*$/.test(input)) {
      const t = dict.translate(input);
      console.log(t.full);
      if (t.index) for (const i of t.index) console.log(`  ${i.name} = ${i.value}`);
    } else {
      const oid = dict.resolve(input);
      if (!oid) throw new Error(`no MIB object named "${input}"`);
      console.log(oid);
    }
  });
  common(
    mib
      .command('search')
      .argument('<text>')
      .description('objects whose name or description contains the text')
      .option('-n, --limit <n>', 'at most n results', '50'),
  ).action(async (text: string, opts: MibCliOptions & { limit: string }) => {
    const dict = await dictionaryFor(options(opts));
    for (const n of dict.search(text, Number(opts.limit)))
      console.log(`${`${n.module}::${n.name}`.padEnd(50)} ${n.oid}  ${n.kind}`);
  });
  common(mib.command('show').argument('<oid-or-name>').description('details of one object')).action(
    async (input: string, opts: MibCliOptions) => {
      const dict = await dictionaryFor(options(opts));
      const details = dict.lookup(input) ?? (dict.resolve(input) ? dict.lookup(dict.resolve(input)!) : undefined);
      if (!details) throw new Error(`no MIB object "${input}"`);
      printDetails(details);
    },
  );
  common(
    mib
      .command('compile')
      .description('compile every MIB on the search path (ignoring the cache) and report per-file errors'),
  ).action(async (opts: MibCliOptions) => {
    let peak = '';
    const dict = await dictionaryFor(options(opts), true, (mb) => (peak = `; compile process peak RSS ${mb} MB`));
    const s = dict.stats();
    console.log(
      `${s.files} files, ${s.modules} modules, ${s.nodes} OIDs, ${s.errors} errors; compiled in ${Math.round(dict.loadInfo.compileMs ?? 0)} ms, ${Math.round(dict.loadInfo.ms)} ms with the cache written${peak}`,
    );
    console.log(`search path: ${dict.loadInfo.searchPath.join(':')}`);
    for (const e of dict.errors()) console.log(`${e.file}:${e.line}: ${e.module ? `${e.module}: ` : ''}${e.reason}`);
    if (s.errors) process.exitCode = 2;
  });
};
