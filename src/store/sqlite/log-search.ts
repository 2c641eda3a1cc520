import { parseTerms, type Term } from '../log-terms.ts';
import type { Database } from './driver.ts';

/** The one tokenizer of the log index and of the exact check, so both cut and fold text the same way. */
export const LOG_TOKENIZER = "tokenize='unicode61 remove_diacritics 2'";

const quote = (text: string, prefix: boolean) => `"${text.replace(/"/g, '""')}"${prefix ? '*' : ''}`;

/**
 * Turns what a person types into a safe FTS5 query: words and "quoted phrases" are ANDed, `word*` is a prefix,
 * `-word` excludes. Every term is quoted, so FTS5 operators and punctuation in logs (IPs, %LINK-3-UPDOWN) never
 * become syntax errors. Returns undefined when nothing searchable is left. This is the exact meaning of a query;
 * it runs as is only against an index that keeps positions (see `createLogSearch`).
 */
export function ftsQuery(q: string | undefined): string | undefined {
  const terms = parseTerms(q);
  const positive = terms.filter((t) => !t.negative).map((t) => quote(t.text, t.prefix));
  if (!positive.length) return undefined;
  return (
    positive.join(' AND ') +
    terms
      .filter((t) => t.negative)
      .map((t) => ` NOT ${quote(t.text, t.prefix)}`)
      .join('')
  );
}

/** How a text query runs against the position-less log index. */
export interface TextSearch {
  /** MATCH for `logs_fts` (detail=none): each term's tokens ANDed; single-token exclusions as NOT. */
  index: string;
  /** The exact query (`ftsQuery`) that candidates must also match, when some term spans several tokens. */
  exact?: string;
  /**
   * A query of exclusions only (FTS5 has no NOT without a positive term): `index` (when not empty) is the OR of the
   * single-token exclusions, rows matching it are left out, and rows matching `exact` (the OR of every excluded term,
   * given when one spans several tokens) are dropped by the exact check instead of kept.
   */
  exclude?: boolean;
}

/**
 * Text search over an FTS5 index without positions (`detail=none`, a third of the index writes of `detail=full`).
 * Phrases and multi-token terms (IP addresses, `%LINK-3-UPDOWN`, paths) go to the index as the AND of their tokens;
 * the candidates are then checked exactly against the full query by a small scratch FTS5 table with positions and the
 * same tokenizer (in the connection's temp schema), so phrase, prefix and exclusion meanings stay exactly those of
 * `detail=full`, folding and token boundaries included. Query terms are tokenised by SQLite itself for the same reason.
 */
export function createLogSearch(db: Database) {
  let stmts: ReturnType<typeof prepare> | undefined;
  function prepare() {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.logs_probe USING fts5(message, content='', columnsize=0, ${LOG_TOKENIZER});
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.logs_probe_tokens USING fts5vocab(temp, logs_probe, instance);`);
    const add = db.prepare('INSERT INTO temp.logs_probe (rowid, message) VALUES (?, ?)');
    const clear = db.prepare("INSERT INTO temp.logs_probe (logs_probe) VALUES ('delete-all')");
    const tokens = db.prepare('SELECT doc, term FROM temp.logs_probe_tokens ORDER BY doc, offset');
    const matching = db.prepare('SELECT rowid FROM temp.logs_probe WHERE logs_probe MATCH ?').pluck();
    const load = db.transaction((rows: { id: number; message: string }[]) => {
      clear.run();
      for (const r of rows) add.run(r.id, r.message);
    });
    // Stored lines are copied inside SQLite in one statement: ~10x faster than one insert call per line.
    const copyLogs = db.prepare(
      'INSERT INTO temp.logs_probe (rowid, message) SELECT id, message FROM logs WHERE id IN (SELECT value FROM json_each(?))',
    );
    const loadLogs = db.transaction((ids: number[]) => {
      clear.run();
      copyLogs.run(JSON.stringify(ids));
    });
    return { clear, tokens, matching, load, loadLogs };
  }
  // Not kept when made inside a transaction: were it undone, the scratch tables would go with it.
  const ready = () => stmts ?? (db.inTransaction ? prepare() : (stmts = prepare()));

  /** Each term's tokens as the index folded them. */
  function tokenize(terms: Term[]): string[][] {
    const s = ready();
    s.load(terms.map((t, i) => ({ id: i + 1, message: t.text })));
    const out: string[][] = terms.map(() => []);
    for (const r of s.tokens.all() as { doc: number; term: string }[]) out[r.doc - 1].push(r.term);
    s.clear.run();
    return out;
  }

  return {
    /** Index query and, when needed, the exact query; undefined when nothing searchable is left. */
    plan(q: string | undefined): TextSearch | undefined {
      const terms = parseTerms(q);
      if (terms.length && terms.every((t) => t.negative)) {
        const tokens = tokenize(terms);
        const singles = terms.flatMap((t, i) => (tokens[i].length === 1 ? [quote(tokens[i][0], t.prefix)] : []));
        const spanning = tokens.some((toks) => toks.length > 1);
        const exact = spanning ? terms.map((t) => quote(t.text, t.prefix)).join(' OR ') : undefined;
        return { index: singles.join(' OR '), exact, exclude: true };
      }
      const exact = ftsQuery(q);
      if (!exact) return undefined;
      const tokens = tokenize(terms);
      const must: string[] = [];
      const not: string[] = [];
      let approximate = false;
      terms.forEach((t, i) => {
        const toks = tokens[i];
        if (toks.length !== 1) approximate = true;
        if (t.negative) {
          // Excluding every row with all the words would drop rows that lack the phrase: only the exact check can.
          if (toks.length === 1) not.push(quote(toks[0], t.prefix));
          return;
        }
        // A term with no token matches nothing under detail=full; as a token-less phrase it does the same here.
        if (!toks.length) must.push(quote(t.text, false));
        toks.forEach((tok, k) => must.push(quote(tok, t.prefix && k === toks.length - 1)));
      });
      const index = must.join(' AND ') + not.map((n) => ` NOT ${n}`).join('');
      return approximate ? { index, exact } : { index };
    },
    /** Those of the given stored log ids whose message matches `exact`. */
    exactIds(ids: number[], exact: string): Set<number> {
      const s = ready();
      s.loadLogs(ids);
      const matched = new Set(s.matching.all(exact) as number[]);
      s.clear.run();
      return matched;
    },
  };
}
export type LogSearch = ReturnType<typeof createLogSearch>;
