/**
 * AP changes between two polls of one controller (pure): an AP that was up and is not any more, or that left the
 * controller's list, is down; one that is up again is back. Retired APs (removed on purpose) are left out.
 */
import type { AccessPoint, WirelessSnapshot } from '../model/wireless.ts';

/** What Vigil remembers of each AP it has seen on a controller, so that one leaving the list is noticed. */
export interface KnownAp {
  id: string;
  name: string;
  lastSeen: number;
  up: boolean;
}

export interface ApChange {
  change: 'down' | 'gone' | 'up';
  ap: KnownAp;
  /** The AP's state as reported, for `down`. */
  stateRaw?: string;
}

export function apChanges(
  known: ReadonlyMap<string, KnownAp>,
  snapshot: WirelessSnapshot,
  ts: number,
  retired: ReadonlySet<string>,
): { changes: ApChange[]; known: Map<string, KnownAp> } {
  const next = new Map<string, KnownAp>();
  const changes: ApChange[] = [];
  const seen = new Set<string>();
  for (const ap of snapshot.aps as AccessPoint[]) {
    if (retired.has(ap.id)) continue;
    seen.add(ap.id);
    const up = ap.state === 'up';
    const entry: KnownAp = { id: ap.id, name: ap.name, lastSeen: ts, up };
    const before = known.get(ap.id);
    if (before?.up && !up) changes.push({ change: 'down', ap: entry, stateRaw: ap.stateRaw });
    else if (before && !before.up && up) changes.push({ change: 'up', ap: entry });
    next.set(ap.id, entry);
  }
  for (const [id, before] of known) {
    if (seen.has(id) || retired.has(id)) continue;
    if (before.up) changes.push({ change: 'gone', ap: { ...before, up: false } });
    next.set(id, { ...before, up: false });
  }
  return { changes, known: next };
}
