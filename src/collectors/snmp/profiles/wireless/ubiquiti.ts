/**
 * Ubiquiti access points, each its own agent (no controller MIB) (pure). Written from the MIBs; no recording was
 * available.
 * - UniFi (UBNT-UniFi-MIB): radios (unifiRadioTable), SSIDs (unifiVapTable, one row per BSSID), the AP's system
 *   scalars and interfaces. `id` is eth0's MAC (unifiIfMac), the MAC a UniFi controller knows the AP by.
 * - airMAX (UBNT-AirMAX-MIB): ubntRadioTable and ubntWlStatTable, one row per radio. `id` is the AP's wireless MAC
 *   (ubntWlStatApMac of a radio in an AP mode). A device whose radios are all stations (a CPE) is not an AP:
 *   parseAirMax returns undefined for it.
 */
import type { VarBind } from '../../../../model/records.ts';
import type { AccessPoint, Radio, WirelessBand, WirelessSnapshot } from '../../../../model/wireless.ts';
import { snapshotOf, Tally } from './summary.ts';
import { columnRoots, readTable, scalar, type TableSpec } from './table.ts';
import { bandFromChannel, bandFromMhz, first, ipv4, mac, num, opt, pct, str } from './values.ts';

/** SNMPv2-MIB sysName and sysLocation: a standalone AP's name and location. */
export const SYS_NAME = '1.3.6.1.2.1.1.5';
export const SYS_LOCATION = '1.3.6.1.2.1.1.6';

const UNIFI = '1.3.6.1.4.1.41112.1.6';
const unifiRadioEntry = { entry: `${UNIFI}.1.1.1`, columns: { radio: 3, cuTotal: 6 } } satisfies TableSpec;
const unifiVapEntry = {
  entry: `${UNIFI}.1.2.1`,
  columns: { channel: 4, essid: 6, stations: 8, radio: 9, txPower: 21, up: 22 },
} satisfies TableSpec;
const unifiIfEntry = { entry: `${UNIFI}.2.1.1`, columns: { mac: 4, name: 5 } } satisfies TableSpec;
const UNIFI_SYSTEM = { ip: `${UNIFI}.3.1`, model: `${UNIFI}.3.3`, uptime: `${UNIFI}.3.5` };

/** The columns and scalars to walk on a UniFi AP. */
export const UNIFI_ROOTS: readonly string[] = columnRoots(
  [unifiRadioEntry, unifiVapEntry, unifiIfEntry],
  [...Object.values(UNIFI_SYSTEM), SYS_NAME, SYS_LOCATION],
);
/** unifiVapEssId. */
export const UNIFI_PROBE: readonly string[] = [`${unifiVapEntry.entry}.6`];

const AIRMAX = '1.3.6.1.4.1.41112.1.4';
const ubntRadioEntry = { entry: `${AIRMAX}.1.1`, columns: { mode: 2, freq: 4, txPower: 6 } } satisfies TableSpec;
const ubntWlStatEntry = {
  entry: `${AIRMAX}.5.1`,
  columns: { ssid: 2, apMac: 4, noise: 8, stations: 15 },
} satisfies TableSpec;

/** The columns to walk on an airMAX device. */
export const AIRMAX_ROOTS: readonly string[] = columnRoots([ubntRadioEntry, ubntWlStatEntry], [SYS_NAME, SYS_LOCATION]);
/** ubntRadioMode. */
export const AIRMAX_PROBE: readonly string[] = [`${ubntRadioEntry.entry}.2`];

/** UniFi radio names: `ng` (2.4 GHz), `na` (5 GHz), `6e` (6 GHz); older firmware `g`, `a`. */
function unifiBand(radio: string | undefined, channel: number | undefined): WirelessBand {
  const r = radio?.toLowerCase();
  if (r === 'ng' || r === 'g' || r === 'bg') return '2.4GHz';
  if (r === 'na' || r === 'a' || r === 'ac') return '5GHz';
  if (r === '6e') return '6GHz';
  return bandFromChannel(channel);
}

/** A channel number from a centre frequency in MHz (2.4 and 5 GHz plans; 6 GHz from 5955 MHz). */
export function channelFromMhz(mhz: number | undefined): number | undefined {
  if (mhz === undefined) return undefined;
  if (mhz === 2484) return 14;
  if (mhz >= 2412 && mhz < 2484) return (mhz - 2407) / 5;
  if (mhz >= 5955 && mhz <= 7115) return (mhz - 5950) / 5;
  if (mhz >= 5000 && mhz < 5925) return (mhz - 5000) / 5;
  return undefined;
}

