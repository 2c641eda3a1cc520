#!/usr/bin/env node
// An snmpd `pass_persist` handler serving BRIDGE-MIB for one Linux bridge, because Debian's snmpd has no bridge
// module: dot1dBaseBridgeAddress/NumPorts/Type, dot1dBasePortTable (port → ifIndex) and dot1dTpFdbTable (MAC → port,
// learned(3) or self(4)), read from `ip -d -j link` and `bridge -j fdb show br <bridge>`. Run inside the bridge's
// network namespace (snmpd started with `ip netns exec` passes its namespace on), from snmpd.conf:
//   pass_persist .1.3.6.1.2.1.17 /usr/bin/node /path/bridge-pass-persist.mjs br0
// Protocol (snmpd.conf(5), PASS-THROUGH CONTROL): `PING` → `PONG`; `get`/`getnext` + an OID line → the OID, type and
// value lines, or `NONE`; `set` + OID + value → `not-writable`.
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const bridge = process.argv[2] ?? 'br0';
const BASE = '1.3.6.1.2.1.17';
/** A walk is a burst of getnexts: one reading of the tables serves it, and a later walk sees new entries. */
const CACHE_MS = 500;

const json = (cmd, args) => JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000 }) || '[]');
const macSubIds = (mac) => mac.split(':').map((h) => Number.parseInt(h, 16));
const isUnicast = (mac) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) && (macSubIds(mac)[0] & 1) === 0;
const octets = (mac) =>
  macSubIds(mac)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(' ');

/** Numeric OID comparison. */
function compare(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Every object served, as [sub-identifiers, type, value] sorted by OID. */
function readRows() {
  const links = json('ip', ['-d', '-j', 'link', 'show']);
  const br = links.find((l) => l.ifname === bridge);
  if (!br) return [];
  const ports = links
    .filter((l) => l.master === bridge)
    .map((l) => ({ ifname: l.ifname, ifindex: l.ifindex, no: Number.parseInt(l.linkinfo?.info_slave_data?.no, 16) }))
    .filter((p) => Number.isInteger(p.no) && p.no > 0);
  const portByName = new Map(ports.map((p) => [p.ifname, p]));
  // One row per MAC (the table is indexed by MAC alone): learned before self, as a switch shows its own address once.
  const fdb = new Map();
  for (const e of json('bridge', ['-j', 'fdb', 'show', 'br', bridge])) {
    const mac = String(e.mac ?? '').toLowerCase();
    if (!isUnicast(mac) || (e.master !== bridge && e.ifname !== bridge)) continue;
    const port = e.ifname === bridge ? 0 : (portByName.get(e.ifname)?.no ?? 0);
    const status = e.state === 'permanent' || e.ifname === bridge ? 4 : 3;
    const prev = fdb.get(mac);
    if (!prev || (prev.status === 4 && status === 3)) fdb.set(mac, { mac, port, status });
  }
  const b = BASE.split('.').map(Number);
  const rows = [
    [[...b, 1, 1, 0], 'octet', octets(String(br.address))],
    [[...b, 1, 2, 0], 'integer', String(ports.length)],
    [[...b, 1, 3, 0], 'integer', '2'], // transparent-only
  ];
  for (const p of ports) {
    rows.push([[...b, 1, 4, 1, 1, p.no], 'integer', String(p.no)]);
    rows.push([[...b, 1, 4, 1, 2, p.no], 'integer', String(p.ifindex)]);
  }
  for (const e of fdb.values()) {
    const index = macSubIds(e.mac);
    rows.push([[...b, 4, 3, 1, 1, ...index], 'octet', octets(e.mac)]);
    rows.push([[...b, 4, 3, 1, 2, ...index], 'integer', String(e.port)]);
    rows.push([[...b, 4, 3, 1, 3, ...index], 'integer', String(e.status)]);
  }
  return rows.sort((x, y) => compare(x[0], y[0]));
}

let cached = { at: 0, rows: [] };
function rows() {
  if (Date.now() - cached.at > CACHE_MS) {
    try {
      cached = { at: Date.now(), rows: readRows() };
    } catch (e) {
      process.stderr.write(`bridge-pass-persist: ${e.message}\n`);
      cached = { at: Date.now(), rows: [] };
    }
  }
  return cached.rows;
}

const parseOid = (text) =>
  text
    .trim()
    .replace(/^\./, '')
    .split('.')
    .filter((s) => s !== '')
    .map(Number);

function answer(command, oidText) {
  const oid = parseOid(oidText);
  if (oid.some((n) => !Number.isInteger(n) || n < 0)) return 'NONE';
  const all = rows();
  const hit = command === 'get' ? all.find((r) => compare(r[0], oid) === 0) : all.find((r) => compare(r[0], oid) > 0);
  return hit ? `.${hit[0].join('.')}\n${hit[1]}\n${hit[2]}` : 'NONE';
}

// The protocol is line based and strictly request/response: a small state machine over stdin's lines.
let pending = [];
const out = (text) => process.stdout.write(`${text}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (pending.length === 0) {
    const command = line.trim().toLowerCase();
    if (command === 'ping') out('PONG');
    else if (command === 'get' || command === 'getnext' || command === 'set') pending = [command];
    else if (command !== '') out('NONE');
    return;
  }
  pending.push(line);
  const [command, oid] = pending;
  if (command === 'set') {
    if (pending.length < 3) return;
    out('not-writable');
  } else out(answer(command, oid));
  pending = [];
});
