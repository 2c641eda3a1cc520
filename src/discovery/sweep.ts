/**
 * The ping sweep: one fping process for every address of a job, the addresses fed on stdin (`-f -`, so no list is
 * too long for a command line and none can be read as an option), alive ones reported as fping prints them.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { VigilError } from '../model/errors.ts';

export interface SweepOptions {
  fpingPath: string;
  /** Wait for each reply, ms (fping -t). */
  timeoutMs: number;
  /** Retries per address (fping -r). */
  retries: number;
  /** Gap between probes to different addresses, ms (fping -i). */
  intervalMs: number;
  signal?: AbortSignal;
  /** Called for each address that answered, as it answers. */
  onAlive?: (address: string) => void;
}

/** The fping arguments of a sweep (pure). */
export const sweepArgs = (o: Pick<SweepOptions, 'timeoutMs' | 'retries' | 'intervalMs'>) => [
  '-a',
  '-q',
  '-t',
  String(o.timeoutMs),
  '-r',
  String(o.retries),
  '-i',
  String(o.intervalMs),
  '-f',
  '-',
];

/** Sweeps `addresses` (validated IP addresses); resolves with those that answered. */
export function sweep(addresses: readonly string[], opts: SweepOptions): Promise<Set<string>> {
  const alive = new Set<string>();
  if (!addresses.length) return Promise.resolve(alive);
  return new Promise((resolve, reject) => {
    const child = spawn(opts.fpingPath, sweepArgs(opts), { stdio: ['pipe', 'pipe', 'pipe'], signal: opts.signal });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4096) stderr += c.toString('utf8');
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ip = line.trim();
      if (ip && !alive.has(ip)) {
        alive.add(ip);
        opts.onAlive?.(ip);
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.end(`${addresses.join('\n')}\n`);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') reject(new VigilError('VIGIL_CANCELLED', 'the sweep was cancelled'));
      else
        reject(
          new VigilError(
            'VIGIL_ICMP_ERROR',
            `cannot run ${opts.fpingPath}: ${err.code === 'ENOENT' ? 'not installed (apt-get install fping)' : err.message}`,
          ),
        );
    });
    child.on('close', (code) => {
      // 0: all alive, 1: some unreachable, 2: some addresses not found: all normal for a sweep.
      if (code !== null && code > 2)
        reject(
          new VigilError(
            'VIGIL_ICMP_ERROR',
            `fping exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
      else resolve(alive);
    });
  });
}
