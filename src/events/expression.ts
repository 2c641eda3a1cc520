/**
 * Correlation conditions: a tree of AND / OR / NOT / "at least N of" over named or inline leaves,
 * and a small parser for the text form `"A AND (B OR NOT C)"`, `"2 OF (A, B, C)"`.
 */
export type CondNode<L> =
  | { all: CondNode<L>[] }
  | { any: CondNode<L>[] }
  | { not: CondNode<L> }
  | { atLeast: number; of: CondNode<L>[] }
  | { ref: string }
  | L;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

type Token = { t: 'id' | 'num' | '(' | ')' | ',' | 'and' | 'or' | 'not' | 'of' | 'end'; v: string; pos: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\(|\)|,)|(&&|\|\||!)|(\d+)|([A-Za-z_][\w.-]*)|(\S))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    const pos = m.index + m[0].length - m[0].trimStart().length;
    if (m[1]) out.push({ t: m[1] as '(' | ')' | ',', v: m[1], pos });
    else if (m[2]) out.push({ t: m[2] === '&&' ? 'and' : m[2] === '||' ? 'or' : 'not', v: m[2], pos });
    else if (m[3]) out.push({ t: 'num', v: m[3], pos });
    else if (m[4]) {
      const w = m[4].toLowerCase();
      out.push({ t: w === 'and' || w === 'or' || w === 'not' || w === 'of' ? w : 'id', v: m[4], pos });
    } else if (m[5]) throw new ExpressionError(`unexpected character "${m[5]}" at ${pos + 1}`, pos);
    else break;
  }
  out.push({ t: 'end', v: 'end of expression', pos: text.length });
  return out;
}

/**
 * Parses the text form into a tree of `{ ref }` leaves; `names` are the defined condition names.
 * @example parseExpression('A AND NOT B', ['A', 'B']) // { all: [{ ref: 'A' }, { not: { ref: 'B' } }] }
 */
export function parseExpression(text: string, names: string[]): CondNode<never> {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (t: Token['t'], what: string) => {
    const tok = tokens[i];
    if (tok.t !== t) throw new ExpressionError(`expected ${what} at ${tok.pos + 1}, got "${tok.v}"`, tok.pos);
    i++;
    return tok;
  };
  function or(): CondNode<never> {
    const items = [and()];
    while (peek().t === 'or') {
      i++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { any: items };
  }
  function and(): CondNode<never> {
    const items = [not()];
    while (peek().t === 'and') {
      i++;
      items.push(not());
    }
    return items.length === 1 ? items[0] : { all: items };
  }
  function not(): CondNode<never> {
    if (peek().t === 'not') {
      i++;
      return { not: not() };
    }
    return primary();
  }
  function primary(): CondNode<never> {
    const tok = peek();
    if (tok.t === '(') {
      i++;
      const inner = or();
      expect(')', '")"');
      return inner;
    }
    if (tok.t === 'num') {
      i++;
      expect('of', '"OF"');
      expect('(', '"("');
      const of = [or()];
      while (peek().t === ',') {
        i++;
        of.push(or());
      }
      expect(')', '")"');
      const n = Number(tok.v);
      if (n < 1 || n > of.length)
        throw new ExpressionError(`"${n} OF" needs between 1 and ${of.length} at ${tok.pos + 1}`, tok.pos);
      return { atLeast: n, of };
    }
    if (tok.t === 'id') {
      i++;
      if (!names.includes(tok.v))
        throw new ExpressionError(
          `unknown condition "${tok.v}" at ${tok.pos + 1}${names.length ? ` (defined: ${names.join(', ')})` : ''}`,
          tok.pos,
        );
      return { ref: tok.v };
    }
    throw new ExpressionError(
      `expected a condition name, "(", "NOT" or "N OF" at ${tok.pos + 1}, got "${tok.v}"`,
      tok.pos,
    );
  }
  const tree = or();
  if (peek().t !== 'end') throw new ExpressionError(`unexpected "${peek().v}" at ${peek().pos + 1}`, peek().pos);
  return tree;
}
