import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context.ts';

/** A route module registers its routes under /api/v1. */
export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => void | Promise<void>;

/** Common schema fragments for OpenAPI. */
export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
} as const;
