/** Syslog severity and facility names (RFC 5424 tables plus the aliases people type), for config, API and display. */

export const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
const SEVERITY_ALIASES: Record<string, number> = {
  emergency: 0,
  panic: 0,
  critical: 2,
  error: 3,
  warn: 4,
  informational: 6,
};

export const FACILITY_NAMES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;
const FACILITY_ALIASES: Record<string, number> = { audit: 13, alert: 14, clock: 15 };

function lookup(
  value: string | number,
  names: readonly string[],
  aliases: Record<string, number>,
  max: number,
): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
  const v = value.trim().toLowerCase();
  if (/^\d+$/.test(v)) return lookup(Number(v), names, aliases, max);
  const i = names.indexOf(v);
  return i >= 0 ? i : aliases[v];
}

/** 0-7 for a severity name ("err", "warning", "crit"…) or number; undefined when unknown. */
export const parseSeverity = (v: string | number) => lookup(v, SEVERITY_NAMES, SEVERITY_ALIASES, 7);
/** 0-23 for a facility name ("local7", "auth"…) or number; undefined when unknown. */
export const parseFacility = (v: string | number) => lookup(v, FACILITY_NAMES, FACILITY_ALIASES, 23);
export const severityName = (n: number) => SEVERITY_NAMES[n] ?? String(n);
export const facilityName = (n: number) => FACILITY_NAMES[n] ?? String(n);
