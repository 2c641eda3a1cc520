import type { Bus } from '../bus/types.ts';
import type { Clock } from '../model/clock.ts';
import type { Logger } from '../model/logger.ts';
import type { BusRecord } from '../model/records.ts';
import type { Device } from '../model/device.ts';

export type Emit = (record: BusRecord) => Promise<void> | void;

/** What the composition root hands every collector factory. */
export interface CollectorContext {
  bus: Bus;
  clock: Clock;
  log: Logger;
  /** The current inventory (config + API devices), re-read each cycle. */
  devices(): Device[];
  /** Device whose address is `address` (IP text), for linking logs and traps. */
  deviceByAddress(address: string): Device | undefined;
}

/** A collector run on a schedule by the shared runner (icmp, snmp poll). */
export interface PolledCollector {
  readonly name: string;
  /** One cycle. Errors of one target are reported as records, never thrown; a throw fails only this cycle. */
  collect(emit: Emit, signal: AbortSignal): Promise<void>;
  stats?(): Record<string, unknown>;
  /** Ends work that outlives a cycle (the SNMP poller's in-flight polls). */
  stop?(): Promise<void>;
}

/** A collector that listens (syslog, traps). */
export interface ListeningCollector {
  readonly name: string;
  start(emit: Emit): Promise<void>;
  stop(): Promise<void>;
  stats?(): Record<string, unknown>;
}
