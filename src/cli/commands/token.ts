import { Option } from 'commander';
import { createApiToken } from '../../api/auth.ts';
import { ROLES, type Role } from '../../store/types.ts';
import type { CommandModule } from './types.ts';
import { withStore } from './with-store.ts';

/** `vigil token create|list|revoke`: works on the store in the data directory (a running Vigil sees it at once). */
export const tokenCommand: CommandModule = (program) => {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('create an API token and print it once (only its hash is stored)')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .requiredOption('--name <name>', 'what the token is for')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { role: Role; name: string; config?: string }) => {
      const { token: text, info } = await withStore(opts.config, async (store) => {
        const made = await createApiToken(store, { name: opts.name, role: opts.role });
        await store.audit({
          ts: Date.now(),
          actor: 'cli',
          action: 'token.create',
          target: made.info.id,
          details: { name: opts.name, role: opts.role },
        });
        return made;
      });
      process.stdout.write(`${text}\n`);
      console.error(`vigil: token "${info.name}" (${info.role}) created, id ${info.id}; it is shown only now`);
    });
  token
    .command('list')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { config?: string }) => {
      for (const t of await withStore(opts.config, (s) => s.listTokens()))
        console.log(`${t.id}  ${t.role.padEnd(8)} ${t.name}`);
    });
  token
    .command('revoke')
    .argument('<id>')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (id: string, opts: { config?: string }) => {
      if (!(await withStore(opts.config, (s) => s.deleteToken(id)))) throw new Error(`no token ${id}`);
      console.error(`vigil: token ${id} revoked`);
    });
};
