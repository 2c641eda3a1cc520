import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { VigilError } from '../model/errors.ts';
import { principalForToken, roleAllows } from './auth.ts';
import { checkSameOrigin } from './csrf.ts';
import { ROLES, type Role } from '../store/types.ts';
import type { ApiDeps } from './context.ts';
import { installErrorHandling, sendFrameworkError } from './errors.ts';
import { routeModules } from './routes/index.ts';

/** One registered route and who may call it: what the route-by-role test walks. */
export interface RouteAccess {
  method: string;
  url: string;
  public?: boolean;
  role?: Role;
}

/**
 * A hook other modules (sessions for the web UI) use to find a principal when there is no bearer token; it may
 * answer with a promise (it reads the store). Undefined means "not signed in by this"; a rejection fails the request
 * (never lets it through).
 */
export type PrincipalResolver = (
  request: import('fastify').FastifyRequest,
) => Promise<import('./auth.ts').Principal | undefined> | import('./auth.ts').Principal | undefined;

/**
 * Builds the HTTP API: auth on every route but those marked public, role checks,
 * uniform errors, the OpenAPI document, and every route module in `routes/index.ts`.
 */
export async function buildApi(
  deps: ApiDeps,
  opts: { resolvers?: PrincipalResolver[] } = {},
): Promise<FastifyInstance> {
  const tls = deps.config.http.tls;
  const app = Fastify({
    logger: false,
    bodyLimit: 5 * 1024 * 1024,
    // The router's own errors (malformed percent-encoding, over-long parameters) in the stable error shape.
    frameworkErrors: sendFrameworkError,
    ...(deps.config.http.trustProxy.length ? { trustProxy: deps.config.http.trustProxy } : {}),
    ...(tls ? { https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } } : {}),
  }) as unknown as FastifyInstance;
  installErrorHandling(app, deps.log);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Vigil API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  // Every route says who may call it, where it is defined; one without a declaration cannot be registered.
  const routeTable: RouteAccess[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const access = route.config as { public?: boolean; role?: Role } | undefined;
    if (!access?.public && !(access?.role && ROLES.includes(access.role)))
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no access: give config.role ('viewer', 'operator' or 'admin') or config.public`,
      );
    for (const method of [route.method].flat())
      routeTable.push({ method, url: route.url, ...(access.public ? { public: true } : { role: access.role }) });
  });

  // Decided from the route the router matched, never from the URL text: encodings, dot segments, doubled slashes
  // and case all reach the same route, and so the same check. Unmatched requests go to the 404 handler, which reveals nothing.
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config as { public?: boolean; role?: Role };
    if (access.public) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m)
        throw new VigilError('VIGIL_UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
      request.principal = await principalForToken(deps.store, m[1]);
      if (!request.principal)
        throw new VigilError('VIGIL_UNAUTHENTICATED', 'this token is unknown, revoked, or its owner is disabled');
    }
    if (!request.principal)
      for (const resolve of opts.resolvers ?? []) if ((request.principal = await resolve(request))) break;
    if (!request.principal)
      throw new VigilError('VIGIL_UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
    if (request.principal.kind === 'session') checkSameOrigin(request);
    // Deny by default: a route without a known role is refused, whatever the principal.
    const need = access.role;
    if (!need || !ROLES.includes(need)) throw new VigilError('VIGIL_FORBIDDEN', 'this route declares no role');
    if (!roleAllows(request.principal.role, need))
      throw new VigilError('VIGIL_FORBIDDEN', `this needs the ${need} role; you have ${request.principal.role}`);
  });

  // Schema coercion and JSON.parse both turn 1e309 into Infinity, which passes `maximum` and reaches the store as NaN
  // arithmetic or a bad SQL bind. One check for every route, after validation.
  app.addHook('preHandler', async (request) => {
    const where =
      nonFinite(request.query, 'query') ?? nonFinite(request.params, 'path') ?? nonFinite(request.body, 'body');
    if (where) throw new VigilError('VIGIL_VALIDATION', `${where}: not a finite number`);
  });

  for (const register of routeModules)
    await app.register(async (scope) => register(scope, deps), { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** The path of the first number in `value` that is not finite, or undefined. */
function nonFinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (!value || typeof value !== 'object' || depth > 32) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinite(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
