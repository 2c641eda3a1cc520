/**
 * Cisco wireless LAN controllers (AireOS, and IOS-XE where it keeps these MIBs): CISCO-LWAPP-AP-MIB first, and
 * AIRESPACE-WIRELESS-MIB for what LWAPP lacks (channel, power, load, noise, model, serial, IP, group, rogues) or
 * where it is silent (pure).
 *
 * AP identity: both cLApTable (cLApSysMacAddress, "the radio MAC address common to the dot11 interfaces") and
 * bsnAPTable (bsnAPDot3MacAddress, which controllers fill with the same base radio MAC) are indexed by the base radio
 * MAC, so an AP is the union of the two tables' indexes and the two join on it. The Ethernet MAC is a column of both
 * (cLApIfMacAddress, bsnAPEthernetMacAddress) and is kept as `ethernetMac`.
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
import { columnRoots, hasAny, readTables, type Row, type TableSpec } from './table.ts';
import { first, ipv4, mac, macFromArcs, num, opt, pct, str, ticksToS } from './values.ts';

const LWAPP_AP = '1.3.6.1.4.1.9.9.513.1';
const BSN = '1.3.6.1.4.1.14179.2';

/** CISCO-LWAPP-AP-MIB::cLApTable, indexed by cLApSysMacAddress (base radio MAC). */
const cLApEntry = {
  entry: `${LWAPP_AP}.1.1.1`,
  columns: {
    ethMac: 2,
    name: 5,
    upTime: 6,
    joinedUpTime: 7,
    adminStatus: 38,
    location: 49,
    clients: 54,
    siteTag: 104,
  },
} satisfies TableSpec;
/** CISCO-LWAPP-AP-MIB::cLApDot11IfTable, indexed by base radio MAC + cLApDot11IfSlotId. */
const cLApDot11IfEntry = { entry: `${LWAPP_AP}.2.1.1`, columns: { type: 2, adminStatus: 14 } } satisfies TableSpec;
/** CISCO-LWAPP-AP-MIB::cLApWlanStatsTable, indexed by base radio MAC + cLApDot11IfType + cLWlanIndex. */
const cLApWlanStatsEntry = { entry: `${LWAPP_AP}.9.1.1`, columns: { clients: 6 } } satisfies TableSpec;
/** CISCO-LWAPP-WLAN-MIB::cLWlanConfigTable (cLWlanSsid), indexed by cLWlanIndex. */
const cLWlanConfigEntry = { entry: '1.3.6.1.4.1.9.9.512.1.1.1.1', columns: { ssid: 4 } } satisfies TableSpec;

/** AIRESPACE-WIRELESS-MIB::bsnAPTable, indexed by bsnAPDot3MacAddress (base radio MAC). */
const bsnAPEntry = {
  entry: `${BSN}.2.1.1`,
  columns: {
    name: 3,
    location: 4,
    operStatus: 6,
    model: 16,
    serial: 17,
    ip: 19,
    group: 30,
    ethMac: 33,
    adminStatus: 37,
  },
} satisfies TableSpec;
/** bsnAPIfTable, indexed by base radio MAC + bsnAPIfSlotId. */
const bsnAPIfEntry = {
  entry: `${BSN}.2.2.1`,
  columns: { type: 2, channel: 4, txPowerLevel: 6, operStatus: 12, clients: 15, adminStatus: 34 },
} satisfies TableSpec;
/**
 * bsnAPIfDot11PhyTxPowerTable: the power of each level 1…8 (level 8 is column 28). The MIB says mW; controllers
 * answer in dBm (17, 14, 11, … -1 in 3 dB steps on the recorded WLC), so the values are read as dBm.
 */
