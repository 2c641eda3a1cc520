/** One poll of one device: runs the profiles over one session and turns the answers into records. */
import type { ProductDictionary } from '../../mib/enterprises.ts';
import type { Device } from '../../model/device.ts';
import type { BusRecord, DeviceState, InterfaceState, Sample, SystemFacts } from '../../model/records.ts';
import { isVigilError, VigilError } from '../../model/errors.ts';
import type { SnmpConfig } from './config.ts';
import type { SnmpSession } from './session-types.ts';
import { pollSystem } from './profiles/system.ts';
import { interfaceName, pollInterfaces, speedBps, type InterfaceRow } from './profiles/interfaces.ts';
import { pollHostResources, pollUcd } from './profiles/host.ts';
import {
  compactCounters,
  interfaceRates,
  RATE_METRICS,
  type InterfaceMemory,
  type InterfaceRates,
} from './interface-rates.ts';
import { rateTimes, uptimeWentBack } from './rates.ts';
import { pollRmon, type RmonMemory } from './rmon-step.ts';
import { pollWireless, type WirelessMemory } from './wireless-step.ts';

/** What Vigil keeps of a device between polls. */
export interface DeviceMemory {
  uptimeCs?: number;
  wallMs: number;
  interfaces: Map<number, InterfaceMemory>;
  rmon?: RmonMemory;
  wireless?: WirelessMemory;
}

export interface DevicePollResult {
  records: BusRecord[];
  memory: DeviceMemory | undefined;
  ok: boolean;
  error?: VigilError;
}

/** Wall-clock time of ifLastChange, when it can be placed (it is in sysUpTime centiseconds). */
function changeTime(row: InterfaceRow, uptimeCs: number | undefined, ts: number): number | undefined {
  if (uptimeCs === undefined || row.lastChangeCs === undefined || row.lastChangeCs > uptimeCs) return undefined;
  return ts - (uptimeCs - row.lastChangeCs) * 10;
}

/**
 * Polls `device` over `session` with the configured profiles. Never throws: a failure becomes a
 * DeviceState with ok=false and the error's code and text.
 */
