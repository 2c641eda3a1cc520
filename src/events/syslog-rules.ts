/**
 * Syslog rules: select log lines and tell the event engine to raise or clear an event. Pure: the engine calls
 * `evaluateSyslogRule` for each rule and each new LogRecord; rules come from `syslog.rules` in the config (and the API later).
 */
import { z } from 'zod';
import { facilityName, parseFacility, parseSeverity, severityName } from '../model/syslog-names.ts';
import type { Device } from '../model/device.ts';
import { SEVERITIES, type LogRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import { globMatcher } from './glob.ts';
import { regexProblem, regexText, safeRegExp } from './safe-regex.ts';

const level = (what: 'severity' | 'facility') =>
  z
    .union([z.number().int(), z.string()])
    .refine((v) => (what === 'severity' ? parseSeverity(v) : parseFacility(v)) !== undefined, {
      message: `unknown syslog ${what}`,
    });

/** Which lines a rule (or its clear part) selects; every given field must match. */
export const syslogMatcherSchema = z
  .object({
    /** Syslog severity at or above this one (name or 0-7; 0 is the most severe). */
    minSeverity: level('severity').optional(),
    /** Hostname in the message, or the sender's address; `*` wildcards, case-insensitive. */
    host: z.string().min(1).optional(),
    /** Inventory device id or name. */
    device: z.string().min(1).optional(),
    /** Inventory device group. */
    group: z.string().min(1).optional(),
    /** App name / tag, `*` wildcards, case-insensitive. */
    app: z.string().min(1).optional(),
    facility: z.union([level('facility'), z.array(level('facility')).min(1)]).optional(),
    /** Case-insensitive substring of the message. */
    contains: z.string().min(1).optional(),
    /** Regular expression on the message; named groups feed the templates. */
    regex: regexText.optional(),
    /** Flags for `regex` (e.g. "i"). */
    regexFlags: z
      .string()
      .regex(/^[ims]*$/, 'flags: any of i, m and s (u cannot be run in linear time)')
      .default(''),
  })
  .strict();
export type SyslogMatcher = z.infer<typeof syslogMatcherSchema>;

/** A syslog rule as written in `syslog.rules`. */
export const syslogRuleSchema = syslogMatcherSchema
  .extend({
    id: z.string().min(1),
    name: z.string().optional(),
    enabled: z.boolean().default(true),
    /** Severity of the event raised. */
    raise: z.enum(SEVERITIES as [string, ...string[]]).default('warning'),
    /** Summary template: `{{user}} failed from {{ip}}`; also {{message}} {{host}} {{app}} {{device}} {{severity}} … */
    summary: z.string().min(1).default('{{host}} {{app}}: {{message}}'),
    /** Dedup key template; default `syslog:<rule id>:<device id or host>`. */
    dedupKey: z.string().min(1).optional(),
    /** Lines that close the event (same dedup key template, evaluated with this matcher's groups). */
    clear: syslogMatcherSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // The pattern with its flags (the i flag is written out for the linear-time engine).
    for (const [m, path] of [
      [r, []],
      [r.clear, ['clear']],
    ] as const) {
      const problem = m?.regex && m.regexFlags ? regexProblem(m.regex, m.regexFlags) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: [...path, 'regex'], message: problem });
    }
  });
export type SyslogRule = z.infer<typeof syslogRuleSchema>;

const globCache = new Map<string, (value: string) => boolean>();
function glob(pattern: string): (value: string) => boolean {
  let test = globCache.get(pattern);
  if (!test) {
    test = globMatcher(pattern);
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, test);
  }
  return test;
}

const regexCache = new Map<string, RegExp>();
function compiled(src: string, flags: string): RegExp {
  const key = `${flags}/${src}`;
  let re = regexCache.get(key);
  if (!re) {
    re = safeRegExp(src, flags);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** Returns the named groups (possibly empty) when `m` selects the line, else undefined. */
export function matchSyslog(m: SyslogMatcher, log: LogRecord, device?: Device): Record<string, string> | undefined {
  if (m.minSeverity !== undefined && log.severity > parseSeverity(m.minSeverity)!) return undefined;
  if (m.facility !== undefined) {
    const list = Array.isArray(m.facility) ? m.facility : [m.facility];
    if (!list.some((f) => parseFacility(f) === log.facility)) return undefined;
  }
  if (m.host !== undefined) {
    const matches = glob(m.host);
    if (!(log.hostname !== undefined && matches(log.hostname)) && !matches(log.sourceAddress)) return undefined;
  }
  if (m.device !== undefined && !(device && (device.id === m.device || device.name === m.device))) return undefined;
  if (m.group !== undefined && device?.group !== m.group) return undefined;
  if (m.app !== undefined && !(log.app !== undefined && glob(m.app)(log.app))) return undefined;
  if (m.contains !== undefined && !log.message.toLowerCase().includes(m.contains.toLowerCase())) return undefined;
  if (m.regex !== undefined) {
    const r = compiled(m.regex, m.regexFlags ?? '').exec(log.message);
    if (!r) return undefined;
    const groups: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.groups ?? {})) if (v !== undefined) groups[k] = v;
    return groups;
  }
  return {};
}

/** Fills `{{name}}` from `vars`; unknown names become empty. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, k: string) => (Object.hasOwn(vars, k) ? vars[k] : ''));
}

function variables(log: LogRecord, device: Device | undefined, groups: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {
    message: log.message,
    host: log.hostname ?? log.sourceAddress,
    source: log.sourceAddress,
    app: log.app ?? '',
    procid: log.procid ?? '',
    msgid: log.msgid ?? '',
    facility: facilityName(log.facility),
    severity: severityName(log.severity),
    device: device?.name ?? '',
    deviceId: device?.id ?? log.deviceId ?? '',
  };
  for (const [k, v] of Object.entries(groups)) vars[k] = v;
  return vars;
}

/**
 * What `rule` says about `log`: a raise signal when its matcher selects the line, a clear signal when its clear
 * matcher does, else null.
 * @example evaluateSyslogRule(syslogRuleSchema.parse({ id: 'ssh', app: 'sshd', regex: 'Failed password for (?<user>\\S+) from (?<ip>\\S+)', summary: '{{user}} failed from {{ip}}' }), log)
 */
export function evaluateSyslogRule(rule: SyslogRule, log: LogRecord, device?: Device): EventSignal | null {
  if (rule.enabled === false) return null;
  let action: EventSignal['action'] = 'raise';
  let groups = matchSyslog(rule, log, device);
  if (!groups && rule.clear) {
    groups = matchSyslog(rule.clear, log, device);
    action = 'clear';
  }
  if (!groups) return null;
  const vars = variables(log, device, groups);
  const deviceId = device?.id ?? log.deviceId;
  const signal: EventSignal = {
    action,
    dedupKey: rule.dedupKey
      ? renderTemplate(rule.dedupKey, vars)
      : `syslog:${rule.id}:${deviceId ?? log.hostname ?? log.sourceAddress}`,
    source: 'syslog',
    ts: log.receivedTs,
    severity: rule.raise as EventSignal['severity'],
    summary: renderTemplate(rule.summary, vars),
    details: {
      ruleName: rule.name ?? rule.id,
      host: vars.host,
      sourceAddress: log.sourceAddress,
      app: log.app,
      message: log.message,
      groups,
    },
    ruleId: rule.id,
  };
  if (deviceId) signal.deviceId = deviceId;
  return signal;
}
