/** Turns a .snmprec recording into the VarBinds Vigil's SNMP session would return, as varbind.ts renders them. */
import { readSnmprec } from '../snmp/snmprec.ts';
import { octetsToValue, TYPE_NAMES } from '../../src/collectors/snmp/varbind.ts';
import type { VarBind } from '../../src/model/records.ts';

/** Every fixed value of the recording as a VarBind, in file order. */
export function recordingVarBinds(path: string): VarBind[] {
  const out: VarBind[] = [];
  for (const e of readSnmprec(path).values()) {
    if (e.dynamic) continue;
    const type = TYPE_NAMES[Number(e.tag)] ?? `Type${e.tag}`;
    let value: VarBind['value'];
    if (e.bytes) value = octetsToValue(e.bytes);
    else if (type === 'IpAddress')
      value = /^[0-9a-f]{8}$/i.test(e.text) ? [...Buffer.from(e.text, 'hex')].join('.') : e.text;
    else if (type === 'Integer' || type === 'Counter32' || type === 'Gauge32' || type === 'TimeTicks')
      value = Number(e.text);
    else value = e.text;
    out.push({ oid: e.oid, type, value });
  }
  return out;
}
