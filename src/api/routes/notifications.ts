import type { FastifyRequest } from 'fastify';
import { auditRequest } from './audit.ts';
import { redactChannel, validateChannel } from '../../notify/channels.ts';
import { routeSchema, type ChannelConfig } from '../../notify/config.ts';
import { VigilError } from '../../model/errors.ts';
import type { RouteModule } from './types.ts';

/** Channels and routes (admin; secrets never returned), and the delivery log. */
export const notificationRoutes: RouteModule = (app, deps) => {
  const admin = { role: 'admin' as const };
  const audit = (req: FastifyRequest, action: string, target: string) => auditRequest(deps, req, action, target);
  const fromConfig = (id: string) => deps.config.notify.channels.some((c) => c.id === id);
  const reload = async () => {
    await deps.services.notifier?.reload();
  };

  app.get(
    '/notifications/channels',
    { config: admin, schema: { summary: 'Channels, secrets masked', tags: ['notifications'] } },
    async () => {
      const stored = (await deps.store.listChannels()).flatMap((c) => {
        try {
          return [{ ...redactChannel(validateChannel(c)), origin: 'api' }];
        } catch {
          return [];
        }
      });
      return {
        channels: [...deps.config.notify.channels.map((c) => ({ ...redactChannel(c), origin: 'config' })), ...stored],
      };
    },
  );
  /**
   * Stores a channel; `create` refuses one that exists. The check, the stored secrets it keeps and the write are one
   * transaction, so two requests cannot both create a channel or lose each other's secrets.
   */
  const putChannel = async (
    raw: unknown,
    id: string | undefined,
    req: FastifyRequest,
    action: string,
    create = false,
  ) => {
    const cid = id ?? (raw as { id?: string } | undefined)?.id ?? '';
    const c = await deps.store.transaction(async (tx) => {
      const prev = await tx.getChannel(cid);
      if (create && prev) throw new VigilError('VIGIL_CONFLICT', `channel "${cid}" exists`);
      if (fromConfig(cid)) throw new VigilError('VIGIL_CONFLICT', `channel "${cid}" is defined in the config file`);
      const next = validateChannel(
        { ...(raw as object), ...(id ? { id } : {}) },
        prev ? validateChannel(prev) : undefined,
      );
      await tx.putChannel(next as unknown as { id: string; type: string });
      return next;
    });
    await reload();
    await audit(req, action, c.id);
    return redactChannel(c);
  };
  app.post(
    '/notifications/channels',
    { config: admin, schema: { summary: 'Creates a channel (webhook, email, slack)', tags: ['notifications'] } },
    async (req, reply) => {
      return reply.status(201).send(await putChannel(req.body, undefined, req, 'channel.create', true));
    },
  );
  app.put(
    '/notifications/channels/:id',
    {
      config: admin,
      schema: { summary: 'Creates or replaces a channel; "<secret>" keeps the stored secret', tags: ['notifications'] },
    },
    async (req) => putChannel(req.body, (req.params as { id: string }).id, req, 'channel.update'),
  );
  app.delete(
    '/notifications/channels/:id',
    { config: admin, schema: { summary: 'Deletes a channel', tags: ['notifications'] } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await deps.store.deleteChannel(id))) throw new VigilError('VIGIL_NOT_FOUND', `no channel ${id}`);
      await reload();
      await audit(req, 'channel.delete', id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/notifications/channels/:id/test',
    {
      config: admin,
      schema: { summary: 'Sends a test message (with retries); see the delivery log', tags: ['notifications'] },
    },
    async (req) => {
      const n = deps.services.notifier;
      if (!n) throw new VigilError('VIGIL_UNAVAILABLE', 'the notifier is not running');
      const { id } = req.params as { id: string };
      if (!(await n.channels()).some((c: ChannelConfig) => c.id === id))
        throw new VigilError('VIGIL_NOT_FOUND', `no channel ${id}`);
      return { ok: await n.test(id) };
    },
  );

  app.get(
    '/notifications/routes',
    { config: admin, schema: { summary: 'Routes', tags: ['notifications'] } },
    async () => ({
      routes: [
        ...deps.config.notify.routes.map((r) => ({ ...r, origin: 'config' })),
        ...(await deps.store.listRoutes()).map((r) => ({ ...r, origin: 'api' })),
      ],
    }),
  );
  const putRoute = async (raw: unknown, id: string | undefined, req: FastifyRequest, action: string) => {
    const r = routeSchema.safeParse({ ...(raw as object), ...(id ? { id } : {}) });
    if (!r.success) {
      const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new VigilError('VIGIL_VALIDATION', `route: ${lines.join('; ')}`, lines);
    }
    if (deps.config.notify.routes.some((c) => c.id === r.data.id))
      throw new VigilError('VIGIL_CONFLICT', `route "${r.data.id}" is defined in the config file`);
    await deps.store.putRoute(r.data);
    await reload();
    await audit(req, action, r.data.id);
    return r.data;
  };
  app.post(
    '/notifications/routes',
    { config: admin, schema: { summary: 'Creates a route', tags: ['notifications'] } },
    async (req, reply) => reply.status(201).send(await putRoute(req.body, undefined, req, 'route.create')),
  );
  app.put(
    '/notifications/routes/:id',
    { config: admin, schema: { summary: 'Creates or replaces a route', tags: ['notifications'] } },
    async (req) => putRoute(req.body, (req.params as { id: string }).id, req, 'route.update'),
  );
  app.delete(
    '/notifications/routes/:id',
    { config: admin, schema: { summary: 'Deletes a route', tags: ['notifications'] } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await deps.store.deleteRoute(id))) throw new VigilError('VIGIL_NOT_FOUND', `no route ${id}`);
      await reload();
      await audit(req, 'route.delete', id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/notifications/deliveries',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every delivery attempt, newest first',
        tags: ['notifications'],
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            before: { type: 'integer' },
            channel: { type: 'string' },
            event: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { limit?: number; before?: number; channel?: string; event?: string };
      const deliveries = await deps.store.listDeliveries({
        limit: q.limit,
        before: q.before,
        channelId: q.channel,
        eventId: q.event,
      });
      const last = deliveries[deliveries.length - 1];
      return { deliveries, ...(last && deliveries.length === (q.limit ?? 100) ? { nextBefore: last.id } : {}) };
    },
  );
};
