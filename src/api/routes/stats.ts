import { reachability } from '../device-view.ts';
import { sseLimiterOf } from '../sse-limit.ts';
import type { RouteModule } from './types.ts';

/** Counts for the overview: reachability, SNMP versions, and the running parts' counters. */
export const statsRoutes: RouteModule = (app, deps) => {
  app.get(
    '/stats/devices',
    { config: { role: 'viewer' }, schema: { summary: 'Devices up, down and unknown' } },
    async () => {
      const statuses = new Map((await deps.store.listStatuses()).map((s) => [s.deviceId, s]));
      const counts = { total: 0, up: 0, down: 0, unknown: 0 };
      for (const d of await deps.store.listDevices()) {
        counts.total++;
        counts[reachability(d, statuses.get(d.id))]++;
      }
      return counts;
    },
  );

  app.get(
    '/stats/snmp-versions',
    { config: { role: 'viewer' }, schema: { summary: 'How many devices are collected with SNMP v1, v2c and v3' } },
    async () => {
      const counts = { v1: 0, v2c: 0, v3: 0 };
      const ids = new Set((await deps.store.listDevices()).map((d) => d.id));
      for (const s of await deps.store.listStatuses())
        if (s.snmpVersion && ids.has(s.deviceId)) counts[s.snmpVersion]++;
      return counts;
    },
  );

  app.get(
    '/stats/runtime',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Counters of every running part: collectors, listeners, bus, event streams' },
    },
    async () => ({
      ...deps.runtimeStats(),
      bus: deps.bus.stats(),
      sse: sseLimiterOf(deps).stats(),
    }),
  );
};
