/**
 * PDU → TrapRecord (pure). SNMPv1 traps are put into the SNMPv2 form of RFC 3584 §3.1 so that rules,
 * storage and display see one shape whatever the version.
 */
import { WIRE_VARBINDS, type SnmpVersion, type TrapRecord, type VarBind } from '../../model/records.ts';
import { OID, splitNotification } from '../../model/trap-varbinds.ts';
import { PDU, type Pdu } from './message.ts';

/** RFC 3584 §3.1 (2): the SNMPv2 notification OID of an SNMPv1 trap. */
export function v1TrapOid(enterprise: string, genericTrap: number, specificTrap: number): string {
  if (genericTrap >= 0 && genericTrap <= 5) return `${OID.snmpTraps}.${genericTrap + 1}`;
  return `${enterprise}.0.${specificTrap}`;
}

export interface TrapMeta {
  receivedTs: number;
  sourceAddress: string;
  version: SnmpVersion;
  community?: string;
  user?: string;
  /** Inventory lookup, tried with the real originator first, then the UDP source. */
  deviceByAddress?: (address: string) => { id: string } | undefined;
}

/**
 * Builds the TrapRecord of a v1 Trap-PDU, a v2 Trap or an InformRequest.
 * @example pduToTrapRecord(pdu, { receivedTs: Date.now(), sourceAddress: '10.0.0.1', version: 'v2c' })
 */
export function pduToTrapRecord(pdu: Pdu, meta: TrapMeta): TrapRecord {
  let trapOid: string;
  let uptimeCs: number | undefined;
  let varbinds: VarBind[];
  let agentAddress = meta.sourceAddress;
  let pduType: TrapRecord['pduType'];
  if (pdu.type === PDU.TrapV1) {
    pduType = 'trapv1';
    const enterprise = pdu.enterprise ?? '0.0';
    trapOid = v1TrapOid(enterprise, pdu.genericTrap ?? 6, pdu.specificTrap ?? 0);
    uptimeCs = pdu.timestamp;
    // RFC 3584 §3.1 (3): the agent address and enterprise travel on as varbinds (the community is a secret: not kept).
    varbinds = [
      ...pdu.varbinds,
      { oid: OID.snmpTrapAddress0, type: 'IpAddress', value: pdu.agentAddr ?? '0.0.0.0' },
      { oid: OID.snmpTrapEnterprise0, type: 'ObjectIdentifier', value: enterprise },
    ];
    if (pdu.agentAddr && pdu.agentAddr !== '0.0.0.0') agentAddress = pdu.agentAddr;
    const relayed = pdu.varbinds.find((v) => v.oid === OID.snmpTrapAddress0);
    if (relayed && typeof relayed.value === 'string' && relayed.value !== '0.0.0.0') agentAddress = relayed.value;
  } else {
    pduType = pdu.type === PDU.InformRequest ? 'inform' : 'trap';
    ({ trapOid, uptimeCs, varbinds } = splitNotification(pdu.varbinds));
    const addr = varbinds.find((v) => v.oid === OID.snmpTrapAddress0);
    if (addr && typeof addr.value === 'string' && addr.value !== '0.0.0.0') agentAddress = addr.value;
  }
  const device =
    meta.deviceByAddress?.(agentAddress) ??
    (agentAddress !== meta.sourceAddress ? meta.deviceByAddress?.(meta.sourceAddress) : undefined);
  const record: TrapRecord = {
    kind: 'trap',
    receivedTs: meta.receivedTs,
    sourceAddress: meta.sourceAddress,
    agentAddress,
    version: meta.version,
    pduType,
    trapOid,
    varbinds,
  };
  if (device) record.deviceId = device.id;
  if (meta.community !== undefined) record.community = meta.community;
  if (meta.user !== undefined) record.user = meta.user;
  if (uptimeCs !== undefined) record.uptimeCs = uptimeCs;
  // The v2 form's varbinds are the PDU's less the two split off above, which a reader splits off again the same way;
  // a v1 trap's gained two of its own, so it has no wire form.
  if (pdu.type !== PDU.TrapV1) record[WIRE_VARBINDS] = pdu.varbindsRaw;
  return record;
}