const bsnAPIfDot11PhyTxPowerEntry = {
  entry: `${BSN}.2.8.1`,
  columns: { l1: 2, l2: 3, l3: 4, l4: 5, l5: 6, l6: 7, l7: 8, l8: 28 },
} satisfies TableSpec;
/** bsnAPIfLoadParametersTable (bsnAPIfLoadChannelUtilization). */
const bsnAPIfLoadParametersEntry = { entry: `${BSN}.2.13.1`, columns: { channelUtil: 3 } } satisfies TableSpec;
/** bsnAPIfChannelInterferenceInfoTable, indexed by AP + slot + channel (bsnAPIfInterferenceUtilization). */
const bsnAPIfInterferenceEntry = { entry: `${BSN}.2.14.1`, columns: { util: 22 } } satisfies TableSpec;
/** bsnAPIfChannelNoiseInfoTable, indexed by AP + slot + channel (bsnAPIfDBNoisePower). */
const bsnAPIfNoiseEntry = { entry: `${BSN}.2.15.1`, columns: { power: 21 } } satisfies TableSpec;
/** bsnDot11EssTable: SSID of each WLAN id, and its client count (the controller total when APs give none). */
const bsnDot11EssEntry = { entry: `${BSN}.1.1.1`, columns: { ssid: 2, clients: 38 } } satisfies TableSpec;
/** bsnRogueAPTable, indexed by the rogue's BSSID. */
const bsnRogueAPEntry = {
  entry: `${BSN}.1.7.1`,
  columns: { maxRssi: 10, ssid: 11, classType: 25, channel: 26 },
} satisfies TableSpec;
/** bsnMobileStationTable: walked only when cLApWlanStatsTable is empty (one row per client: large). */
const bsnMobileStationEntry = { entry: `${BSN}.1.4.1`, columns: { apMac: 4, ssid: 7, status: 9 } } satisfies TableSpec;

const PRIMARY = [
  cLApEntry,
  cLApDot11IfEntry,
  cLApWlanStatsEntry,
  cLWlanConfigEntry,
  bsnAPEntry,
  bsnAPIfEntry,
  bsnAPIfDot11PhyTxPowerEntry,
  bsnAPIfLoadParametersEntry,
  bsnAPIfInterferenceEntry,
  bsnAPIfNoiseEntry,
  bsnDot11EssEntry,
  bsnRogueAPEntry,
] as const;

/** The columns to walk on a Cisco controller. */
export const CISCO_ROOTS: readonly string[] = columnRoots(PRIMARY);
/** Walked after CISCO_ROOTS only when they returned no cLApWlanStatsTable rows (see ciscoMoreRoots). */
export const CISCO_FALLBACK_ROOTS: readonly string[] = columnRoots([bsnMobileStationEntry]);
/** Present on any controller that has APs: cLApName, bsnAPName. */
export const CISCO_PROBE: readonly string[] = [`${cLApEntry.entry}.5`, `${bsnAPEntry.entry}.3`];

/** Roots to walk next given the first walk: the per-client table, when LWAPP gave no per-AP SSID counts. */
export function ciscoMoreRoots(vbs: readonly VarBind[]): readonly string[] {
  return hasAny(vbs, columnRoots([cLApWlanStatsEntry])) ? [] : CISCO_FALLBACK_ROOTS;
}

const OPER_STATUS: Record<number, [ApState, string]> = {
  1: ['up', 'associated'],
  2: ['disassociating', 'disassociating'],
  3: ['downloading', 'downloading'],
};
const ROGUE_CLASS: Record<number, string> = { 0: 'pending', 1: 'friendly', 2: 'malicious', 3: 'unclassified' };
/** bsnMobileStationStatus values that mean "on the air with an AP": authenticated, associated, powersave. */
const CONNECTED = new Set([2, 3, 4]);

/** CLApIfType (LWAPP) → band; XOR (dot11abgn) and uwb tell nothing, so the caller falls back to AIRESPACE. */
function lwappBand(type: number | undefined): WirelessBand {
  return type === 1 ? '2.4GHz' : type === 2 ? '5GHz' : 'unknown';
}
/** bsnAPIfType → band: dot11b(1), dot11a(2), dot11-6ghz(6); uwb(4) and the 5/6 GHz XOR radio(7) are unknown. */
function bsnBand(type: number | undefined): WirelessBand {
  return type === 1 ? '2.4GHz' : type === 2 ? '5GHz' : type === 6 ? '6GHz' : 'unknown';
}
const truth = (v: number | undefined, yes: number, no: number) => (v === yes ? true : v === no ? false : undefined);

/** Splits `<6 MAC arcs>.<rest>` into the AP's MAC and the rest of the index. */
function apAndRest(index: string): [string | undefined, string[]] {
  const arcs = index.split('.');
  return [macFromArcs(arcs), arcs.slice(6)];
}

