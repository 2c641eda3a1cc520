import { auditRequest } from './audit.ts';
import { ROLES, type Role } from '../../store/types.ts';
import { VigilError } from '../../model/errors.ts';
import { createApiToken } from '../auth.ts';
import type { RouteModule } from './types.ts';

/** API tokens, admin only. The token text is returned once, at creation. */
export const tokenRoutes: RouteModule = (app, deps) => {
  const admin = { role: 'admin' as const };
  app.get('/tokens', { config: admin, schema: { summary: 'All API tokens (never their text)' } }, async () => ({
    items: await deps.store.listTokens(),
  }));
  app.post(
    '/tokens',
    {
      config: admin,
      schema: {
        summary: 'Create a token; its text is shown only in this response',
        body: {
          type: 'object',
          required: ['name', 'role'],
          properties: { name: { type: 'string', minLength: 1 }, role: { type: 'string', enum: [...ROLES] } },
        },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body as { name: string; role: Role };
      const { token, info } = await createApiToken(deps.store, { name, role, now: deps.clock.now() });
      await auditRequest(deps, request, 'token.create', info.id, { name, role });
      reply.status(201);
      return { token, ...info };
    },
  );
  app.delete(
    '/tokens/:id',
    {
      config: admin,
      schema: { summary: 'Revoke a token', params: { type: 'object', properties: { id: { type: 'string' } } } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!(await deps.store.deleteToken(id))) throw new VigilError('VIGIL_NOT_FOUND', `no token with id "${id}"`);
      await auditRequest(deps, request, 'token.delete', id);
      reply.status(204);
    },
  );
};
