/**
 * Simulated SNMP agents for bench/memory.ts, run as a CHILD PROCESS so their memory is not Vigil's: N devices,
 * each its own UDP socket on 127.0.x.y (same port), each replaying one of the shared recordings (SNMP v1/v2c
 * GET, GETNEXT, GETBULK; counters advance with time, sysUpTime too). A minimal BER codec keeps it fast enough
 * for 2,000 devices polled back to back; snmpsimd (Python, one process) cannot serve that many in time.
 * Started by `startAgents()`; prints nothing; tells the parent { port } over IPC once every socket listens.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Loopback address of simulated device `i` (127.0.1.1 … 127.0.8.250 for 2,000). */
export const agentAddress = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Starts the agents in a child process; resolves once they all listen. */
export async function startAgents(opts: {
  devices: number;
  dataDir: string;
}): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = fork(new URL(import.meta.url).pathname, [String(opts.devices), opts.dataDir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(m.error)),
    );
    child.once('exit', (code) => reject(new Error(`snmp agents exited with ${code}`)));
  });
  return {
    port,
    child,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill();
      }),
  };
}

// ---- BER ----
const T = {
  Integer: 0x02,
  OctetString: 0x04,
  Null: 0x05,
  OID: 0x06,
  Sequence: 0x30,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Counter64: 0x46,
  NoSuchObject: 0x80,
  EndOfMibView: 0x82,
  Response: 0xa2,
};

function len(n: number): number[] {
  if (n < 0x80) return [n];
  const b: number[] = [];
  for (; n > 0; n >>= 8) b.unshift(n & 0xff);
  return [0x80 | b.length, ...b];
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, ...len(body.length)]), body]);
function intBody(v: number): Buffer {
  const b: number[] = [];
  let n = BigInt(Math.trunc(v));
  do {
    b.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n !== 0n && n !== -1n);
  if (v >= 0 && b[0] & 0x80) b.unshift(0);
  if (v < 0 && !(b[0] & 0x80)) b.unshift(0xff);
  return Buffer.from(b);
}
function uintBody(v: bigint): Buffer {
  const b: number[] = [];
  do {
    b.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (b[0] & 0x80) b.unshift(0);
  return Buffer.from(b);
}
function oidBody(parts: number[]): Buffer {
  const b: number[] = [parts[0] * 40 + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const s: number[] = [p & 0x7f];
    for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128)) s.unshift((n & 0x7f) | 0x80);
    b.push(...s);
  }
  return Buffer.from(b);
}

interface Reader {
  buf: Buffer;
  pos: number;
}
function read(r: Reader): { tag: number; body: Buffer } {
  const tag = r.buf[r.pos++];
  let n = r.buf[r.pos++];
  if (n & 0x80) {
    const k = n & 0x7f;
    n = 0;
    for (let i = 0; i < k; i++) n = n * 256 + r.buf[r.pos++];
  }
  const body = r.buf.subarray(r.pos, r.pos + n);
  r.pos += n;
  return { tag, body };
}
const readInt = (b: Buffer) => b.reduce((a, x) => a * 256 + x, b.length && b[0] & 0x80 ? -1 : 0) | 0;
function readOid(b: Buffer): number[] {
  const out = [Math.floor(b[0] / 40), b[0] % 40];
  let n = 0;
  for (let i = 1; i < b.length; i++) {
    n = n * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      out.push(n);
      n = 0;
    }
  }
  return out;
}

// ---- recordings ----
interface Entry {
  oid: number[];
  oidBer: Buffer;
  type: keyof typeof T;
  value: string | number | bigint;
}
const SNMPREC_TYPES: Record<string, keyof typeof T> = {
  '2': 'Integer',
  '4': 'OctetString',
  '6': 'OID',
  '64': 'IpAddress',
  '65': 'Counter32',
  '66': 'Gauge32',
  '67': 'TimeTicks',
  '70': 'Counter64',
};

