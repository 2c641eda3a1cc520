import { openSnmpSession } from '../../collectors/snmp/session.ts';
import type { SnmpSession } from '../../collectors/snmp/session-types.ts';
import type { Device, SnmpCredentials } from '../../model/device.ts';
import { VigilError, isVigilError } from '../../model/errors.ts';
import type { VarBind } from '../../model/records.ts';
import type { ApiDeps } from '../context.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

const SET_TYPES = [
  'Integer',
  'OctetString',
  'ObjectIdentifier',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Counter64',
  'Opaque',
  'Null',
] as const;

interface SetBody {
  varbinds: { oid: string; type: (typeof SET_TYPES)[number]; value: string | number | null }[];
}

/** The injected pieces, replaceable in tests of the route's logic. */
export interface SnmpSetOptions {
  open?: (address: string, creds: SnmpCredentials, opts: { label?: string }) => SnmpSession;
}

function credentialsFor(deps: ApiDeps, device: Device): SnmpCredentials | undefined {
  const inventory = deps.services.inventory;
  return inventory ? inventory.resolveCredentials(device) : device.snmp;
}

/**
 * POST /devices/{id}/snmp/set (admin): an SNMP Set with the device's own credentials; every attempt, allowed
 * or failed, goes to the audit log with who, what and the result (never the credentials).
 */
export function snmpSetRoutes(opts: SnmpSetOptions = {}): RouteModule {
  const open = opts.open ?? openSnmpSession;
  return (app, deps) => {
    app.post<{ Params: { id: string }; Body: SetBody }>(
      '/devices/:id/snmp/set',
      {
        config: { role: 'admin' },
        schema: {
          summary: 'SNMP Set on a device with its credentials (admin); audited',
          params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          body: {
            type: 'object',
            required: ['varbinds'],
            additionalProperties: false,
            properties: {
              varbinds: {
                type: 'array',
                minItems: 1,
                maxItems: 64,
                items: {
                  type: 'object',
                  required: ['oid', 'type', 'value'],
                  additionalProperties: false,
                  properties: {
                    oid: {
                      type: 'string',
                      minLength: 1,
                      description: 'numeric OID or name (IF-MIB::ifAdminStatus.3) when the MIB is loaded',
                    },
                    type: { type: 'string', enum: [...SET_TYPES] },
                    value: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const id = request.params.id;
        const requested = request.body.varbinds;
        const details: Record<string, unknown> = { varbinds: requested };
        const fail = async (e: unknown): Promise<never> => {
          const code = isVigilError(e) ? e.code : 'VIGIL_INTERNAL';
          await auditRequest(deps, request, 'snmp.set', id, details, `error: ${code}: ${(e as Error).message}`);
          throw isVigilError(e)
            ? e
            : new VigilError('VIGIL_SNMP_ERROR', `device ${id}: set failed: ${(e as Error).message}`);
        };
        const device = await deps.store.getDevice(id);
        if (!device) return fail(new VigilError('VIGIL_NOT_FOUND', `no device with id "${id}"`));
        const creds = credentialsFor(deps, device);
        if (!creds) return fail(new VigilError('VIGIL_BAD_REQUEST', `device ${device.name} has no SNMP credentials`));
        const dictionary = deps.services.mib;
        let varbinds: VarBind[];
        try {
          varbinds = requested.map((v) => {
            const oid = /^\.?\d+(\.\d+)+$/.test(v.oid) ? v.oid.replace(/^\./, '') : dictionary?.resolve(v.oid);
            if (!oid)
              throw new VigilError('VIGIL_BAD_REQUEST', `unknown OID "${v.oid}"; give a numeric OID or load its MIB`);
            return { oid, type: v.type, value: v.value };
          });
        } catch (e) {
          return fail(e);
        }
        details.varbinds = varbinds;
        const session = open(device.address, creds, { label: `device ${device.name} (${device.address})` });
        try {
          const result = await session.set(varbinds);
          await auditRequest(deps, request, 'snmp.set', id, details, 'ok');
          return { deviceId: id, varbinds: result };
        } catch (e) {
          return fail(e);
        } finally {
          session.close();
        }
      },
    );
  };
}

/** The route module with the real SNMP session. */
export const snmpSetRouteModule: RouteModule = snmpSetRoutes();
