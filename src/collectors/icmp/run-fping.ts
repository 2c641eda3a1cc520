/** The thin shell: runs one fping process and hands its output to the pure parser. */
import { spawn } from 'node:child_process';
import { isHostAddress } from '../../model/address.ts';
import { VigilError } from '../../model/errors.ts';
import type { IcmpConfig } from './config.ts';
import { buildFpingArgs, parseFpingOutput, type FpingOutput } from './fping.ts';
import { pingStats, type PingStats } from './stats.ts';

/** Injected so logic can be tested without a process; the default spawns fping. */
export type FpingRunner = (path: string, args: string[], signal?: AbortSignal) => Promise<string>;

/** Spawns fping and resolves with stdout + stderr. Exit codes 1 (some unreachable) and 2 (some names unresolved) are normal. */
export const spawnFping: FpingRunner = (path, args, signal) =>
  new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') reject(new VigilError('VIGIL_ICMP_ERROR', 'fping aborted: the cycle timed out'));
      else
        reject(
          new VigilError(
            'VIGIL_ICMP_ERROR',
            `cannot run ${path}: ${err.code === 'ENOENT' ? 'not installed (apt-get install fping)' : err.message}`,
          ),
        );
    });
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (code !== null && code > 2)
        reject(
          new VigilError(
            'VIGIL_ICMP_ERROR',
            `fping exited with ${code}: ${text.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
      else resolve(text);
    });
  });

/** One fping run over `targets`; every target gets an entry (missing from fping's output = no result). */
export async function runFpingOnce(
  targets: readonly string[],
  config: IcmpConfig,
  opts: { runner?: FpingRunner; signal?: AbortSignal } = {},
): Promise<{ output: FpingOutput; results: Map<string, PingResult> }> {
  const unique = [...new Set(targets)];
  const results = new Map<string, PingResult>();
  // The config and API refuse such addresses; this is the last line for any that got in another way (an old stored
  // device): passed on, one "-Z" would make fping refuse the whole run and every device would look down.
  const valid = unique.filter((t) => isHostAddress(t));
  const output: FpingOutput = valid.length
    ? parseFpingOutput(await (opts.runner ?? spawnFping)(config.fpingPath, buildFpingArgs(valid, config), opts.signal))
    : { targets: new Map(), globalErrors: [], unparsedLines: 0 };
  for (const target of unique) {
    if (!isHostAddress(target)) {
      results.set(target, {
        target,
        ...pingStats([], config.count),
        duplicates: 0,
        error: 'not an IP address or host name',
      });
      continue;
    }
    const r = output.targets.get(target);
    if (!r || r.error) {
      // fping -q drops unresolvable names silently: a missing target is a failed one, with the reason when known.
      results.set(target, {
        target,
        ...pingStats([], config.count),
        duplicates: 0,
        error: r?.error ?? 'no reply and no result from fping (name not resolved?)',
      });
      continue;
    }
    const stats = pingStats(r.rttsMs.slice(0, config.count), config.count);
    results.set(target, {
      target,
      ...stats,
      duplicates: r.duplicates,
      ...(r.icmpErrors.length ? { error: r.icmpErrors[0] } : {}),
    });
  }
  return { output, results };
}

export interface PingResult extends PingStats {
  target: string;
  duplicates: number;
  error?: string;
}

/** Pings targets once with one fping process (used by `vigil ping`). @example await pingOnce(['127.0.0.1'], cfg) */
export async function pingOnce(
  targets: readonly string[],
  config: IcmpConfig,
  opts: { runner?: FpingRunner; signal?: AbortSignal } = {},
): Promise<PingResult[]> {
  const { results } = await runFpingOnce(targets, config, opts);
  return [...results.values()];
}
