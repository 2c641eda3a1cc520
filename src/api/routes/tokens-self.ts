import { VigilError } from '../../model/errors.ts';
import { ROLES, type Role } from '../../store/types.ts';
import { createApiToken, roleAllows } from '../auth.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

/** /me/tokens: every user lists, creates and revokes their own API tokens, never above their own role. */
export const selfTokenRoutes: RouteModule = (app, deps) => {
  const { store, clock } = deps;
  const viewer = { role: 'viewer' as const };
  const owner = (principal: { userId?: string } | undefined) => {
    if (!principal?.userId) throw new VigilError('VIGIL_BAD_REQUEST', 'only a signed-in user has own tokens');
    return principal.userId;
  };

  app.get(
    '/me/tokens',
    { config: viewer, schema: { summary: "The signed-in user's API tokens (never the token text)" } },
    async (request) => ({
      tokens: await store.listTokens(owner(request.principal)),
    }),
  );

  app.post<{ Body: { name: string; role?: Role } }>(
    '/me/tokens',
    {
      config: viewer,
      schema: {
        summary: 'Creates an API token for the signed-in user; the token text is returned once',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            role: { type: 'string', enum: [...ROLES] },
          },
        },
      },
    },
    async (request, reply) => {
      const userId = owner(request.principal);
      const have = request.principal!.role;
      const role = request.body.role ?? have;
      if (!roleAllows(have, role))
        throw new VigilError('VIGIL_FORBIDDEN', `a token cannot have more than your role (${have})`);
      const { token, info } = await createApiToken(store, { name: request.body.name, role, userId, now: clock.now() });
      await auditRequest(deps, request, 'token.create', info.name, { role, id: info.id });
      return reply.status(201).send({ token, info });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/me/tokens/:id',
    { config: viewer, schema: { summary: 'Revokes one of your own tokens' } },
    async (request, reply) => {
      const userId = owner(request.principal);
      const t = (await store.listTokens(userId)).find((x) => x.id === request.params.id);
      if (!t) throw new VigilError('VIGIL_NOT_FOUND', `you have no token ${request.params.id}`);
      await store.deleteToken(t.id);
      await auditRequest(deps, request, 'token.revoke', t.name, { id: t.id });
      return reply.status(204).send();
    },
  );
};
