import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { VigilError } from '../model/errors.ts';
import { principalForToken, roleAllows } from './auth.ts';
import type { ApiDeps } from './context.ts';
import { installErrorHandling } from './errors.ts';
import { routeModules } from './routes/index.ts';

/** A hook other modules (sessions for the web UI) use to find a principal when there is no bearer token. */
export type PrincipalResolver = (request: import('fastify').FastifyRequest) => import('./auth.ts').Principal | undefined;

/**
 * Builds the HTTP API: auth on every route but those marked public, role checks,
 * uniform errors, the OpenAPI document, and every route module in `routes/index.ts`.
 */
export async function buildApi(deps: ApiDeps, opts: { resolvers?: PrincipalResolver[] } = {}): Promise<FastifyInstance> {
  const tls = deps.config.http.tls;
  const app = Fastify({
    logger: false,
    bodyLimit: 5 * 1024 * 1024,
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

  app.addHook('onRequest', async (request) => {
    const cfg = request.routeOptions.config;
    if (!request.url.startsWith('/api/') || cfg?.public) return;
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) request.principal = principalForToken(deps.store, header.slice(7).trim());
    if (!request.principal) for (const resolve of opts.resolvers ?? []) if ((request.principal = resolve(request))) break;
    if (!request.principal) throw new VigilError('VIGIL_UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
    const need = cfg?.role ?? (request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'operator');
    if (!roleAllows(request.principal.role, need)) throw new VigilError('VIGIL_FORBIDDEN', `this needs the ${need} role; you have ${request.principal.role}`);
  });

  for (const register of routeModules) await app.register(async (scope) => register(scope, deps), { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
