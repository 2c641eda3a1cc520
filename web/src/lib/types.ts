/** Shapes of what the API returns, as far as the UI reads them. Every field the UI does not need is optional. */
import type { Device, SnmpCredentials as StoredCredentials } from '../../../src/model/device.ts';
import type { VigilEvent } from '../../../src/model/events.ts';
import type { PortVerdict } from '../../../src/model/port-watch.ts';
import type { SystemFacts } from '../../../src/model/records.ts';
import type { DeviceStatus, InterfaceRow as StoredInterfaceRow, Series, StoredLog } from '../../../src/model/stored.ts';

export type { SystemFacts };
/** Credentials as the device form edits them: the server fills in port, timeout and retries. */
export type SnmpCredentials = Omit<StoredCredentials, 'port' | 'timeoutMs' | 'retries'> &
  Partial<Pick<StoredCredentials, 'port' | 'timeoutMs' | 'retries'>>;
/** A device as GET /devices returns it: secrets masked, with its reachability, vendor, SNMP version and status. */
export type DeviceView = Omit<Device, 'snmp' | 'pollIntervalS'> & {
  pollIntervalS?: number;
  snmp?: SnmpCredentials;
  state: 'up' | 'down' | 'unknown';
  vendor?: string;
  model?: string;
  snmpVersion?: string;
  status: Partial<DeviceStatus>;
};
/** Why a port going down is (not) an alarm: present when the event engine runs. */
export type PortWatch = PortVerdict;
/** An interface as GET /devices/{id}/interfaces returns it, with the engine's watch verdict when it runs. */
export type InterfaceRow = StoredInterfaceRow & { watch?: PortWatch };
export type { Series };
/** An event as the API returns it, with the engine's maintenance, suppression and acknowledgement marks. */
export type EventItem = Omit<VigilEvent, 'kind'>;
/** Rule ids the console marks: an incident (a storm of similar events) and a flapping event. */
export const INCIDENT_RULE = 'builtin.incident';
export const FLAPPING_RULE = 'builtin.flapping';
export type LogItem = StoredLog;
export interface TrapItem {
  id?: string | number;
  receivedTs: number;
  sourceAddress: string;
  agentAddress?: string;
  deviceId?: string;
  version: string;
  pduType?: string;
  trapOid: string;
  trapName?: string;
  community?: string;
  user?: string;
  varbinds: { oid: string; name?: string; type: string; value: unknown; formatted?: string; display?: string }[];
}
// The server's own tables, so that the UI shows the names the API accepts.
export {
  FACILITY_NAMES as SYSLOG_FACILITIES,
  SEVERITY_NAMES as SYSLOG_SEVERITIES,
} from '../../../src/model/syslog-names.ts';
