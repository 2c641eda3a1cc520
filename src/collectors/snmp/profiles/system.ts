/** The system profile: SNMPv2-MIB system group facts, and the vendor and model the sysObjectID names. */
import type { SystemFacts, VarBind } from '../../../model/records.ts';
import { isVigilError } from '../../../model/errors.ts';
import { modelFromSysObjectId, type ProductDictionary, vendorFromSysObjectId } from '../../../mib/enterprises.ts';
import type { SnmpSession } from '../session-types.ts';
import { isExceptionType } from '../varbind.ts';

export const SYSTEM_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;

const str = (vb: VarBind | undefined) =>
  vb && !isExceptionType(vb.type) && vb.value !== null ? String(vb.value) : undefined;

/**
 * System facts from the varbinds of a get or walk of the system group (pure): with a MIB dictionary, the model too
 * when a product MIB in it names the sysObjectID.
 */
export function parseSystem(varbinds: readonly VarBind[], dictionary?: ProductDictionary): SystemFacts {
  const by = new Map(varbinds.map((v) => [v.oid.replace(/^\./, ''), v]));
  const upRaw = by.get(SYSTEM_OIDS.sysUpTime);
  const up = upRaw && typeof upRaw.value === 'number' ? upRaw.value : undefined;
  const facts: SystemFacts = {
    sysDescr: str(by.get(SYSTEM_OIDS.sysDescr)),
    sysObjectID: str(by.get(SYSTEM_OIDS.sysObjectID))?.replace(/^\./, ''),
    sysUpTimeCs: up,
    sysName: str(by.get(SYSTEM_OIDS.sysName)),
    sysLocation: str(by.get(SYSTEM_OIDS.sysLocation)),
    sysContact: str(by.get(SYSTEM_OIDS.sysContact)),
  };
  facts.vendor = vendorFromSysObjectId(facts.sysObjectID);
  facts.model = modelFromSysObjectId(facts.sysObjectID, dictionary);
  for (const k of Object.keys(facts) as (keyof SystemFacts)[]) if (facts[k] === undefined) delete facts[k];
  return facts;
}

/** Reads the system group with one Get; falls back to a walk when a v1 agent rejects the Get (noSuchName). */
export async function pollSystem(
  session: SnmpSession,
  signal?: AbortSignal,
  dictionary?: ProductDictionary,
): Promise<SystemFacts> {
  try {
    return parseSystem(await session.get(Object.values(SYSTEM_OIDS)), dictionary);
  } catch (e) {
    if (!isVigilError(e) || e.code !== 'VIGIL_SNMP_ERROR') throw e;
    return parseSystem(await session.walk('1.3.6.1.2.1.1', { signal }), dictionary);
  }
}
