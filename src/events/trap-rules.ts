/**
 * Trap rules (pure): select traps by trap OID or name, device or group, and varbind conditions, and tell the
 * event engine to raise or clear an event. Clearing pairs are declared (`clearedBy`), never hard-coded;
 * `defaultTrapRules` declares IF-MIB linkDown/linkUp and coldStart/warmStart that way.
 */
import { z } from 'zod';
import type { MibDictionary } from '../mib/types.ts';
import type { Device } from '../model/device.ts';
import { VigilError } from '../model/errors.ts';
import { SEVERITIES, type Severity, type TrapRecord, type VarBind } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import { regexText, safeRegExp } from './safe-regex.ts';

const scalar = z.union([z.string(), z.number()]);

/** A condition on the varbind(s) whose OID is `varbind` or below it (name or numeric OID). */
export const varbindConditionSchema = z
  .object({
    varbind: z.string().min(1),
    equals: scalar.optional(),
    regex: regexText.optional(),
    in: z.array(scalar).min(1).optional(),
  })
  .strict()
  .refine((c) => [c.equals, c.regex, c.in].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of equals, regex, in',
  });

/** Which traps a rule (or its clearing part) selects; every given field must match. */
export const trapMatcherSchema = z
  .object({
    /** Trap OID or name (`IF-MIB::linkDown`, `linkDown`), or several; a trailing `.*` selects a subtree. */
    trap: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Inventory device id or name. */
    device: z.string().min(1).optional(),
    /** Inventory device group. */
    group: z.string().min(1).optional(),
    varbinds: z.array(varbindConditionSchema).default([]),
  })
  .strict();
export type TrapMatcher = z.infer<typeof trapMatcherSchema>;

/** A trap rule as written in config or sent to the API. */
export const trapRuleSchema = trapMatcherSchema
  .extend({
    id: z.string().min(1),
    name: z.string().optional(),
    enabled: z.boolean().default(true),
    /** What a matching trap does to the event with this rule's dedup key. */
    action: z.enum(['raise', 'clear']).default('raise'),
    severity: z.enum(SEVERITIES as [Severity, ...Severity[]]).default('warning'),
    /** Template: `{{ifDescr}} down on {{device}}`; `{{a|b}}` takes the first non-empty. See docs/traps.md. */
    summary: z.string().min(1).default('{{trap}} from {{device}}'),
    /** Dedup key template (raw values); default `trap:<rule id>:{{device}}`. */
    dedupKey: z.string().min(1).optional(),
    component: z.string().min(1).optional(),
    /** Traps that clear this rule's event: the same dedup key template, evaluated with the clearing trap. */
    clearedBy: trapMatcherSchema.optional(),
  })
  .strict();
export type TrapRule = z.input<typeof trapRuleSchema>;

/** Names the rules need even when no MIB dictionary is loaded. */
const WELL_KNOWN: Record<string, string> = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  warmStart: '1.3.6.1.6.3.1.1.5.2',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
  authenticationFailure: '1.3.6.1.6.3.1.1.5.5',
  egpNeighborLoss: '1.3.6.1.6.3.1.1.5.6',
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifType: '1.3.6.1.2.1.2.2.1.3',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
  sysUpTime: '1.3.6.1.2.1.1.3',
  sysName: '1.3.6.1.2.1.1.5',
  snmpTrapOID: '1.3.6.1.6.3.1.1.4.1',
  snmpTrapAddress: '1.3.6.1.6.3.18.1.3',
  snmpTrapEnterprise: '1.3.6.1.6.3.1.1.4.3',
  risingAlarm: '1.3.6.1.2.1.16.0.1',
  fallingAlarm: '1.3.6.1.2.1.16.0.2',
  alarmIndex: '1.3.6.1.2.1.16.3.1.1.1',
  alarmVariable: '1.3.6.1.2.1.16.3.1.1.3',
  alarmValue: '1.3.6.1.2.1.16.3.1.1.5',
  alarmRisingThreshold: '1.3.6.1.2.1.16.3.1.1.7',
  alarmFallingThreshold: '1.3.6.1.2.1.16.3.1.1.8',
};
const WELL_KNOWN_BY_OID = new Map(Object.entries(WELL_KNOWN).map(([k, v]) => [v, k]));

