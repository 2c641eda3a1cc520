import { CronExpressionParser } from 'cron-parser';
import type { Device } from '../model/device.ts';
import { VigilError } from '../model/errors.ts';
import type { MaintenanceWindow } from '../model/rules.ts';
import { validateMaintenance as parseWindow } from './rule-schema.ts';
import { matchesDevice } from './select.ts';

const toMs = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v);

/** True while `window` is in force at `ts` (one-off: start..end; recurring: each cron start plus durationM). */
export function windowActive(w: MaintenanceWindow, ts: number): boolean {
  const start = toMs(w.start);
  const end = toMs(w.end);
  if (!w.cron) {
    const stop = end ?? (start ?? 0) + (w.durationM ?? 0) * 60_000;
    return start !== undefined && ts >= start && ts < stop;
  }
  if (start !== undefined && ts < start) return false;
  if (end !== undefined && ts >= end) return false;
  try {
    const prev = CronExpressionParser.parse(w.cron, { currentDate: new Date(ts + 1), tz: w.tz ?? 'UTC' })
      .prev()
      .getTime();
    return ts < prev + w.durationM! * 60_000;
  } catch {
    return false;
  }
}

/** The windows covering `device` at `ts`. */
export function activeWindows(
  windows: MaintenanceWindow[],
  deviceId: string | undefined,
  device: Device | undefined,
  ts: number,
): MaintenanceWindow[] {
  if (!deviceId) return [];
  return windows.filter(
    (w) =>
      matchesDevice(w.devices, deviceId, device) &&
      (w.devices.ids?.length || w.devices.tags?.length || w.devices.groups?.length) &&
      windowActive(w, ts),
  );
}

/** Parses a maintenance window and checks its cron expression; throws VIGIL_RULE_INVALID naming the bad part. */
export function validateMaintenance(raw: unknown): MaintenanceWindow {
  const w = parseWindow(raw);
  if (w.cron) {
    try {
      CronExpressionParser.parse(w.cron, { tz: w.tz ?? 'UTC' });
    } catch (e) {
      throw new VigilError('VIGIL_RULE_INVALID', `maintenance window "${w.id}": cron: ${(e as Error).message}`);
    }
  }
  return w;
}
