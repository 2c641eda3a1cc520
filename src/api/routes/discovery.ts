import { formatIssues } from '../../config/load.ts';
import { discoveryJobSpecSchema } from '../../discovery/config.ts';
import type { FoundDevice } from '../../discovery/job.ts';
import { VigilError } from '../../model/errors.ts';
import { roleAllows } from '../auth.ts';
import { discoveryOf } from '../services.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;

/** A find as clients see it (no secrets are in a find: the profile is named, never its contents). */
const view = (f: FoundDevice) => f;

/**
 * Discovery jobs: POST /discovery/jobs starts one (targets, exclusions, profiles, depth, rules), GET lists them with
 * their progress, GET /discovery/jobs/{id} one with what it found, POST …/cancel stops it; GET /discovery/found lists
 * devices found and not added, POST /discovery/found/{id}/add adds one, DELETE dismisses it.
 */
export const discoveryRoutes: RouteModule = (app, deps) => {
  app.post(
    '/discovery/jobs',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Starts a discovery job (an admin, or an operator inside discovery.allowedRanges)',
        body: { type: 'object' },
      },
    },
    async (request, reply) => {
      const r = discoveryJobSpecSchema.safeParse(request.body);
      if (!r.success)
        throw new VigilError(
          'VIGIL_VALIDATION',
          `invalid job: ${formatIssues(r.error).join('; ')}`,
          formatIssues(r.error),
        );
      // A job sends the stored credential profiles' secrets to every address it tries: only to addresses an admin chose.
      const principal = request.principal;
      if (!deps.config.discovery.allowedRanges.length && !(principal && roleAllows(principal.role, 'admin')))
        throw new VigilError(
          'VIGIL_FORBIDDEN',
          'a discovery job sends stored credentials to the addresses it tries: it needs the admin role unless discovery.allowedRanges is set',
        );
      const progress = discoveryOf(deps).submit(r.data, principal?.name ?? 'api');
      await auditRequest(deps, request, 'discovery.start', progress.id, {
        targets: r.data.targets,
        exclude: r.data.exclude,
        depth: r.data.depth,
      });
      return reply.status(202).send(progress);
    },
  );

  app.get(
    '/discovery/jobs',
    { config: { role: 'viewer' }, schema: { summary: 'Discovery jobs, newest first, with their progress' } },
    async () => ({ items: await discoveryOf(deps).jobs() }),
  );

  app.get<{ Params: { id: string } }>(
    '/discovery/jobs/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One discovery job and the devices it found', params: idParam } },
    async (request) => {
      const job = await discoveryOf(deps).job(request.params.id);
      if (!job) throw new VigilError('VIGIL_NOT_FOUND', `no discovery job ${request.params.id}`);
      return { ...job.progress, found: job.found.map(view) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/discovery/jobs/:id/cancel',
    { config: { role: 'operator' }, schema: { summary: 'Cancels a running discovery job', params: idParam } },
    async (request) => {
      const d = discoveryOf(deps);
      if (!d.cancel(request.params.id)) {
        const job = await d.job(request.params.id);
        if (!job) throw new VigilError('VIGIL_NOT_FOUND', `no discovery job ${request.params.id}`);
        throw new VigilError(
          'VIGIL_CONFLICT',
          `discovery job ${request.params.id} is not running (${job.progress.state})`,
        );
      }
      await auditRequest(deps, request, 'discovery.cancel', request.params.id);
      return { cancelled: true };
    },
  );

  app.get(
    '/discovery/found',
    { config: { role: 'viewer' }, schema: { summary: 'Devices found and not monitored' } },
    async () => ({ items: (await discoveryOf(deps).found()).map(view) }),
  );

  app.post<{ Params: { id: string }; Body: { name?: string; group?: string; tags?: string[]; profile?: string } }>(
    '/discovery/found/:id/add',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Adds a found device to the inventory',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            group: { type: 'string', minLength: 1, maxLength: 200 },
            tags: { type: 'array', items: { type: 'string', minLength: 1 } },
            profile: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    async (request, reply) => {
      const device = await discoveryOf(deps).addFound(request.params.id, request.body ?? {});
      await auditRequest(deps, request, 'discovery.add', device.id, { address: device.address });
      return reply.status(201).send({ id: device.id, name: device.name, address: device.address });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/discovery/found/:id',
    { config: { role: 'operator' }, schema: { summary: 'Dismisses a found device', params: idParam } },
    async (request, reply) => {
      if (!(await discoveryOf(deps).dismissFound(request.params.id)))
        throw new VigilError('VIGIL_NOT_FOUND', `no found device ${request.params.id}`);
      await auditRequest(deps, request, 'discovery.dismiss', request.params.id);
      return reply.status(204).send();
    },
  );
};
