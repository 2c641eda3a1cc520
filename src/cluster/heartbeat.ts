/**
 * Each node of a deployment says it is alive: every few seconds it writes what it is (roles, site, version, API URL)
 * and how it is doing (consumer lag, records waiting to be sent, the disk buffer) to the shared store, under
 * `node:<id>`. `vigil cluster status` reads them back (status.ts).
 */
import type { Logger } from '../model/logger.ts';
import type { Store } from '../store/types.ts';

export interface NodeReport {
  id: string;
  roles: string[];
  site: string;
  version: string;
  url?: string;
  startedTs: number;
  heartbeatTs: number;
  intervalMs: number;
  /** Messages its consumer groups are behind (processors). */
  lag?: number;
  /** Records waiting to be sent to Kafka, in memory and on disk (collectors). */
  pending?: number;
  spooled?: number;
}

export const NODE_KEY_PREFIX = 'node:';

export function startHeartbeat(o: {
  store: Store;
  intervalMs: number;
  report: () => Omit<NodeReport, 'heartbeatTs' | 'intervalMs'>;
  log: Logger;
}): { stop(): Promise<void> } {
  let failures = 0;
  const beat = async () => {
    const r = o.report();
    try {
      await o.store.setKv(`${NODE_KEY_PREFIX}${r.id}`, { ...r, heartbeatTs: Date.now(), intervalMs: o.intervalMs });
      failures = 0;
    } catch (error) {
      if (failures++ === 0) o.log.warn({ err: (error as Error).message }, 'cluster: heartbeat not written');
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), o.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
