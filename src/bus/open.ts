import { join } from 'node:path';
import type { Logger } from '../model/logger.ts';
import type { BusConfig } from './kafka/config.ts';
import { createMemoryBus } from './memory.ts';
import type { Bus } from './types.ts';

/**
 * The bus the config selects: in memory (one process, the default), or Kafka (`bus.kind: kafka`).
 * @example const bus = await openBus(config.bus, 'node-1', log);
 */
export async function openBus(config: BusConfig, nodeId: string, log: Logger, dataDir?: string): Promise<Bus> {
  if (config.kind === 'kafka' && config.kafka) {
    // Loaded only when used: a single process never loads the Kafka client.
    const { createKafkaBus } = await import('./kafka/bus.ts');
    return createKafkaBus(config.kafka, {
      nodeId,
      log: log.child({ part: 'kafka' }),
      spoolDir: dataDir && dataDir !== ':memory:' ? join(dataDir, 'kafka-spool') : undefined,
    });
  }
  return createMemoryBus({
    onError: (subscriber, error) => log.error({ subscriber, err: (error as Error)?.message }, 'bus consumer failed'),
  });
}
