import { stringify } from 'yaml';
import { loadConfig } from '../../config/load.ts';
import { redactBySchema } from '../../model/secret.ts';
import { configSchema } from '../../config/schema.ts';
import type { CommandModule } from './types.ts';

/** `vigil config check FILE`: validates and prints the effective config, secrets masked. */
export const configCommand: CommandModule = (program) => {
  const config = program.command('config').description('configuration tools');
  config
    .command('check')
    .argument('[file]', 'YAML config file')
    .option('-q, --quiet', 'print nothing when valid')
    .description('validate a config file (with VIGIL_* overrides) and print the effective config, secrets masked')
    .action((file: string | undefined, opts: { quiet?: boolean }) => {
      const effective = loadConfig(file);
      if (!opts.quiet) process.stdout.write(stringify(redactBySchema(configSchema, effective)));
      console.error(`vigil: ${file ?? 'defaults'}: valid`);
    });
};
