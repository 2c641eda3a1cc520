import { auditRequest } from './audit.ts';
import { snmpCredentialsSchema } from '../../config/inventory.ts';
import { formatIssues } from '../../config/load.ts';
import type { SnmpCredentials } from '../../model/device.ts';
import { VigilError } from '../../model/errors.ts';
import { redactBySchema } from '../../model/secret.ts';
import { restoreSecrets } from '../../model/redact.ts';
import { inventoryOf } from '../services.ts';
import type { RouteModule } from './types.ts';

/** Named SNMP credential profiles shared by many devices. Secrets are write-only. */
export const credentialRoutes: RouteModule = (app, deps) => {
  const nameParam = { type: 'object', properties: { name: { type: 'string' } } } as const;
  app.get(
    '/credentials',
    { config: { role: 'viewer' }, schema: { summary: 'Credential profiles, secrets masked' } },
    async () => ({
      items: Object.entries(inventoryOf(deps).profiles()).map(([name, c]) => ({
        name,
        ...redactBySchema(snmpCredentialsSchema, c),
      })),
    }),
  );
  app.put(
    '/credentials/:name',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Create or replace a profile',
        params: nameParam,
        body: { type: 'object', additionalProperties: true },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const inv = inventoryOf(deps);
      const existing = inv.profiles()[name];
      if (existing?.origin === 'config')
        throw new VigilError('VIGIL_CONFLICT', `profile "${name}" is defined in the config file`);
      const body = restoreSecrets(request.body as Record<string, unknown>, existing);
      const r = snmpCredentialsSchema.safeParse(body);
      if (!r.success)
        throw new VigilError('VIGIL_VALIDATION', `invalid credentials: ${formatIssues(r.error).join('; ')}`);
      await inv.putProfile(name, r.data as SnmpCredentials);
      await auditRequest(deps, request, 'credentials.put', name);
      return { name, ...redactBySchema(snmpCredentialsSchema, r.data) };
    },
  );
  app.delete(
    '/credentials/:name',
    { config: { role: 'admin' }, schema: { summary: 'Remove an API-defined profile', params: nameParam } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      if (!(await inventoryOf(deps).deleteProfile(name)))
        throw new VigilError('VIGIL_NOT_FOUND', `no API-defined profile "${name}"`);
      await auditRequest(deps, request, 'credentials.delete', name);
      reply.status(204);
    },
  );
};
