import type { CommandModule } from './types.ts';

/** Every CLI command module. Add new ones here. */
export const commandModules: CommandModule[] = [];
