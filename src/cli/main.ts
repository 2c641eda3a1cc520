import { Command } from 'commander';
import { isVigilError } from '../model/errors.ts';
import { commandModules } from './commands/index.ts';

// `vigil mib search x | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('vigil').description('Vigil network management system').showHelpAfterError();
for (const register of commandModules) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isVigilError(error)) console.error(`vigil: ${error.message}`);
  else console.error(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
