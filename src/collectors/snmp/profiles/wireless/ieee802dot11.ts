/**
 * Standalone access points that implement IEEE802dot11-MIB (one row per radio interface, indexed by ifIndex) (pure).
 * Written from the MIB; no recording was available. The MIB has no association table, so these APs carry no client
 * counts. `id` is the dot11MACAddress of the lowest-numbered radio.
 */
import type { VarBind } from '../../../../model/records.ts';
import type { AccessPoint, Radio, WirelessBand, WirelessSnapshot } from '../../../../model/wireless.ts';
import { snapshotOf } from './summary.ts';
import { columnRoots, readTable, scalar, type Row, type TableSpec } from './table.ts';
import { bandFromChannel, mac, num, opt, str } from './values.ts';
import { SYS_LOCATION, SYS_NAME } from './ubiquiti.ts';

const DOT11 = '1.2.840.10036';
const dot11OperationEntry = { entry: `${DOT11}.2.1.1`, columns: { mac: 1 } } satisfies TableSpec;
const dot11PhyOperationEntry = { entry: `${DOT11}.4.1.1`, columns: { phyType: 1 } } satisfies TableSpec;
/** dot11TxPowerLevel1…8 are in mW; dot11CurrentTxPowerLevel picks one. */
const dot11PhyTxPowerEntry = {
  entry: `${DOT11}.4.3.1`,
  columns: { l1: 2, l2: 3, l3: 4, l4: 5, l5: 6, l6: 7, l7: 8, l8: 9, current: 10 },
} satisfies TableSpec;
const dot11PhyDSSSEntry = { entry: `${DOT11}.4.5.1`, columns: { channel: 1 } } satisfies TableSpec;
/** dot11CurrentFrequency: "the number of the current operating frequency channel of the OFDM PHY". */
const dot11PhyOFDMEntry = { entry: `${DOT11}.4.11.1`, columns: { channel: 1 } } satisfies TableSpec;
/** IF-MIB ifAdminStatus / ifOperStatus of the radio interfaces. */
const ifEntry = { entry: '1.3.6.1.2.1.2.2.1', columns: { admin: 7, oper: 8 } } satisfies TableSpec;

const TABLES = [
  dot11OperationEntry,
  dot11PhyOperationEntry,
  dot11PhyTxPowerEntry,
  dot11PhyDSSSEntry,
  dot11PhyOFDMEntry,
  ifEntry,
];

/** The columns to walk on a standalone 802.11 AP. */
export const DOT11_ROOTS: readonly string[] = columnRoots(TABLES, [SYS_NAME, SYS_LOCATION]);
/** dot11MACAddress. */
export const DOT11_PROBE: readonly string[] = [`${dot11OperationEntry.entry}.1`];

/** dot11PHYType: fhss(1), dsss(2), irbaseband(3), ofdm(4, 802.11a), hrdsss(5, 802.11b), erp(6, 802.11g). */
function band(phyType: number | undefined, channel: number | undefined): WirelessBand {
  const byChannel = bandFromChannel(channel);
  if (byChannel !== 'unknown') return byChannel;
  if (phyType === 4) return '5GHz';
  if (phyType === 1 || phyType === 2 || phyType === 5 || phyType === 6) return '2.4GHz';
  return 'unknown';
}

/** mW → dBm, one decimal. */
const dbm = (mw: number | undefined) => (mw && mw > 0 ? Math.round(100 * Math.log10(mw)) / 10 : undefined);

function txPower(row: Row<keyof typeof dot11PhyTxPowerEntry.columns> | undefined) {
  const level = num(row?.current);
  const mw = level !== undefined && level >= 1 && level <= 8 ? num(row?.[`l${level}` as 'l1']) : undefined;
  return { ...opt('txPowerLevel', level), ...opt('txPowerDbm', dbm(mw)) };
}

/** The AP from the walked DOT11_ROOTS; undefined when no interface has 802.11 rows. */
export function parseDot11(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const ops = readTable(vbs, dot11OperationEntry);
  const phys = readTable(vbs, dot11PhyOperationEntry);
  const ifIndexes = [...new Set([...ops.keys(), ...phys.keys()])]
    .filter((i) => /^\d+$/.test(i))
    .sort((a, b) => Number(a) - Number(b));
  if (!ifIndexes.length) return undefined;
  const power = readTable(vbs, dot11PhyTxPowerEntry);
  const dsss = readTable(vbs, dot11PhyDSSSEntry);
  const ofdm = readTable(vbs, dot11PhyOFDMEntry);
  const ifs = readTable(vbs, ifEntry);
  const radios: Radio[] = ifIndexes.map((i) => {
    const channel = num(dsss.get(i)?.channel) ?? num(ofdm.get(i)?.channel);
    const oper = num(ifs.get(i)?.oper);
    const admin = num(ifs.get(i)?.admin);
    return {
      slot: Number(i),
      band: band(num(phys.get(i)?.phyType), channel),
      ...opt('channel', channel),
      ...txPower(power.get(i)),
      operState: oper === 1 ? 'up' : oper === 2 ? 'down' : 'unknown',
      ...opt('adminUp', admin === 1 ? true : admin === 2 ? false : undefined),
      ...opt('mac', mac(ops.get(i)?.mac)),
    };
  });
  const baseMac = radios.find((r) => r.mac)?.mac;
  const name = str(scalar(vbs, SYS_NAME));
  const id = baseMac ?? name ?? 'dot11-ap';
  const ap: AccessPoint = {
    id,
    idSource: baseMac ? 'baseRadioMac' : 'name',
    ...opt('baseRadioMac', baseMac),
    name: name ?? id,
    ...opt('location', str(scalar(vbs, SYS_LOCATION))),
    state: 'up',
    stateRaw: 'answering',
    radios,
    ssidClients: {},
  };
  return snapshotOf('ieee802dot11', ['IEEE802dot11-MIB'], [ap]);
}