function radioOf(
  key: string,
  slot: number,
  lw: Row<keyof typeof cLApDot11IfEntry.columns> | undefined,
  bsn: Row<keyof typeof bsnAPIfEntry.columns> | undefined,
  t: CiscoTables,
): Radio {
  const channel = num(bsn?.channel);
  // LWAPP's CLApIfType has no 6 GHz value, so AIRESPACE's dot11-6ghz wins over it; otherwise LWAPP first.
  const bsnType = bsnBand(num(bsn?.type));
  const lwType = lwappBand(num(lw?.type));
  const band = bsnType === '6GHz' || lwType === 'unknown' ? bsnType : lwType;
  const level = num(bsn?.txPowerLevel);
  const levels = t.power.get(key);
  const dbm = level !== undefined && levels ? num(levels[`l${level}` as keyof typeof levels]) : undefined;
  const oper = num(bsn?.operStatus);
  const perChannel = channel === undefined ? undefined : `${key}.${channel}`;
  return {
    slot,
    band,
    ...opt('channel', channel),
    ...opt('txPowerDbm', dbm),
    ...opt('txPowerLevel', level),
    ...opt('channelUtilPct', pct(t.load.get(key)?.channelUtil)),
    ...opt('noiseDbm', perChannel ? num(t.noise.get(perChannel)?.power) : undefined),
    ...opt('interferencePct', perChannel ? pct(t.interference.get(perChannel)?.util) : undefined),
    ...opt('clients', num(bsn?.clients)),
    operState: oper === 2 ? 'up' : oper === 1 ? 'down' : 'unknown',
    ...opt('adminUp', first(truth(num(lw?.adminStatus), 1, 2), truth(num(bsn?.adminStatus), 1, 2))),
  };
}

type CiscoTables = ReturnType<typeof readAll>;

function readAll(vbs: readonly VarBind[]) {
  const [lwAp, lwIf, lwWlanStats, lwWlan, bsnAp, bsnIf, power, load, interference, noise, ess, rogue, stations] =
    readTables(vbs, [...PRIMARY, bsnMobileStationEntry]);
  return { lwAp, lwIf, lwWlanStats, lwWlan, bsnAp, bsnIf, power, load, interference, noise, ess, rogue, stations };
}

/** SSID of each WLAN id: cLWlanSsid, else bsnDot11EssSsid. */
function ssidsByWlan(t: CiscoTables): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, row] of t.ess) {
    const s = str(row.ssid);
    if (s !== undefined) out.set(id, s);
  }
  for (const [id, row] of t.lwWlan) {
    const s = str(row.ssid);
    if (s !== undefined) out.set(id, s);
  }
  return out;
}

interface ApClientCounts {
  /** Clients per SSID of each AP (by AP MAC). */
  bySsid: Map<string, Tally>;
  /** Station rows per AP, when the counts came from bsnMobileStationTable (some rows may lack an SSID). */
  stations?: Map<string, number>;
}

/** Per-AP SSID counts: cLApWlanStatsAssocClientNum summed over bands, else one count per connected station row. */
function clientCountsByAp(t: CiscoTables): ApClientCounts {
  const bySsid = new Map<string, Tally>();
  const tally = (ap: string) => {
    let x = bySsid.get(ap);
    if (!x) bySsid.set(ap, (x = new Tally()));
    return x;
  };
  if (t.lwWlanStats.size || !t.stations.size) {
    const ssids = ssidsByWlan(t);
    for (const [index, row] of t.lwWlanStats) {
      const [ap, rest] = apAndRest(index);
      if (!ap || rest.length !== 2) continue;
      tally(ap).add(ssids.get(rest[1]) ?? `wlan ${rest[1]}`, num(row.clients));
    }
    return { bySsid };
  }
  const stations = new Map<string, number>();
  for (const row of t.stations.values()) {
    const ap = mac(row.apMac);
    const status = num(row.status);
    if (!ap || (status !== undefined && !CONNECTED.has(status))) continue;
    stations.set(ap, (stations.get(ap) ?? 0) + 1);
    tally(ap).add(str(row.ssid), 1);
  }
  return { bySsid, stations };
}

function rogues(t: CiscoTables): RogueAp[] {
  const out: RogueAp[] = [];
  for (const [index, row] of t.rogue) {
    const bssid = macFromArcs(index.split('.'));
    if (!bssid) continue;
    const cls = num(row.classType);
    out.push({
      bssid,
      ...opt('ssid', str(row.ssid)),
      ...opt('channel', num(row.channel)),
      ...opt('rssiDbm', num(row.maxRssi)),
      ...opt('classification', cls === undefined ? undefined : (ROGUE_CLASS[cls] ?? String(cls))),
    });
  }
  return out;
}

