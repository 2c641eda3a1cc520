import { Command } from 'commander';
import { isVigilError } from '../model/errors.ts';
import { commandModules } from './commands/index.ts';

const program = new Command('vigil').description('Vigil network management system').showHelpAfterError();
for (const register of commandModules) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isVigilError(error)) console.error(`vigil: ${error.message}`);
  else console.error(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
