/**
 * The benches' UDP sender, udp-blast.c: building it with `cc`, and its packet file (each packet as a 2-byte
 * big-endian length, then its bytes).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Compiles udp-blast.c into `dir`; returns the executable's path (throws without a C compiler). */
export function buildUdpBlast(dir: string): string {
  const exe = join(dir, 'udp-blast');
  execFileSync('cc', ['-O2', '-o', exe, fileURLToPath(new URL('./udp-blast.c', import.meta.url))], { stdio: 'pipe' });
  return exe;
}

/** Writes `packets` in udp-blast's packet-file format. */
export function writePacketFile(file: string, packets: Iterable<Buffer>): void {
  const parts: Buffer[] = [];
  for (const p of packets) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(p.length);
    parts.push(len, p);
  }
  writeFileSync(file, Buffer.concat(parts));
}
