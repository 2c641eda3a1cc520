/**
 * Globs in rules (`host: "core-*"`, `components: { ifName: "Te*" }`), matched without a regular expression: a glob
 * compiled to `^.*a.*a.*…$` backtracks, and one syslog line with a long host name against `*a*a*a*a*a*a*!` stalled
 * the thread that receives everything for seconds. This is the two-pointer wildcard match: on a mismatch it goes
 * back only to the last `*`, so it runs in O(pattern × value) at worst.
 *
 * `*` matches any run of characters (newlines too), `?` exactly one; letters match either case, with the case
 * folding of a JavaScript regex's i flag (so `k` matches `K`, not the Kelvin sign; `ß` does not match `SS`).
 */

/** One UTF-16 unit with the i flag's folding (ECMA-262 Canonicalize without u): upper case when that is one unit, never non-ASCII to ASCII. */
function canonical(unit: string): string {
  const code = unit.charCodeAt(0);
  if (code < 128) return code >= 97 && code <= 122 ? String.fromCharCode(code - 32) : unit;
  const upper = unit.toUpperCase();
  return upper.length === 1 && upper.charCodeAt(0) >= 128 ? upper : unit;
}

/** `text` with every unit folded, so that case-insensitive equality is `===` on units. */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += canonical(text[i]);
  return out;
}

/** Whether folded `value` matches folded `pattern`, in O(pattern × value) time and O(1) space. */
function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1; // position of the last `*` seen in the pattern
  let resume = 0; // the value position that `*` has swallowed up to
  while (v < value.length) {
    const c = pattern[p];
    if (p < pattern.length && c !== '*' && (c === '?' || c === value[v])) {
      p++;
      v++;
    } else if (c === '*') {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      // Let the last `*` take one more character and retry what follows it; earlier stars never need revisiting.
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Compiles a case-insensitive glob with `*` and `?` into a test that runs in linear time per pattern character.
 * @example globMatcher('Gi0/*')('gi0/24') // true
 */
export function globMatcher(pattern: string): (value: string) => boolean {
  const folded = fold(pattern);
  return (value) => wildcardMatch(folded, fold(value));
}