/**
 * The controller's APs and totals from the walked CISCO_ROOTS (and CISCO_FALLBACK_ROOTS when walked); undefined
 * when neither cLApTable nor bsnAPTable has a row.
 */
export function parseCisco(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const t = readAll(vbs);
  const keys = new Set<string>();
  for (const k of t.lwAp.keys()) keys.add(k);
  for (const k of t.bsnAp.keys()) keys.add(k);
  const apKeys = [...keys].filter((k) => macFromArcs(k.split('.')) !== undefined && k.split('.').length === 6);
  if (!apKeys.length) return undefined;

  const radioKeys = new Map<string, Set<number>>();
  for (const index of [...t.lwIf.keys(), ...t.bsnIf.keys()]) {
    const arcs = index.split('.');
    if (arcs.length !== 7) continue;
    const ap = arcs.slice(0, 6).join('.');
    let slots = radioKeys.get(ap);
    if (!slots) radioKeys.set(ap, (slots = new Set()));
    slots.add(Number(arcs[6]));
  }
  const counts = clientCountsByAp(t);

  const aps = apKeys.map((key): AccessPoint => {
    const id = macFromArcs(key.split('.'))!;
    const lw = t.lwAp.get(key);
    const bsn = t.bsnAp.get(key);
    const oper = num(bsn?.operStatus);
    const adminUp = first(truth(num(lw?.adminStatus), 1, 2), truth(num(bsn?.adminStatus), 1, 2));
    let [state, stateRaw]: [ApState, string] =
      oper === undefined ? ['up', 'joined'] : (OPER_STATUS[oper] ?? ['unknown', String(oper)]);
    if (adminUp === false) [state, stateRaw] = ['disabled', `${stateRaw}, admin disabled`];
    const radios = [...(radioKeys.get(key) ?? [])].map((slot) =>
      radioOf(`${key}.${slot}`, slot, t.lwIf.get(`${key}.${slot}`), t.bsnIf.get(`${key}.${slot}`), t),
    );
    const ssids = counts.bySsid.get(id);
    const radioClients = radios.some((r) => r.clients !== undefined)
      ? radios.reduce((s, r) => s + (r.clients ?? 0), 0)
      : undefined;
    // LWAPP's per-AP count; else the per-WLAN counts; else AIRESPACE's per-radio users; else the station rows.
    const clients =
      first(num(lw?.clients), counts.stations ? undefined : ssids?.total(), radioClients, counts.stations?.get(id)) ??
      0;
    return {
      id,
      idSource: 'baseRadioMac',
      baseRadioMac: id,
      ...opt('ethernetMac', first(mac(lw?.ethMac), mac(bsn?.ethMac))),
      name: first(str(lw?.name), str(bsn?.name)) ?? id,
      ...opt('model', str(bsn?.model)),
      ...opt('serial', str(bsn?.serial)),
      ...opt('ip', ipv4(bsn?.ip)),
      ...opt('location', first(str(lw?.location), str(bsn?.location))),
      ...opt('group', first(str(bsn?.group), str(lw?.siteTag))),
      state,
      stateRaw,
      ...opt('uptimeS', ticksToS(lw?.upTime)),
      ...opt('joinedUptimeS', ticksToS(lw?.joinedUpTime)),
      clients,
      radios,
      ssidClients: ssids?.toRecord() ?? {},
    };
  });

  // The controller's own per-WLAN counts, used only when no AP has a per-SSID breakdown.
  const ssids = ssidsByWlan(t);
  const essClients = new Tally();
  for (const [id, row] of t.ess) essClients.add(ssids.get(id), num(row.clients));
  const sourceMibs = [
    ...(t.lwAp.size ? ['CISCO-LWAPP-AP-MIB'] : []),
    ...(t.lwWlan.size ? ['CISCO-LWAPP-WLAN-MIB'] : []),
    ...(t.bsnAp.size || t.bsnIf.size ? ['AIRESPACE-WIRELESS-MIB'] : []),
  ];
  return snapshotOf('cisco', sourceMibs, aps, {
    clientsBySsid: essClients.toRecord(),
    ...(t.rogue.size ? { rogueAps: rogueSummary(rogues(t)) } : {}),
  });
}
