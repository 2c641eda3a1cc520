/**
 * A pull lexer for SMI text. It walks the bytes (no regex per char) because the whole corpus is hundreds of
 * megabytes and the lexer is most of the compile time. It reads a Buffer, not a string, so that every token text
 * it hands out is a fresh copy: substrings of a file's string would keep the whole file alive for as long as one
 * name from it is (V8 slices), and a 5,000-file collection would stay in memory through the compile.
 * Strings are not made unless asked (`text()`), since most of them are DESCRIPTIONs that hot paths never read.
 */
import type { SyntaxSpec } from './ast.ts';

/** Token types (plain numbers: cheapest to compare in the hot loop). */
export const TOK_EOF = 0;
export const TOK_IDENT = 1;
export const TOK_NUMBER = 2;
export const TOK_STRING = 3;
/** `'0A'H` or `'0101'B`. */
export const TOK_BINARY = 4;
export const TOK_PUNCT = 5;

const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentPart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Current token type / text, read through functions so TypeScript does not narrow them across `next()`. */
export const tt = (lx: Lexer): number => lx.t;
export const vv = (lx: Lexer): string => lx.v;

export class Lexer {
  readonly src: Buffer;
  pos = 0;
  /** Current token: type, start and end offsets, and its text for idents, numbers and punctuation. */
  t = TOK_EOF;
  s = 0;
  e = 0;
  v = '';
  /** While set, idents and numbers are not copied out (v is ''): for bodies the parser skips. */
  lite = false;
  /**
   * One copy of each identifier and number text across every file of a compile: 570,000 definitions repeat the same
   * parents, types, access and status words, enumeration labels and index names, and a copy each would double the
   * parsed corpus in memory.
   */
  private readonly pool: Map<string, string>;
  /** Likewise one object for each distinct SYNTAX (never changed after parsing): 390,000 specs, ~40,000 distinct. */
  private readonly specs: Map<string, SyntaxSpec>;

  constructor(src: Buffer | string, pool: Map<string, string> = new Map(), specs: Map<string, SyntaxSpec> = new Map()) {
    this.src = typeof src === 'string' ? Buffer.from(src, 'latin1') : src;
    this.pool = pool;
    this.specs = specs;
  }

  /** The shared copy of a syntax spec equal to `spec`. */
  internSpec(spec: SyntaxSpec): SyntaxSpec {
    const key = JSON.stringify(spec);
    const had = this.specs.get(key);
    if (had) return had;
    this.specs.set(key, spec);
    return spec;
  }

  private word(from: number, to: number): string {
    const s = this.src.toString('latin1', from, to);
    const had = this.pool.get(s);
    if (had !== undefined) return had;
    this.pool.set(s, s);
    return s;
  }

  /** The source bytes [from, to) as a latin1 string (a copy). */
  slice(from: number, to: number): string {
    return this.src.toString('latin1', from, to);
  }

  /** Advances to the next token and returns its type. */
  next(): number {
    const src = this.src;
    const n = src.length;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        this.pos = this.s = this.e = n;
        this.v = '';
        return (this.t = TOK_EOF);
      }
      const c = src[p];
      if (c <= 32 || c === 0xa0) {
        p++;
        continue;
      }
      if (c === 45 && src[p + 1] === 45) {
        // `--` comment: ends at the next `--` or at the end of the line (X.208 rule).
        p += 2;
        for (;;) {
          if (p >= n) break;
          const d = src[p];
          if (d === 10 || d === 13) break;
          if (d === 45 && src[p + 1] === 45) {
            p += 2;
            // A lone `-` after a closed comment on a rule line (`-----`) is still decoration.
            if (src[p] === 45 && src[p + 1] !== 45 && !isDigit(src[p + 1])) p++;
            break;
          }
          p++;
        }
        continue;
      }
      this.s = p;
      if (isIdentStart(c)) {
        let q = p + 1;
        for (;;) {
          const d = src[q];
          if (!isIdentPart(d)) break;
          if (d === 45 && src[q + 1] === 45) break;
          q++;
        }
        // A name never ends in a hyphen; `foo-` is `foo` then junk.
        while (src[q - 1] === 45) q--;
        this.pos = this.e = q;
        this.v = this.lite ? '' : this.word(p, q);
        return (this.t = TOK_IDENT);
      }
      if (isDigit(c) || (c === 45 && isDigit(src[p + 1]))) {
        let q = p + 1;
        while (isDigit(src[q])) q++;
        this.pos = this.e = q;
        this.v = this.lite ? '' : this.word(p, q);
        return (this.t = TOK_NUMBER);
      }
      if (c === 34) {
        let q = src.indexOf(34, p + 1);
        if (q < 0) q = n - 1;
        this.pos = this.e = q + 1;
        this.v = '';
        return (this.t = TOK_STRING);
      }
      if (c === 39) {
        const q = src.indexOf(39, p + 1);
        if (q > 0) {
          const kind = src[q + 1] | 32;
          const end = kind === 104 || kind === 98 ? q + 2 : q + 1;
          this.pos = this.e = end;
          this.v = src.toString('latin1', p, end);
          return (this.t = TOK_BINARY);
        }
      }
      if (c === 58 && src[p + 1] === 58 && src[p + 2] === 61) {
        this.pos = this.e = p + 3;
        this.v = '::=';
        return (this.t = TOK_PUNCT);
      }
      if (c === 46 && src[p + 1] === 46) {
        this.pos = this.e = src[p + 2] === 46 ? p + 3 : p + 2;
        this.v = '..';
        return (this.t = TOK_PUNCT);
      }
      // Underscore-led or other odd names still lex as one punct char so the parser can skip them.
      this.pos = this.e = p + 1;
      this.v = String.fromCharCode(c);
      return (this.t = TOK_PUNCT);
    }
  }

  /** The current string token's content, without quotes. */
  text(): string {
    return this.t === TOK_STRING ? this.src.toString('latin1', this.s + 1, this.e - 1) : this.v;
  }

  /** Saves the position for a peek; `restore` returns to it. */
  mark(): number {
    return this.s;
  }

  restore(at: number): void {
    this.pos = at;
    this.next();
  }

  /** 1-based line of an offset (computed only when reporting, never on the hot path). */
  lineAt(offset: number): number {
    let line = 1;
    const src = this.src;
    for (let i = src.indexOf(10); i >= 0 && i < offset; i = src.indexOf(10, i + 1)) line++;
    return line;
  }
}
