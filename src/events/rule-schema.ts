/**
 * Schemas of the rules the engine evaluates (thresholds and correlations), built on the rule ids, device selectors and
 * maintenance windows of model/rules.ts, shared by the config file and the API; `validateRule` and
 * `validateMaintenance` add the checks a schema cannot make and name the bad part.
 */
import { z } from 'zod';
import { VigilError } from '../model/errors.ts';
import { SEVERITIES, type Severity } from '../model/records.ts';
import { deviceSelectorSchema, maintenanceWindowSchema, ruleId, type MaintenanceWindow } from '../model/rules.ts';
import { ExpressionError, parseExpression, type CondNode } from './expression.ts';
import { KNOWN_METRICS } from './metrics.ts';
import { compilePattern } from './select.ts';

export const severitySchema = z.enum(SEVERITIES as [Severity, ...Severity[]]);

/** Label name → name pattern (`exact`, glob `Gi0/*`, or `/regex/i`). */
const componentsSchema = z.record(z.string(), z.string());

export const levelSchema = z
  .object({
    severity: severitySchema,
    value: z.number(),
    /** Where the level is left again (hysteresis); default: `value`. */
    recovery: z.number().optional(),
  })
  .strict();

export const thresholdRuleSchema = z
  .object({
    id: ruleId,
    kind: z.literal('threshold'),
    name: z.string().optional(),
    enabled: z.boolean().default(true),
    metric: z.string().min(1),
    devices: deviceSelectorSchema.optional(),
    components: componentsSchema.optional(),
    /** above/below the level values; `rate`: change per second above the values; `nodata`: no sample for `noDataS`. */
    condition: z.enum(['above', 'below', 'rate', 'nodata']).default('above'),
    /** Severity ladder, least severe first: `[{severity: warning, value: 80}, {severity: critical, value: 95}]`. */
    levels: z.array(levelSchema).default([]),
    noDataS: z.number().positive().optional(),
    /** Severity of a `nodata` event. */
    severity: severitySchema.default('warning'),
    /** How long the condition must hold before the event opens. */
    forS: z.number().min(0).default(0),
    /** Clear when nothing raised the event again for this long. */
    clearAfterS: z.number().positive().optional(),
    /** `{{device}} {{metric}} {{value}} {{threshold}} {{component}} {{severity}}`. */
    summary: z.string().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.condition === 'nodata') {
      if (!r.noDataS) ctx.addIssue({ code: 'custom', path: ['noDataS'], message: 'required when condition is nodata' });
      return;
    }
    if (!r.levels.length)
      ctx.addIssue({
        code: 'custom',
        path: ['levels'],
        message: `at least one level is required for condition ${r.condition}`,
      });
    const down = r.condition === 'below';
    r.levels.forEach((l, i) => {
      const prev = r.levels[i - 1];
      if (prev && (down ? l.value > prev.value : l.value < prev.value))
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'value'],
          message: `levels go from least to most severe: ${l.value} must be ${down ? 'at or below' : 'at or above'} ${prev.value}`,
        });
      if (l.recovery !== undefined && (down ? l.recovery < l.value : l.recovery > l.value))
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'recovery'],
          message: `recovery must be on the healthy side of ${l.value}`,
        });
    });
  });
export type ThresholdRule = z.infer<typeof thresholdRuleSchema>;

export const eventConditionSchema = z
  .object({
    source: z.string().optional(),
    /** This severity or worse. */
    severity: severitySchema.optional(),
    ruleId: z.string().optional(),
    /** Patterns (exact, glob or /regex/). */
    summary: z.string().optional(),
    dedupKey: z.string().optional(),
    component: z.string().optional(),
    /** The event's device carries one of these tags. */
    deviceTags: z.array(z.string()).optional(),
  })
  .strict();
export const metricConditionSchema = z
  .object({
    name: z.string().min(1),
    op: z.enum(['>', '>=', '<', '<=', 'rising', 'falling']),
    /** Threshold for comparisons; for rising/falling the least change per second (default 0). */
    value: z.number().optional(),
    components: componentsSchema.optional(),
    deviceTags: z.array(z.string()).optional(),
  })
  .strict()
  .refine((m) => m.op === 'rising' || m.op === 'falling' || m.value !== undefined, {
    message: 'value is required for a comparison',
    path: ['value'],
  });
