import { healthRoutes } from './health.ts';
import type { RouteModule } from './types.ts';

/** Every route module, registered under /api/v1. Add new modules here. */
export const routeModules: RouteModule[] = [healthRoutes];
