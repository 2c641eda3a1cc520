import type { ChildProcess } from 'node:child_process';

export type StartResult = 'ready' | 'port-in-use' | Error;

/**
 * Waits until a peer's output says it is ready (`ready`), that its port was taken (`portInUse`: the caller retries
 * on another), or it failed; `output()` keeps everything it printed.
 */
export function waitForStart(
  child: ChildProcess,
  opts: { name: string; ready: RegExp; portInUse: RegExp; timeoutMs: number; installHint: string },
): { result: Promise<StartResult>; output(): string } {
  let out = '';
  const result = new Promise<StartResult>((resolve) => {
    const timer = setTimeout(
      () => resolve(new Error(`${opts.name} did not start within ${opts.timeoutMs / 1000} s:\n${out.slice(-2000)}`)),
      opts.timeoutMs,
    );
    const done = (r: StartResult) => {
      clearTimeout(timer);
      resolve(r);
    };
    const onData = (c: Buffer) => {
      out += c.toString();
      if (opts.portInUse.test(out)) done('port-in-use');
      else if (opts.ready.test(out)) done('ready');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => done(new Error(`cannot start ${opts.name} (${opts.installHint}): ${e.message}`)));
    child.once('exit', (code) =>
      done(
        opts.portInUse.test(out) ? 'port-in-use' : new Error(`${opts.name} exited with ${code}:\n${out.slice(-2000)}`),
      ),
    );
  });
  return { result, output: () => out };
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}