export const logConditionSchema = z
  .object({
    message: z.string().optional(),
    app: z.string().optional(),
    host: z.string().optional(),
    /** Syslog severity number at or below (0 emergency … 7 debug). */
    severity: z.number().int().min(0).max(7).optional(),
  })
  .strict();

export const leafSchema = z
  .object({
    event: eventConditionSchema.optional(),
    metric: metricConditionSchema.optional(),
    log: logConditionSchema.optional(),
    /** At least this many occurrences in the window. */
    count: z.number().int().min(1).default(1),
  })
  .strict()
  .refine((l) => [l.event, l.metric, l.log].filter(Boolean).length === 1, {
    message: 'a condition names exactly one of event, metric, log',
  });
export type Leaf = z.infer<typeof leafSchema>;
export type Condition = CondNode<Leaf>;

const nodeSchema: z.ZodType<CondNode<Leaf>> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(nodeSchema).min(1) }).strict(),
    z.object({ any: z.array(nodeSchema).min(1) }).strict(),
    z.object({ not: nodeSchema }).strict(),
    z.object({ atLeast: z.number().int().min(1), of: z.array(nodeSchema).min(1) }).strict(),
    z.object({ ref: z.string() }).strict(),
    leafSchema,
  ]),
) as z.ZodType<CondNode<Leaf>>;

export const correlationRuleSchema = z
  .object({
    id: ruleId,
    kind: z.literal('correlation'),
    name: z.string().optional(),
    enabled: z.boolean().default(true),
    windowS: z.number().positive(),
    /** Facts are combined per device, per group, per site (location), within a named set, along a parent path, or globally. */
    scope: z
      .object({
        by: z.enum(['device', 'group', 'site', 'devices', 'path', 'global']).default('device'),
        devices: z.array(z.string()).optional(),
      })
      .strict()
      .prefault({}),
    /** Named conditions used by `expression`. */
    conditions: z.record(z.string(), leafSchema).optional(),
    /** Text form over `conditions`: `"A AND (B OR NOT C)"`, `"2 OF (A, B, C)"`. */
    expression: z.string().optional(),
    /** Tree form: `{ all: [...] }`, `{ any }`, `{ not }`, `{ atLeast, of }`, leaves `{ event | metric | log, count }`. */
    when: nodeSchema.optional(),
    raise: z
      .object({
        summary: z.string().min(1),
        severity: severitySchema,
        /** Hold back notifications of the events it was made from. */
        suppressCauses: z.boolean().default(false),
        /** Clear after this long without a new match (default: the window). */
        clearAfterS: z.number().positive().optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.when === (r.expression === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['when'],
        message: 'give either when (a tree) or expression (text over conditions)',
      });
    if (r.expression !== undefined) {
      try {
        parseExpression(r.expression, Object.keys(r.conditions ?? {}));
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        ctx.addIssue({ code: 'custom', path: ['expression'], message: e.message });
      }
    }
    if (r.scope.by === 'devices' && !r.scope.devices?.length)
      ctx.addIssue({ code: 'custom', path: ['scope', 'devices'], message: 'required when scope.by is devices' });
  });
export type CorrelationRule = z.infer<typeof correlationRuleSchema>;

export type EngineRule = ThresholdRule | CorrelationRule;

// Not imported from config/load.ts: that module imports the root schema, which imports this file.
/** `levels[1].value` from a path array. */
export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}
function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `${formatPath([...i.path, i.keys[0]])}: unknown key`;
    if (i.code === 'invalid_union')
      return `${formatPath(i.path)}: not a valid condition (expected all, any, not, atLeast+of, ref, or a leaf with event, metric or log)`;
    return `${formatPath(i.path)}: ${i.code === 'invalid_value' && 'values' in i ? `expected one of ${(i.values as unknown[]).join(', ')}` : i.message}`;
  });
}

function fail(id: string, lines: string[]): never {
  throw new VigilError('VIGIL_RULE_INVALID', `rule "${id}": ${lines.join('; ')}`, lines);
}

