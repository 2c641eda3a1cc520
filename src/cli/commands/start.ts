import { loadConfig } from '../../config/load.ts';
import { clearSetupCode, ensureSetupCode, setupCodePath } from '../../api/setup-code.ts';
import { startVigil } from '../../main.ts';
import { ROLES, type NodeRole } from '../../config/cluster.ts';
import { VigilError } from '../../model/errors.ts';
import type { CommandModule } from './types.ts';

/** `vigil start [--config FILE]`: runs everything in one process until SIGINT/SIGTERM. */
export const startCommand: CommandModule = (program) => {
  program
    .command('start')
    .description('start Vigil (collectors, store, API, web UI) in this process')
    .option('-c, --config <file>', 'YAML config file (defaults apply without one)')
    .option(
      '--role <roles>',
      'all (default), or any of collector, processor, api, comma-separated (over Kafka: bus.kind kafka)',
    )
    .option('--site <name>', "a collector's site: it polls the devices of that site")
    .action(async (opts: { config?: string; role?: string; site?: string }) => {
      const config = loadConfig(opts.config ?? process.env.VIGIL_CONFIG);
      if (opts.role) {
        const roles = opts.role.split(',').map((r) => r.trim());
        const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
        if (bad) throw new VigilError('VIGIL_BAD_REQUEST', `--role ${bad}: one of ${ROLES.join(', ')}`);
        config.node.roles = roles as NodeRole[];
      }
      if (opts.site) {
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.site))
          throw new VigilError('VIGIL_BAD_REQUEST', '--site: letters, digits, ".", "_" or "-"');
        config.node.site = opts.site;
      }
      if (!config.node.roles.includes('all') && config.bus.kind !== 'kafka')
        throw new VigilError(
          'VIGIL_CONFIG',
          `--role ${config.node.roles.join(',')} needs the Kafka bus (bus.kind: kafka)`,
        );
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
