/** Starts the trap receiver on a free loopback port and runs the net-snmp C tools against it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBus } from '../../src/bus/memory.ts';
import { createTrapCollector, type TrapCollector } from '../../src/collectors/trap/index.ts';
import { trapConfigSchema } from '../../src/collectors/trap/config.ts';
import type { Device } from '../../src/model/device.ts';
import { silentLogger } from '../../src/model/logger.ts';
import type { TrapRecord } from '../../src/model/records.ts';

export interface RunningReceiver {
  collector: TrapCollector;
  port: number;
  records: TrapRecord[];
  waitFor(n: number, timeoutMs?: number): Promise<TrapRecord[]>;
  stop(): Promise<void>;
}

export async function startReceiver(config: Record<string, unknown>, devices: Device[] = []): Promise<RunningReceiver> {
  const cfg = trapConfigSchema.parse({ host: '127.0.0.1', host6: '::1', port: 0, ...config });
  const bus = createMemoryBus();
  const records: TrapRecord[] = [];
  const collector = createTrapCollector(
    {
      bus,
      clock: { now: () => Date.now() },
      log: silentLogger,
      devices: () => devices,
      deviceByAddress: (a) => devices.find((d) => d.address === a),
    },
    cfg,
  );
  await collector.start((r) => {
    records.push(r as TrapRecord);
  });
  return {
    collector,
    port: collector.addresses()[0].port,
    records,
    async waitFor(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (records.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return records;
    },
    stop: () => collector.stop(),
  };
}

/** A private net-snmp configuration directory so the tools neither read nor persist state outside the test. */
export function toolEnv(): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-snmptools-'));
  return {
    env: { ...process.env, SNMPCONFPATH: dir, SNMP_PERSISTENT_DIR: dir, MIBS: '', MIBDIRS: dir, HOME: dir },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs a net-snmp tool; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runTool(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as NodeJS.ErrnoException).code === 'number'
          ? Number((err as NodeJS.ErrnoException).code)
          : 1
        : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