/** Every leaf of a condition tree with its path (for messages). */
function leaves(node: Condition, path: PropertyKey[], out: { leaf: Leaf; path: PropertyKey[] }[] = []) {
  if ('all' in node) node.all.forEach((n, i) => leaves(n, [...path, 'all', i], out));
  else if ('any' in node) node.any.forEach((n, i) => leaves(n, [...path, 'any', i], out));
  else if ('not' in node) leaves(node.not, [...path, 'not'], out);
  else if ('atLeast' in node) {
    node.of.forEach((n, i) => leaves(n, [...path, 'of', i], out));
  } else if (!('ref' in node)) out.push({ leaf: node, path });
  return out;
}

function checkPatterns(
  obj: Record<string, unknown> | undefined,
  path: PropertyKey[],
  keys: string[],
  problems: string[],
) {
  for (const k of keys) {
    const v = obj?.[k];
    if (typeof v !== 'string') continue;
    try {
      compilePattern(v);
    } catch (e) {
      problems.push(`${formatPath([...path, k])}: bad pattern: ${(e as Error).message}`);
    }
  }
}

/**
 * Parses and checks a threshold or correlation rule; throws VIGIL_RULE_INVALID naming each bad part.
 * `knownMetric` extends the built-in catalogue (e.g. metrics the store has seen).
 * @example validateRule({ id: 'cpu', kind: 'threshold', metric: 'cpu.load.pct', levels: [{ severity: 'warning', value: 80 }] })
 */
export function validateRule(raw: unknown, knownMetric: (name: string) => boolean = () => false): EngineRule {
  const id = String((raw as { id?: unknown })?.id ?? '(no id)');
  const kind = (raw as { kind?: unknown })?.kind;
  const schema =
    kind === 'threshold' ? thresholdRuleSchema : kind === 'correlation' ? correlationRuleSchema : undefined;
  if (!schema) fail(id, [`kind: expected threshold or correlation, got ${JSON.stringify(kind)}`]);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) fail(id, formatIssues(parsed.error));
  const rule = parsed.data as EngineRule;
  const problems: string[] = [];
  const metricOk = (m: string) => KNOWN_METRICS.has(m) || knownMetric(m);
  if (rule.kind === 'threshold') {
    if (!metricOk(rule.metric)) problems.push(`metric: unknown metric "${rule.metric}"`);
    checkPatterns(rule.components, ['components'], Object.keys(rule.components ?? {}), problems);
  } else {
    const found: { leaf: Leaf; path: PropertyKey[] }[] = [];
    if (rule.when) leaves(rule.when, ['when'], found);
    for (const [name, leaf] of Object.entries(rule.conditions ?? {})) found.push({ leaf, path: ['conditions', name] });
    if (rule.expression !== undefined) {
      try {
        rule.when = parseExpression(rule.expression, Object.keys(rule.conditions ?? {}));
      } catch (e) {
        if (e instanceof ExpressionError) problems.push(`expression: ${e.message}`);
        else throw e;
      }
    }
    for (const { leaf, path } of found) {
      if (leaf.metric && !metricOk(leaf.metric.name))
        problems.push(`${formatPath([...path, 'metric', 'name'])}: unknown metric "${leaf.metric.name}"`);
      checkPatterns(leaf.event, [...path, 'event'], ['summary', 'dedupKey', 'component'], problems);
      checkPatterns(leaf.log, [...path, 'log'], ['message', 'app', 'host'], problems);
      checkPatterns(
        leaf.metric?.components,
        [...path, 'metric', 'components'],
        Object.keys(leaf.metric?.components ?? {}),
        problems,
      );
    }
    const refs = JSON.stringify(rule.when ?? {}).match(/"ref":"([^"]*)"/g) ?? [];
    for (const r of refs) {
      const name = r.slice(7, -1);
      if (!rule.conditions?.[name]) problems.push(`when: unknown condition "${name}"`);
    }
  }
  if (problems.length) fail(id, problems);
  return rule;
}

/** Parses a maintenance window; throws VIGIL_RULE_INVALID naming the bad part. */
export function validateMaintenance(raw: unknown): MaintenanceWindow {
  const parsed = maintenanceWindowSchema.safeParse(raw);
  const id = String((raw as { id?: unknown })?.id ?? '(no id)');
  if (!parsed.success)
    throw new VigilError(
      'VIGIL_RULE_INVALID',
      `maintenance window "${id}": ${formatIssues(parsed.error).join('; ')}`,
      formatIssues(parsed.error),
    );
  return parsed.data;
}
