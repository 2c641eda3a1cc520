import { openSnmpSession } from '../../collectors/snmp/session.ts';
import { VigilError } from '../../model/errors.ts';
import { inventoryOf } from '../services.ts';
import type { RouteModule } from './types.ts';

/** "Walk this on a device" from the MIB browser: a bounded walk with the device's own credentials, translated when a dictionary is loaded. */
export const snmpWalkRoutes: RouteModule = (app, deps) => {
  app.get(
    '/devices/:id/snmp/walk',
    {
      // Read-only, but it puts load on the device: operators and up.
      config: { role: 'operator' },
      schema: {
        summary:
          'Walk a subtree on a device (GetBulk where the version allows); stops at snmp.walk.maxResults varbinds or after snmp.walk.maxTimeS, and `truncated` says which (false when the subtree was walked to its end)',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        querystring: { type: 'object', required: ['oid'], properties: { oid: { type: 'string' } } },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { oid: asked } = request.query as { oid: string };
      const inv = inventoryOf(deps);
      const device = inv.get(id);
      if (!device) throw new VigilError('VIGIL_NOT_FOUND', `no device with id "${id}"`);
      const creds = inv.resolveCredentials(device);
      if (!creds) throw new VigilError('VIGIL_BAD_REQUEST', `device "${id}" has no SNMP credentials`);
      const mib = deps.services.mib;
      const oid = /^\.?\d+(\.\d+)*$/.test(asked) ? asked.replace(/^\./, '') : mib?.resolve(asked);
      if (!oid) throw new VigilError('VIGIL_VALIDATION', `unknown object "${asked}"`);
      const limits = deps.config.snmp.walk;
      const session = openSnmpSession(device.address, creds, { label: `device ${device.name} (${device.address})` });
      try {
        // The walk stops at the cap rather than fetching the whole subtree and trimming it.
        const walk = await session.walkLimited(oid, {
          maxRepetitions: deps.config.snmp.maxRepetitions,
          maxResults: limits.maxResults,
          maxTimeMs: limits.maxTimeS * 1000,
        });
        return {
          oid,
          truncated: walk.truncated ?? false,
          limits,
          requests: walk.requests,
          varbinds: walk.varbinds.map((v) => ({
            ...v,
            ...(mib ? { name: mib.translate(v.oid).full, formatted: mib.formatValue(v.oid, v.value, v.type) } : {}),
          })),
        };
      } finally {
        session.close();
      }
    },
  );
};
