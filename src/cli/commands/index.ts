import { userCommand } from './user.ts';
import { configCommand } from './config.ts';
import { startCommand } from './start.ts';
import { tokenCommand } from './token.ts';
import { mibCommand } from './mib.ts';
import { pingCommand } from './ping.ts';
import { snmpCommand } from './snmp.ts';
import { storeCommand } from './store.ts';
import { clusterCommand } from './cluster.ts';
import { discoverCommand } from './discover.ts';
import type { CommandModule } from './types.ts';

/** Every CLI command module. Add new ones here. */
export const commandModules: CommandModule[] = [
  startCommand,
  configCommand,
  tokenCommand,
  userCommand,
  mibCommand,
  pingCommand,
  snmpCommand,
  storeCommand,
  clusterCommand,
  discoverCommand,
];
