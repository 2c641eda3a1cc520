import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isVigilError } from '../model/errors.ts';
import type { Logger } from '../model/logger.ts';

/** Every API error leaves as `{"error":{"code":"…","message":"…"}}`. */
export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (isVigilError(error)) {
      return reply.status(error.status).send({
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      });
    }
    if (error.validation) {
      return reply.status(400).send({ error: { code: 'VIGIL_VALIDATION', message: error.message } });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) log.error({ err: error.message, stack: error.stack }, 'request failed');
    return reply.status(status).send({
      error: {
        code: status >= 500 ? 'VIGIL_INTERNAL' : 'VIGIL_BAD_REQUEST',
        message: status >= 500 ? 'internal error' : error.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'VIGIL_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}

/**
 * For Fastify's `frameworkErrors` option: errors the router raises before any route or hook runs (a path whose
 * percent-encoding is malformed, a parameter over maxParamLength) otherwise leave in Fastify's own shape.
 * @example Fastify({ frameworkErrors: sendFrameworkError })
 */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.status(status).send({ error: { code: 'VIGIL_BAD_REQUEST', message: error.message } });
}
