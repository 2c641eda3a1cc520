import type { RouteModule } from './types.ts';

export const healthRoutes: RouteModule = (app, deps) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness; the only route open without a token',
        security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, time: { type: 'number' } } } },
      },
    },
    async () => ({ status: 'ok', time: deps.clock.now() }),
  );
};
