import { auditRoutes } from './audit.ts';
import { sessionRoutes } from './session.ts';
import { selfTokenRoutes } from './tokens-self.ts';
import { topologyRoutes } from './topology.ts';
import { userRoutes } from './users.ts';
import { credentialRoutes } from './credentials.ts';
import { deviceTestRoutes } from './device-test.ts';
import { deviceRoutes } from './devices.ts';
import { snmpWalkRoutes } from './snmp-walk.ts';
import { healthRoutes } from './health.ts';
import { metricRoutes } from './metrics.ts';
import { statsRoutes } from './stats.ts';
import { tokenRoutes } from './tokens.ts';
import { snmpSetRouteModule } from './snmp-set.ts';
import { trapRoutes } from './traps.ts';
import { mibRoutes } from './mib.ts';
import { eventRoutes } from './events.ts';
import { maintenanceRoutes } from './maintenance.ts';
import { notificationRoutes } from './notifications.ts';
import { ruleRoutes } from './rules.ts';
import { logRoutes } from './logs.ts';
import { discoveryRoutes } from './discovery.ts';
import { rmonRouteModule } from './rmon.ts';
import { wirelessRoutes } from './wireless.ts';
import type { RouteModule } from './types.ts';

/** Every route module, registered under /api/v1. Add new modules here. */
export const routeModules: RouteModule[] = [
  healthRoutes,
  deviceRoutes,
  deviceTestRoutes,
  snmpWalkRoutes,
  credentialRoutes,
  metricRoutes,
  statsRoutes,
  tokenRoutes,
  sessionRoutes,
  userRoutes,
  selfTokenRoutes,
  auditRoutes,
  topologyRoutes,
  trapRoutes,
  snmpSetRouteModule,
  mibRoutes,
  eventRoutes,
  ruleRoutes,
  maintenanceRoutes,
  notificationRoutes,
  logRoutes,
  discoveryRoutes,
  rmonRouteModule,
  wirelessRoutes,
];
