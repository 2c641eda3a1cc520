import { randomUUID } from 'node:crypto';
import { VigilError } from '../../model/errors.ts';
import {
  type LinkHistoryEntry,
  TOPOLOGY_LINKS_KEY,
  type TopologyLink,
  topologyHistoryKey,
  topologyHostsKey,
  topologySnapshotKey,
} from '../../model/topology.ts';
import { locateHost } from '../../topology/locate-store.ts';
import { TOPOLOGY_PARENTS_KEY } from '../../topology/service.ts';
import { inventoryOf, topologyOf } from '../services.ts';
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

  app.get<{ Querystring: { device?: string } }>(
    '/topology',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Saved node positions, links (manual and discovered), derived parents; with ?device= its link history',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { device: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (request) => {
      const device = request.query.device;
      return {
        positions: (await store.getKv<TopologyLayout>(LAYOUT_KEY))?.positions ?? {},
        links: await links(),
        parents: (await store.getKv<Record<string, string>>(TOPOLOGY_PARENTS_KEY)) ?? {},
        ...(device
          ? { history: ((await store.getKv<LinkHistoryEntry[]>(topologyHistoryKey(device))) ?? []).reverse() }
          : {}),
      };
    },
  );

  app.post(
    '/topology/recompute',
    {
      config: { role: 'operator' },
      schema: { summary: 'Recomputes the discovered links from the stored neighbour tables now' },
    },
    async (request) => {
      const all = await topologyOf(deps).recompute();
      await auditRequest(deps, request, 'topology.recompute', `${all.length} links`);
      return { links: all.length, discovered: all.filter((l) => l.origin === 'discovered').length };
    },
  );

  app.get<{ Querystring: { q: string } }>(
    '/topology/locate',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Finds an end host by IP or MAC: switch, port, VLAN, when the tables were read',
        querystring: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: { q: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
    },
    async (request) => locateHost(store, request.query.q, (id) => inventoryOf(deps).get(id)?.name),
  );

  app.get<{ Params: { id: string } }>(
    '/topology/devices/:id',
    {
      config: { role: 'viewer' },
      schema: { summary: "A device's neighbours as last read, its table sizes and link history" },
    },
    async (request) => {
      const id = request.params.id;
      if (!(await store.getDevice(id))) throw new VigilError('VIGIL_NOT_FOUND', `no device ${id}`);
      const snap = await store.getKv<{ ts: number; snapshot: Record<string, unknown> }>(topologySnapshotKey(id));
      const hosts = await store.getKv<{ ts: number; fdb: unknown[]; arp: unknown[] }>(topologyHostsKey(id));
      const s = snap?.snapshot as { lldp?: { neighbours?: unknown[] }; cdp?: unknown[]; lags?: unknown[] } | undefined;
      return {
        ...(snap ? { ts: snap.ts } : {}),
        lldp: s?.lldp?.neighbours ?? [],
        cdp: s?.cdp ?? [],
        lags: s?.lags ?? [],
        ...(hosts ? { hostsTs: hosts.ts, fdbEntries: hosts.fdb.length, arpEntries: hosts.arp.length } : {}),
        links: (await links()).filter((l) => l.a === id || l.b === id),
        history: ((await store.getKv<LinkHistoryEntry[]>(topologyHistoryKey(id))) ?? []).reverse(),
      };
    },
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

  app.post<{ Body: { a: string; b: string; aIfIndex?: number; bIfIndex?: number } }>(
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
