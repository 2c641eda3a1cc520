/**
 * Opaque page cursors, the same on every backend: a client may keep one across a change of backend, so these forms
 * never change. A cursor this server did not hand out is refused: taken as "no cursor" it would start the list over
 * and hand out again what was already seen.
 */
import { VigilError } from '../model/errors.ts';

const notOurs = () => new VigilError('VIGIL_BAD_REQUEST', 'cursor: not a cursor this server returned');

/** Logs: the id of the last line returned, as `l<id>`. */
export const encodeLogCursor = (id: number) => Buffer.from(`l${id}`).toString('base64url');
export function decodeLogCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = Number(text.slice(1));
  if (text[0] !== 'l' || !Number.isSafeInteger(id)) throw notOurs();
  return id;
}

/** Traps: the id of the last trap returned, as `<id>` (older versions' `<ts>:<id>` is still taken). */
export const encodeTrapCursor = (id: number) => Buffer.from(String(id)).toString('base64url');
export function decodeTrapCursor(cursor: string): number {
  const m = /^(?:\d+:)?(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw notOurs();
  return Number(m[1]);
}

/** Events: the last event returned, as the JSON `[lastSeen, id]`. */
export const encodeEventCursor = (lastSeen: number, id: string) =>
  Buffer.from(JSON.stringify([lastSeen, id])).toString('base64url');
export function decodeEventCursor(cursor: string): [number, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    v = undefined;
  }
  if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  throw notOurs();
}
