/**
 * Log search on PostgreSQL with SQLite's meaning (see ../contract/log-search.ts and ../sqlite/log-search.ts): the
 * message is cut into tokens as SQLite's `unicode61 remove_diacritics 2` cuts it (runs of letters and digits,
 * case-folded, Latin diacritics removed, everything else a separator), and a query's terms are cut by the same
 * function, in PostgreSQL, never in TypeScript.
 *
 * PostgreSQL's text search parser does not cut that way: it keeps hosts, paths, versions, hyphenated words and
 * numbers like 1.5e3 whole. So the text is first rewritten by `vigil_log_words` into those tokens separated by
 * spaces, which the parser then only splits at the spaces (`to_tsvector('simple', ...)`: no stemming, no stop words,
 * positions kept for phrases). Two details make the parser's answer exactly the list of tokens:
 * - It reads digits, `e` and digits as one number (`550e8400e29b` would become `550e8400` and `e29b`), so every `e` is
 *   written `eq` and every `q` `qq`. That code is prefix-free: a word is a prefix of another exactly when its code is
 *   a prefix of the other's, so `word*` keeps its meaning. The index holds the coded words; only this file sees them.
 * - The database's own locale may not classify letters (a C locale knows only ASCII), so case folding and the
 *   letter-or-digit test run under ICU's root collation (`und-x-icu`) when the server has ICU.
 * ASCII-only text, most of any log, takes a path of plain replacements: several times faster than the regular
 * expression the rest needs. Diacritics go by decomposing (NFD) and dropping the marks SQLite drops after a Latin
 * letter, not by `unaccent`, which also spells out ligatures and letters SQLite keeps (æ → ae, ß → ss, ø → o).
 * Checked against SQLite's tokenizer itself (SQLite 3.53): 100,000 random strings of each of ASCII (with `e`, `q` and
 * digits), Latin with diacritics, Greek and Cyrillic, Hangul with CJK punctuation gave the same tokens. Code point by
 * code point, the differences left are outside what logs hold in practice: characters newer than SQLite's Unicode
 * tables (letters there, separators here), private-use characters (dropped there), numbers that are not digits (`²`,
 * `½`, `①`: letters there, separators here), and a few foldings (Ǡ, the Ångström sign, Greek symbol forms such as ϐ,
 * Cherokee and Georgian capitals). PostgreSQL's own limits apply too: a token over 2,047 bytes is not indexed, and
 * positions stop at 16,383, so a phrase further into one message than that is not found.
 */
import { parseTerms } from '../log-terms.ts';
import type { Db } from './db.ts';

/**
 * The printable ASCII characters that are neither letters nor digits: each one only separates tokens. (The parser
 * already takes spaces and control characters for blanks.)
 */
const ASCII_SEPARATORS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Combining marks SQLite's `remove_diacritics 2` drops (the others separate tokens there, as here). */
const DIACRITICS = '\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d\\u032e\\u0330\\u0331';

/**
 * The migration that creates the search functions. `collate` names the collation under which non-ASCII text is folded
 * and classified: ICU's root when the server has it.
 */
function functions(collate: string): string {
  let ascii = 'lower(t COLLATE "C")';
  for (const c of ASCII_SEPARATORS) ascii = `replace(${ascii}, '${c === "'" ? "''" : c}', ' ')`;
  // Non-STRICT SQL functions of one expression: PostgreSQL inlines them into the generated column and the queries.
  return `
CREATE FUNCTION vigil_log_words_ascii(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $f$ SELECT ${ascii} $f$;
CREATE FUNCTION vigil_log_words_unicode(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $f$ SELECT replace(replace(replace(regexp_replace(
    CASE WHEN t ~ '[\\u00c0-\\u024f\\u1e00-\\u1eff\\u0300-\\u036f]'
      THEN normalize(regexp_replace(normalize(regexp_replace(lower(t ${collate}), '[${DIACRITICS}]+', '', 'g'), NFD),
        '(?<=[a-z])[${DIACRITICS}]+', '', 'g'), NFC)
      ELSE lower(t ${collate}) END ${collate},
    '[^[:alnum:]]+', ' ', 'g'), 'ς', 'σ'), 'µ', 'μ'), 'ſ', 's') $f$;
CREATE FUNCTION vigil_log_words(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $f$ SELECT replace(replace(
    CASE WHEN t ~ '[^\\x01-\\x7f]' THEN vigil_log_words_unicode(t) ELSE vigil_log_words_ascii(t) END,
    'q', 'qq'), 'e', 'eq') $f$;
CREATE FUNCTION vigil_log_tsvector(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $f$ SELECT to_tsvector('pg_catalog.simple'::regconfig, vigil_log_words(t)) $f$;`;
}

/** `s` as a dollar-quoted SQL string. */
function sqlDollar(s: string): string {
  if (s.includes('$q$')) throw new Error('the search functions hold $q$');
  return `$q$${s}$q$`;
}

/**
 * The migration of the search functions: refuses a database that is not UTF-8 (messages hold any script), and folds
 * under ICU's root collation when the server was built with ICU, else under the database's own locale.
 */
export const LOG_SEARCH_FUNCTIONS = `DO $do$
BEGIN
  IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
    RAISE EXCEPTION 'the Vigil log store needs a UTF8 database (this one is %)', pg_catalog.getdatabaseencoding();
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collname = 'und-x-icu') THEN
    EXECUTE ${sqlDollar(functions('COLLATE "und-x-icu"'))};
  ELSE
    EXECUTE ${sqlDollar(functions(''))};
  END IF;
END
$do$;`;

/**
 * The tsquery of what a person typed (`parseTerms`): terms ANDed, each a phrase of its tokens (the last one a
 * prefix for `word*`), exclusions as NOT. Each term is cut by `vigil_log_words` in PostgreSQL. Undefined when no term
 * is left to filter by; null when a wanted term holds no token at all, so that nothing can match (as on SQLite).
 */
export async function logTsQuery(db: Db, q: string | undefined): Promise<string | null | undefined> {
  const terms = parseTerms(q);
  if (!terms.length) return undefined;
  const rows = await db.rows<{ q: string }>(
    `SELECT phraseto_tsquery('pg_catalog.simple'::regconfig, vigil_log_words(t))::text AS q
     FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i) ORDER BY i`,
    [terms.map((t) => t.text)],
  );
  const parts: string[] = [];
  for (const [i, t] of terms.entries()) {
    const phrase = rows[i]?.q ?? '';
    if (!phrase) {
      if (t.negative) continue;
      return null;
    }
    const term = `(${phrase}${t.prefix ? ':*' : ''})`;
    parts.push(t.negative ? `!${term}` : term);
  }
  return parts.length ? parts.join(' & ') : undefined;
}
