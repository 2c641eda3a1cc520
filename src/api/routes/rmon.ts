import { openSnmpSession } from '../../collectors/snmp/session.ts';
import type { SnmpSession } from '../../collectors/snmp/session-types.ts';
import {
  alarmRowDeleteSets,
  alarmRowSets,
  eventRowDeleteSets,
  eventRowSets,
  parseAlarms,
  parseEtherStats,
  parseEvents,
  parseHistoryControl,
  parseLog,
  RMON_ROOTS,
} from '../../collectors/snmp/profiles/rmon.ts';
import type { Device, SnmpCredentials } from '../../model/device.ts';
import { VigilError, isVigilError } from '../../model/errors.ts';
import type { VarBind } from '../../model/records.ts';
import type { RmonAlarmSpec, RmonEventSpec } from '../../model/rmon.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

export interface RmonRouteOptions {
  open?: (address: string, creds: SnmpCredentials, opts: { label?: string }) => SnmpSession;
}

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;
const rowParam = {
  type: 'object',
  required: ['id', 'index'],
  properties: { id: { type: 'string', minLength: 1 }, index: { type: 'integer', minimum: 1, maximum: 65535 } },
} as const;
const alarmBody = {
  type: 'object',
  required: ['index', 'intervalS', 'variable', 'sampleType', 'risingThreshold', 'fallingThreshold'],
  additionalProperties: false,
  properties: {
    index: { type: 'integer', minimum: 1, maximum: 65535 },
    intervalS: { type: 'integer', minimum: 1, maximum: 2147483647 },
    variable: { type: 'string', pattern: '^\\.?[0-9]+(\\.[0-9]+)+$' },
    sampleType: { type: 'string', enum: ['absolute', 'delta'] },
    startupAlarm: { type: 'string', enum: ['rising', 'falling', 'risingOrFalling'] },
    risingThreshold: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    fallingThreshold: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    risingEventIndex: { type: 'integer', minimum: 0, maximum: 65535 },
    fallingEventIndex: { type: 'integer', minimum: 0, maximum: 65535 },
    owner: { type: 'string', maxLength: 127 },
  },
} as const;
const eventBody = {
  type: 'object',
  required: ['index', 'type'],
  additionalProperties: false,
  properties: {
    index: { type: 'integer', minimum: 1, maximum: 65535 },
    description: { type: 'string', maxLength: 127 },
    type: { type: 'string', enum: ['none', 'log', 'snmptrap', 'logandtrap'] },
    community: { type: 'string', maxLength: 127 },
    owner: { type: 'string', maxLength: 127 },
  },
} as const;

/**
 * A device's RMON probe, read live (statistics rows, history control, alarms, events, the last log entries), and its
 * alarm and event rows created and deleted through SNMP Set (createRequest → columns → valid): admin, as every Set,
 * and audited.
 */
