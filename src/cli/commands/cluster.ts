import { NODE_KEY_PREFIX, type NodeReport } from '../../cluster/heartbeat.ts';
import { statusTable } from '../../cluster/status.ts';
import type { CommandModule } from './types.ts';
import { withStore } from './with-store.ts';

/** `vigil cluster status`: every node seen in the shared store, its roles, site, version, heartbeat and lag. */
export const clusterCommand: CommandModule = (program) => {
  const cluster = program.command('cluster').description('the nodes of a deployment split over Kafka');
  cluster
    .command('status')
    .description('every node seen: role, site, version, last heartbeat, consumer lag, records waiting to be sent')
    .option('-c, --config <file>', 'YAML config file (the shared store)')
    .option('--json', 'print the reports as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const reports = await withStore(opts.config, async (store) =>
        (await store.listKv(NODE_KEY_PREFIX)).map((r) => r.value as NodeReport),
      );
      if (opts.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      else if (!reports.length) process.stdout.write('no node has reported to this store yet\n');
      else process.stdout.write(`${statusTable(reports, Date.now())}\n`);
    });
};
