/** A small independent reader of .snmprec files, so tests compute their expectations from the recording itself. */
import { readFileSync } from 'node:fs';

export interface RecEntry {
  oid: string;
  tag: string;
  /** Raw bytes for OCTET STRING values (hex tags decoded), else undefined. */
  bytes?: Buffer;
  text: string;
  /** True when a variation module computes the value (e.g. `67:numeric`): not a fixed value. */
  dynamic: boolean;
}

export function readSnmprec(path: string): Map<string, RecEntry> {
  const out = new Map<string, RecEntry>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const a = line.indexOf('|');
    const b = line.indexOf('|', a + 1);
    if (a < 0 || b < 0) continue;
    const oid = line.slice(0, a);
    const tag = line.slice(a + 1, b);
    const value = line.slice(b + 1);
    const dynamic = tag.includes(':');
    const base = tag.split(':')[0];
    const hex = base.endsWith('x');
    const type = hex ? base.slice(0, -1) : base;
    let bytes: Buffer | undefined;
    if (type === '4') bytes = hex ? Buffer.from(value, 'hex') : Buffer.from(value, 'utf8');
    out.set(oid, { oid, tag: type, bytes, text: bytes ? bytes.toString('utf8') : value, dynamic });
  }
  return out;
}

/** Expected interfaces: the indexes ifTable has (ifXTable's when ifTable is empty), named ifName, else ifDescr, else "ifIndex N". */
export function expectedInterfaces(rec: Map<string, RecEntry>): { ifIndex: number; name: string }[] {
  const IF = '1.3.6.1.2.1.2.2.1.';
  const IFX = '1.3.6.1.2.1.31.1.1.1.';
  const idx = (prefix: string) => {
    const s = new Set<number>();
    for (const oid of rec.keys())
      if (oid.startsWith(prefix)) {
        const rest = oid.slice(prefix.length).split('.');
        if (rest.length === 2) s.add(Number(rest[1]));
      }
    return s;
  };
  let indexes = idx(IF);
  if (!indexes.size) indexes = idx(IFX);
  const str = (oid: string) => {
    const e = rec.get(oid);
    return e?.bytes ? e.bytes.toString('utf8').replace(/\u0000$/, '') : undefined;
  };
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => {
      const name = str(`${IFX}1.${i}`);
      const descr = str(`${IF}2.${i}`);
      return { ifIndex: i, name: name?.trim() ? name : descr?.trim() ? descr : `ifIndex ${i}` };
    });
}
