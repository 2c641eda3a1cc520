import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDU, type Pdu } from './message.ts';
import { OID } from '../../model/trap-varbinds.ts';
import { pduToTrapRecord, v1TrapOid } from './record.ts';

const base = { requestId: 1, errorStatus: 0, errorIndex: 0, varbindsRaw: Buffer.alloc(0) };
const meta = { receivedTs: 1000, sourceAddress: '192.0.2.1', version: 'v2c' as const };

describe('pduToTrapRecord', () => {
  it('maps v1 generic and enterprise-specific traps per RFC 3584', () => {
    const table: [number, number, string][] = [
      [0, 0, '1.3.6.1.6.3.1.1.5.1'],
      [1, 0, '1.3.6.1.6.3.1.1.5.2'],
      [2, 0, '1.3.6.1.6.3.1.1.5.3'],
      [3, 0, '1.3.6.1.6.3.1.1.5.4'],
      [4, 0, '1.3.6.1.6.3.1.1.5.5'],
      [5, 0, '1.3.6.1.6.3.1.1.5.6'],
      [6, 42, '1.3.6.1.4.1.9.0.42'],
    ];
    for (const [g, s, want] of table) assert.equal(v1TrapOid('1.3.6.1.4.1.9', g, s), want);
  });

  it('keeps the v1 agent-addr, appends snmpTrapAddress/snmpTrapEnterprise, links the device by agent address', () => {
    const pdu: Pdu = {
      ...base,
      type: PDU.TrapV1,
      enterprise: '1.3.6.1.4.1.9',
      agentAddr: '10.1.1.1',
      genericTrap: 6,
      specificTrap: 1,
      timestamp: 77,
      varbinds: [{ oid: '1.3.6.1.4.1.9.1', type: 'Integer', value: 1 }],
    };
    const r = pduToTrapRecord(pdu, {
      ...meta,
      version: 'v1',
      community: 'c',
      deviceByAddress: (a) => (a === '10.1.1.1' ? { id: 'r1' } : undefined),
    });
    assert.equal(r.trapOid, '1.3.6.1.4.1.9.0.1');
    assert.equal(r.agentAddress, '10.1.1.1');
    assert.equal(r.deviceId, 'r1');
    assert.equal(r.uptimeCs, 77);
    assert.deepEqual(
      r.varbinds.map((v) => v.oid),
      ['1.3.6.1.4.1.9.1', OID.snmpTrapAddress0, OID.snmpTrapEnterprise0],
    );
  });

  it('takes sysUpTime and snmpTrapOID out of v2 varbinds and honours snmpTrapAddress', () => {
    const pdu: Pdu = {
      ...base,
      type: PDU.InformRequest,
      varbinds: [
        { oid: OID.sysUpTime0, type: 'TimeTicks', value: 5 },
        { oid: OID.snmpTrapOID0, type: 'ObjectIdentifier', value: '1.3.6.1.4.1.99.0.1' },
        { oid: OID.snmpTrapAddress0, type: 'IpAddress', value: '10.2.2.2' },
      ],
    };
    const r = pduToTrapRecord(pdu, {
      ...meta,
      deviceByAddress: (a) => (a === '192.0.2.1' ? { id: 'relay' } : undefined),
    });
    assert.equal(r.pduType, 'inform');
    assert.equal(r.trapOid, '1.3.6.1.4.1.99.0.1');
    assert.equal(r.agentAddress, '10.2.2.2');
    assert.equal(r.deviceId, 'relay', 'falls back to the UDP source when the agent address is unknown');
    assert.equal(r.varbinds.length, 1);
  });

  it('keeps unknown notifications without snmpTrapOID under 0.0', () => {
    const r = pduToTrapRecord({ ...base, type: PDU.TrapV2, varbinds: [] }, meta);
    assert.equal(r.trapOid, '0.0');
  });
});
