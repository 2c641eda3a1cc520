import type { IcmpConfig } from '../collectors/icmp/config.ts';
import type { PingResult } from '../collectors/icmp/index.ts';
import type { SnmpSession } from '../collectors/snmp/session-types.ts';
import type { Device, SnmpCredentials } from '../model/device.ts';
import { isVigilError } from '../model/errors.ts';

export interface ConnectionTest {
  icmp?: { ok: boolean; lossPct?: number; rttAvgMs?: number; error?: string };
  snmp?: {
    ok: boolean;
    version: string;
    sysName?: string;
    sysDescr?: string;
    sysObjectID?: string;
    errorCode?: string;
    error?: string;
    elapsedMs: number;
  };
}

export interface ConnectionTestDeps {
  ping(targets: string[], config: IcmpConfig): Promise<PingResult[]>;
  openSession(address: string, creds: SnmpCredentials): SnmpSession;
  icmpConfig: IcmpConfig;
}

const SYS = { sysDescr: '1.3.6.1.2.1.1.1.0', sysObjectID: '1.3.6.1.2.1.1.2.0', sysName: '1.3.6.1.2.1.1.5.0' };

/** The "test connection" button: one ICMP cycle and one SNMP get of the system group, each reported on its own. */
export async function testConnection(
  device: Pick<Device, 'address' | 'icmp'>,
  creds: SnmpCredentials | undefined,
  deps: ConnectionTestDeps,
): Promise<ConnectionTest> {
  const out: ConnectionTest = {};
  const icmp = device.icmp.enabled
    ? deps
        .ping([device.address], {
          ...deps.icmpConfig,
          count: Math.min(deps.icmpConfig.count, 3),
          periodMs: Math.min(deps.icmpConfig.periodMs, 200),
        })
        .then(([r]) => {
          out.icmp = r
            ? {
                ok: r.received > 0,
                lossPct: r.lossPct,
                ...(r.avgMs !== undefined ? { rttAvgMs: r.avgMs } : {}),
                ...(r.error ? { error: r.error } : {}),
              }
            : { ok: false, error: 'no reply' };
        })
        .catch((e: unknown) => {
          out.icmp = { ok: false, error: (e as Error).message };
        })
    : undefined;
  const snmp = creds
    ? (async () => {
        const started = Date.now();
        const session = deps.openSession(device.address, creds);
        try {
          const vbs = await session.get(Object.values(SYS));
          const byOid = new Map(vbs.map((v) => [v.oid, v.value]));
          out.snmp = { ok: true, version: creds.version, elapsedMs: Date.now() - started };
          for (const [k, oid] of Object.entries(SYS))
            if (byOid.get(oid) != null) (out.snmp as Record<string, unknown>)[k] = String(byOid.get(oid));
        } catch (e) {
          out.snmp = {
            ok: false,
            version: creds.version,
            elapsedMs: Date.now() - started,
            errorCode: isVigilError(e) ? e.code : 'VIGIL_SNMP_ERROR',
            error: (e as Error).message,
          };
        } finally {
          session.close();
        }
      })()
    : undefined;
  await Promise.all([icmp, snmp]);
  return out;
}
