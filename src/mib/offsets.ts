/**
 * The entry that holds byte `pos` in a table of start offsets (ascending; the last entry is the end): the largest
 * index whose start is at or before `pos`. Binary search.
 * @example entryAt(new Uint32Array([0, 4, 9]), 5) // 1
 */
export function entryAt(starts: ArrayLike<number>, pos: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
