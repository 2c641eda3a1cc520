/**
 * What a person types in a log search (pure): words, "quoted phrases", `word*` prefixes and `-word` exclusions,
 * and the same query applied in memory to live lines, with the tokens of the store's full-text index: runs of
 * letters and digits, case-folded, diacritics removed (SQLite's unicode61 with remove_diacritics 2), so that the
 * live stream selects what a later search finds.
 */

export interface Term {
  text: string;
  prefix: boolean;
  negative: boolean;
}

/** Words, "quoted phrases", `word*` prefixes and `-word` exclusions of what a person typed. */
export function parseTerms(q: string | undefined): Term[] {
  const out: Term[] = [];
  if (!q) return out;
  const re = /(-?)"([^"]*)"|(\S+)/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    let negative = m[1] === '-';
    // A stray quote in an unquoted word is dropped rather than taken literally.
    let text = m[2] ?? m[3].replace(/"/g, '');
    if (m[3] !== undefined && text.startsWith('-') && text.length > 1) {
      negative = true;
      text = text.slice(1);
    }
    const prefix = m[3] !== undefined && text.endsWith('*');
    if (prefix) text = text.slice(0, -1);
    // Terms without a letter or digit tokenise to nothing under unicode61 and would match nothing.
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    out.push({ text, prefix, negative });
  }
  return out;
}

/** The text's tokens as the log index cuts and folds them. */
export function logTokens(text: string): string[] {
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '') : text;
  return folded.toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

/** Whether `tokens` holds `term` as consecutive tokens, its last one as a prefix when asked. */
function holds(tokens: string[], term: string[], prefix: boolean): boolean {
  const last = term.length - 1;
  for (let i = 0; i + last < tokens.length; i++) {
    let k = 0;
    while (k < last && tokens[i + k] === term[k]) k++;
    if (k === last && (prefix ? tokens[i + k].startsWith(term[k]) : tokens[i + k] === term[k])) return true;
  }
  return false;
}

/**
 * A test of messages against a text query: every word or phrase present as consecutive tokens, no excluded one.
 * A query with no searchable term matches every line, as the stored search then applies only the other filters.
 */
export function textMatcher(q: string | undefined): (message: string) => boolean {
  const terms = parseTerms(q).map((t) => ({ tokens: logTokens(t.text), prefix: t.prefix, negative: t.negative }));
  if (!terms.length) return () => true;
  return (message) => {
    const tokens = logTokens(message);
    for (const t of terms) {
      const found = t.tokens.length > 0 && holds(tokens, t.tokens, t.prefix);
      if (found === t.negative) return false;
    }
    return true;
  };
}
