import { VigilError } from '../../model/errors.ts';
import { redactUrl } from '../../store/postgres/db.ts';
import { migrateStore } from '../../store/migrate/copy.ts';
import { countsTable, progressLine } from '../../store/migrate/progress.ts';
import type { CommandModule } from './types.ts';

/** `vigil store migrate`: copies a SQLite store into PostgreSQL (see `store/migrate/copy.ts`). */
export const storeCommand: CommandModule = (program) => {
  const store = program.command('store').description('the store: SQLite in the data directory, or PostgreSQL');
  store
    .command('migrate')
    .description(
      'copy a SQLite store into an empty PostgreSQL database, with progress; stop Vigil first. ' +
        'Run it again after an interruption: it resumes where it stopped. Exits 0 once the counts agree.',
    )
    .requiredOption('--from <dir>', 'the SQLite data directory (holding vigil.db)')
    .option('--to <url>', 'postgres://user:password@host:5432/db (default: VIGIL_STORE_URL, which keeps it off ps)')
    .option('--batch <rows>', 'rows per transaction', (v) => Number(v), 5000)
    .action(async (opts: { from: string; to?: string; batch: number }) => {
      const to = opts.to ?? process.env.VIGIL_STORE_URL;
      if (!to) throw new VigilError('VIGIL_BAD_REQUEST', 'give the target with --to postgres://… or VIGIL_STORE_URL');
      if (!/^postgres(ql)?:\/\//.test(to)) throw new VigilError('VIGIL_BAD_REQUEST', '--to: not a postgres:// URL');
      if (!Number.isInteger(opts.batch) || opts.batch < 1 || opts.batch > 100_000)
        throw new VigilError('VIGIL_BAD_REQUEST', '--batch: a whole number of rows from 1 to 100000');
      const tty = process.stderr.isTTY;
      const started = performance.now();
      let lastTable = '';
      let lastDraw = 0;
      process.stderr.write(`copying ${opts.from} into ${redactUrl(to)}\n`);
      const result = await migrateStore({
        from: opts.from,
        to,
        batchRows: opts.batch,
        onProgress: (p) => {
          const now = performance.now();
          const line = progressLine(p, (now - started) / 1000);
          if (tty) {
            if (now - lastDraw > 100 || p.copied === p.total) process.stderr.write(`\r${line}`);
            lastDraw = now;
          } else if (p.table !== lastTable || now - lastDraw > 5000 || p.copied === p.total) {
            // Not a terminal (a log file): a line per table and every 5 s, not a redraw.
            process.stderr.write(`${line}\n`);
            lastDraw = now;
          }
          lastTable = p.table;
        },
      });
      if (tty) process.stderr.write('\n');
      if (result.resumed) process.stderr.write('(resumed an interrupted copy)\n');
      process.stdout.write(`${countsTable(result.counts)}\n`);
      if (!result.verified) {
        process.stderr.write('vigil: the counts differ (was Vigil still writing?); run the same command again\n');
        process.exitCode = 1;
        return;
      }
      const s = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(
        `copied ${result.copied.toLocaleString('en-US')} rows in ${s} s; counts verified. ` +
          `Set store.backend: postgres and store.url (or VIGIL_STORE_URL) to use it.\n`,
      );
    });
};
