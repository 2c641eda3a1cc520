/**
 * Aruba mobility controllers (ArubaOS 6/8): WLSX-WLAN-MIB's AP, radio, BSSID and channel-statistics tables (pure).
 *
 * AP identity: wlsxWlanAPTable is indexed by wlanAPMacAddress, "Ethernet MAC Address of the Access Point"; the WLSX
 * MIBs give no base radio MAC (only BSSIDs, which exist only while the AP is up), so `id` is the Ethernet MAC.
 * Clients come from the BSSID table (per AP, radio and ESSID), which adds up to wlsxWlanTotalNumStationsAssociated;
 * the per-client station tables are not walked (one row per client, and they keep stale rows).
 */
import type { VarBind } from '../../../../model/records.ts';
import type { AccessPoint, Radio, WirelessBand, WirelessSnapshot } from '../../../../model/wireless.ts';
import { snapshotOf, Tally } from './summary.ts';
import { columnRoots, readTables, type TableSpec } from './table.ts';
import { bandFromChannel, first, ipv4, macFromArcs, num, opt, pct, str, stringFromArcs, ticksToS } from './values.ts';

const WLAN = '1.3.6.1.4.1.14823.2.2.1.5';

/** WLSX-WLAN-MIB::wlsxWlanAPTable, indexed by wlanAPMacAddress. */
const wlsxWlanAPEntry = {
  entry: `${WLAN}.2.1.4.1`,
  columns: {
    ip: 2,
    name: 3,
    group: 4,
    modelOid: 5,
    serial: 6,
    upTime: 12,
    modelName: 13,
    location: 14,
    status: 19,
    fqln: 26,
    sysLocation: 32,
  },
} satisfies TableSpec;
/**
 * wlsxWlanRadioTable, indexed by AP MAC + wlanAPRadioNumber. Column 17 (wlanAPRadioTransmitPower10x, dBm × 10) is
 * in ArubaOS 8's MIB, not in the one shipped here; where absent, column 4 is read as half-dBm as ArubaOS reports it.
 */
const wlsxWlanRadioEntry = {
  entry: `${WLAN}.2.1.5.1`,
  columns: { type: 2, channel: 3, txPower: 4, util: 6, clients: 7, txPower10x: 17 },
} satisfies TableSpec;
/** wlsxWlanAPBssidTable, indexed by AP MAC + radio number + BSSID. */
const wlsxWlanAPBssidEntry = { entry: `${WLAN}.2.1.7.1`, columns: { essid: 2, stations: 12 } } satisfies TableSpec;
/** wlsxWlanESSIDTable, indexed by the ESSID (length-prefixed): the controller's per-SSID count. */
const wlsxWlanESSIDEntry = { entry: `${WLAN}.2.1.8.1`, columns: { stations: 2 } } satisfies TableSpec;
/** wlsxWlanAPChStatsTable, indexed by AP MAC + radio number: noise floor and channel busy %. */
const wlsxWlanAPChStatsEntry = { entry: `${WLAN}.3.1.6.1`, columns: { noise: 9, util: 37 } } satisfies TableSpec;

const TABLES = [
  wlsxWlanAPEntry,
  wlsxWlanRadioEntry,
  wlsxWlanAPBssidEntry,
  wlsxWlanESSIDEntry,
  wlsxWlanAPChStatsEntry,
] as const;

/** The columns to walk on an Aruba controller. */
export const ARUBA_ROOTS: readonly string[] = columnRoots(TABLES);
/** wlanAPName: present on any controller with APs. */
export const ARUBA_PROBE: readonly string[] = [`${wlsxWlanAPEntry.entry}.3`];

/** ArubaPhyType → band: dot11a(1) 5 GHz, dot11b(2)/dot11g(3) 2.4 GHz, dot11ag(4) by channel. */
function band(type: number | undefined, channel: number | undefined): WirelessBand {
  if (type === 1) return '5GHz';
  if (type === 2 || type === 3) return '2.4GHz';
  return bandFromChannel(channel);
}

