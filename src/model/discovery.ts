/**
 * Discovery as clients see it: a job's progress and what it found (the API's shapes; src/discovery makes them).
 */
import type { SnmpVersion } from './records.ts';

/** What happens to a device a rule matches: added to the inventory, listed as found (one click adds it), or ignored. */
export type DiscoveryAction = 'add' | 'list' | 'ignore';

/** How a find was recognised as a device already known. */
export type MatchReason = 'address' | 'engineId' | 'sysName+mac';

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

/** A job's parameters as given (src/discovery/config.ts validates them). */
export interface DiscoveryJobRequest {
  name?: string;
  targets: string[];
  exclude: string[];
  profiles?: string[];
  depth: number;
  ping: boolean;
  defaultAction?: DiscoveryAction;
}

/** What one responding address says of itself. */
export interface ProbeResult {
  address: string;
  /** The credential profile that answered. */
  profile: string;
  version: SnmpVersion;
  sysName?: string;
  sysObjectID?: string;
  sysDescr?: string;
  vendor?: string;
  model?: string;
  /** ENTITY-MIB chassis serial number and model name, where the agent has them. */
  serial?: string;
  hardwareModel?: string;
  /** snmpEngineID as hex, where the agent answers for it. */
  engineId?: string;
  /** The LLDP local chassis ID when it is a MAC. */
  chassisMac?: string;
  /** IPv4/IPv6 management addresses the device's LLDP and CDP neighbours announce (when asked for). */
  neighbourAddresses: string[];
}

export interface Decision {
  action: DiscoveryAction;
  /** The rule that decided (its name, else its position); absent for the default action. */
  rule?: string;
  group?: string;
  tags: string[];
  profile?: string;
  pollIntervalS?: number;
}

export interface JobProgress {
  id: string;
  name?: string;
  spec: DiscoveryJobRequest;
  state: JobState;
  phase: 'sweep' | 'snmp' | 'done';
  startedTs: number;
  finishedTs?: number;
  /** Who started it: a user name, `schedule`, or `cli`. */
  by: string;
  /** Addresses in the targets (after exclusions), and how many exclusions left out. */
  addresses: number;
  excluded: number;
  /** Addresses the sweep has finished with (all of them once the sweep is over). */
  swept: number;
  /** Addresses that answered ping (or were tried without it). */
  responders: number;
  /** SNMP trials done, and those that answered. */
  probed: number;
  snmpAnswers: number;
  /** Neighbour addresses followed. */
  followed: number;
  added: number;
  listed: number;
  known: number;
  ignored: number;
  error?: string;
}

/** A device a job found, with what became of it. */
export interface FoundDevice extends ProbeResult {
  id: string;
  jobId: string;
  ts: number;
  /** How many neighbour hops from the targets it was reached (0: a target). */
  hop: number;
  action: DiscoveryAction;
  rule?: string;
  /** `known`: already in the inventory (deviceId says which, matchedBy how); `added`: added now as deviceId. */
  status: 'added' | 'listed' | 'known' | 'ignored' | 'duplicate';
  deviceId?: string;
  matchedBy?: MatchReason;
  /** For `listed`: how an add would set the device up. */
  decision?: Decision;
}
