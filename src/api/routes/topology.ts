import { randomUUID } from 'node:crypto';
import { VigilError } from '../../model/errors.ts';
import { TOPOLOGY_LINKS_KEY, type TopologyLink } from '../../model/topology.ts';
import type { Store } from '../../store/types.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

export interface TopologyLayout {
  positions: Record<string, { x: number; y: number }>;
}

const LAYOUT_KEY = 'topology.layout';
const LINKS_KEY = TOPOLOGY_LINKS_KEY;

/** GET /topology, PUT /topology/layout, POST /topology/links, DELETE /topology/links/{id}. Kept in the store's key/value table. */
export const topologyRoutes: RouteModule = (app, deps) => {
  const { store } = deps;
  /** The stored links; read through the transaction's `tx` when changing them, so no concurrent change is lost. */
  const links = async (s: Store = store) => (await s.getKv<TopologyLink[]>(LINKS_KEY)) ?? [];

  app.get(
    '/topology',
    { config: { role: 'viewer' }, schema: { summary: 'Saved node positions and links' } },
    async () => ({
      positions: (await store.getKv<TopologyLayout>(LAYOUT_KEY))?.positions ?? {},
      links: await links(),
    }),
  );

  app.put<{ Body: TopologyLayout }>(
    '/topology/layout',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Saves node positions (device id → x, y)',
        body: {
          type: 'object',
          required: ['positions'],
          properties: {
            positions: {
              type: 'object',
              additionalProperties: {
                type: 'object',
                required: ['x', 'y'],
                properties: { x: { type: 'number' }, y: { type: 'number' } },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const positions: TopologyLayout['positions'] = {};
      for (const [id, p] of Object.entries(request.body.positions))
        positions[id] = { x: Math.round(p.x), y: Math.round(p.y) };
      await store.setKv(LAYOUT_KEY, { positions });
      return { positions };
    },
  );

  app.post<{ Body: Omit<TopologyLink, 'id' | 'origin'> }>(
    '/topology/links',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Adds a link between two devices by hand',
        body: {
          type: 'object',
          required: ['a', 'b'],
          additionalProperties: false,
          properties: {
            a: { type: 'string', minLength: 1 },
            b: { type: 'string', minLength: 1 },
            aIfIndex: { type: 'integer' },
            bIfIndex: { type: 'integer' },
          },
        },
      },
    },
    async (request, reply) => {
      const { a, b, aIfIndex, bIfIndex } = request.body;
      if (a === b) throw new VigilError('VIGIL_VALIDATION', 'a link joins two different devices');
      for (const id of [a, b])
        if (!(await store.getDevice(id))) throw new VigilError('VIGIL_NOT_FOUND', `no device ${id}`);
      const link: TopologyLink = { id: randomUUID(), a, b, aIfIndex, bIfIndex, origin: 'manual' };
      await store.transaction(async (tx) =>
        tx.setKv(LINKS_KEY, [...(await links(tx)), JSON.parse(JSON.stringify(link))]),
      );
      await auditRequest(deps, request, 'topology.link.add', `${a}—${b}`);
      return reply.status(201).send({ link });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/topology/links/:id',
    { config: { role: 'operator' }, schema: { summary: 'Removes a link' } },
    async (request, reply) => {
      const gone = await store.transaction(async (tx) => {
        const all = await links(tx);
        const found = all.find((l) => l.id === request.params.id);
        if (!found) throw new VigilError('VIGIL_NOT_FOUND', `no link ${request.params.id}`);
        await tx.setKv(
          LINKS_KEY,
          all.filter((l) => l !== found),
        );
        return found;
      });
      await auditRequest(deps, request, 'topology.link.remove', `${gone.a}—${gone.b}`);
      return reply.status(204).send();
    },
  );
};
