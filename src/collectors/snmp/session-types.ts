import type { VarBind } from '../../model/records.ts';

/**
 * One SNMP session to one agent: the narrow interface the poller, the CLI and SNMP Set use,
 * so that logic can be tested with a fake and integration with a real agent.
 * Errors are VigilErrors: VIGIL_SNMP_TIMEOUT, VIGIL_SNMP_AUTH, VIGIL_SNMP_UNKNOWN_ENGINE, VIGIL_SNMP_ERROR.
 */
export interface SnmpSession {
  get(oids: string[]): Promise<VarBind[]>;
  getNext(oids: string[]): Promise<VarBind[]>;
  /** GetBulk where the version allows it, else GetNext; stops at the end of the subtree. */
  walk(oid: string, opts?: { maxRepetitions?: number; signal?: AbortSignal }): Promise<VarBind[]>;
  set(varbinds: VarBind[]): Promise<VarBind[]>;
  close(): void;
}
