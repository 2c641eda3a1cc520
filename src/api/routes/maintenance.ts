import type { FastifyRequest } from 'fastify';
import { auditRequest } from './audit.ts';
import { VigilError } from '../../model/errors.ts';
import { eventEngineOf } from '../services.ts';
import type { RouteModule } from './types.ts';

/** Maintenance windows (once or cron-recurring) for devices, groups and tags. */
export const maintenanceRoutes: RouteModule = (app, deps) => {
  const audit = (req: FastifyRequest, action: string, target: string) => auditRequest(deps, req, action, target);
  app.get(
    '/maintenance',
    { config: { role: 'viewer' }, schema: { summary: 'Maintenance windows', tags: ['maintenance'] } },
    async () => ({ windows: await eventEngineOf(deps).maintenanceWindows() }),
  );
  app.post(
    '/maintenance',
    { config: { role: 'operator' }, schema: { summary: 'Creates a maintenance window', tags: ['maintenance'] } },
    async (req, reply) => {
      const engine = eventEngineOf(deps);
      // The store refuses a taken id itself (another request or API node may create it at the same moment).
      const w = await engine.saveMaintenance(req.body, { create: true });
      await audit(req, 'maintenance.create', w.id);
      return reply.status(201).send(w);
    },
  );
  app.put(
    '/maintenance/:id',
    {
      config: { role: 'operator' },
      schema: { summary: 'Creates or replaces a maintenance window', tags: ['maintenance'] },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const w = await eventEngineOf(deps).saveMaintenance({ ...(req.body as object), id });
      await audit(req, 'maintenance.update', id);
      return w;
    },
  );
  app.delete(
    '/maintenance/:id',
    { config: { role: 'operator' }, schema: { summary: 'Deletes a maintenance window', tags: ['maintenance'] } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await eventEngineOf(deps).deleteMaintenance(id)))
        throw new VigilError(
          'VIGIL_NOT_FOUND',
          `no maintenance window ${id} (windows from the config file are changed there)`,
        );
      await audit(req, 'maintenance.delete', id);
      return reply.status(204).send();
    },
  );
};
