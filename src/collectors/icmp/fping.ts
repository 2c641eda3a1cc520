/**
 * fping as a pure pair: the arguments for one cycle and the parser of what it prints.
 * Vigil runs `fping -C count -q …`: per-target summaries ("host : 0.04 - 0.05") and duplicate
 * notices go to stderr. The parser also understands the non-quiet forms (per-probe lines,
 * "ICMP … from … for ICMP Echo sent to …", "name: Name or service not known") so that
 * `vigil ping` and other flag sets can reuse it.
 */
import type { IcmpConfig } from './config.ts';

/** What fping said about one target in one run. `rttsMs[i]` is probe i's RTT, or null when it timed out. */
export interface FpingTargetResult {
  target: string;
  rttsMs: (number | null)[];
  /** Replies received more than once (fping "duplicate for [n]" / "(DUP!)"). */
  duplicates: number;
  /** ICMP error texts received for this target, e.g. "ICMP Host Unreachable from 10.0.0.1". */
  icmpErrors: string[];
  /** Set when fping could not use the target at all (name not resolved, bad address). */
  error?: string;
}

export interface FpingOutput {
  targets: Map<string, FpingTargetResult>;
  /** fping's own errors ("fping: …"), which concern the whole run. */
  globalErrors: string[];
  /** Lines that matched no known form: counted, never fatal. */
  unparsedLines: number;
}

/** The fping arguments of one cycle, targets last after `--` (so that none is read as an option). @example buildFpingArgs(['127.0.0.1'], cfg) */
export function buildFpingArgs(
  targets: readonly string[],
  config: Pick<IcmpConfig, 'count' | 'periodMs' | 'intervalMs' | 'timeoutMs' | 'sizeBytes'>,
): string[] {
  return [
    '-C',
    String(config.count),
    '-q',
    '-p',
    String(config.periodMs),
    '-i',
    String(config.intervalMs),
    '-t',
    String(config.timeoutMs),
    '-b',
    String(config.sizeBytes),
    '--',
    ...targets,
  ];
}

const NUM = '(?:\\d+(?:\\.\\d+)?|-)';
const SUMMARY = new RegExp(`^(\\S+)\\s+:((?: ${NUM})+)\\s*$`);
const PROBE_REPLY = /^(\S+)\s+: \[(\d+)\], (\d+) bytes, (\d+(?:\.\d+)?) ms.*?(\(DUP!\))?\s*$/;
const PROBE_TIMEOUT = /^(\S+)\s+: \[(\d+)\], timed out/;
const DUPLICATE = /^(\S+)\s+: duplicate for \[(\d+)\]/;
const ICMP_ERROR = /^(ICMP .+?) for ICMP Echo sent to (\S+)/;
const GLOBAL_ERROR = /^fping: (.+)$/;
const TARGET_ERROR = /^(\S+?): (.+)$/;

/** Parses fping's stdout and stderr (concatenated, in any order). Never throws. */
export function parseFpingOutput(text: string): FpingOutput {
  const targets = new Map<string, FpingTargetResult>();
  const globalErrors: string[] = [];
  let unparsedLines = 0;
  const entry = (target: string): FpingTargetResult => {
    let r = targets.get(target);
    if (!r) {
      r = { target, rttsMs: [], duplicates: 0, icmpErrors: [] };
      targets.set(target, r);
    }
    return r;
  };
  // Per-probe lines are only a fallback: the summary line, when present, is authoritative.
  const probeOnly = new Map<string, (number | null)[]>();
  const summarised = new Set<string>();

  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    let m: RegExpExecArray | null;
    if ((m = SUMMARY.exec(line))) {
      const r = entry(m[1]);
      r.rttsMs = m[2]
        .trim()
        .split(/\s+/)
        .map((v) => (v === '-' ? null : Number(v)));
      summarised.add(m[1]);
    } else if ((m = DUPLICATE.exec(line))) {
      entry(m[1]).duplicates++;
    } else if ((m = PROBE_REPLY.exec(line))) {
      const r = entry(m[1]);
      if (m[5]) {
        r.duplicates++;
        continue;
      }
      const list = probeOnly.get(m[1]) ?? [];
      list[Number(m[2])] = Number(m[4]);
      probeOnly.set(m[1], list);
    } else if ((m = PROBE_TIMEOUT.exec(line))) {
      entry(m[1]);
      const list = probeOnly.get(m[1]) ?? [];
      list[Number(m[2])] = null;
      probeOnly.set(m[1], list);
    } else if ((m = ICMP_ERROR.exec(line))) {
      entry(m[2]).icmpErrors.push(m[1]);
    } else if ((m = GLOBAL_ERROR.exec(line))) {
      globalErrors.push(m[1]);
    } else if ((m = TARGET_ERROR.exec(line))) {
      entry(m[1]).error = m[2];
    } else {
      unparsedLines++;
    }
  }
  for (const [target, list] of probeOnly) {
    if (summarised.has(target)) continue;
    entry(target).rttsMs = Array.from(list, (v) => (v === undefined ? null : v));
  }
  return { targets, globalErrors, unparsedLines };
}
