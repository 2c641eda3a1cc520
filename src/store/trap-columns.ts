/**
 * Traps in columns, the form in which a batch crosses to the writer thread and reaches the store (pure).
 * Copying between threads costs per object and per property, and JSON-encoding varbinds costs the receiving
 * thread most of its time after the socket: here a batch is typed arrays (moved, not copied), the distinct strings
 * of its text fields once each (a storm repeats the same few sources, versions and trap OIDs), and the varbinds as
 * the BER the device sent whenever the receiver kept it (`WIRE_VARBINDS`).
 * The community is not carried: it is a secret and is never stored.
 */
import { WIRE_VARBINDS, type TrapRecord } from '../model/records.ts';

/** Texts per trap, in this order; '' stands for an absent deviceId or user. */
export const TRAP_TEXTS = 7;

export interface TrapColumns {
  count: number;
  /** Per trap: receivedTs, then uptimeCs (NaN when absent). */
  numbers: Float64Array;
  /** Per trap: sourceAddress, agentAddress, deviceId, version, pduType, user, trapOid, as indexes into `strings`. */
  texts: Uint32Array;
  strings: string[];
  /** Per trap, its varbinds: bytes from the previous trap's end up to `ends[i]`. */
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Per trap, 1 when its bytes are the BER varbind list as received, 0 when they are the varbinds as UTF-8 JSON. */
  ber: Uint8Array;
}

/** Packs traps into columns. */
export function packTraps(traps: readonly TrapRecord[]): TrapColumns {
  const n = traps.length;
  const numbers = new Float64Array(2 * n);
  const texts = new Uint32Array(TRAP_TEXTS * n);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const id = (text: string): number => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.push(text) - 1;
      index.set(text, i);
    }
    return i;
  };
  const ends = new Uint32Array(n);
  const ber = new Uint8Array(n);
  const json: (string | undefined)[] = new Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const t = traps[i];
    const wire = t[WIRE_VARBINDS];
    if (wire) {
      ber[i] = 1;
      size += wire.length;
    } else {
      const j = JSON.stringify(t.varbinds);
      json[i] = j;
      size += Buffer.byteLength(j);
    }
  }
  // Its own ArrayBuffer (not a slice of Node's shared pool), so that it can be moved to another thread.
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const t = traps[i];
    numbers[2 * i] = t.receivedTs;
    numbers[2 * i + 1] = t.uptimeCs ?? NaN;
    const k = TRAP_TEXTS * i;
    texts[k] = id(t.sourceAddress);
    texts[k + 1] = id(t.agentAddress);
    texts[k + 2] = id(t.deviceId ?? '');
    texts[k + 3] = id(t.version);
    texts[k + 4] = id(t.pduType);
    texts[k + 5] = id(t.user ?? '');
    texts[k + 6] = id(t.trapOid);
    const wire = t[WIRE_VARBINDS];
    if (wire) {
      bytes.set(wire, at);
      at += wire.length;
    } else at += bytes.write(json[i]!, at);
    ends[i] = at;
  }
  return { count: n, numbers, texts, strings, bytes, ends, ber };
}

/** The buffers to move (not copy) with `postMessage`. */
export const trapColumnBuffers = (c: TrapColumns): ArrayBuffer[] =>
  [c.numbers.buffer, c.texts.buffer, c.bytes.buffer, c.ends.buffer, c.ber.buffer] as ArrayBuffer[];
