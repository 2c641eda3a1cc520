/**
 * The wireless step of a poll: which wireless MIB the device answers (asked at its first poll and once a day), and
 * when it has one, its access points, radios and clients: one WirelessRecord (the snapshot the Wireless page and AP
 * events read) and samples for the charts (`wlan.*`).
 */
import type { Sample, WirelessRecord } from '../../model/records.ts';
import type { WirelessSnapshot } from '../../model/wireless.ts';
import {
  detectWireless,
  WIRELESS_PROBE_ROOTS,
  WIRELESS_PROFILES,
  type WirelessProfileName,
} from './profiles/wireless/index.ts';
import type { SnmpSession, WalkOptions } from './session-types.ts';

export interface WirelessMemory {
  checkedMs: number;
  profile?: WirelessProfileName;
}

const RECHECK_MS = 86_400_000;

/** Chart samples of a snapshot: controller totals, per SSID and AP group, per AP, per radio. */
export function wirelessSamples(
  s: WirelessSnapshot,
  sample: (metric: string, value: number, labels: Record<string, string>) => Sample,
): Sample[] {
  const out: Sample[] = [];
  const c = s.controller;
  out.push(
    sample('wlan.aps.total', c.apsTotal, {}),
    sample('wlan.aps.up', c.apsUp, {}),
    sample('wlan.aps.down', c.apsDown, {}),
  );
  out.push(sample('wlan.clients', c.clients, {}));
  for (const [ssid, n] of Object.entries(c.clientsBySsid)) out.push(sample('wlan.ssid.clients', n, { ssid }));
  for (const [group, n] of Object.entries(c.clientsByApGroup)) out.push(sample('wlan.group.clients', n, { group }));
  if (c.rogueAps) out.push(sample('wlan.rogues', c.rogueAps.count, {}));
  for (const ap of s.aps) {
    const labels = { ap: ap.id, name: ap.name };
    out.push(sample('wlan.ap.up', ap.state === 'up' ? 1 : 0, labels));
    if (ap.clients !== undefined) out.push(sample('wlan.ap.clients', ap.clients, labels));
    for (const r of ap.radios) {
      const rl = { ...labels, slot: String(r.slot), band: r.band };
      if (r.channelUtilPct !== undefined) out.push(sample('wlan.radio.util.pct', r.channelUtilPct, rl));
      if (r.noiseDbm !== undefined) out.push(sample('wlan.radio.noise.dbm', r.noiseDbm, rl));
      if (r.interferencePct !== undefined) out.push(sample('wlan.radio.interference.pct', r.interferencePct, rl));
      if (r.clients !== undefined) out.push(sample('wlan.radio.clients', r.clients, rl));
      if (r.channel !== undefined) out.push(sample('wlan.radio.channel', r.channel, rl));
      if (r.txPowerDbm !== undefined) out.push(sample('wlan.radio.txpower.dbm', r.txPowerDbm, rl));
    }
  }
  return out;
}

/** Runs the wireless step; `sysObjectID` from this poll's system group picks the vendor MIB first. */
export async function pollWireless(
  session: SnmpSession,
  opts: WalkOptions,
  prev: WirelessMemory | undefined,
  ts: number,
  deviceId: string,
  sysObjectID: string | undefined,
  sample: (metric: string, value: number, labels: Record<string, string>) => Sample,
): Promise<{ samples: Sample[]; record?: WirelessRecord; memory: WirelessMemory }> {
  let memory: WirelessMemory = prev ?? { checkedMs: -Infinity };
  if (ts - memory.checkedMs >= RECHECK_MS) {
    // The vendor MIB by sysObjectID, confirmed by one row of its probe columns; the standard and UniFi MIBs by theirs.
    const probe = [];
    for (const root of WIRELESS_PROBE_ROOTS)
      probe.push(...(await session.walkLimited(root, { ...opts, maxResults: 1 })).varbinds);
    const found = detectWireless(sysObjectID ?? '', probe);
    memory = { checkedMs: ts, ...(found ? { profile: found.name } : {}) };
  }
  const profile = WIRELESS_PROFILES.find((p) => p.name === memory.profile);
  if (!profile) return { samples: [], memory };
  const varbinds = [];
  for (const root of profile.roots) varbinds.push(...(await session.walk(root, opts)));
  for (const root of profile.moreRoots?.(varbinds) ?? []) varbinds.push(...(await session.walk(root, opts)));
  const snapshot = profile.parse(varbinds);
  if (!snapshot) return { samples: [], memory };
  for (const ap of snapshot.aps) ap.controller = deviceId;
  return { samples: wirelessSamples(snapshot, sample), record: { kind: 'wireless', deviceId, ts, snapshot }, memory };
}
