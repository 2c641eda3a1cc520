import { pingOnce } from '../../collectors/icmp/index.ts';
import { openSnmpSession } from '../../collectors/snmp/session.ts';
import { deviceSchema } from '../../config/inventory.ts';
import { formatIssues } from '../../config/load.ts';
import { deviceFromConfig } from '../../inventory/from-config.ts';
import { testConnection } from '../../inventory/test-connection.ts';
import { VigilError } from '../../model/errors.ts';
import { guardStoredSecrets } from '../credential-guard.ts';
import { inventoryOf } from '../services.ts';
import type { RouteModule } from './types.ts';

/** "Test connection": ICMP and an SNMP get, for a stored device or for one being filled in. */
export const deviceTestRoutes: RouteModule = (app, deps) => {
  const run = (address: string, icmpEnabled: boolean, creds: Parameters<typeof testConnection>[1]) =>
    testConnection({ address, icmp: { enabled: icmpEnabled } }, creds, {
      ping: (t, c) => pingOnce(t, c),
      openSession: openSnmpSession,
      icmpConfig: deps.config.icmp,
    });

  app.post(
    '/devices/:id/test',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Ping and SNMP-get a stored device now',
        params: { type: 'object', properties: { id: { type: 'string' } } },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const inv = inventoryOf(deps);
      const device = inv.get(id);
      if (!device) throw new VigilError('VIGIL_NOT_FOUND', `no device with id "${id}"`);
      return run(device.address, true, inv.resolveCredentials(device));
    },
  );

  app.post(
    '/devices/test',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Ping and SNMP-get a device described in the body (not stored)',
        body: { type: 'object', additionalProperties: true },
      },
    },
    async (request) => {
      const r = deviceSchema.safeParse(request.body);
      if (!r.success) throw new VigilError('VIGIL_VALIDATION', `invalid device: ${formatIssues(r.error).join('; ')}`);
      const device = deviceFromConfig(r.data, 'test', 'api', { pollIntervalS: 60 });
      guardStoredSecrets(request.principal, device);
      return run(device.address, true, inventoryOf(deps).resolveCredentials(device));
    },
  );
};
