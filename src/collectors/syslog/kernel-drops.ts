/**
 * UDP datagrams the kernel dropped before Vigil could read them. Two views: the system-wide Udp/Udp6
 * RcvbufErrors and InErrors of /proc/net/snmp{,6} (every UDP socket on the host counts there, so only the delta since
 * start is reported), and the per-socket `drops` column of /proc/net/udp{,6} for our port, which is Vigil's own.
 * Off Linux every figure is undefined.
 */
import { readFileSync } from 'node:fs';

export interface UdpSystemCounters {
  rcvbufErrors: number;
  inErrors: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses the `Udp:` header/value line pair of /proc/net/snmp and the `Udp6*` lines of /proc/net/snmp6. */
export function parseUdpSnmp(snmp: string | undefined, snmp6: string | undefined): UdpSystemCounters | undefined {
  if (!snmp) return undefined;
  const lines = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
  if (lines.length < 2) return undefined;
  const names = lines[0].trim().split(/\s+/);
  const values = lines[1].trim().split(/\s+/).map(Number);
  const get = (n: string) => values[names.indexOf(n)] ?? 0;
  let rcvbufErrors = get('RcvbufErrors');
  let inErrors = get('InErrors');
  for (const line of snmp6?.split('\n') ?? []) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === 'Udp6RcvbufErrors') rcvbufErrors += Number(v) || 0;
    if (k === 'Udp6InErrors') inErrors += Number(v) || 0;
  }
  return { rcvbufErrors, inErrors };
}

/** Sum of the `drops` column of /proc/net/udp{,6} rows whose local port is `port`. */
export function parseSocketDrops(tables: (string | undefined)[], port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let found = false;
  let drops = 0;
  for (const table of tables) {
    for (const line of table?.split('\n').slice(1) ?? []) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 13 || !cols[1]?.endsWith(`:${hexPort}`)) continue;
      found = true;
      drops += Number(cols[cols.length - 1]) || 0;
    }
  }
  return found ? drops : undefined;
}

export const readUdpSystemCounters = () => parseUdpSnmp(read('/proc/net/snmp'), read('/proc/net/snmp6'));
export const readSocketDrops = (port: number) =>
  parseSocketDrops([read('/proc/net/udp'), read('/proc/net/udp6')], port);
