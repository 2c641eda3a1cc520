/**
 * The wireless (WNMS) profiles: one per MIB family, each the columns to walk and a pure parser of what the walk
 * returned. A poller detects the profile (sysObjectID, then a one-column probe when that is not enough), walks the
 * profile's roots (and `moreRoots` of what came back), and parses.
 */
import type { VarBind } from '../../../../model/records.ts';
import type { WirelessSnapshot, WirelessVendor } from '../../../../model/wireless.ts';
import { ARUBA_PROBE, ARUBA_ROOTS, parseAruba } from './aruba.ts';
import { CISCO_PROBE, CISCO_ROOTS, ciscoMoreRoots, parseCisco } from './cisco.ts';
import { DOT11_PROBE, DOT11_ROOTS, parseDot11 } from './ieee802dot11.ts';
import { parseRuckus, RUCKUS_PROBE, RUCKUS_ROOTS } from './ruckus.ts';
import { parseSangfor, SANGFOR_PROBE, SANGFOR_ROOTS } from './sangfor.ts';
import { hasAny } from './table.ts';
import { AIRMAX_PROBE, AIRMAX_ROOTS, parseAirMax, parseUnifi, UNIFI_PROBE, UNIFI_ROOTS } from './ubiquiti.ts';

export type WirelessProfileName =
  | 'cisco-wlc'
  | 'aruba'
  | 'sangfor'
  | 'ruckus'
  | 'ubiquiti-unifi'
  | 'ubiquiti-airmax'
  | 'ieee802dot11';

export interface WirelessProfile {
  name: WirelessProfileName;
  vendor: WirelessVendor;
  /** sysObjectID prefixes the profile applies to; empty for a standard MIB any vendor's agent may carry. */
  enterprises: readonly string[];
  /** Columns (and scalars) to walk. */
  roots: readonly string[];
  /** Further roots to walk given what `roots` returned (fallback tables); absent or empty when none. */
  moreRoots?: (varbinds: readonly VarBind[]) => readonly string[];
  /** Columns whose first row proves the device has this MIB (walk each for one row). */
  probe: readonly string[];
  /** The snapshot, or undefined when the device has none of the tables. */
  parse: (varbinds: readonly VarBind[]) => WirelessSnapshot | undefined;
}

/** Every profile, vendor MIBs before the standard one (detection takes the first that fits). */
export const WIRELESS_PROFILES: readonly WirelessProfile[] = [
  {
    name: 'cisco-wlc',
    vendor: 'cisco',
    enterprises: ['1.3.6.1.4.1.9', '1.3.6.1.4.1.14179'],
    roots: CISCO_ROOTS,
    moreRoots: ciscoMoreRoots,
    probe: CISCO_PROBE,
    parse: parseCisco,
  },
  {
    name: 'aruba',
    vendor: 'aruba',
    enterprises: ['1.3.6.1.4.1.14823'],
    roots: ARUBA_ROOTS,
    probe: ARUBA_PROBE,
    parse: parseAruba,
  },
  {
    name: 'sangfor',
    vendor: 'sangfor',
    enterprises: ['1.3.6.1.4.1.35047'],
    roots: SANGFOR_ROOTS,
    probe: SANGFOR_PROBE,
    parse: parseSangfor,
  },
  {
    name: 'ruckus',
    vendor: 'ruckus',
    enterprises: ['1.3.6.1.4.1.25053'],
    roots: RUCKUS_ROOTS,
    probe: RUCKUS_PROBE,
    parse: parseRuckus,
  },
  {
    name: 'ubiquiti-unifi',
    vendor: 'ubiquiti',
    // UniFi APs often answer with Net-SNMP's Linux sysObjectID, so the probe is what usually finds them.
    enterprises: ['1.3.6.1.4.1.41112'],
    roots: UNIFI_ROOTS,
    probe: UNIFI_PROBE,
    parse: parseUnifi,
  },
  {
    name: 'ubiquiti-airmax',
    vendor: 'ubiquiti',
    enterprises: ['1.3.6.1.4.1.41112', '1.3.6.1.4.1.10002'],
    roots: AIRMAX_ROOTS,
    probe: AIRMAX_PROBE,
    parse: parseAirMax,
  },
  {
    name: 'ieee802dot11',
    vendor: 'ieee802dot11',
    enterprises: [],
    roots: DOT11_ROOTS,
    probe: DOT11_PROBE,
    parse: parseDot11,
  },
];

/** Every profile's probe columns, for one probing walk (one row of each is enough). */
export const WIRELESS_PROBE_ROOTS: readonly string[] = [...new Set(WIRELESS_PROFILES.flatMap((p) => p.probe))];

const underEnterprise = (sysObjectID: string, prefix: string) => {
  const oid = sysObjectID.replace(/^\./, '');
  return oid === prefix || oid.startsWith(prefix + '.');
};

/**
 * The profile for a device. Without probe varbinds: the first whose enterprise matches sysObjectID (a Cisco switch
 * gets the WLC profile, whose parse then finds nothing). With them (the walk of WIRELESS_PROBE_ROOTS): the first
 * enterprise match whose probe answered, else any profile whose probe answered (UniFi under Net-SNMP's sysObjectID,
 * IEEE802dot11-MIB on any vendor's standalone AP); undefined when no probe answered.
 * @example detectWireless('1.3.6.1.4.1.14823.1.1.32')?.name // 'aruba'
 */
export function detectWireless(sysObjectID: string, probeVarbinds?: readonly VarBind[]): WirelessProfile | undefined {
  const byEnterprise = WIRELESS_PROFILES.filter((p) => p.enterprises.some((e) => underEnterprise(sysObjectID, e)));
  if (!probeVarbinds) return byEnterprise[0];
  const answered = (p: WirelessProfile) => hasAny(probeVarbinds, p.probe);
  return byEnterprise.find(answered) ?? WIRELESS_PROFILES.find(answered);
}
