import type { FastifyRequest } from 'fastify';
import { VigilError } from '../../model/errors.ts';
import type { ApiDeps } from '../context.ts';
import type { RouteModule } from './types.ts';

/** Who to name in the audit log for a request: the user, or `token:<name>` for API tokens. */
export function actorOf(request: FastifyRequest): string {
  const p = request.principal;
  if (!p) return 'anonymous';
  return p.kind === 'token' ? `token:${p.name}` : p.name;
}

/** Writes one audit entry for a request; resolves once it is stored. */
export async function auditRequest(
  deps: ApiDeps,
  request: FastifyRequest,
  action: string,
  target?: string,
  details?: Record<string, unknown>,
  result = 'ok',
): Promise<void> {
  await deps.store.audit({
    ts: deps.clock.now(),
    actor: actorOf(request),
    action,
    target,
    details: { ...details, address: request.ip },
    result,
  });
}

/** GET /audit: the audit log, newest first (admin). */
export const auditRoutes: RouteModule = (app, deps) => {
  app.get<{ Querystring: { limit?: number; before?: number; actor?: string; action?: string } }>(
    '/audit',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Audit log, newest first; page with `before` = the last id seen',
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            before: { type: 'integer' },
            actor: { type: 'string' },
            action: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const { limit = 100, before, actor, action } = request.query;
      // The schema's coercion lets `1e309` through as Infinity, past its maximum; the store cannot bind that.
      for (const [name, n] of Object.entries({ limit, before }))
        if (n !== undefined && !Number.isSafeInteger(n))
          throw new VigilError('VIGIL_VALIDATION', `${name}: expected a whole number`);
      // The store pages by id; filters are applied on a wider page so a filtered page is still useful.
      const rows = await deps.store.listAudit({ limit: actor || action ? Math.min(limit * 10, 5000) : limit, before });
      const entries = rows
        .filter((e) => (!actor || e.actor === actor) && (!action || e.action.startsWith(action)))
        .slice(0, limit);
      const last = entries.at(-1);
      return { entries, nextBefore: entries.length === limit && last?.id ? last.id : undefined };
    },
  );
};