/** ArubaOS shows the noise floor as a positive magnitude (95 for -95 dBm). */
const noiseDbm = (v: number | undefined) => (v === undefined || v === 0 ? undefined : -Math.abs(v));

/** "Not Available" is ArubaOS's placeholder for an unset location. */
const location = (...vs: (string | undefined)[]) => first(...vs.map((v) => (v === 'Not Available' ? undefined : v)));

/** The controller's APs and totals from the walked ARUBA_ROOTS; undefined when wlsxWlanAPTable has no row. */
export function parseAruba(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const [apRows, radioRows, bssids, essids, chStats] = readTables(vbs, TABLES);
  if (!apRows.size) return undefined;
  const ssidsByAp = new Map<string, Tally>();
  for (const [index, row] of bssids) {
    const arcs = index.split('.');
    const ap = arcs.slice(0, 6).join('.');
    let t = ssidsByAp.get(ap);
    if (!t) ssidsByAp.set(ap, (t = new Tally()));
    t.add(str(row.essid), num(row.stations));
  }
  const radiosByAp = new Map<string, Radio[]>();
  for (const [index, row] of radioRows) {
    const arcs = index.split('.');
    if (arcs.length !== 7) continue;
    const ap = arcs.slice(0, 6).join('.');
    const channel = num(row.channel);
    const tx10 = num(row.txPower10x);
    const tx = num(row.txPower);
    const stats = chStats.get(index);
    const radio: Radio = {
      slot: Number(arcs[6]),
      band: band(num(row.type), channel),
      ...opt('channel', channel),
      ...opt('txPowerDbm', tx10 !== undefined ? tx10 / 10 : tx !== undefined ? tx / 2 : undefined),
      ...opt('channelUtilPct', first(pct(stats?.util), pct(row.util))),
      ...opt('noiseDbm', noiseDbm(num(stats?.noise))),
      ...opt('clients', num(row.clients)),
      operState: 'up',
    };
    const list = radiosByAp.get(ap);
    if (list) list.push(radio);
    else radiosByAp.set(ap, [radio]);
  }

  const aps: AccessPoint[] = [];
  for (const [index, row] of apRows) {
    const id = macFromArcs(index.split('.'));
    if (!id || index.split('.').length !== 6) continue;
    const status = num(row.status);
    const up = status === 1;
    const radios = radiosByAp.get(index) ?? [];
    if (!up) for (const r of radios) r.operState = 'down';
    const ssids = ssidsByAp.get(index);
    const radioClients = radios.some((r) => r.clients !== undefined)
      ? radios.reduce((s, r) => s + (r.clients ?? 0), 0)
      : undefined;
    aps.push({
      id,
      idSource: 'ethernetMac',
      ethernetMac: id,
      name: str(row.name) ?? id,
      ...opt('model', first(str(row.modelName), str(row.modelOid))),
      ...opt('serial', str(row.serial)),
      ...opt('ip', ipv4(row.ip)),
      ...opt('location', location(str(row.sysLocation), str(row.fqln), str(row.location))),
      ...opt('group', str(row.group)),
      state: up ? 'up' : status === 2 ? 'down' : 'unknown',
      stateRaw: up ? 'up' : status === 2 ? 'down' : String(status ?? ''),
      ...opt('joinedUptimeS', ticksToS(row.upTime)),
      clients: first(ssids?.size ? ssids.total() : undefined, radioClients) ?? 0,
      radios,
      ssidClients: ssids?.toRecord() ?? {},
    });
  }

  const bySsid = new Tally();
  for (const [index, row] of essids) bySsid.add(stringFromArcs(index.split('.')), num(row.stations));
  return snapshotOf('aruba', ['WLSX-WLAN-MIB'], aps, { clientsBySsid: bySsid.toRecord() });
}