/** Rules shipped by default: link down/up as a declared clearing pair, restarts, and RMON rising/falling alarms. */
export const defaultTrapRules: TrapRule[] = [
  {
    id: 'link-down',
    name: 'Interface down (IF-MIB linkDown, cleared by linkUp)',
    trap: 'IF-MIB::linkDown',
    severity: 'major',
    summary: 'Interface {{ifDescr|ifName|ifIndex|index}} down on {{device}}',
    dedupKey: 'link:{{device}}:{{ifIndex|index}}',
    component: 'ifIndex {{ifIndex|index}}',
    clearedBy: { trap: 'IF-MIB::linkUp' },
  },
  {
    id: 'restart',
    name: 'Agent restarted (coldStart or warmStart)',
    trap: ['SNMPv2-MIB::coldStart', 'SNMPv2-MIB::warmStart'],
    severity: 'warning',
    summary: '{{device}} restarted ({{trap}})',
    dedupKey: 'restart:{{device}}',
  },
  {
    id: 'rmon-alarm',
    name: "An RMON probe's own alarm crossed its rising threshold (cleared by its falling alarm)",
    trap: 'RMON-MIB::risingAlarm',
    severity: 'warning',
    summary:
      'RMON alarm {{alarmIndex}} on {{device}}: {{alarmVariable}} = {{alarmValue}} (rising threshold {{alarmRisingThreshold}})',
    dedupKey: 'rmon:{{device}}:{{alarmIndex}}',
    component: 'RMON alarm {{alarmIndex}}',
    clearedBy: { trap: 'RMON-MIB::fallingAlarm' },
  },
];

const isNumericOid = (s: string) => /^\.?\d+(\.\d+)+$/.test(s);

/** Numeric OID for a name or OID: the dictionary first, then the built-in names. */
export function resolveName(name: string, dictionary?: MibDictionary): string | undefined {
  if (isNumericOid(name)) return name.replace(/^\./, '');
  const viaDict = dictionary?.resolve(name);
  if (viaDict) return viaDict;
  return WELL_KNOWN[name.includes('::') ? name.split('::')[1] : name];
}

interface CompiledMatcher {
  exact: Set<string>;
  subtrees: string[];
  device?: string;
  group?: string;
  varbinds: { prefix: string; test: (v: VarBind['value']) => boolean }[];
}
export interface CompiledTrapRule {
  rule: z.output<typeof trapRuleSchema>;
  match: CompiledMatcher;
  clear?: CompiledMatcher;
}

function compileMatcher(m: TrapMatcher, dictionary: MibDictionary | undefined, where: string): CompiledMatcher {
  const out: CompiledMatcher = { exact: new Set(), subtrees: [], device: m.device, group: m.group, varbinds: [] };
  for (const t of Array.isArray(m.trap) ? m.trap : [m.trap]) {
    const subtree = t.endsWith('.*');
    const oid = resolveName(subtree ? t.slice(0, -2) : t, dictionary);
    if (!oid)
      throw new VigilError(
        'VIGIL_RULE_INVALID',
        `${where}: unknown trap "${t}" (load its MIB or give the numeric OID)`,
      );
    if (subtree) out.subtrees.push(oid + '.');
    else out.exact.add(oid);
  }
  for (const c of m.varbinds ?? []) {
    const prefix = resolveName(c.varbind, dictionary);
    if (!prefix) throw new VigilError('VIGIL_RULE_INVALID', `${where}: unknown varbind "${c.varbind}"`);
    const re = c.regex ? safeRegExp(c.regex) : undefined;
    const list = c.in?.map(String);
    const test = (v: VarBind['value']) => {
      const s = v === null ? '' : String(v);
      if (c.equals !== undefined) return s === String(c.equals);
      if (re) return re.test(s);
      return list!.includes(s);
    };
    out.varbinds.push({ prefix, test });
  }
  return out;
}

/**
 * Validates rules and resolves their names to OIDs once (at load).
 * @example const rules = compileTrapRules(defaultTrapRules, mib);
 */
export function compileTrapRules(rules: TrapRule[], dictionary?: MibDictionary): CompiledTrapRule[] {
  return rules.map((raw, i) => {
    const parsed = trapRuleSchema.safeParse(raw);
    if (!parsed.success)
      throw new VigilError(
        'VIGIL_RULE_INVALID',
        `trap rule ${i} (${raw.id ?? '?'}): ${parsed.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`,
      );
    const rule = parsed.data;
    return {
      rule,
      match: compileMatcher(rule, dictionary, `trap rule ${rule.id}`),
      clear: rule.clearedBy ? compileMatcher(rule.clearedBy, dictionary, `trap rule ${rule.id} clearedBy`) : undefined,
    };
  });
}

function matches(m: CompiledMatcher, trap: TrapRecord, device: Device | undefined): boolean {
  if (!m.exact.has(trap.trapOid) && !m.subtrees.some((p) => trap.trapOid.startsWith(p))) return false;
  if (m.device && !(device && (device.id === m.device || device.name === m.device)) && trap.deviceId !== m.device)
    return false;
  if (m.group && device?.group !== m.group) return false;
  for (const c of m.varbinds) {
    const hits = trap.varbinds.filter((v) => v.oid === c.prefix || v.oid.startsWith(c.prefix + '.'));
    if (!hits.some((v) => c.test(v.value))) return false;
  }
  return true;
}

const prefixCache = new Map<string, { name: string; instance?: string } | null>();
/**
 * The longest built-in name that is a prefix of `oid` (at least two sub-identifiers), with the instance after it.
 * Memoised: a trap storm repeats the same varbind OIDs, and this runs for every varbind of every matching trap.
 */
