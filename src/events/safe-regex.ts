/**
 * Regular expressions written by operators (syslog rules, trap varbind conditions, name patterns), compiled for
 * V8's linear-time engine so that no line or value can make one backtrack for minutes: rules run on the thread
 * that receives everything, and one such match would stall every collector.
 *
 * The engine (V8's experimental "l" flag, present in Node 20 to 24) runs a pattern in time linear in its input, or
 * refuses it at compile time. It refuses backreferences, lookaround, the u flag and large counted repetitions: those
 * rules fail at load with a clear reason. It has no case-insensitive mode, so for the i flag the pattern is rewritten
 * with each letter's cases spelled out (`a` → `[aA]`, `[a-f]` → `[a-fA-F]`), which keeps the meaning for ASCII and
 * for letters whose cases are single characters.
 */
import v8 from 'node:v8';
import { z } from 'zod';

let linear: boolean | undefined;
/** Whether this V8 has the linear engine (enabled here, once). */
function linearEngine(): boolean {
  if (linear === undefined) {
    try {
      v8.setFlagsFromString('--enable-experimental-regexp-engine');
      // biome-ignore lint/complexity/useRegexLiterals: probes for the `l` flag, which a literal /a/l needs to parse
      new RegExp('a', 'l');
      linear = true;
    } catch {
      linear = false;
    }
  }
  return linear;
}

/** The other case of a character, when it has exactly one. */
function otherCase(ch: string): string | undefined {
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up || lo.length !== 1 || up.length !== 1) return undefined;
  return ch === lo ? up : lo;
}

const isAsciiLetter = (c: string) => /^[A-Za-z]$/.test(c);

/** Copies an escape sequence starting at `i` (the backslash); returns its end. */
function escapeEnd(src: string, i: number): number {
  const c = src[i + 1];
  if (c === undefined) return i + 1;
  if (c === 'k' && src[i + 2] === '<') return src.indexOf('>', i) + 1 || src.length;
  if ((c === 'p' || c === 'P' || c === 'u' || c === 'x') && src[i + 2] === '{')
    return src.indexOf('}', i) + 1 || src.length;
  if (c === 'u') return Math.min(src.length, i + 6);
  if (c === 'x') return Math.min(src.length, i + 4);
  if (c === 'c') return Math.min(src.length, i + 3);
  return i + 2;
}

/** For a `\\xHH` or `\\uHHHH` escape of a letter, its other case as an escape; else undefined. */
function escapedOtherCase(esc: string): string | undefined {
  const m = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))$/.exec(esc);
  if (!m) return undefined;
  const o = otherCase(String.fromCharCode(parseInt(m[1] ?? m[2], 16)));
  return o ? `\\u${o.charCodeAt(0).toString(16).padStart(4, '0')}` : undefined;
}

/** A character class `[...]` starting at `i` with each letter's other case added; returns it and its end. */
function foldClass(src: string, i: number): { text: string; end: number } {
  let j = i + 1;
  let out = '[';
  if (src[j] === '^') (out += '^'), j++;
  if (src[j] === ']') (out += '\\]'), j++;
  const extra: string[] = [];
  while (j < src.length && src[j] !== ']') {
    if (src[j] === '\\') {
      const e = escapeEnd(src, j);
      out += src.slice(j, e);
      const o = escapedOtherCase(src.slice(j, e));
      if (o) extra.push(o);
      j = e;
      continue;
    }
    const c = src[j];
    if (src[j + 1] === '-' && src[j + 2] !== undefined && src[j + 2] !== ']' && src[j + 2] !== '\\') {
      const to = src[j + 2];
      out += `${c}-${to}`;
      // A range of letters of one case gains the same range in the other case.
      if (isAsciiLetter(c) && isAsciiLetter(to) && (c === c.toLowerCase()) === (to === to.toLowerCase()))
        extra.push(`${otherCase(c)}-${otherCase(to)}`);
      j += 3;
      continue;
    }
    out += c;
    const o = otherCase(c);
    if (o) extra.push(o);
    j++;
  }
  return { text: out + extra.join('') + ']', end: j + 1 };
}

/** The pattern with the i flag's meaning written out, for an engine without it. */
export function foldCase(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const e = escapeEnd(src, i);
      const esc = src.slice(i, e);
      const o = escapedOtherCase(esc);
      out += o ? `[${esc}${o}]` : esc;
      i = e;
    } else if (c === '[') {
      const cls = foldClass(src, i);
      out += cls.text;
      i = cls.end;
    } else if (c === '(' && src[i + 1] === '?' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      // A named group: its name keeps its case.
      const e = src.indexOf('>', i) + 1 || src.length;
      out += src.slice(i, e);
      i = e;
    } else {
      const o = otherCase(c);
      out += o ? `[${c}${o}]` : c;
      i++;
    }
  }
  return out;
}

/**
 * Compiles an operator's pattern so that it runs in linear time; throws a SyntaxError naming the reason when it
 * is invalid or cannot be run that way. Flags g and y are dropped (rules test whole lines).
 * @example safeRegExp('Failed password for (?<user>\\S+)', 'i').exec(line)
 */
export function safeRegExp(src: string, flags = ''): RegExp {
  const plain = flags.replace(/[gy]/g, '');
  // Invalid patterns fail here with the engine's usual message.
  const native = new RegExp(src, plain);
  if (!linearEngine()) return native;
  const insensitive = plain.includes('i');
  try {
    return new RegExp(insensitive ? foldCase(src) : src, plain.replace('i', '') + 'l');
  } catch {
    throw new SyntaxError(
      `/${src}/${plain} cannot be guaranteed to run in linear time, so one line could stall every collector: ` +
        'leave out backreferences, lookahead and lookbehind, the u flag and repetition counts over about 100',
    );
  }
}

/** The reason a pattern is refused, or undefined when `safeRegExp` takes it. */
export function regexProblem(src: string, flags = ''): string | undefined {
  try {
    safeRegExp(src, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A rule's pattern in a config or API schema: refused with the reason when `safeRegExp` would refuse it. */
export const regexText = z
  .string()
  .min(1)
  .superRefine((src, ctx) => {
    const problem = regexProblem(src);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
