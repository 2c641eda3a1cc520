import type { VarBind } from '../../model/records.ts';

export interface WalkOptions {
  maxRepetitions?: number;
  signal?: AbortSignal;
}

/** Bounds of a walk whose subtree may be large (a device's whole MIB from the browser). */
export interface WalkLimits {
  /** Stop once this many varbinds are in hand; no more than needed is asked for. */
  maxResults?: number;
  /** Stop after this long, with what was fetched so far (a request in flight is abandoned). */
  maxTimeMs?: number;
}

export interface LimitedWalk {
  varbinds: VarBind[];
  /** Set when the walk stopped before the end of the subtree, and which limit stopped it. */
  truncated?: 'maxResults' | 'maxTime';
  /** GetBulk or GetNext requests sent. */
  requests: number;
}

/**
 * One SNMP session to one agent: the narrow interface the poller, the CLI and SNMP Set use,
 * so that logic can be tested with a fake and integration with a real agent.
 * Errors are VigilErrors: VIGIL_SNMP_TIMEOUT, VIGIL_SNMP_AUTH, VIGIL_SNMP_UNKNOWN_ENGINE, VIGIL_SNMP_ERROR.
 */
export interface SnmpSession {
  get(oids: string[]): Promise<VarBind[]>;
  getNext(oids: string[]): Promise<VarBind[]>;
  /** GetBulk where the version allows it, else GetNext; stops at the end of the subtree. */
  walk(oid: string, opts?: WalkOptions): Promise<VarBind[]>;
  /** A walk that also stops at the first limit reached, saying which. */
  walkLimited(oid: string, opts: WalkOptions & WalkLimits): Promise<LimitedWalk>;
  set(varbinds: VarBind[]): Promise<VarBind[]>;
  close(): void;
}
