import { resolveName } from '../../events/trap-rules.ts';
import type { MibDictionary } from '../../mib/types.ts';
import { VigilError } from '../../model/errors.ts';
import type { SnmpVersion } from '../../model/records.ts';
import type { TrapRow } from '../../store/types.ts';
import type { ApiDeps } from '../context.ts';
import { parseTime, timeParam } from './time-param.ts';
import type { RouteModule } from './types.ts';

/** What GET /traps shows beside the numeric record: names and formatted values from the MIB dictionary. */
export interface TrapDisplay {
  trap: string;
  varbinds: { oid: string; name: string; value: string }[];
}

/** A stored trap translated for display; numeric OIDs and raw values when no dictionary is loaded. */
export function trapDisplay(t: TrapRow, dictionary?: MibDictionary): TrapDisplay {
  const safe = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  return {
    trap: dictionary ? safe(() => dictionary.translate(t.trapOid).full, t.trapOid) : t.trapOid,
    varbinds: t.varbinds.map((v) => ({
      oid: v.oid,
      name: dictionary ? safe(() => dictionary.translate(v.oid).full, v.oid) : v.oid,
      value: dictionary
        ? safe(() => dictionary.formatValue(v.oid, v.value, v.type), String(v.value ?? ''))
        : String(v.value ?? ''),
    })),
  };
}

/** The receiver's live counters: the runtime stats entry `trap`. */
function receiverStats(deps: ApiDeps): Record<string, unknown> {
  const stats = deps.runtimeStats().trap as Record<string, unknown> | undefined;
  if (!stats) throw new VigilError('VIGIL_UNAVAILABLE', 'the trap receiver is not running');
  return stats;
}

interface TrapListQuery {
  from?: string | number;
  to?: string | number;
  device?: string;
  source?: string;
  trap?: string;
  version?: SnmpVersion;
  limit?: number;
  cursor?: string;
}

/** GET /traps (list and filter, translated) and GET /traps/stats (receiver counters). */
export const trapRoutes: RouteModule = (app, deps) => {
  app.get<{ Querystring: TrapListQuery }>(
    '/traps',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Received traps, newest first; page with `cursor` = the previous `nextCursor`',
        querystring: {
          type: 'object',
          properties: {
            from: timeParam,
            to: timeParam,
            device: { type: 'string', description: 'inventory device id' },
            source: { type: 'string', description: 'UDP source or agent address' },
            trap: { type: 'string', description: 'trap OID (matches its subtree) or name, e.g. IF-MIB::linkDown' },
            version: { type: 'string', enum: ['v1', 'v2c', 'v3'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const dictionary = deps.services.mib;
      let trapOid: string | undefined;
      if (q.trap) {
        trapOid = resolveName(q.trap, dictionary);
        if (!trapOid)
          throw new VigilError(
            'VIGIL_BAD_REQUEST',
            `trap: unknown name "${q.trap}"; give a numeric OID or load its MIB`,
          );
      }
      const page = await deps.store.listTraps({
        from: parseTime(q.from, 'from'),
        to: parseTime(q.to, 'to'),
        deviceId: q.device,
        source: q.source,
        trapOid,
        version: q.version,
        limit: q.limit,
        cursor: q.cursor,
      });
      return {
        items: page.items.map((t) => ({ ...t, display: trapDisplay(t, dictionary) })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );

  app.get(
    '/traps/stats',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Trap receiver counters: received, accepted, dropped per reason and per source' },
    },
    async () => ({
      ...receiverStats(deps),
      stored: await deps.store.countTraps(),
    }),
  );
};
