/** Add rules (pure): the first rule whose conditions all hold decides what happens to a found device. */
import { globMatcher } from '../events/glob.ts';
import { safeRegExp } from '../events/safe-regex.ts';
import type { DiscoveryAction, DiscoveryRule } from './config.ts';
import type { Decision } from '../model/discovery.ts';
import type { ProbeResult } from '../model/discovery.ts';

export type { Decision } from '../model/discovery.ts';
import { inRanges, parseRange } from './targets.ts';

/** Compiles rules once for a job: `decide` is then cheap per device. Throws VIGIL_VALIDATION naming a bad subnet. */
export function compileRules(rules: readonly DiscoveryRule[], defaultAction: DiscoveryAction, path = 'rules') {
  const compiled = rules.map((r, i) => {
    const vendor = r.vendor ? globMatcher(r.vendor.toLowerCase()) : undefined;
    const descr = r.sysDescr ? safeRegExp(r.sysDescr, 'i') : undefined;
    const subnet = r.subnet ? [parseRange(r.subnet, `${path}[${i}].subnet`, true)] : undefined;
    const oid = r.sysObjectID?.replace(/^\./, '');
    return {
      rule: r,
      label: r.name ?? `${path}[${i}]`,
      test: (p: ProbeResult) =>
        (!vendor || vendor((p.vendor ?? '').toLowerCase())) &&
        (!descr || descr.test(p.sysDescr ?? '')) &&
        (!subnet || inRanges(p.address, subnet)) &&
        (!oid || p.sysObjectID === oid || (p.sysObjectID ?? '').startsWith(`${oid}.`)),
    };
  });
  return {
    decide(p: ProbeResult): Decision {
      const hit = compiled.find((c) => c.test(p));
      if (!hit) return { action: defaultAction, tags: [] };
      const r = hit.rule;
      return {
        action: r.action,
        rule: hit.label,
        tags: [...r.tags],
        ...(r.group ? { group: r.group } : {}),
        ...(r.profile ? { profile: r.profile } : {}),
        ...(r.pollIntervalS ? { pollIntervalS: r.pollIntervalS } : {}),
      };
    },
  };
}
