import type { Command } from 'commander';

/** A CLI command module adds its (sub)commands to the program. */
export type CommandModule = (program: Command) => void;
