import { loadConfig } from '../../config/load.ts';
import { clearSetupCode, ensureSetupCode, setupCodePath } from '../../api/setup-code.ts';
import { startVigil } from '../../main.ts';
import type { CommandModule } from './types.ts';

/** `vigil start [--config FILE]`: runs everything in one process until SIGINT/SIGTERM. */
export const startCommand: CommandModule = (program) => {
  program
    .command('start')
    .description('start Vigil (collectors, store, API, web UI) in this process')
    .option('-c, --config <file>', 'YAML config file (defaults apply without one)')
    .action(async (opts: { config?: string }) => {
      const config = loadConfig(opts.config ?? process.env.VIGIL_CONFIG);
      const vigil = await startVigil(config);
      console.error(`vigil: listening on ${vigil.url} (data in ${config.dataDir})`);
      if ((await vigil.store.countUsers()) === 0) {
        const code = ensureSetupCode(config.dataDir);
        console.error(
          `vigil: no user yet: open ${vigil.url}/ to create the first admin. From this machine no code is needed; from another one, ` +
            `give the setup code ${code} (also in ${setupCodePath(config.dataDir)}, readable by its owner only). ` +
            'Or run: vigil user add --name NAME --role admin',
        );
      } else clearSetupCode(config.dataDir);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`vigil: ${signal}, stopping`);
        await vigil.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
};
