import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { loadMibDictionary, type MibLoadOptions } from '../../mib/load.ts';
import type { MibObjectDetails } from '../../mib/types.ts';
import type { CommandModule } from './types.ts';

interface MibCliOptions {
  config?: string;
  dir?: string[];
}

/** Load options from the config file, with `--dir` adding directories in front. */
function options(opts: MibCliOptions): MibLoadOptions {
  const config = loadConfig(opts.config ?? process.env.VIGIL_CONFIG);
  return {
    dirs: [...(opts.dir ?? []), ...config.mib.dirs],
    includeSystemMibs: config.mib.includeSystemMibs,
    excludeBuiltin: config.mib.excludeBuiltin,
    dataDir: config.dataDir,
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const common = (cmd: Command) => cmd.option('-c, --config <file>', 'config file (MIB dirs, dataDir)').option('-d, --dir <dir>', 'extra MIB directory (repeatable)', collect);

function printDetails(d: MibObjectDetails): void {
  const line = (k: string, v: unknown) => v !== undefined && v !== '' && console.log(`${k.padEnd(12)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  line('name', `${d.module}::${d.name}`);
  line('oid', d.oid);
  line('kind', d.kind);
  line('vendor', d.vendor);
  if (d.syntax) {
    const s = d.syntax;
    line('syntax', `${s.tc ? `${s.tc} (${s.type})` : s.type}${s.range ? ` (${s.range})` : ''}${s.size ? ` (SIZE ${s.size})` : ''}`);
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
  common(mib.command('translate').argument('<oid-or-name>').description('numeric OID → MODULE::name.instance, or a name → numeric OID')).action(
    async (input: string, opts: MibCliOptions) => {
      const dict = await loadMibDictionary(options(opts));
      if (/^\.?\d+(\.\d+)*$/.test(input)) {
        const t = dict.translate(input);
        console.log(t.full);
        if (t.index) for (const i of t.index) console.log(`  ${i.name} = ${i.value}`);
      } else {
        const oid = dict.resolve(input);
        if (!oid) throw new Error(`no MIB object named "${input}"`);
        console.log(oid);
      }
    },
  );
  common(mib.command('search').argument('<text>').description('objects whose name or description contains the text').option('-n, --limit <n>', 'at most n results', '50')).action(
    async (text: string, opts: MibCliOptions & { limit: string }) => {
      const dict = await loadMibDictionary(options(opts));
      for (const n of dict.search(text, Number(opts.limit))) console.log(`${`${n.module}::${n.name}`.padEnd(50)} ${n.oid}  ${n.kind}`);
    },
  );
  common(mib.command('show').argument('<oid-or-name>').description('details of one object')).action(async (input: string, opts: MibCliOptions) => {
    const dict = await loadMibDictionary(options(opts));
    const details = dict.lookup(input) ?? (dict.resolve(input) ? dict.lookup(dict.resolve(input)!) : undefined);
    if (!details) throw new Error(`no MIB object "${input}"`);
    printDetails(details);
  });
  common(mib.command('compile').description('compile every MIB on the search path (ignoring the cache) and report per-file errors')).action(
    async (opts: MibCliOptions) => {
      const dict = await loadMibDictionary({ ...options(opts), force: true });
      const s = dict.stats();
      console.log(`${s.files} files, ${s.modules} modules, ${s.nodes} OIDs, ${s.errors} errors; compiled in ${Math.round(dict.loadInfo.compileMs ?? 0)} ms, ${Math.round(dict.loadInfo.ms)} ms with the cache written`);
      console.log(`search path: ${dict.loadInfo.searchPath.join(':')}`);
      for (const e of dict.errors()) console.log(`${e.file}:${e.line}: ${e.module ? `${e.module}: ` : ''}${e.reason}`);
      if (s.errors) process.exitCode = 2;
    },
  );
};
