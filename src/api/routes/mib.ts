import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../context.ts';
import { VigilError } from '../../model/errors.ts';
import type { MibStatus } from '../../mib/service.ts';
import type { MibNode } from '../../mib/types.ts';
import { mibBrowserOf } from '../services.ts';
import type { RouteModule } from './types.ts';

/**
 * The compile's state (`deps.services.mibStatus`). Without it (an API built around a ready dictionary, as in tests)
 * the status says what that dictionary holds.
 */
function status(deps: ApiDeps): MibStatus | undefined {
  if (deps.services.mibStatus) return deps.services.mibStatus();
  const mib = deps.services.mib;
  if (!mib || typeof mib.stats !== 'function') return undefined;
  const s = mib.stats();
  return {
    state: 'idle',
    done: 0,
    total: 0,
    serving: 'current',
    nodes: s.nodes,
    files: s.files,
    errors: s.errors,
    compiledAt: s.compiledAt,
    limits: deps.config.mib.compile,
    rescanS: 0,
  };
}

const brief = (n: MibNode) => ({
  oid: n.oid,
  name: n.name,
  module: n.module,
  kind: n.kind,
  ...(n.syntax ? { syntax: n.syntax.tc ?? n.syntax.type } : {}),
});

/** `/api/v1/mib/*`: translate, search, object details, tree browsing and the files that failed to load. */
export const mibRoutes: RouteModule = (app, deps) => {
  app.get(
    '/mib/translate',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Translate a numeric OID to its name (with decoded instance), or a name to its OID',
        querystring: { type: 'object', properties: { oid: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    async (req: FastifyRequest<{ Querystring: { oid?: string; name?: string } }>) => {
      const mib = mibBrowserOf(deps);
      const input = (req.query.oid ?? req.query.name ?? '').trim();
      if (!input) throw new VigilError('VIGIL_BAD_REQUEST', 'give ?oid= (numeric or a name)');
      const numeric = /^\.?\d+(\.\d+)*$/.test(input) ? input.replace(/^\./, '') : mib.resolve(input);
      if (!numeric) throw new VigilError('VIGIL_NOT_FOUND', `no MIB object named "${input}"`);
      return mib.translate(numeric);
    },
  );

  app.get(
    '/mib/search',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Objects whose name or description contains the text',
        querystring: {
          type: 'object',
          properties: { q: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
          required: ['q'],
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { q: string; limit?: number } }>) => {
      const results = mibBrowserOf(deps).search(req.query.q, req.query.limit ?? 50);
      return { results: results.map(brief) };
    },
  );

  app.get(
    '/mib/objects/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Details of one object, by numeric OID or name',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const mib = mibBrowserOf(deps);
      // The router has decoded the path once; decoding again would read `%2541` as `A` and throw on `%25E0`.
      const id = req.params.id;
      const found =
        mib.lookup(id) ??
        (() => {
          const oid = mib.resolve(id);
          return oid ? mib.lookup(oid) : undefined;
        })();
      if (!found) throw new VigilError('VIGIL_NOT_FOUND', `no MIB object "${id}"`);
      return found;
    },
  );

  app.get(
    '/mib/tree',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Children of a node (default: the top of the tree)',
        querystring: { type: 'object', properties: { root: { type: 'string' } } },
      },
    },
    async (req: FastifyRequest<{ Querystring: { root?: string } }>, reply: FastifyReply) => {
      const mib = mibBrowserOf(deps);
      const root = (req.query.root ?? '').trim();
      const oid = root === '' ? '' : mib.resolve(root);
      if (oid === undefined)
        return reply.status(404).send({ error: { code: 'VIGIL_NOT_FOUND', message: `no MIB object "${root}"` } });
      const node = oid ? mib.lookup(oid) : undefined;
      return {
        root: node ? brief(node) : { oid: oid || '', name: oid ? oid : '(root)' },
        children: mib.children(oid).map((c) => ({ ...brief(c), children: mib.children(c.oid).length })),
      };
    },
  );

  app.get(
    '/mib/errors',
    {
      config: { role: 'viewer' },
      schema: { summary: 'MIB files that failed to load: file, line and reason; and the compile status' },
    },
    async () => {
      const mib = mibBrowserOf(deps);
      const compile = status(deps);
      return { stats: mib.stats(), errors: mib.errors(), ...(compile ? { status: compile } : {}) };
    },
  );

  app.get(
    '/mib/status',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          'The MIB compile: idle, compiling (files done of total) or failed (why), and what answers translate and search meanwhile',
      },
    },
    async () => {
      const compile = status(deps);
      if (!compile) throw new VigilError('VIGIL_UNAVAILABLE', 'the MIB dictionary is not loaded');
      return compile;
    },
  );
};
