/**
 * The SNMP trial of one address: the credential profiles tried in the order given until one answers, then what
 * the device says of itself (system group, engine ID, ENTITY-MIB chassis serial and model, LLDP chassis ID) and,
 * when neighbours are followed, the management addresses its LLDP and CDP neighbours announce.
 */
import { modelFromSysObjectId, type ProductDictionary, vendorFromSysObjectId } from '../mib/enterprises.ts';
import type { SnmpCredentials } from '../model/device.ts';
import { isVigilError } from '../model/errors.ts';
import type { ProbeResult } from '../model/discovery.ts';
import type { VarBind } from '../model/records.ts';
import type { SnmpSession } from '../collectors/snmp/session-types.ts';
import { CDP_CACHE_ENTRY, parseCdp } from '../topology/cdp.ts';
import { LLDP_ROOT, parseLldp } from '../topology/lldp.ts';
import { parseMac, valueBytes } from '../topology/octets.ts';

export const PROBE_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  snmpEngineID: '1.3.6.1.6.3.10.2.1.1.0',
  lldpLocChassisIdSubtype: `${LLDP_ROOT}.3.1.0`,
  lldpLocChassisId: `${LLDP_ROOT}.3.2.0`,
} as const;
const ENT_PHYSICAL = '1.3.6.1.2.1.47.1.1.1.1';
const ENT_CLASS = `${ENT_PHYSICAL}.5`;
const CHASSIS = 3;

export type { ProbeResult } from '../model/discovery.ts';

export interface Credential {
  name: string;
  creds: SnmpCredentials;
}

const isException = (vb: VarBind | undefined) =>
  !vb || vb.value === null || ['NoSuchObject', 'NoSuchInstance', 'EndOfMibView', 'Null'].includes(vb.type);
const text = (vb: VarBind | undefined) => {
  if (isException(vb)) return undefined;
  const s = String(vb!.value).trim();
  return s === '' ? undefined : s;
};

/** The probe's facts from the answer to the PROBE_OIDS get (pure). */
export function probeFacts(varbinds: readonly VarBind[], dictionary?: ProductDictionary) {
  const by = new Map(varbinds.map((v) => [v.oid.replace(/^\./, ''), v]));
  const sysObjectID = text(by.get(PROBE_OIDS.sysObjectID))?.replace(/^\./, '');
  const engine = by.get(PROBE_OIDS.snmpEngineID);
  const engineBytes = isException(engine) ? undefined : valueBytes(engine!.value);
  const subtype = by.get(PROBE_OIDS.lldpLocChassisIdSubtype);
  const chassis = by.get(PROBE_OIDS.lldpLocChassisId);
  const chassisMac =
    !isException(subtype) && subtype!.value === 4 && !isException(chassis) ? parseMac(chassis!.value) : undefined;
  const facts = {
    sysName: text(by.get(PROBE_OIDS.sysName)),
    sysObjectID,
    sysDescr: text(by.get(PROBE_OIDS.sysDescr)),
    vendor: vendorFromSysObjectId(sysObjectID),
    model: modelFromSysObjectId(sysObjectID, dictionary),
    engineId: engineBytes && engineBytes.length >= 5 ? engineBytes.toString('hex') : undefined,
    chassisMac,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as Partial<typeof facts>;
}

/** The first chassis in entPhysicalTable: its serial and model name. */
async function entityChassis(session: SnmpSession): Promise<{ serial?: string; hardwareModel?: string }> {
  const classes = await session.walkLimited(ENT_CLASS, { maxResults: 500, maxTimeMs: 5000 });
  const row = classes.varbinds.find((vb) => vb.value === CHASSIS);
  if (!row) return {};
  const index = row.oid.replace(/^\./, '').slice(ENT_CLASS.length + 1);
  const [serial, model] = await session.get([`${ENT_PHYSICAL}.11.${index}`, `${ENT_PHYSICAL}.13.${index}`]);
  return {
    ...(text(serial) ? { serial: text(serial) } : {}),
    ...(text(model) ? { hardwareModel: text(model) } : {}),
  };
}

/** Management addresses of the neighbours (LLDP remote data, CDP cache): IPv4 and IPv6 only. */
async function neighbourAddresses(session: SnmpSession): Promise<string[]> {
  const varbinds = [
    ...(await session.walkLimited(`${LLDP_ROOT}.4`, { maxResults: 20_000, maxTimeMs: 20_000 })).varbinds,
    ...(await session.walkLimited(CDP_CACHE_ENTRY, { maxResults: 20_000, maxTimeMs: 20_000 })).varbinds,
  ];
  const out = new Set<string>();
  for (const n of parseLldp(varbinds).neighbours)
    for (const m of n.managementAddresses) if (m.family === 'ipv4' || m.family === 'ipv6') out.add(m.address);
  for (const n of parseCdp(varbinds)) if (n.address) out.add(n.address);
  return [...out];
}

/**
 * Tries each credential in order on `address` (a session per credential from `open`). Resolves undefined when none
 * answered (timeouts, wrong community, unknown user); a failure after the system group answered (ENTITY-MIB,
 * neighbours) leaves those facts out and is not a failure of the probe.
 */
export async function probeAddress(
  address: string,
  credentials: readonly Credential[],
  open: (address: string, creds: SnmpCredentials) => SnmpSession,
  opts: { follow: boolean; dictionary?: ProductDictionary; signal?: AbortSignal },
): Promise<ProbeResult | undefined> {
  for (const c of credentials) {
    if (opts.signal?.aborted) return undefined;
    const session = open(address, c.creds);
    try {
      let answer: VarBind[];
      try {
        answer = await session.get(Object.values(PROBE_OIDS));
      } catch (e) {
        if (!isVigilError(e)) throw e;
        if (e.code !== 'VIGIL_SNMP_ERROR') continue;
        // An SNMPv1 agent answers noSuchName for the whole get when one OID is missing: ask for the system group alone.
        try {
          answer = await session.get([PROBE_OIDS.sysDescr, PROBE_OIDS.sysObjectID, PROBE_OIDS.sysName]);
        } catch (e2) {
          if (isVigilError(e2)) continue;
          throw e2;
        }
      }
      const facts = probeFacts(answer, opts.dictionary);
      if (!facts.sysObjectID && !facts.sysDescr && !facts.sysName) continue;
      const result: ProbeResult = {
        address,
        profile: c.name,
        version: c.creds.version,
        ...facts,
        neighbourAddresses: [],
      };
      try {
        Object.assign(result, await entityChassis(session));
      } catch {
        // No ENTITY-MIB, or it timed out: the device is still found.
      }
      if (opts.follow) {
        try {
          result.neighbourAddresses = await neighbourAddresses(session);
        } catch {
          // Neighbours could not be read: nothing to follow from here.
        }
      }
      return result;
    } finally {
      session.close();
    }
  }
  return undefined;
}
