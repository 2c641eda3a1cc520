import { VigilError } from '../../model/errors.ts';
import { WIRELESS_PREFIX, type AccessPoint, type WirelessSnapshot, wirelessKey } from '../../model/wireless.ts';
import type { KnownAp } from '../../wireless/changes.ts';
import { knownApsKey } from '../../wireless/service.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

type Stored = { ts: number; snapshot: WirelessSnapshot };
const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;

/**
 * Wireless: GET /wireless (every controller with its figures), GET /wireless/controllers/{id} (its APs, radios and
 * clients as last polled, plus APs that left it), DELETE /wireless/controllers/{id}/aps/{ap} (retire an AP removed on
 * purpose: no event, no row).
 */
export const wirelessRoutes: RouteModule = (app, deps) => {
  const { store } = deps;

  app.get(
    '/wireless',
    { config: { role: 'viewer' }, schema: { summary: 'Wireless controllers and their figures as last polled' } },
    async () => {
      const items = [];
      for (const { key, value } of await store.listKv(WIRELESS_PREFIX)) {
        const id = key.slice(WIRELESS_PREFIX.length);
        const device = await store.getDevice(id);
        const v = value as Stored | null;
        if (!device || !v?.snapshot) continue;
        items.push({ deviceId: id, name: device.name, ts: v.ts, ...v.snapshot.controller });
      }
      return { items };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/wireless/controllers/:id',
    { config: { role: 'viewer' }, schema: { summary: "A controller's APs, radios and clients", params: idParam } },
    async (request) => {
      const id = request.params.id;
      const stored = await store.getKv<Stored>(wirelessKey(id));
      if (!stored?.snapshot) throw new VigilError('VIGIL_NOT_FOUND', `no wireless data for device ${id}`);
      const present = new Set(stored.snapshot.aps.map((a) => a.id));
      const gone = ((await store.getKv<KnownAp[]>(knownApsKey(id))) ?? []).filter((a) => !present.has(a.id));
      return {
        deviceId: id,
        ts: stored.ts,
        controller: stored.snapshot.controller,
        aps: stored.snapshot.aps as AccessPoint[],
        gone: gone.map((a) => ({ id: a.id, name: a.name, lastSeen: a.lastSeen })),
      };
    },
  );

  app.delete<{ Params: { id: string; ap: string } }>(
    '/wireless/controllers/:id/aps/:ap',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Retires an AP removed on purpose (no AP-down event, no stale row)',
        params: {
          type: 'object',
          required: ['id', 'ap'],
          properties: { id: { type: 'string', minLength: 1 }, ap: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (request, reply) => {
      const svc = deps.services.wireless;
      if (!svc) throw new VigilError('VIGIL_UNAVAILABLE', 'the wireless service is not running');
      const { id, ap } = request.params;
      if (!(await svc.retire(id, ap, deps.clock.now())))
        throw new VigilError('VIGIL_NOT_FOUND', `no AP ${ap} on ${id}`);
      await auditRequest(deps, request, 'wireless.ap.retire', `${id}/${ap}`);
      return reply.status(204).send();
    },
  );
};
