import { auditRequest } from './audit.ts';
import { deviceSchema } from '../../config/inventory.ts';
import { formatIssues } from '../../config/load.ts';
import { deviceFromConfig } from '../../inventory/from-config.ts';
import { slugify, uniqueId } from '../../inventory/ids.ts';
import type { Device } from '../../model/device.ts';
import { VigilError } from '../../model/errors.ts';
import { topologyHostsKey, topologySnapshotKey } from '../../model/topology.ts';
import { redactSecrets, restoreSecrets } from '../../model/redact.ts';
import type { Store } from '../../store/types.ts';
import { guardStoredSecrets } from '../credential-guard.ts';
import { deviceView } from '../device-view.ts';
import { inventoryOf } from '../services.ts';
import type { RouteModule } from './types.ts';

const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const deviceBody = {
  type: 'object',
  additionalProperties: true,
  description: 'A device as in the config file `devices[]` entries',
} as const;

function parseDevice(body: unknown) {
  const r = deviceSchema.safeParse(body);
  if (!r.success)
    throw new VigilError(
      'VIGIL_VALIDATION',
      `invalid device: ${formatIssues(r.error).join('; ')}`,
      formatIssues(r.error),
    );
  return r.data;
}

async function mustGet(store: Store, id: string): Promise<Device> {
  const d = await store.getDevice(id);
  if (!d) throw new VigilError('VIGIL_NOT_FOUND', `no device with id "${id}"`);
  return d;
}

/** `current` with the PATCH body over it (null removes a field), parsed and checked as a config entry. */
function mergeDevice(current: Device, body: Record<string, unknown>, pollIntervalS: number): Device {
  const { origin: _o, id, parentId, pollIntervalS: ownInterval, ...rest } = current;
  const merged: Record<string, unknown> = {
    ...rest,
    ...(parentId ? { parent: parentId } : {}),
    pollIntervalS: ownInterval,
    ...restoreSecrets(body, current),
  };
  delete merged.id;
  // null removes a field: switching from a credential profile to inline credentials, or clearing a parent.
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return deviceFromConfig(parseDevice(merged), id, 'api', { pollIntervalS });
}

/** Inventory CRUD, interfaces and the per-device interface state-change history. */
export const deviceRoutes: RouteModule = (app, deps) => {
  const inventory = () => inventoryOf(deps);

  app.get(
    '/devices',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'All devices with status, vendor and SNMP version',
        querystring: {
          type: 'object',
          properties: { q: { type: 'string' }, group: { type: 'string' }, tag: { type: 'string' } },
        },
      },
    },
    async (request) => {
      const { q, group, tag } = request.query as { q?: string; group?: string; tag?: string };
      const statuses = new Map((await deps.store.listStatuses()).map((s) => [s.deviceId, s]));
      const needle = q?.toLowerCase();
      const items = (await deps.store.listDevices())
        .filter((d) => (!group || d.group === group) && (!tag || d.tags.includes(tag)))
        .filter(
          (d) =>
            !needle ||
            [d.name, d.address, d.group ?? '', ...d.tags, statuses.get(d.id)?.system?.vendor ?? ''].some((f) =>
              f.toLowerCase().includes(needle),
            ),
        )
        .map((d) => deviceView(d, statuses.get(d.id)));
      return { items, total: items.length };
    },
  );

  app.post(
    '/devices',
    { config: { role: 'operator' }, schema: { summary: 'Add a device', body: deviceBody } },
    async (request, reply) => {
      const parsed = parseDevice(request.body);
      const conflict = () => new VigilError('VIGIL_CONFLICT', `a device with id "${parsed.id}" exists`);
      if (parsed.id && (await deps.store.getDevice(parsed.id))) throw conflict();
      if (parsed.snmpProfile && !inventory().profiles()[parsed.snmpProfile])
        throw new VigilError('VIGIL_VALIDATION', `snmpProfile: no credential profile named "${parsed.snmpProfile}"`);
      guardStoredSecrets(request.principal, {
        address: parsed.address,
        snmpProfile: parsed.snmpProfile,
        snmp: parsed.snmp as Device['snmp'],
      });
      // The id is checked (or picked) and the device stored in one transaction, so two requests cannot take one id.
      const device = await deps.store.transaction(async (tx) => {
        const ids = new Set((await tx.listDevices()).map((d) => d.id));
        if (parsed.id && ids.has(parsed.id)) throw conflict();
        const id = parsed.id ?? uniqueId(slugify(parsed.name), (candidate) => ids.has(candidate));
        const made = deviceFromConfig(parsed, id, 'api', { pollIntervalS: deps.config.snmp.intervalS });
        await tx.putDevice(made);
        return made;
      });
      const { id } = device;
      await inventory().refresh();
      await auditRequest(deps, request, 'device.create', id, redactSecrets({ ...parsed }));
      reply.status(201);
      return deviceView(device, undefined);
    },
  );

  app.get(
    '/devices/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One device', params: idParam } },
    async (request) => {
      const { id } = request.params as { id: string };
      return deviceView(await mustGet(deps.store, id), await deps.store.getStatus(id));
    },
  );

  app.patch(
    '/devices/:id',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Change a device (fields given replace stored ones; null removes one)',
        params: idParam,
        body: deviceBody,
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      // Read, merged and written in one transaction, so a concurrent change is not lost.
      const device = await deps.store.transaction(async (tx) => {
        const current = await mustGet(tx, id);
        if (current.origin === 'config')
          throw new VigilError('VIGIL_CONFLICT', `device "${id}" is defined in the config file; change it there`);
        const next = mergeDevice(current, request.body as Record<string, unknown>, deps.config.snmp.intervalS);
        guardStoredSecrets(request.principal, next, current, request.body);
        await tx.putDevice(next);
        return next;
      });
      await inventory().refresh();
      await auditRequest(deps, request, 'device.update', id, redactSecrets(request.body as Record<string, unknown>));
      return deviceView(device, await deps.store.getStatus(id));
    },
  );

  app.delete(
    '/devices/:id',
    { config: { role: 'operator' }, schema: { summary: 'Remove a device', params: idParam } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await deps.store.transaction(async (tx) => {
        const current = await mustGet(tx, id);
        if (current.origin === 'config')
          throw new VigilError('VIGIL_CONFLICT', `device "${id}" is defined in the config file; remove it there`);
        await tx.deleteDevice(id);
        // Its neighbour and host tables go too (a device added again later under this id starts afresh).
        await tx.setKv(topologySnapshotKey(id), null);
        await tx.setKv(topologyHostsKey(id), null);
      });
      await inventory().refresh();
      await auditRequest(deps, request, 'device.delete', id);
      reply.status(204);
    },
  );

  app.get(
    '/devices/:id/interfaces',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Interfaces with current rates, utilisation, status and last change', params: idParam },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      await mustGet(deps.store, id);
      // With the event engine running, each interface says whether its going down is an alarm and why.
      const engine = deps.services.events;
      const items = engine ? await engine.interfacesWithWatch(id) : await deps.store.listInterfaces(id);
      return { items, total: items.length };
    },
  );

  app.get(
    '/devices/:id/interfaces/changes',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Interface oper-status changes, newest first',
        params: idParam,
        querystring: {
          type: 'object',
          properties: { ifIndex: { type: 'integer' }, limit: { type: 'integer', minimum: 1, maximum: 10000 } },
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { ifIndex, limit } = request.query as { ifIndex?: number; limit?: number };
      await mustGet(deps.store, id);
      return { items: await deps.store.listInterfaceChanges(id, ifIndex, limit ?? 100) };
    },
  );
};
