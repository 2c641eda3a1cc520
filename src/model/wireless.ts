/**
 * Wireless (WNMS) data as walked from a controller or a standalone access point: plain, JSON-safe records that the
 * SNMP wireless profiles produce and the store and web UI read.
 */

/** The MIB family a snapshot was read from. */
export type WirelessVendor = 'cisco' | 'aruba' | 'sangfor' | 'ruckus' | 'ubiquiti' | 'ieee802dot11';

/** Frequency band of a radio; `unknown` when neither the radio type nor the channel tells (XOR 5/6 GHz radios). */
export type WirelessBand = '2.4GHz' | '5GHz' | '6GHz' | 'unknown';

/**
 * An access point's state, normalised across vendors (the vendor's own word is kept in `stateRaw`):
 * - `up`: joined to its controller (or, standalone, answering) and serving;
 * - `down`: known to the controller but not connected;
 * - `joining`: discovering, provisioning or registering with the controller;
 * - `downloading`: joined but fetching or installing an image;
 * - `disassociating`: leaving the controller;
 * - `pending`: waiting for an administrator's approval;
 * - `disabled`: administratively disabled;
 * - `unknown`: the MIB's value maps to none of these.
 */
export type ApState = 'up' | 'down' | 'joining' | 'downloading' | 'disassociating' | 'pending' | 'disabled' | 'unknown';

/** Operational state of one radio. */
export type RadioOperState = 'up' | 'down' | 'unknown';

/**
 * What an AP's `id` is. Base radio MAC where the MIB has it (Cisco's cLApTable/bsnAPTable index, IEEE802dot11's
 * dot11MACAddress); the Ethernet MAC where that is the only per-AP MAC (Aruba WLSX, UniFi eth0, Ruckus); the serial
 * number where the MIB has no MAC at all (Sangfor), and the name only when even the serial is missing.
 */
export type ApIdSource = 'baseRadioMac' | 'ethernetMac' | 'serial' | 'name';

/** One radio (slot) of an access point. Fields are absent when the MIB does not carry them. */
export interface Radio {
  /** The vendor's slot or radio number (Cisco 0/1/2, Aruba 1/2, …). */
  slot: number;
  band: WirelessBand;
  channel?: number;
  /** Transmit power in dBm, where the MIB gives dBm or a table to convert its level into dBm. */
  txPowerDbm?: number;
  /**
   * The vendor's transmit power level, where the MIB gives a level rather than (or besides) dBm: Cisco 1 = highest
   * … 8, IEEE802dot11 1 … 8, Ruckus 0 = full, 1 = half, 2 = quarter, 3 = eighth.
   */
  txPowerLevel?: number;
  /** Share of airtime the channel is busy, 0–100. */
  channelUtilPct?: number;
  /** Noise floor on the radio's current channel. */
  noiseDbm?: number;
  /** Airtime taken by other (non-own) 802.11 networks on the current channel, 0–100. */
  interferencePct?: number;
  /** Clients associated to this radio. */
  clients?: number;
  operState: RadioOperState;
  /** False when the radio is administratively disabled. */
  adminUp?: boolean;
  /** The radio's own MAC, when the MIB gives it. */
  mac?: string;
}

/** One access point as its controller (or, standalone, the AP itself) reports it. */
export interface AccessPoint {
  /** Stable identity across polls and renames: a lowercase `aa:bb:cc:dd:ee:ff` MAC, or what `idSource` says. */
  id: string;
  idSource: ApIdSource;
  baseRadioMac?: string;
  ethernetMac?: string;
  name: string;
  model?: string;
  serial?: string;
  ip?: string;
  location?: string;
  /** AP group (Cisco AP group or site tag, Aruba AP group, Ruckus SmartZone AP group). */
  group?: string;
  /** The controller's device id; parsers leave it empty, the caller that knows the device fills it. */
  controller?: string;
  state: ApState;
  /** The vendor's state as reported (enum label or text), for display and for states `state` folds together. */
  stateRaw: string;
  /** Seconds since the AP booted; absent where the MIB only has the time since it joined. */
  uptimeS?: number;
  /** Seconds since the AP joined (or bootstrapped with) its controller. */
  joinedUptimeS?: number;
  /** Clients associated to the AP; absent where the MIB has no count (IEEE802dot11-MIB). */
  clients?: number;
  radios: Radio[];
  /** Clients per SSID on this AP (empty where the MIB has no per-AP breakdown). */
  ssidClients: Record<string, number>;
}

/** A rogue (unknown) access point the controller hears. */
export interface RogueAp {
  bssid: string;
  ssid?: string;
  channel?: number;
  /** Strongest signal any of the controller's APs hears it at. */
  rssiDbm?: number;
  /** The controller's classification, as reported (e.g. `unclassified`, `malicious`, `friendly`). */
  classification?: string;
}

/** Rogue APs: the full count and the strongest few. */
export interface RogueSummary {
  count: number;
  /** At most `listCap` entries, strongest signal first. */
  list: RogueAp[];
  listCap: number;
}

/** Controller-wide figures, derived from the AP list (and controller tables where the APs lack a breakdown). */
export interface WirelessController {
  vendor: WirelessVendor;
  /** The MIB modules the figures came from, most trusted first (e.g. CISCO-LWAPP-AP-MIB, AIRESPACE-WIRELESS-MIB). */
  sourceMibs: string[];
  apsTotal: number;
  /** APs in state `up`. */
  apsUp: number;
  /** APs in any other state (down, joining, downloading, …): `apsUp + apsDown === apsTotal`. */
  apsDown: number;
  /** Sum of the APs' clients. */
  clients: number;
  clientsBySsid: Record<string, number>;
  /** Clients per AP group; APs without a group are left out. */
  clientsByApGroup: Record<string, number>;
  rogueAps?: RogueSummary;
}

/** What one wireless poll of a device yields. */
export interface WirelessSnapshot {
  controller: WirelessController;
  aps: AccessPoint[];
}

/** Prefix of the keys under which the store keeps each controller's latest `{ ts, snapshot }`. */
export const WIRELESS_PREFIX = 'wireless.';
export const wirelessKey = (deviceId: string) => `${WIRELESS_PREFIX}${deviceId}`;
