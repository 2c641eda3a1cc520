/** Adapts the syslog rules (issue 4) and trap rules (issue 5) to the engine's evaluator shape. */
import type { MibDictionary } from '../mib/types.ts';
import type { LogRecord, TrapRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import { evaluateSyslogRule, syslogRuleSchema, type SyslogRule } from './syslog-rules.ts';
import {
  compileTrapRules,
  defaultTrapRules,
  evaluateTrapRules,
  trapRuleSchema,
  type CompiledTrapRule,
  type TrapRule,
} from './trap-rules.ts';
import type { Topology } from './topology.ts';

export { syslogRuleSchema, trapRuleSchema, defaultTrapRules, type SyslogRule, type TrapRule };

export function syslogEvaluator(rules: SyslogRule[]): ((log: LogRecord, topo: Topology) => EventSignal[]) | undefined {
  const active = rules.filter((r) => r.enabled !== false);
  if (!active.length) return undefined;
  return (log, topo) => {
    const device = log.deviceId ? topo.device(log.deviceId) : undefined;
    const out: EventSignal[] = [];
    for (const r of active) {
      const s = evaluateSyslogRule(r, log, device);
      if (s) out.push(s);
    }
    return out;
  };
}

/** Trap rules compiled against the dictionary, recompiled when the dictionary is replaced (a MIB load). */
export function trapEvaluator(
  rules: TrapRule[],
  dictionary: () => MibDictionary | undefined,
): ((trap: TrapRecord, topo: Topology) => EventSignal[]) | undefined {
  if (!rules.length) return undefined;
  let dict = dictionary();
  let compiled: CompiledTrapRule[] = compileTrapRules(rules, dict);
  return (trap, topo) => {
    const d = dictionary();
    if (d !== dict) {
      dict = d;
      compiled = compileTrapRules(rules, dict);
    }
    return evaluateTrapRules(compiled, trap, dict, { device: trap.deviceId ? topo.device(trap.deviceId) : undefined });
  };
}
