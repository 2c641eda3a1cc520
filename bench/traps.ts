/**
 * Traps received, decoded and stored per second, side by side with `snmptrapd -f -Lf file` on the same stream.
 * A sender blasts pre-encoded v2c traps over loopback at a fixed offered rate; each receiver's figure is what it
 * finished (stored / logged) divided by the time from the first packet sent to the last one finished.
 * The sender is udp-blast.c (sendmmsg), built here with `cc` when there is one: on a 2-core machine a Node sender
 * takes most of a core for itself, which the receivers then lack. Without `cc` a Node worker thread sends.
 * Usage: npx tsx bench/traps.ts            (default 200,000 traps, offered at 140,000/s)
 *        VIGIL_BENCH_TRAPS=600000 VIGIL_BENCH_RATE=0 npx tsx bench/traps.ts   (rate 0: unpaced blast)
 *        VIGIL_BENCH_PHASES=v2c,snmptrapd,v3,ceiling   (ceiling: Vigil's receiver alone, no bus and no store)
 * Also prints Vigil's figure for SNMPv3 authPriv (SHA-256/AES-128) traps, which snmptrapd is not asked to match.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createMemoryBus } from '../src/bus/memory.ts';
import { integer, octets, oid, seq, TAG, unsigned } from '../src/model/ber.ts';
import { trapConfigSchema } from '../src/collectors/trap/config.ts';
import { encodeCommunityMessage, encodePdu, encodeV3Message } from '../src/collectors/trap/encode.ts';
import { createTrapCollector } from '../src/collectors/trap/index.ts';
import { PDU } from '../src/collectors/trap/message.ts';
import { localizeKey, passwordToKey, privKeyFor } from '../src/collectors/trap/usm.ts';
import { silentLogger } from '../src/model/logger.ts';
import { openSqlite } from '../src/store/sqlite/async.ts';
import { startStoreWriter } from '../src/store/writer.ts';
import { freeUdpPort } from '../test/harness/ports.ts';
import { buildUdpBlast, writePacketFile } from './udp-blast.ts';

const TOTAL = Number(process.env.VIGIL_BENCH_TRAPS ?? 200_000);
const SENDERS = Number(process.env.VIGIL_BENCH_SENDERS ?? 4);
const DISTINCT = 5000;
/** Offered load, traps/s (0: as fast as the sender can). Paced so the sender does not starve the receivers of CPU. */
const RATE = Number(process.env.VIGIL_BENCH_RATE ?? 140_000);

function varbindList(i: number): Buffer {
  return seq(
    seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(1000 + i, TAG.TimeTicks)),
    seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid(i % 2 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.6.3.1.1.5.4')),
    seq(oid(`1.3.6.1.2.1.2.2.1.1.${i % 48}`), integer(i % 48)),
    seq(oid(`1.3.6.1.2.1.2.2.1.2.${i % 48}`), octets(`GigabitEthernet0/${i % 48}`)),
    seq(oid(`1.3.6.1.2.1.2.2.1.8.${i % 48}`), integer(1 + (i % 2))),
  );
}
const v2cPackets = Array.from({ length: DISTINCT }, (_, i) =>
  encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, i, varbindList(i))),
);
const engineId = Buffer.from('80000000010a0b0c0d', 'hex');
const authKey = localizeKey('sha256', passwordToKey('sha256', 'benchauth1'), engineId);
const privKey = privKeyFor(
  'sha256',
  'aes',
  localizeKey('sha256', passwordToKey('sha256', 'benchpriv1'), engineId),
  engineId,
);
// Every v3 message distinct (as from real senders): Vigil refuses copies of an authenticated message (replays).
const v3Packets = () =>
  Array.from({ length: TOTAL }, (_, i) => {
    const salt = Buffer.alloc(8);
    salt.writeUInt32BE(i, 4);
    return encodeV3Message(
      i,
      65507,
      false,
      {
        engineId,
        engineBoots: 1,
        engineTime: 100,
        userName: 'bench',
        auth: { protocol: 'sha256', key: authKey },
        priv: { protocol: 'aes', key: privKey, salt },
      },
      engineId,
      '',
      encodePdu(PDU.TrapV2, i, varbindList(i)),
    );
  });

/** The C sender (udp-blast.c), built once per run when a C compiler is present; `VIGIL_BENCH_SENDER=node` forces the old one. */
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-blast-'));
const cSender = (() => {
  if (process.env.VIGIL_BENCH_SENDER === 'node') return undefined;
  try {
    return buildUdpBlast(work);
  } catch (e) {
    if (process.env.VIGIL_BENCH_SENDER === 'c') throw e;
    console.log(
      '(no C compiler: the sender is a Node worker, which takes a larger share of the CPU; apt-get install gcc)',
    );
    return undefined;
  }
})();
console.log(`sender: ${cSender ? 'udp-blast (C, sendmmsg)' : 'Node worker thread'}`);