function cmp(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function loadRecording(file: string): Entry[] {
  const out: Entry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [oid, tag, ...rest] = line.split('|');
    if (!oid || !tag || tag.includes(':') || oid.startsWith('#')) continue;
    const hex = tag.endsWith('x');
    const type = SNMPREC_TYPES[hex ? tag.slice(0, -1) : tag];
    if (!type) continue;
    const raw = rest.join('|');
    const text =
      type === 'IpAddress' && hex
        ? [...Buffer.from(raw, 'hex')].join('.')
        : hex
          ? Buffer.from(raw, 'hex').toString('latin1')
          : raw;
    const parts = oid.split('.').map(Number);
    if (parts.some((p) => !Number.isInteger(p))) continue;
    let value: Entry['value'];
    try {
      value =
        type === 'OctetString' || type === 'OID' || type === 'IpAddress'
          ? text
          : type === 'Counter64'
            ? BigInt(text)
            : Number(text);
    } catch {
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    out.push({ oid: parts, oidBer: tlv(T.OID, oidBody(parts)), type, value });
  }
  out.sort((a, b) => cmp(a.oid, b.oid));
  return out.filter((e, i) => i === 0 || cmp(out[i - 1].oid, e.oid) !== 0);
}

function encodeValue(e: Entry, device: number, elapsedS: number): Buffer {
  switch (e.type) {
    case 'Integer':
      return tlv(T.Integer, intBody(Number(e.value)));
    case 'OctetString':
      return tlv(T.OctetString, Buffer.from(String(e.value), 'latin1'));
    case 'OID': {
      const parts = String(e.value).replace(/^\./, '').split('.').map(Number);
      return tlv(T.OID, oidBody(parts.length >= 2 && parts.every(Number.isInteger) ? parts : [0, 0]));
    }
    case 'IpAddress': {
      const b = String(e.value).split('.').map(Number);
      return tlv(T.IpAddress, Buffer.from(b.length === 4 && b.every((x) => x >= 0 && x < 256) ? b : [0, 0, 0, 0]));
    }
    case 'Counter32':
      // Counters move at a device-specific pace so rates are real numbers, never constant zero.
      return tlv(T.Counter32, uintBody(BigInt((Number(e.value) + Math.floor(elapsedS * (1000 + device))) % 2 ** 32)));
    case 'Counter64':
      return tlv(T.Counter64, uintBody((e.value as bigint) + BigInt(Math.floor(elapsedS * (100_000 + device)))));
    case 'TimeTicks':
      return tlv(
        T.TimeTicks,
        uintBody(
          BigInt(
            Math.floor(Number(e.value) + (e.oid.join('.') === '1.3.6.1.2.1.1.3.0' ? elapsedS * 100 : 0)) % 2 ** 32,
          ),
        ),
      );
    case 'Gauge32':
      return tlv(T.Gauge32, uintBody(BigInt(Number(e.value) % 2 ** 32)));
    default:
      return tlv(T.Null, Buffer.alloc(0));
  }
}

function serve(devices: number, dataDir: string) {
  const recordings = readdirSync(dataDir)
    .filter((f) => f.endsWith('.snmprec'))
    .sort()
    .map((f) => loadRecording(join(dataDir, f)));
  const t0 = Date.now();
  const find = (data: Entry[], oid: number[]) => {
    let lo = 0;
    let hi = data.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(data[mid].oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo; // first entry > oid
  };

  function answer(sock: Socket, device: number, msg: Buffer, rinfo: { address: string; port: number }) {
    const data = recordings[device % recordings.length];
    const elapsedS = (Date.now() - t0) / 1000;
    const top = read({ buf: msg, pos: 0 });
    const r: Reader = { buf: top.body, pos: 0 };
    const version = read(r);
    const community = read(r);
    const pdu = read(r);
    const p: Reader = { buf: pdu.body, pos: 0 };
    const reqId = read(p);
    const a = readInt(read(p).body);
    const b = readInt(read(p).body);
    const vbl = read(p);
    const oids: number[][] = [];
    const vr: Reader = { buf: vbl.body, pos: 0 };
    while (vr.pos < vr.buf.length) {
      const vb = read(vr);
      oids.push(readOid(read({ buf: vb.body, pos: 0 }).body));
    }
    const out: Buffer[] = [];
    const vb = (oidBer: Buffer, value: Buffer) => out.push(tlv(T.Sequence, Buffer.concat([oidBer, value])));
    const asOid = (o: number[]) => tlv(T.OID, oidBody(o));
    const next = (o: number[]) => {
      const i = find(data, o);
      if (i >= data.length) {
        vb(asOid(o), Buffer.from([T.EndOfMibView, 0]));
        return undefined;
      }
      vb(data[i].oidBer, encodeValue(data[i], device, elapsedS));
      return data[i].oid;
    };
    if (pdu.tag === 0xa0) {
      for (const o of oids) {
        const i = find(data, o) - 1;
        if (i >= 0 && cmp(data[i].oid, o) === 0) vb(data[i].oidBer, encodeValue(data[i], device, elapsedS));
        else vb(asOid(o), Buffer.from([T.NoSuchObject, 0]));
      }
    } else if (pdu.tag === 0xa1) {
      for (const o of oids) next(o);
    } else if (pdu.tag === 0xa5) {
      const nonRep = Math.max(0, a);
      for (const o of oids.slice(0, nonRep)) next(o);
      let cursors: (number[] | undefined)[] = oids.slice(nonRep);
      for (let rep = 0; rep < Math.max(0, b) && cursors.some(Boolean); rep++) {
        cursors = cursors.map((c) => (c ? next(c) : undefined));
        if (out.reduce((s, x) => s + x.length, 0) > 1200) break; // keep the answer in one unfragmented datagram
      }
    } else return;
    const body = Buffer.concat([
      tlv(0x02, reqId.body),
      tlv(0x02, intBody(0)),
      tlv(0x02, intBody(0)),
      tlv(T.Sequence, Buffer.concat(out)),
    ]);
    const reply = tlv(
      T.Sequence,
      Buffer.concat([tlv(0x02, version.body), tlv(T.OctetString, community.body), tlv(T.Response, body)]),
    );
    sock.send(reply, rinfo.port, rinfo.address);
  }

  const tryPort = async (port: number): Promise<Socket[] | undefined> => {
    const socks: Socket[] = [];
    try {
      for (let i = 0; i < devices; i++) {
        const s = createSocket('udp4');
        socks.push(s);
        await new Promise<void>((res, rej) => {
          s.once('error', rej);
          s.bind(port, agentAddress(i), () => res());
        });
        s.on('error', () => {});
        s.on('message', (m, rinfo) => {
          try {
            answer(s, i, m, rinfo);
          } catch {
            // A request it cannot parse is dropped, as an agent would.
          }
        });
      }
      return socks;
    } catch {
      for (const s of socks) s.close();
      return undefined;
    }
  };
  (async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = 20000 + Math.floor(Math.random() * 40000);
      if (await tryPort(port)) return process.send!({ port });
    }
    process.send!({ error: 'no free port on every agent address' });
    process.exit(1);
  })();
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv[1] === new URL(import.meta.url).pathname)
  serve(Number(process.argv[2]), process.argv[3]);