export async function pollDevice(
  device: Device,
  session: SnmpSession,
  config: Pick<SnmpConfig, 'profiles' | 'maxRepetitions'>,
  prev: DeviceMemory | undefined,
  now: () => number,
  signal?: AbortSignal,
  dictionary?: ProductDictionary,
): Promise<DevicePollResult> {
  const started = now();
  const version = device.snmp?.version ?? 'v2c';
  const records: BusRecord[] = [];
  const opts = { maxRepetitions: config.maxRepetitions, signal };
  const label = `device ${device.name} (${device.address})`;
  const fail = (e: unknown): DevicePollResult => {
    const err = isVigilError(e)
      ? e
      : new VigilError('VIGIL_SNMP_ERROR', `${label}: ${e instanceof Error ? e.message : String(e)}`);
    const state: DeviceState = {
      kind: 'device-state',
      deviceId: device.id,
      ts: now(),
      snmp: { ok: false, errorCode: err.code, error: err.message, version },
    };
    // Keep the previous counters: a device that times out once keeps its rates' baseline.
    return { records: [state], memory: prev, ok: false, error: err };
  };

  let system: SystemFacts;
  try {
    system = await pollSystem(session, signal, dictionary);
  } catch (e) {
    return fail(e);
  }
  const ts = now();
  const sample = (metric: string, value: number, labels: Record<string, string> = {}): Sample => ({
    kind: 'sample',
    deviceId: device.id,
    metric,
    labels,
    ts,
    value,
  });
  const rebooted = uptimeWentBack(prev?.uptimeCs, system.sysUpTimeCs, prev ? (ts - prev.wallMs) / 1000 : undefined);
  const times = rateTimes(prev && { uptimeCs: prev.uptimeCs, wallMs: prev.wallMs }, {
    uptimeCs: system.sysUpTimeCs,
    wallMs: ts,
  });
  const memory: DeviceMemory = { uptimeCs: system.sysUpTimeCs, wallMs: ts, interfaces: new Map() };
  if (system.sysUpTimeCs !== undefined) records.push(sample('sys.uptime.s', system.sysUpTimeCs / 100));
  let profileError: VigilError | undefined;
  const profiles = new Set(config.profiles);

  // A later profile failing makes the device not ok (a MIB the agent lacks is no failure: its walk is empty).
  const guard = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      const err = isVigilError(e) ? e : new VigilError('VIGIL_SNMP_ERROR', `${label}: ${what}: ${String(e)}`);
      profileError ??= err;
    }
  };

  const ifInfo = new Map<number, { name: string; speedBps?: number }>();
  if (profiles.has('interfaces')) {
    await guard('interfaces', async () => {
      const rows = await pollInterfaces(session, opts);
      for (const row of rows) {
        ifInfo.set(row.ifIndex, { name: interfaceName(row), speedBps: speedBps(row) });
        const before = prev?.interfaces.get(row.ifIndex);
        const rates: InterfaceRates = interfaceRates(before, row, times, rebooted);
        const name = interfaceName(row);
        const labels = { ifIndex: String(row.ifIndex), ifName: name };
        for (const [k, v] of Object.entries(rates) as [keyof InterfaceRates, number][])
          records.push(sample(RATE_METRICS[k], v, labels));
        if (row.operStatus !== undefined) records.push(sample('if.oper.status', row.operStatus, labels));
        const changed =
          before?.operStatus !== undefined && row.operStatus !== undefined && before.operStatus !== row.operStatus;
        const placed = changeTime(row, system.sysUpTimeCs, ts);
        const lastChangeTs = changed
          ? placed !== undefined && prev && placed >= prev.wallMs
            ? placed
            : ts
          : (before?.lastChangeTs ?? placed);
        const speed = speedBps(row);
        const state: InterfaceState = {
          kind: 'interface-state',
          deviceId: device.id,
          ts,
          ifIndex: row.ifIndex,
          name,
          ...(row.descr !== undefined ? { descr: row.descr } : {}),
          ...(row.alias !== undefined ? { alias: row.alias } : {}),
          ...(row.type !== undefined ? { type: row.type } : {}),
          ...(speed !== undefined ? { speedBps: speed } : {}),
          ...(row.adminStatus !== undefined ? { adminStatus: row.adminStatus } : {}),
          ...(row.operStatus !== undefined ? { operStatus: row.operStatus } : {}),
          ...(changed ? { previousOperStatus: before.operStatus } : {}),
          ...(lastChangeTs !== undefined ? { lastChangeTs } : {}),
          ...pickStateRates(rates),
        };
        records.push(state);
        memory.interfaces.set(row.ifIndex, {
          counters: compactCounters(row.counters),
          discontinuityCs: row.discontinuityCs,
          operStatus: row.operStatus,
          lastChangeTs,
        });
      }
    });
  }

  // RMON where the device is a probe (asked at the first poll and daily): its memory is kept on failure.
  if (profiles.has('rmon')) {
    memory.rmon = prev?.rmon;
    await guard('rmon', async () => {
      const r = await pollRmon(session, opts, prev?.rmon, ts, rebooted, system.sysUpTimeCs, ifInfo, sample);
      records.push(...r.samples);
      memory.rmon = r.memory;
    });
  }

  // Wireless where the device answers a wireless MIB (detected at the first poll and daily).
  if (profiles.has('wireless')) {
    memory.wireless = prev?.wireless;
    await guard('wireless', async () => {
      const w = await pollWireless(session, opts, prev?.wireless, ts, device.id, system.sysObjectID, sample);
      records.push(...w.samples);
      if (w.record) records.push(w.record);
      memory.wireless = w.memory;
    });
  }

  if (profiles.has('hostResources')) {
    await guard('hostResources', async () => {
      const hr = await pollHostResources(session, opts);
      const loads = [...hr.cpuLoadPct.values()];
      if (loads.length) records.push(sample('cpu.load.pct', loads.reduce((a, b) => a + b, 0) / loads.length));
      for (const [cpu, load] of hr.cpuLoadPct) records.push(sample('cpu.load.pct', load, { cpu: String(cpu) }));
      const ram = hr.storage.find((s) => s.kind === 'ram');
      if (ram?.usedPct !== undefined) records.push(sample('mem.used.pct', ram.usedPct));
      for (const s of hr.storage) {
        const labels = { index: String(s.index), descr: s.descr, kind: s.kind };
        if (s.usedPct !== undefined) records.push(sample('storage.used.pct', s.usedPct, labels));
        records.push(
          sample('storage.used.bytes', s.usedBytes, labels),
          sample('storage.size.bytes', s.sizeBytes, labels),
        );
      }
    });
  }

  if (profiles.has('ucd')) {
    await guard('ucd', async () => {
      const ucd = await pollUcd(session, opts);
      if (!ucd) return;
      if (ucd.load.load1 !== undefined) records.push(sample('ucd.load1', ucd.load.load1));
      if (ucd.load.load5 !== undefined) records.push(sample('ucd.load5', ucd.load.load5));
      if (ucd.load.load15 !== undefined) records.push(sample('ucd.load15', ucd.load.load15));
      if (ucd.memUsedPct !== undefined) records.push(sample('ucd.mem.used.pct', ucd.memUsedPct));
      if (ucd.memory.totalRealKb !== undefined) records.push(sample('ucd.mem.total.kb', ucd.memory.totalRealKb));
      if (ucd.memory.availRealKb !== undefined) records.push(sample('ucd.mem.avail.kb', ucd.memory.availRealKb));
      if (ucd.memory.totalSwapKb !== undefined) records.push(sample('ucd.swap.total.kb', ucd.memory.totalSwapKb));
      if (ucd.memory.availSwapKb !== undefined) records.push(sample('ucd.swap.avail.kb', ucd.memory.availSwapKb));
    });
  }

  const end = now();
  records.push(sample('snmp.poll.ms', end - started));
  const state: DeviceState = {
    kind: 'device-state',
    deviceId: device.id,
    ts: end,
    snmp: {
      ok: !profileError,
      version,
      system,
      ...(profileError ? { errorCode: profileError.code, error: profileError.message } : {}),
    },
    ...(rebooted ? { rebooted: true } : {}),
  };
  records.push(state);
  // Interfaces not seen this time (a failed walk) keep their previous baseline.
  if (prev)
    for (const [i, m] of prev.interfaces) if (!memory.interfaces.has(i) && profileError) memory.interfaces.set(i, m);
  return { records, memory, ok: !profileError, error: profileError };
}

function pickStateRates(r: InterfaceRates): Partial<InterfaceState> {
  const out: Partial<InterfaceState> = {};
  if (r.inBps !== undefined) out.inBps = r.inBps;
  if (r.outBps !== undefined) out.outBps = r.outBps;
  if (r.inUtilPct !== undefined) out.inUtilPct = r.inUtilPct;
  if (r.outUtilPct !== undefined) out.outUtilPct = r.outUtilPct;
  if (r.inErrorsPerSec !== undefined) out.inErrorsPerSec = r.inErrorsPerSec;
  if (r.outErrorsPerSec !== undefined) out.outErrorsPerSec = r.outErrorsPerSec;
  return out;
}
