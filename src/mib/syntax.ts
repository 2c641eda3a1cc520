import type { SyntaxSpec } from './ast.ts';
import type { Lexer } from './lexer.ts';

// Token types and accessors are local: cross-module bindings cost a getter call per use under some loaders.
const TOK_EOF = 0;
const TOK_IDENT = 1;
const TOK_NUMBER = 2;
const TOK_PUNCT = 5;
/** Read through functions so TypeScript does not narrow them across `next()`. */
const tt = (lx: Lexer): number => lx.t;
const vv = (lx: Lexer): string => lx.v;

/** A parse failure at a source offset; the caller turns the offset into a line. */
export class ParseError extends Error {
  readonly at: number;
  constructor(at: number, reason: string) {
    super(reason);
    this.at = at;
  }
}

/** Describes the current token for error messages. */
export function describe(lx: Lexer): string {
  if (tt(lx) === TOK_EOF) return 'end of file';
  return `"${lx.src.slice(lx.s, Math.min(lx.e, lx.s + 40))}"`;
}

/** Skips a balanced `{…}`, `(…)` or `[…]` group; the current token is the opener. Leaves the token after the closer current. */
export function skipBalanced(lx: Lexer): void {
  let depth = 0;
  const start = lx.s;
  const wasLite = lx.lite;
  lx.lite = true;
  do {
    if (tt(lx) === TOK_EOF) {
      lx.lite = wasLite;
      throw new ParseError(start, 'unbalanced brackets');
    }
    if (tt(lx) === TOK_PUNCT) {
      const v = vv(lx);
      if (v === '{' || v === '(' || v === '[') depth++;
      else if (v === '}' || v === ')' || v === ']') depth--;
    }
    // The token after the closer is the caller's: lex it in full.
    if (depth === 0) lx.lite = wasLite;
    lx.next();
  } while (depth > 0);
  lx.lite = wasLite;
}

/** Reads `{ a(1), b(2), }` (trailing commas and missing commas tolerated). Current token is `{`. */
export function parseNamedNumbers(lx: Lexer): [string, number][] {
  const out: [string, number][] = [];
  lx.next();
  while (tt(lx) !== TOK_EOF && !(tt(lx) === TOK_PUNCT && vv(lx) === '}')) {
    if (tt(lx) === TOK_IDENT) {
      const name = vv(lx);
      lx.next();
      if (tt(lx) === TOK_PUNCT && vv(lx) === '(') {
        lx.next();
        if (tt(lx) === TOK_NUMBER) out.push([name, Number(vv(lx))]);
        while (tt(lx) !== TOK_EOF && !(tt(lx) === TOK_PUNCT && (vv(lx) === ')' || vv(lx) === '}'))) lx.next();
        if (vv(lx) === ')') lx.next();
      }
      continue;
    }
    lx.next();
  }
  if (tt(lx) === TOK_EOF) throw new ParseError(lx.s, 'unterminated enumeration');
  lx.next();
  return out;
}

/** Reads a `( … )` constraint into range/size text. Current token is `(`. */
function parseConstraint(lx: Lexer, spec: SyntaxSpec): void {
  let depth = 0;
  let text = '';
  let size = false;
  const start = lx.s;
  do {
    if (tt(lx) === TOK_EOF) throw new ParseError(start, 'unterminated constraint');
    const v = vv(lx);
    if (tt(lx) === TOK_PUNCT && v === '(') {
      depth++;
    } else if (tt(lx) === TOK_PUNCT && v === ')') {
      depth--;
    } else if (tt(lx) === TOK_IDENT && v === 'SIZE') {
      size = true;
    } else if (tt(lx) === TOK_PUNCT && v === '|') {
      text += ' | ';
    } else {
      text += v;
    }
    lx.next();
  } while (depth > 0);
  if (size) spec.size = text;
  else spec.range = text;
}

const BASE_WORDS = new Set([
  'INTEGER',
  'BITS',
  'Integer32',
  'Unsigned32',
  'Gauge32',
  'Counter32',
  'Counter64',
  'TimeTicks',
  'IpAddress',
  'Opaque',
  'Counter',
  'Gauge',
  'NetworkAddress',
]);

/** Parses a SYNTAX value. Current token is its first token; leaves the token after it current. */
export function parseSyntax(lx: Lexer): SyntaxSpec {
  return lx.internSpec(parseSyntaxSpec(lx));
}

function parseSyntaxSpec(lx: Lexer): SyntaxSpec {
  // `[APPLICATION 1] IMPLICIT INTEGER (…)` as in the SMI modules themselves.
  if (tt(lx) === TOK_PUNCT && vv(lx) === '[') skipBalanced(lx);
  if (tt(lx) === TOK_IDENT && (vv(lx) === 'IMPLICIT' || vv(lx) === 'EXPLICIT')) lx.next();
  if (tt(lx) !== TOK_IDENT) throw new ParseError(lx.s, `expected a type, found ${describe(lx)}`);
  let spec: SyntaxSpec;
  const word = vv(lx);
  if (word === 'OCTET') {
    lx.next();
    if (tt(lx) === TOK_IDENT && vv(lx) === 'STRING') lx.next();
    spec = { type: 'OCTET STRING' };
  } else if (word === 'OBJECT') {
    lx.next();
    if (tt(lx) === TOK_IDENT && vv(lx) === 'IDENTIFIER') lx.next();
    spec = { type: 'OBJECT IDENTIFIER' };
  } else if (word === 'SEQUENCE') {
    lx.next();
    if (tt(lx) === TOK_IDENT && vv(lx) === 'OF') {
      lx.next();
      spec = { type: 'SEQUENCE OF', of: tt(lx) === TOK_IDENT ? vv(lx) : undefined };
      if (tt(lx) === TOK_IDENT) lx.next();
      return spec;
    }
    if (tt(lx) === TOK_PUNCT && vv(lx) === '{') skipBalanced(lx);
    return { type: 'SEQUENCE' };
  } else if (word === 'CHOICE') {
    lx.next();
    if (tt(lx) === TOK_PUNCT && vv(lx) === '{') skipBalanced(lx);
    return { type: 'CHOICE' };
  } else {
    spec = { type: word };
    lx.next();
    // A module-qualified reference `SNMPv2-TC.DisplayString` is rare but legal.
    if (tt(lx) === TOK_PUNCT && vv(lx) === '.' && !BASE_WORDS.has(word)) {
      lx.next();
      if (tt(lx) === TOK_IDENT) {
        spec.type = vv(lx);
        lx.next();
      }
    }
  }
  if (tt(lx) === TOK_PUNCT && vv(lx) === '{') spec.enums = parseNamedNumbers(lx);
  if (tt(lx) === TOK_PUNCT && vv(lx) === '(') parseConstraint(lx, spec);
  return spec;
}