export function rmonRoutes(opts: RmonRouteOptions = {}): RouteModule {
  const open = opts.open ?? openSnmpSession;
  return (app, deps) => {
    async function withDevice<T>(id: string, fn: (s: SnmpSession, d: Device) => Promise<T>): Promise<T> {
      const device = await deps.store.getDevice(id);
      if (!device) throw new VigilError('VIGIL_NOT_FOUND', `no device with id "${id}"`);
      const creds = deps.services.inventory ? deps.services.inventory.resolveCredentials(device) : device.snmp;
      if (!creds) throw new VigilError('VIGIL_BAD_REQUEST', `device ${device.name} has no SNMP credentials`);
      const session = open(device.address, creds, { label: `device ${device.name} (${device.address})` });
      try {
        return await fn(session, device);
      } finally {
        session.close();
      }
    }

    const walk = (s: SnmpSession, root: string, max = 5000) =>
      s.walkLimited(root, { maxResults: max, maxTimeMs: 20_000 });

    app.get<{ Params: { id: string } }>(
      '/devices/:id/rmon',
      { config: { role: 'viewer' }, schema: { summary: "A device's RMON probe, read now", params: idParam } },
      async (request) =>
        withDevice(request.params.id, async (s) => {
          const stats = await walk(s, RMON_ROOTS.etherStatsTable);
          const control = await walk(s, RMON_ROOTS.historyControlTable);
          const alarms = await walk(s, RMON_ROOTS.alarmTable);
          const events = await walk(s, RMON_ROOTS.eventTable);
          const log = await walk(s, RMON_ROOTS.logTable, 2000);
          return {
            etherStats: parseEtherStats(stats.varbinds),
            historyControl: parseHistoryControl(control.varbinds),
            alarms: parseAlarms(alarms.varbinds),
            events: parseEvents(events.varbinds),
            log: parseLog(log.varbinds).slice(-200),
            truncated: [stats, control, alarms, events, log].some((w) => w.truncated),
          };
        }),
    );

    async function setRows(
      request: Parameters<typeof auditRequest>[1] & { params: { id: string } },
      action: string,
      what: string,
      pdus: VarBind[][],
    ) {
      const id = request.params.id;
      try {
        await withDevice(id, async (s) => {
          for (const pdu of pdus) await s.set(pdu);
        });
        await auditRequest(deps, request, action, id, { row: what }, 'ok');
      } catch (e) {
        const code = isVigilError(e) ? e.code : 'VIGIL_INTERNAL';
        await auditRequest(deps, request, action, id, { row: what }, `error: ${code}: ${(e as Error).message}`);
        throw isVigilError(e) ? e : new VigilError('VIGIL_SNMP_ERROR', `device ${id}: ${(e as Error).message}`);
      }
    }

    app.post<{ Params: { id: string }; Body: RmonAlarmSpec }>(
      '/devices/:id/rmon/alarms',
      {
        config: { role: 'admin' },
        schema: {
          summary: 'Creates an RMON alarm row on the device (SNMP Set; admin; audited)',
          params: idParam,
          body: alarmBody,
        },
      },
      async (request, reply) => {
        const spec = { ...request.body, variable: request.body.variable.replace(/^\./, '') };
        await setRows(request, 'rmon.alarm.create', `alarm ${spec.index}`, alarmRowSets(spec));
        return reply.status(201).send({ index: spec.index });
      },
    );
    app.delete<{ Params: { id: string; index: number } }>(
      '/devices/:id/rmon/alarms/:index',
      {
        config: { role: 'admin' },
        schema: { summary: 'Deletes an RMON alarm row (SNMP Set; admin)', params: rowParam },
      },
      async (request, reply) => {
        await setRows(
          request,
          'rmon.alarm.delete',
          `alarm ${request.params.index}`,
          alarmRowDeleteSets(request.params.index),
        );
        return reply.status(204).send();
      },
    );
    app.post<{ Params: { id: string }; Body: RmonEventSpec }>(
      '/devices/:id/rmon/events',
      {
        config: { role: 'admin' },
        schema: {
          summary: 'Creates an RMON event row on the device (SNMP Set; admin; audited)',
          params: idParam,
          body: eventBody,
        },
      },
      async (request, reply) => {
        await setRows(request, 'rmon.event.create', `event ${request.body.index}`, eventRowSets(request.body));
        return reply.status(201).send({ index: request.body.index });
      },
    );
    app.delete<{ Params: { id: string; index: number } }>(
      '/devices/:id/rmon/events/:index',
      {
        config: { role: 'admin' },
        schema: { summary: 'Deletes an RMON event row (SNMP Set; admin)', params: rowParam },
      },
      async (request, reply) => {
        await setRows(
          request,
          'rmon.event.delete',
          `event ${request.params.index}`,
          eventRowDeleteSets(request.params.index),
        );
        return reply.status(204).send();
      },
    );
  };
}

export const rmonRouteModule: RouteModule = rmonRoutes();