/** The UniFi AP from the walked UNIFI_ROOTS; undefined when it has no VAP and no radio row. */
export function parseUnifi(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const radioRows = readTable(vbs, unifiRadioEntry);
  const vaps = readTable(vbs, unifiVapEntry);
  if (!radioRows.size && !vaps.size) return undefined;
  const ssids = new Tally();
  const perRadio = new Map<
    string,
    { channel?: number; txPower?: number; clients: number; up: boolean; any: boolean }
  >();
  for (const vap of vaps.values()) {
    const radio = str(vap.radio) ?? '';
    const r = perRadio.get(radio) ?? { clients: 0, up: false, any: false };
    r.channel ??= num(vap.channel);
    r.txPower ??= num(vap.txPower);
    r.clients += num(vap.stations) ?? 0;
    r.up ||= num(vap.up) === 1;
    r.any = true;
    perRadio.set(radio, r);
    ssids.add(str(vap.essid), num(vap.stations));
  }
  const radios: Radio[] = [...radioRows].map(([index, row]) => {
    const name = str(row.radio);
    const v = perRadio.get(name ?? '');
    return {
      slot: Number(index),
      band: unifiBand(name, v?.channel),
      ...opt('channel', v?.channel),
      ...opt('txPowerDbm', v?.txPower),
      ...opt('channelUtilPct', pct(row.cuTotal)),
      ...opt('clients', v?.clients),
      operState: !v?.any ? 'unknown' : v.up ? 'up' : 'down',
    };
  });
  let ethMac: string | undefined;
  for (const row of readTable(vbs, unifiIfEntry).values()) {
    const m = mac(row.mac);
    if (m && m !== '00:00:00:00:00:00' && (str(row.name) === 'eth0' || ethMac === undefined)) ethMac = m;
  }
  const name = str(scalar(vbs, SYS_NAME));
  const id = ethMac ?? name ?? 'unifi-ap';
  const ap: AccessPoint = {
    id,
    idSource: ethMac ? 'ethernetMac' : 'name',
    ...opt('ethernetMac', ethMac),
    name: name ?? id,
    ...opt('model', str(scalar(vbs, UNIFI_SYSTEM.model))),
    ...opt('ip', ipv4(scalar(vbs, UNIFI_SYSTEM.ip))),
    ...opt('location', str(scalar(vbs, SYS_LOCATION))),
    state: 'up',
    stateRaw: 'answering',
    ...opt('uptimeS', num(scalar(vbs, UNIFI_SYSTEM.uptime))),
    clients: ssids.total(),
    radios,
    ssidClients: ssids.toRecord(),
  };
  return snapshotOf('ubiquiti', ['UBNT-UniFi-MIB'], [ap]);
}

/** ubntRadioMode: sta(1), ap(2), aprepeater(3), apwds(4). */
const AP_MODES = new Set([2, 3, 4]);

/** The airMAX AP from the walked AIRMAX_ROOTS; undefined without radios or when every radio is a station. */
export function parseAirMax(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const radioRows = readTable(vbs, ubntRadioEntry);
  const stats = readTable(vbs, ubntWlStatEntry);
  const apRadios = [...radioRows].filter(([, row]) => AP_MODES.has(num(row.mode) ?? 0));
  if (!apRadios.length) return undefined;
  const ssids = new Tally();
  let apMac: string | undefined;
  const radios: Radio[] = apRadios.map(([index, row]) => {
    const stat = stats.get(index);
    const mhz = num(row.freq);
    const channel = channelFromMhz(mhz);
    apMac ??= mac(stat?.apMac);
    ssids.add(str(stat?.ssid), num(stat?.stations));
    return {
      slot: Number(index),
      band: bandFromMhz(mhz),
      ...opt('channel', channel),
      ...opt('txPowerDbm', num(row.txPower)),
      ...opt('noiseDbm', num(stat?.noise)),
      ...opt('clients', num(stat?.stations)),
      operState: 'up',
      ...opt('mac', mac(stat?.apMac)),
    };
  });
  const name = str(scalar(vbs, SYS_NAME));
  const id = first(apMac, name) ?? 'airmax-ap';
  const ap: AccessPoint = {
    id,
    idSource: apMac ? 'baseRadioMac' : 'name',
    ...opt('baseRadioMac', apMac),
    name: name ?? id,
    ...opt('location', str(scalar(vbs, SYS_LOCATION))),
    state: 'up',
    stateRaw: 'answering',
    clients: radios.reduce((s, r) => s + (r.clients ?? 0), 0),
    radios,
    ssidClients: ssids.toRecord(),
  };
  return snapshotOf('ubiquiti', ['UBNT-AirMAX-MIB'], [ap]);
}
