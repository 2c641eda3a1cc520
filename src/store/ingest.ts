import type { BatchSource } from '../bus/types.ts';
import type { BusRecord } from '../model/records.ts';

/**
 * The records of `batch` still to store: those of the batches in `fresh` (claimed now, see `IngestStore`), and any
 * not in a batch with an id at all.
 */
export function freshRecords(
  batch: BusRecord[],
  sources: readonly BatchSource[],
  fresh: ReadonlySet<string>,
): BusRecord[] {
  if (sources.every((s) => fresh.has(s.id))) return batch;
  const covered = new Uint8Array(batch.length);
  const out: BusRecord[] = [];
  for (const s of sources) {
    covered.fill(1, s.start, s.end);
    if (fresh.has(s.id)) for (let i = s.start; i < s.end; i++) out.push(batch[i]);
  }
  for (let i = 0; i < batch.length; i++) if (!covered[i]) out.push(batch[i]);
  return out;
}
