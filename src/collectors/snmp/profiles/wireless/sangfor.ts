/**
 * Sangfor wireless controllers (WAC, enterprise 35047) (pure). No MIB for these tables was available; the columns
 * below are the ones whose meaning is clear from a WAC's own answers (text values such as `online`, `ap-350-p`,
 * `2447 MHz`, serial numbers), and nothing else is read:
 *
 * AP table 1.3.6.1.4.1.35047.2.12.1.1.1, one row per AP, indexed 1…n:
 *   2 name, 3 model, 4 serial, 6 IP address (text), 7 online time (`H:MM:SS`, hours may pass 24), 8 status
 *   (`online` / `offline`), 9 SSIDs served (space-separated), 10/15 band of radio 1/2 (`2.4G`, `5.8G`, or empty),
 *   12/17 channel of radio 1/2 (0 when the radio is absent or the AP offline), 13/18 frequency (`2447 MHz`),
 *   19 associated clients.
 * Client table 1.3.6.1.4.1.35047.2.12.2.1.1, one row per client: 7 SSID (empty for some clients).
 *
 * The AP table carries no MAC address (the client table's AP MACs cannot be joined to it), so an AP's `id` is its
 * serial number (its name when the serial is empty), and per-AP SSID counts are not available; the controller's
 * per-SSID counts come from the client table.
 */
import type { VarBind } from '../../../../model/records.ts';
import type { AccessPoint, ApState, Radio, WirelessBand, WirelessSnapshot } from '../../../../model/wireless.ts';
import { snapshotOf, Tally } from './summary.ts';
import { columnRoots, readTable, type TableSpec } from './table.ts';
import { bandFromChannel, bandFromMhz, ipv4, num, opt, str } from './values.ts';

const WAC = '1.3.6.1.4.1.35047.2.12';

const apEntry = {
  entry: `${WAC}.1.1.1`,
  columns: {
    name: 2,
    model: 3,
    serial: 4,
    ip: 6,
    onlineTime: 7,
    status: 8,
    band1: 10,
    channel1: 12,
    freq1: 13,
    band2: 15,
    channel2: 17,
    freq2: 18,
    clients: 19,
  },
} satisfies TableSpec;
const clientEntry = { entry: `${WAC}.2.1.1`, columns: { ssid: 7 } } satisfies TableSpec;

/** The columns to walk on a Sangfor WAC. */
export const SANGFOR_ROOTS: readonly string[] = columnRoots([apEntry, clientEntry]);
/** The AP name column. */
export const SANGFOR_PROBE: readonly string[] = [`${apEntry.entry}.2`];

/** `H:MM:SS` or `D:HH:MM:SS` as seconds. */
export function durationS(text: string | undefined): number | undefined {
  if (!text || !/^\d+(:\d{1,2}){2,3}$/.test(text.trim())) return undefined;
  const parts = text.trim().split(':').map(Number);
  const [d, h, m, s] = parts.length === 4 ? parts : [0, ...parts];
  return ((d * 24 + h) * 60 + m) * 60 + s;
}

/** `2.4G`, `5G`, `5.8G`, `6G` → band; else from the frequency, else from the channel. */
function band(text: string | undefined, mhz: number | undefined, channel: number | undefined): WirelessBand {
  const g = text && /^(\d+(?:\.\d+)?)\s*G/i.exec(text);
  if (g) {
    const f = Number(g[1]);
    if (f >= 2 && f < 3) return '2.4GHz';
    if (f >= 5 && f < 5.925) return '5GHz';
    if (f >= 5.925 && f < 7.2) return '6GHz';
  }
  const byMhz = bandFromMhz(mhz);
  return byMhz !== 'unknown' ? byMhz : bandFromChannel(channel);
}

const mhzOf = (v: string | undefined) => {
  const m = v && /^(\d+)\s*MHz$/i.exec(v);
  return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
};

const STATES: Record<string, ApState> = { online: 'up', offline: 'down' };

/** The WAC's APs and totals from the walked SANGFOR_ROOTS; undefined when the AP table has no row. */
export function parseSangfor(vbs: readonly VarBind[]): WirelessSnapshot | undefined {
  const rows = readTable(vbs, apEntry);
  if (!rows.size) return undefined;
  const aps: AccessPoint[] = [];
  const seen = new Set<string>();
  for (const [index, row] of rows) {
    const serial = str(row.serial);
    const name = str(row.name);
    let id = serial ?? name;
    if (id === undefined) continue;
    // Two rows with one serial (or name) keep distinct ids; the row index breaks the tie.
    if (seen.has(id)) id = `${id}#${index}`;
    seen.add(id);
    const stateRaw = str(row.status) ?? '';
    const state = STATES[stateRaw.toLowerCase()] ?? 'unknown';
    const radios: Radio[] = [];
    for (const [slot, b, c, f] of [
      [1, row.band1, row.channel1, row.freq1],
      [2, row.band2, row.channel2, row.freq2],
    ] as const) {
      const channel = num(c);
      if (!channel) continue;
      const mhz = mhzOf(str(f));
      const operState = state === 'up' ? 'up' : state === 'down' ? 'down' : 'unknown';
      radios.push({ slot, band: band(str(b), mhz, channel), channel, operState });
    }
    aps.push({
      id,
      idSource: serial ? 'serial' : 'name',
      name: name ?? id,
      ...opt('model', str(row.model)),
      ...opt('serial', serial),
      ...opt('ip', ipv4(row.ip)),
      state,
      stateRaw,
      ...opt('joinedUptimeS', durationS(str(row.onlineTime))),
      clients: num(row.clients) ?? 0,
      radios,
      ssidClients: {},
    });
  }
  const bySsid = new Tally();
  for (const row of readTable(vbs, clientEntry).values()) bySsid.add(str(row.ssid), 1);
  return snapshotOf('sangfor', [`${WAC} (no MIB)`], aps, {
    clientsBySsid: bySsid.toRecord(),
  });
}
