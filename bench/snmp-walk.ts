/**
 * SNMP walk benchmark: walk IF-MIB (interfaces + ifMIB subtrees) on N agents with Vigil's session and
 * with Net-SNMP's snmpbulkwalk, the same number of walks in flight for both. Agents: N real snmpd
 * instances on loopback (default), or `--peer snmpsim`: one snmpsimd serving N communities (copies of
 * the IF-MIB part of the shared recordings; snmpsimd is single-threaded and slows down when requests for
 * different communities interleave, so it measures snmpsimd more than the clients).
 * Run: npx tsx bench/snmp-walk.ts [--agents 200] [--concurrency 16] [--max-repetitions 25] [--peer snmpd|snmpsim]
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openSnmpSession } from '../src/collectors/snmp/session.ts';
import { devicesDir, startSnmpsim } from '../test/harness/snmpsim.ts';
import { startSnmpd, type RunningSnmpd } from '../test/harness/snmpd.ts';

interface Agent {
  host: string;
  port: number;
  community: string;
}

export const IF_MIB_SUBTREES = ['1.3.6.1.2.1.2', '1.3.6.1.2.1.31'];
const KEEP = ['1.3.6.1.2.1.1.', '1.3.6.1.2.1.2.', '1.3.6.1.2.1.31.'];

/** A data dir with `count` communities `agentN`, each the system + IF-MIB part of a shared recording (round robin). */
export function makeIfMibAgents(count: number): { dir: string; communities: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-agents-'));
  chmodSync(dir, 0o755);
  const sources = readdirSync(devicesDir())
    .filter((f) => f.endsWith('.snmprec'))
    .sort()
    .map(
      (f) =>
        readFileSync(join(devicesDir(), f), 'utf8')
          .split('\n')
          .filter((l) => KEEP.some((k) => l.startsWith(k)) && !l.split('|')[1]?.includes(':'))
          .join('\n') + '\n',
    )
    .filter((text) => text.includes('1.3.6.1.2.1.2.2.1.'));
  const communities: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `agent${i}`;
    writeFileSync(join(dir, `${name}.snmprec`), sources[i % sources.length]);
    communities.push(name);
  }
  return { dir, communities };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<number>): Promise<number> {
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const k = await fn(items[next++]);
        total += k;
      }
    }),
  );
  return total;
}

function bulkwalk(a: Agent, oid: string, maxRep: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      'snmpbulkwalk',
      ['-v2c', '-c', a.community, '-On', '-Oq', `-Cr${maxRep}`, '-t', '5', '-r', '1', `${a.host}:${a.port}`, oid],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MIBS: '' } },
    );
    let lines = 0;
    let tail = '';
    p.stdout.on('data', (c: Buffer) => {
      const s = tail + c.toString();
      const parts = s.split('\n');
      tail = parts.pop() ?? '';
      lines += parts.filter((l) => l.startsWith('.')).length;
    });
    p.on('error', reject);
    p.on('close', () => resolve(lines + (tail.startsWith('.') ? 1 : 0)));
  });
}

export async function main() {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string', default: process.env.BENCH_AGENTS ?? '200' },
      concurrency: { type: 'string', default: '16' },
      'max-repetitions': { type: 'string', default: '25' },
      peer: { type: 'string', default: 'snmpd' },
    },
  });
  const n = Number(values.agents);
  const concurrency = Number(values.concurrency);
  const maxRep = Number(values['max-repetitions']);
  const cleanups: (() => Promise<void> | void)[] = [];
  let communities: Agent[];
  if (values.peer === 'snmpsim') {
    const made = makeIfMibAgents(n);
    console.log(`starting snmpsimd with ${n} communities…`);
    const sim = await startSnmpsim({ dataDir: made.dir });
    cleanups.push(
      () => sim.stop(),
      () => rmSync(made.dir, { recursive: true, force: true }),
    );
    communities = made.communities.map((c) => ({ host: sim.host, port: sim.port, community: c }));
  } else {
    console.log(`starting ${n} snmpd instances on loopback…`);
    const agents: RunningSnmpd[] = [];
    for (let i = 0; i < n; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, () => startSnmpd({ communities: [{ name: 'bench' }] })),
      );
      agents.push(...batch);
    }
    cleanups.push(() => Promise.all(agents.map((a) => a.stop())).then(() => {}));
    communities = agents.map((a) => ({ host: a.host, port: a.port, community: 'bench' }));
  }
  try {
    // Warm both paths once.
    await pool(communities, concurrency, (c) => bulkwalk(c, '1.3.6.1.2.1.1', maxRep));

    const vigil = async () => {
      const t0 = performance.now();
      const varbinds = await pool(communities, concurrency, async (c) => {
        const s = openSnmpSession(c.host, {
          version: 'v2c',
          community: c.community,
          port: c.port,
          timeoutMs: 5000,
          retries: 1,
        });
        try {
          let k = 0;
          for (const oid of IF_MIB_SUBTREES) k += (await s.walk(oid, { maxRepetitions: maxRep })).length;
          return k;
        } finally {
          s.close();
        }
      });
      return { varbinds, s: (performance.now() - t0) / 1000 };
    };
    const peer = async () => {
      const t0 = performance.now();
      const varbinds = await pool(communities, concurrency, async (c) => {
        let k = 0;
        for (const oid of IF_MIB_SUBTREES) k += await bulkwalk(c, oid, maxRep);
        return k;
      });
      return { varbinds, s: (performance.now() - t0) / 1000 };
    };
    const runs = { vigil: [] as number[], peer: [] as number[] };
    let counts = { vigil: 0, peer: 0 };
    for (let round = 0; round < 2; round++) {
      const v = await vigil();
      const p = await peer();
      runs.vigil.push(v.varbinds / v.s);
      runs.peer.push(p.varbinds / p.s);
      counts = { vigil: v.varbinds, peer: p.varbinds };
      console.log(
        `round ${round + 1}: vigil ${v.varbinds} varbinds in ${v.s.toFixed(2)} s; snmpbulkwalk ${p.varbinds} varbinds in ${p.s.toFixed(2)} s`,
      );
    }
    const best = (a: number[]) => Math.max(...a);
    const v = best(runs.vigil);
    const p = best(runs.peer);
    console.log(`\nIF-MIB walk, ${n} agents (${values.peer}), ${concurrency} in flight, max-repetitions ${maxRep}`);
    console.log(
      `varbinds per walk set: vigil ${counts.vigil}, snmpbulkwalk ${counts.peer}${counts.vigil === counts.peer ? ' (same)' : ' (DIFFERENT)'}`,
    );
    console.log(`vigil:        ${v.toFixed(0)} varbinds/s`);
    console.log(`snmpbulkwalk: ${p.toFixed(0)} varbinds/s`);
    console.log(`ratio vigil/snmpbulkwalk: ${(v / p).toFixed(2)} (goal ≥ 1.0)`);
  } finally {
    for (const c of cleanups) await c();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
