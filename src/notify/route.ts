import type { Device } from '../model/device.ts';
import type { VigilEvent } from '../model/events.ts';
import { SEVERITY_RANK } from '../model/events.ts';
import { matchesDevice } from '../events/select.ts';
import type { RouteConfig } from './config.ts';

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday (0 Sunday) and minutes since midnight of `ts` in time zone `tz`. */
export function localTime(ts: number, tz = 'UTC'): { day: number; minutes: number } {
  let f = formatters.get(tz);
  if (!f)
    formatters.set(
      tz,
      (f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })),
    );
  const parts = Object.fromEntries(f.formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
  return { day: WEEKDAY[parts.weekday] ?? 0, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const mins = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `ts` falls in the route's hours; a window whose `from` is after `to` spans midnight (the days name where it starts). */
export function inTimeOfDay(tod: NonNullable<RouteConfig['match']['timeOfDay']>, ts: number): boolean {
  const { day, minutes } = localTime(ts, tod.tz);
  const from = mins(tod.from);
  const to = mins(tod.to);
  if (from <= to) return minutes >= from && minutes < to && (!tod.days || tod.days.includes(day));
  if (minutes >= from) return !tod.days || tod.days.includes(day);
  if (minutes < to) return !tod.days || tod.days.includes((day + 6) % 7);
  return false;
}

/**
 * Whether a route takes an event at `now`: severity, source, device id/group/tag, time of day.
 * @example routeMatches(route, event, device, Date.now())
 */
export function routeMatches(route: RouteConfig, e: VigilEvent, device: Device | undefined, now: number): boolean {
  if (!route.enabled) return false;
  const m = route.match;
  if (m.minSeverity && SEVERITY_RANK[e.severity] < SEVERITY_RANK[m.minSeverity]) return false;
  if (m.severities && !m.severities.includes(e.severity)) return false;
  if (m.sources && !m.sources.includes(e.source)) return false;
  if (m.devices && !matchesDevice(m.devices, e.deviceId, device)) return false;
  if (m.timeOfDay && !inTimeOfDay(m.timeOfDay, now)) return false;
  return true;
}

/** The routes an event takes, stopping after a matching route with `continue: false`. */
export function selectRoutes(
  routes: RouteConfig[],
  e: VigilEvent,
  device: Device | undefined,
  now: number,
): RouteConfig[] {
  const out: RouteConfig[] = [];
  for (const r of routes) {
    if (!routeMatches(r, e, device, now)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  return out;
}

/** Delay before retry number `attempt` (1-based): initial × factor^(attempt-1), capped. */
export const backoffMs = (attempt: number, r: { initialDelayMs: number; maxDelayMs: number; factor: number }) =>
  Math.min(r.maxDelayMs, Math.round(r.initialDelayMs * r.factor ** (attempt - 1)));