/**
 * Sends `total` packets (in turn from `packets`) to 127.0.0.1:port from SENDERS sockets at RATE; resolves when all
 * are handed to the kernel, with this process's clock when the first one went.
 */
function blast(port: number, packets: Buffer[], total: number, onStart: () => void = () => {}): Promise<number> {
  return cSender ? blastC(cSender, port, packets, total, onStart) : blastNode(port, packets, total, onStart);
}

/** CPU time used so far, µs: this process's (all its threads), or another's from /proc. */
const cpuOfSelf = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime (fields 14 and 15 of the whole line) in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function blastC(exe: string, port: number, packets: Buffer[], total: number, onStart: () => void): Promise<number> {
  const file = join(work, 'packets');
  writePacketFile(file, packets);
  return new Promise((resolve, reject) => {
    const child = spawn(exe, [String(port), String(RATE), String(total), String(SENDERS), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let started = 0;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started && out.includes('start')) {
        started = performance.now();
        onStart();
      }
    });
    child.on('exit', (code) =>
      code === 0 && started ? resolve(started) : reject(new Error(`udp-blast exited ${code}: ${out}`)),
    );
  });
}

/** The sender as a Node worker thread (connected sockets, bounded in-flight sends). */
function blastNode(port: number, packets: Buffer[], total: number, onStart: () => void): Promise<number> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const dgram = require('node:dgram');
    const { port, packets, total, senders, rate } = workerData;
    const t0 = process.hrtime.bigint();
    const bufs = packets.map((p) => Buffer.from(p));
    const socks = Array.from({ length: senders }, () => dgram.createSocket('udp4'));
    let sent = 0, inflight = 0, connected = 0;
    // Connected sockets: no address lookup per datagram, so the sender takes less of the CPU the receivers share.
    for (const s of socks) s.connect(port, '127.0.0.1', () => { if (++connected === senders) { parentPort.postMessage('start'); pump(); } });
    function pump() {
      // Bounded in-flight sends, yielding between bursts: a steady blast rather than a queue in memory.
      const allowed = rate > 0 ? Math.min(total, Number(process.hrtime.bigint() - t0) / 1e9 * rate) : total;
      while (sent < allowed && inflight < 512) {
        const s = socks[sent % senders];
        inflight++;
        s.send(bufs[sent % bufs.length], () => { inflight--; });
        sent++;
      }
      if (sent < total) setImmediate(pump);
      else { const wait = () => inflight ? setImmediate(wait) : (socks.forEach((s) => s.close()), parentPort.postMessage('done')); wait(); }
    }`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, {
      eval: true,
      workerData: { port, packets: packets.map((p) => new Uint8Array(p)), total, senders: SENDERS, rate: RATE },
    });
    let started = 0;
    w.on('message', (m) => {
      if (m !== 'start') return resolve(started);
      started = performance.now();
      onStart();
    });
    w.once('error', reject);
  });
}

async function benchVigil(
  packets: Buffer[],
  label: string,
  users: unknown[] = [],
): Promise<{ rate: number; stored: number; cpuPerTrap: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-traps-'));
  const store = openSqlite(dir);
  const bus = createMemoryBus();
  let lastWritten = 0;
  // As in `vigil start`: the writer has its own thread and SQLite connection.
  const writer = startStoreWriter(bus, store, {
    ownWriter: true,
    onWritten: () => (lastWritten = performance.now()),
  });
  const rx = createTrapCollector(
    { bus, clock: { now: () => Date.now() }, log: silentLogger, devices: () => [], deviceByAddress: () => undefined },
    trapConfigSchema.parse({ host: '127.0.0.1', host6: '', port: 0, communities: ['public'], users }),
  );
  await rx.start((r) => bus.publish(r));
  const port = rx.addresses()[0].port;
  let cpu0 = 0;
  const t0 = await blast(port, packets, TOTAL, () => (cpu0 = cpuOfSelf()));
  let last = -1;
  while ((await store.countTraps()) !== last) {
    last = await store.countTraps();
    await new Promise((r) => setTimeout(r, 300));
    await bus.drain();
  }
  const stored = await store.countTraps();
  const cpuPerTrap = (cpuOfSelf() - cpu0) / stored;
  const seconds = (lastWritten - t0) / 1000;
  const stats = rx.stats!() as { received: number; dropped: number };
  await rx.stop();
  await writer.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const rate = stored / seconds;
  console.log(
    `vigil ${label}: ${stored}/${TOTAL} stored (${stats.dropped} dropped, ${TOTAL - stats.received} lost in the kernel) in ${seconds.toFixed(2)} s = ${Math.round(rate)} traps/s; CPU ${cpuPerTrap.toFixed(1)} µs per trap stored (all threads)`,
  );
  return { rate, stored, cpuPerTrap };
}

/**
 * The receiver alone: sockets, decoding and TrapRecords, emitted to a counter instead of the bus and the store.
 * No store can make Vigil faster than this; it is the ceiling the stored figure is measured against.
 */
async function benchCeiling(): Promise<number> {
  let emitted = 0;
  let last = 0;
  const rx = createTrapCollector(
    {
      bus: createMemoryBus(),
      clock: { now: () => Date.now() },
      log: silentLogger,
      devices: () => [],
      deviceByAddress: () => undefined,
    },
    trapConfigSchema.parse({ host: '127.0.0.1', host6: '', port: 0, communities: ['public'] }),
  );
  await rx.start(() => {
    emitted++;
    last = performance.now();
    return undefined;
  });
  const t0 = await blast(rx.addresses()[0].port, v2cPackets, TOTAL);
  await new Promise((r) => setTimeout(r, 500));
  await rx.stop();
  const rate = emitted / ((last - t0) / 1000);
  console.log(
    `vigil receiver alone (no bus, no store): ${emitted}/${TOTAL} decoded in ${((last - t0) / 1000).toFixed(2)} s = ${Math.round(rate)} traps/s`,
  );
  return rate;
}

const freePort = () => freeUdpPort();

async function benchSnmptrapd(): Promise<{ rate: number; logged: number; cpuPerTrap: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-snmptrapd-'));
  const conf = join(dir, 'snmptrapd.conf');
  const logFile = join(dir, 'traps.log');
  // Same community, no authorization checks, and the same kernel receive buffer Vigil asks for.
  writeFileSync(
    conf,
    [
      'disableAuthorization yes',
      'authCommunity log public',
      'doNotRetainNotificationLogs yes',
      '[snmp] serverRecvBuf 8388608',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn('snmptrapd', ['-f', '-n', '-On', '-C', '-c', conf, '-Lf', logFile, `udp:127.0.0.1:${port}`], {
    env: {
      ...process.env,
      SNMP_PERSISTENT_DIR: join(dir, 'persist'),
      SNMPCONFPATH: dir,
      MIBS: '',
      MIBDIRS: join(dir, 'nomibs'),
    },
    stdio: 'ignore',
  });
  try {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      try {
        if (readFileSync(logFile, 'utf8').includes('NET-SNMP version')) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const startSize = statSync(logFile).size;
    let cpu0 = 0;
    const t0 = await blast(port, v2cPackets, TOTAL, () => (cpu0 = cpuOf(child.pid!)));
    let size = -1;
    let lastGrowth = performance.now();
    for (let stable = 0; stable < 10; ) {
      await new Promise((r) => setTimeout(r, 100));
      const s = statSync(logFile).size;
      if (s !== size) {
        size = s;
        lastGrowth = performance.now();
        stable = 0;
      } else stable++;
    }
    const cpu = cpuOf(child.pid!) - cpu0;
    const text = readFileSync(logFile, 'utf8').slice(startSize);
    // One header line per trap names its transport: count those.
    const logged = text.match(/UDP: \[127\.0\.0\.1\]/g)?.length ?? 0;
    const seconds = (lastGrowth - t0) / 1000;
    const rate = logged / seconds;
    const cpuPerTrap = cpu / logged;
    console.log(
      `snmptrapd v2c: ${logged}/${TOTAL} logged in ${seconds.toFixed(2)} s = ${Math.round(rate)} traps/s; CPU ${cpuPerTrap.toFixed(1)} µs per trap logged`,
    );
    return { rate, logged, cpuPerTrap };
  } finally {
    // snmptrapd writes its persistent state as it exits: remove the directory after that.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `trap benchmark: ${TOTAL} traps from ${SENDERS} sender sockets over loopback, offered at ${RATE || 'max'} traps/s`,
);
// VIGIL_BENCH_PHASES=v2c (say, under --cpu-prof) runs only some of: v2c, snmptrapd, v3, ceiling.
const phases = new Set((process.env.VIGIL_BENCH_PHASES ?? 'v2c,snmptrapd,v3,ceiling').split(','));
const vigil = phases.has('v2c') ? await benchVigil(v2cPackets, 'v2c') : undefined;
const peer = phases.has('snmptrapd') ? await benchSnmptrapd() : undefined;
const ceiling = phases.has('ceiling') ? await benchCeiling() : undefined;
if (phases.has('v3'))
  await benchVigil(v3Packets(), 'v3 authPriv SHA-256/AES-128', [
    { user: 'bench', authProtocol: 'sha256', authKey: 'benchauth1', privProtocol: 'aes', privKey: 'benchpriv1' },
  ]);
rmSync(work, { recursive: true, force: true });
if (ceiling && peer) console.log(`ceiling vigil receiver alone/snmptrapd: ${(ceiling / peer.rate).toFixed(2)}`);
if (vigil && peer)
  console.log(`CPU per trap, snmptrapd/vigil (v2c): ${(peer.cpuPerTrap / vigil.cpuPerTrap).toFixed(2)}`);
if (vigil && peer)
  console.log(
    `ratio vigil/snmptrapd (v2c): ${(vigil.rate / peer.rate).toFixed(2)} (goal >= 2; vigil goal >= 20000 traps/s)`,
  );