function wellKnownPrefix(oid: string): { name: string; instance?: string } | undefined {
  let hit = prefixCache.get(oid);
  if (hit === undefined) {
    hit = null;
    for (let p = oid; ; ) {
      const name = WELL_KNOWN_BY_OID.get(p);
      if (name) {
        hit = p.length < oid.length ? { name, instance: oid.slice(p.length + 1) } : { name };
        break;
      }
      const cut = p.lastIndexOf('.');
      if (cut <= 0 || p.indexOf('.') === cut) break;
      p = p.slice(0, cut);
    }
    // Bounded: OIDs with ever-new instances must not grow it without end.
    if (prefixCache.size >= 10_000) prefixCache.clear();
    prefixCache.set(oid, hit);
  }
  return hit ?? undefined;
}

/** Template variables of a trap: raw values (for dedup keys) and display values (for summaries). */
function variables(
  trap: TrapRecord,
  device: Device | undefined,
  dictionary?: MibDictionary,
): { raw: Record<string, string>; shown: Record<string, string> } {
  const trapName = dictionary?.translate(trap.trapOid).name ?? WELL_KNOWN_BY_OID.get(trap.trapOid);
  // Keyed by varbind OIDs too: null-prototype dictionaries, so ever-new keys do not each make a new hidden class.
  const raw: Record<string, string> = Object.create(null);
  const shown: Record<string, string> = Object.create(null);
  raw.device = shown.device = trap.deviceId ?? trap.agentAddress;
  raw.deviceName = shown.deviceName = device?.name ?? trap.deviceId ?? trap.agentAddress;
  raw.source = shown.source = trap.sourceAddress;
  raw.agent = shown.agent = trap.agentAddress;
  raw.trapOid = shown.trapOid = trap.trapOid;
  raw.trap = shown.trap = trapName ?? trap.trapOid;
  raw.version = shown.version = trap.version;
  raw.user = shown.user = trap.user ?? '';
  for (const v of trap.varbinds) {
    let name: string | undefined;
    let instance: string | undefined;
    const t = dictionary?.translate(v.oid);
    if (t?.name) {
      name = t.name;
      instance = t.instance;
    } else {
      const known = wellKnownPrefix(v.oid);
      name = known?.name;
      instance = known?.instance;
    }
    const value = v.value === null ? '' : String(v.value);
    raw[v.oid] = value;
    shown[v.oid] = value;
    if (instance && raw.index === undefined) raw.index = shown.index = instance;
    if (name && raw[name] === undefined) {
      raw[name] = value;
      shown[name] = dictionary ? dictionary.formatValue(v.oid, v.value, v.type) : value;
    }
  }
  return { raw, shown };
}

const render = (template: string, vars: Record<string, string>) =>
  template.replace(
    /\{\{\s*([^}]+?)\s*\}\}/g,
    (_, expr: string) =>
      expr
        .split('|')
        .map((k) => vars[k.trim()])
        .find((x) => x !== undefined && x !== '') ?? '',
  );

const compiledCache = new WeakMap<TrapRule[], CompiledTrapRule[]>();

/**
 * The event signals one trap causes under the rules (raw rules are compiled and cached per array).
 * @example evaluateTrapRules(compileTrapRules(defaultTrapRules), trap) // [{ action: 'raise', dedupKey: 'link:sw1:3', … }]
 */
export function evaluateTrapRules(
  rules: TrapRule[] | CompiledTrapRule[],
  trap: TrapRecord,
  dictionary?: MibDictionary,
  ctx: { device?: Device } = {},
): EventSignal[] {
  let compiled: CompiledTrapRule[];
  if (rules.length && 'match' in rules[0]) compiled = rules as CompiledTrapRule[];
  else {
    const key = rules as TrapRule[];
    compiled = compiledCache.get(key) ?? compileTrapRules(key, dictionary);
    compiledCache.set(key, compiled);
  }
  const out: EventSignal[] = [];
  let vars: ReturnType<typeof variables> | undefined;
  for (const { rule, match, clear } of compiled) {
    if (!rule.enabled) continue;
    const raises = matches(match, trap, ctx.device);
    const clears = !raises && clear !== undefined && matches(clear, trap, ctx.device);
    if (!raises && !clears) continue;
    vars ??= variables(trap, ctx.device, dictionary);
    const action = clears ? 'clear' : rule.action;
    const signal: EventSignal = {
      action,
      dedupKey: render(rule.dedupKey ?? `trap:${rule.id}:{{device}}`, vars.raw),
      source: 'trap',
      ts: trap.receivedTs,
      severity: rule.severity,
      summary: render(clears ? '{{trap}} from {{device}}' : rule.summary, vars.shown),
      ruleId: rule.id,
      details: { trapOid: trap.trapOid, agentAddress: trap.agentAddress, varbinds: trap.varbinds },
    };
    if (trap.deviceId) signal.deviceId = trap.deviceId;
    if (rule.component) signal.component = render(rule.component, vars.raw);
    out.push(signal);
  }
  return out;
}
