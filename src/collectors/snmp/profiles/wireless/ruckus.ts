/**
 * Ruckus controllers (pure): ZoneDirector (RUCKUS-ZD-WLAN-MIB: AP, AP radio, WLAN and rogue tables) and SmartZone
 * (RUCKUS-SZ-WLAN-MIB: AP and WLAN tables; that MIB has no radio table, so SmartZone APs come without radios).
 * Written from the MIBs; no recording of either was available.
 *
 * AP identity: both AP tables are indexed by the AP's MAC address ("MAC address"), the Ethernet/base MAC Ruckus
 * shows as "AP MAC"; radio MACs are not in these MIBs, so `id` is that MAC with `idSource: 'ethernetMac'`.
 */
import type { VarBind } from '../../../../model/records.ts';
import type {
  AccessPoint,
  ApState,
  Radio,
  RogueAp,
  WirelessBand,
  WirelessSnapshot,
} from '../../../../model/wireless.ts';
import { rogueSummary, snapshotOf, Tally } from './summary.ts';
import { columnRoots, readTable, type TableSpec } from './table.ts';
import { ipv4, mac, macFromArcs, num, opt, pct, str, ticksToS } from './values.ts';

const ZD = '1.3.6.1.4.1.25053.1.2.2.1.1';
const SZ = '1.3.6.1.4.1.25053.1.4.2.1.1';

/** RUCKUS-ZD-WLAN-MIB::ruckusZDWLANAPTable, indexed by ruckusZDWLANAPMacAddr. */
const zdApEntry = {
  entry: `${ZD}.2.1.1`,
  columns: { name: 2, status: 3, model: 4, serial: 5, upTime: 6, ip: 10, clients: 15 },
} satisfies TableSpec;
/** ruckusZDWLANAPRadioStatsTable, indexed by AP MAC + radio index. */
const zdRadioEntry = {
  entry: `${ZD}.2.2.1`,
  columns: { type: 3, channel: 4, txPower: 5, clients: 8, util: 40 },
} satisfies TableSpec;
/** ruckusZDWLANTable, indexed by WLAN ifIndex: SSID and its clients. */
const zdWlanEntry = { entry: `${ZD}.1.1.1`, columns: { ssid: 1, clients: 12 } } satisfies TableSpec;
/** ruckusZDWLANRogueTable: ruckusZDWLANRogueSignalStrength is in dBm; ruckusZDWLANRogueRSSI is Ruckus's dB-above-noise. */
const zdRogueEntry = {
  entry: `${ZD}.4.1.1`,
  columns: { mac: 1, ssid: 2, channel: 4, signal: 11 },
} satisfies TableSpec;
/** RUCKUS-SZ-WLAN-MIB::ruckusSZAPTable, indexed by ruckusSZAPMac. */
const szApEntry = {
  entry: `${SZ}.2.2.1`,
  columns: {
    group: 2,
    name: 5,
    upTime: 6,
    model: 8,
    serial: 9,
    ip: 10,
    clients: 15,
    connStatus: 16,
    regStatus: 17,
    location: 19,
  },
} satisfies TableSpec;
/** ruckusSZWLANTable: SSID and its clients. */
const szWlanEntry = { entry: `${SZ}.1.2.1`, columns: { ssid: 1, clients: 12 } } satisfies TableSpec;

/** The columns to walk on a Ruckus controller (both families; the absent one answers with nothing). */
export const RUCKUS_ROOTS: readonly string[] = columnRoots([
  zdApEntry,
  zdRadioEntry,
  zdWlanEntry,
  zdRogueEntry,
  szApEntry,
  szWlanEntry,
]);
/** AP status (ZD) and AP name (SZ). */
export const RUCKUS_PROBE: readonly string[] = [`${zdApEntry.entry}.3`, `${szApEntry.entry}.5`];

const ZD_STATUS: Record<number, [ApState, string]> = {
  0: ['down', 'disconnected'],
  1: ['up', 'connected'],
  2: ['pending', 'approvalPending'],
  3: ['downloading', 'upgradingFirmware'],
  4: ['joining', 'provisioning'],
};
/** radio11bg(0), radio11a(1), radio11ng(2), radio11na(3), radio11ac(4). */
const ZD_BAND: Record<number, WirelessBand> = { 0: '2.4GHz', 1: '5GHz', 2: '2.4GHz', 3: '5GHz', 4: '5GHz' };

/** A MacAddress index: six arcs, or seven with a length prefix of 6 (agents differ). */
function macIndex(index: string): string | undefined {
  const arcs = index.split('.');
  if (arcs.length === 6) return macFromArcs(arcs);
  return arcs.length === 7 && arcs[0] === '6' ? macFromArcs(arcs, 1) : undefined;
}

/** SmartZone's connection/registration text → state. */
function szState(conn: string | undefined, reg: string | undefined): ApState {
  if (reg && /pending/i.test(reg)) return 'pending';
  if (!conn) return 'unknown';
  if (/^disconnect/i.test(conn)) return 'down';
  if (/^connect/i.test(conn)) return 'up';
  if (/provision|discover|join/i.test(conn)) return 'joining';
  return 'unknown';
}

function zdAps(vbs: readonly VarBind[]): AccessPoint[] {
  const radios = new Map<string, Radio[]>();
  for (const [index, row] of readTable(vbs, zdRadioEntry)) {
    const cut = index.lastIndexOf('.');
    const ap = macIndex(index.slice(0, cut));
    if (!ap) continue;
    const type = num(row.type);
    const radio: Radio = {
      slot: Number(index.slice(cut + 1)),
      band: (type !== undefined && ZD_BAND[type]) || 'unknown',
      ...opt('channel', num(row.channel)),
      ...opt('txPowerLevel', num(row.txPower)),
      ...opt('channelUtilPct', pct(row.util)),
      ...opt('clients', num(row.clients)),
      operState: 'up',
    };
    const list = radios.get(ap);
    if (list) list.push(radio);
    else radios.set(ap, [radio]);
  }
  const aps: AccessPoint[] = [];
  const seen = new Set<string>();
  for (const [index, row] of readTable(vbs, zdApEntry)) {
    const id = macIndex(index);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const status = num(row.status);
    const [state, stateRaw] = (status !== undefined && ZD_STATUS[status]) || ['unknown', String(status ?? '')];
    const apRadios = radios.get(id) ?? [];
    if (state !== 'up') for (const r of apRadios) r.operState = 'down';
    aps.push({
      id,
      idSource: 'ethernetMac',
      ethernetMac: id,
      name: str(row.name) ?? id,
      ...opt('model', str(row.model)),
      ...opt('serial', str(row.serial)),
      ...opt('ip', ipv4(row.ip)),
      state,
      stateRaw,
      ...opt('uptimeS', ticksToS(row.upTime)),
      clients: num(row.clients) ?? 0,
      radios: apRadios,
      ssidClients: {},
    });
  }
  return aps;
}

function szAps(vbs: readonly VarBind[]): AccessPoint[] {
  const aps: AccessPoint[] = [];
  const seen = new Set<string>();
  for (const [index, row] of readTable(vbs, szApEntry)) {
    const id = macIndex(index);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const conn = str(row.connStatus);
    const reg = str(row.regStatus);
    aps.push({
      id,
      idSource: 'ethernetMac',
      ethernetMac: id,
      name: str(row.name) ?? id,
      ...opt('model', str(row.model)),
      ...opt('serial', str(row.serial)),
      ...opt('ip', ipv4(row.ip)),
      ...opt('location', str(row.location)),
      ...opt('group', str(row.group)),
      state: szState(conn, reg),
      stateRaw: [conn, reg].filter(Boolean).join(', '),
      ...opt('uptimeS', ticksToS(row.upTime)),
      clients: num(row.clients) ?? 0,
      radios: [],
      ssidClients: {},
    });
  }
  return aps;
}

/** The controller's APs and totals from the walked RUCKUS_ROOTS; undefined when neither AP table has a row. */
export function parseRuckus(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const zd = zdAps(vbs);
  const sz = zd.length ? [] : szAps(vbs);
  if (!zd.length && !sz.length) return undefined;
  const bySsid = new Tally();
  for (const row of readTable(vbs, zd.length ? zdWlanEntry : szWlanEntry).values())
    bySsid.add(str(row.ssid), num(row.clients));
  if (sz.length) return snapshotOf('ruckus', ['RUCKUS-SZ-WLAN-MIB'], sz, { clientsBySsid: bySsid.toRecord() });
  const rogueRows = readTable(vbs, zdRogueEntry);
  const rogues: RogueAp[] = [];
  for (const row of rogueRows.values()) {
    const bssid = mac(row.mac);
    if (!bssid) continue;
    rogues.push({
      bssid,
      ...opt('ssid', str(row.ssid)),
      ...opt('channel', num(row.channel)),
      ...opt('rssiDbm', num(row.signal)),
    });
  }
  return snapshotOf('ruckus', ['RUCKUS-ZD-WLAN-MIB'], zd, {
    clientsBySsid: bySsid.toRecord(),
    ...(rogueRows.size ? { rogueAps: rogueSummary(rogues) } : {}),
  });
}
