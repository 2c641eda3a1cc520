import type { DefKind, MibError, OidDef, ParsedModule, SyntaxSpec, TypeDef } from './ast.ts';
import { Lexer } from './lexer.ts';

// Token types and accessors are local: cross-module bindings cost a getter call per use under some loaders.
const TOK_BINARY = 4;
const TOK_EOF = 0;
const TOK_IDENT = 1;
const TOK_NUMBER = 2;
const TOK_PUNCT = 5;
const TOK_STRING = 3;
/** Read through functions so TypeScript does not narrow them across `next()`. */
const tt = (lx: Lexer): number => lx.t;
const vv = (lx: Lexer): string => lx.v;
import { ParseError, describe, parseSyntax, skipBalanced } from './syntax.ts';

/** Macros whose value is an OID, and the kind of node they make. */
const OID_MACROS: Record<string, DefKind> = {
  'OBJECT-TYPE': 'object',
  'OBJECT-IDENTITY': 'identity',
  'MODULE-IDENTITY': 'module',
  'NOTIFICATION-TYPE': 'notification',
  'OBJECT-GROUP': 'group',
  'NOTIFICATION-GROUP': 'group',
  'MODULE-COMPLIANCE': 'compliance',
  'AGENT-CAPABILITIES': 'capabilities',
};
/** Kinds whose clauses we do not need: their bodies are skipped up to `::=`. */
const SKIP_BODY = new Set<DefKind>(['group', 'compliance', 'capabilities']);
const STRING_CLAUSES = new Set([
  'DESCRIPTION',
  'REFERENCE',
  'UNITS',
  'DISPLAY-HINT',
  'LAST-UPDATED',
  'ORGANIZATION',
  'CONTACT-INFO',
  'REVISION',
]);

export interface ParseResult {
  modules: ParsedModule[];
  errors: MibError[];
}

const isPunct = (lx: Lexer, v: string): boolean => tt(lx) === TOK_PUNCT && vv(lx) === v;

function expectPunct(lx: Lexer, v: string, what: string): void {
  if (!isPunct(lx, v)) throw new ParseError(lx.s, `expected "${v}" ${what}, found ${describe(lx)}`);
  lx.next();
}

/** Reads `{ name, IMPLIED name, … }` into names; current token is `{`. */
function parseNameList(lx: Lexer): { name: string; implied?: boolean }[] {
  expectPunct(lx, '{', 'to open a list');
  const out: { name: string; implied?: boolean }[] = [];
  let implied = false;
  while (tt(lx) !== TOK_EOF && !isPunct(lx, '}')) {
    if (tt(lx) === TOK_IDENT) {
      const word = vv(lx);
      const prev = out[out.length - 1];
      if (word === 'IMPLIED') implied = true;
      // SMIv1 may name a type in INDEX (RFC 1212 §4.1.6): the two-word ones arrive as two identifiers.
      else if (
        prev &&
        ((prev.name === 'OCTET' && word === 'STRING') || (prev.name === 'OBJECT' && word === 'IDENTIFIER'))
      )
        prev.name += ` ${word}`;
      else {
        out.push(implied ? { name: word, implied } : { name: word });
        implied = false;
      }
    }
    lx.next();
  }
  if (tt(lx) === TOK_EOF) throw new ParseError(lx.s, 'unterminated list');
  lx.next();
  return out;
}

/** A sub-identifier token as OID text (no leading zeros). */
const arc = (v: string): string => (v.length > 1 && v.charCodeAt(0) === 48 ? String(Number(v)) : v);
const join = (a: string, b: string): string => (a === '' ? b : `${a}.${b}`);

/** Reads an OID value `{ parent 1 named(2) 3 }` into defs (named intermediate components become implicit nodes). */
function parseOidValue(lx: Lexer, name: string, at: number, kind: DefKind, out: OidDef[]): OidDef {
  expectPunct(lx, '{', 'to open an OID value');
  let parent = '';
  let sub = '';
  while (tt(lx) !== TOK_EOF && !isPunct(lx, '}')) {
    if (tt(lx) === TOK_IDENT) {
      const label = vv(lx);
      const labelAt = lx.s;
      lx.next();
      if (isPunct(lx, '(')) {
        lx.next();
        if (tt(lx) !== TOK_NUMBER) throw new ParseError(lx.s, `expected a number in ${label}(…)`);
        const n = arc(vv(lx));
        lx.next();
        expectPunct(lx, ')', `after ${label}(${n}`);
        // `org(3)` names an intermediate node; `iso(1)` first anchors a root numerically.
        out.push({ name: label, parent, sub: join(sub, n), kind: 'node', at: labelAt, implicit: true });
        parent = label;
        sub = '';
        continue;
      }
      if (parent !== '' || sub !== '')
        throw new ParseError(labelAt, `unexpected name "${label}" inside OID value of ${name}`);
      parent = label;
      continue;
    }
    if (tt(lx) === TOK_NUMBER) {
      sub = join(sub, arc(vv(lx)));
      lx.next();
      continue;
    }
    if (isPunct(lx, ',') || isPunct(lx, '.')) {
      lx.next();
      continue;
    }
    throw new ParseError(lx.s, `unexpected ${describe(lx)} in OID value of ${name}`);
  }
  if (tt(lx) === TOK_EOF) throw new ParseError(lx.s, `unterminated OID value of ${name}`);
  lx.next();
  const last = out[out.length - 1];
  if (sub === '' && last?.implicit && last.name === parent) {
    // `{ … jobmonMIB(1) }` ending in a named number: that number places this very definition.
    parent = last.parent;
    sub = last.sub;
    if (last.name === name) out.pop();
  }
  const def: OidDef = { name, parent, sub, kind, at };
  out.push(def);
  return def;
}

/** Reads macro clauses up to `::=` (left current) into the def. */
function parseClauses(lx: Lexer, def: OidDef | TypeDef, skip: boolean): void {
  let lastRevision: string | undefined;
  const d = def as OidDef & TypeDef;
  if (skip) {
    // Group, compliance and capability bodies: only their `::=` matters.
    lx.lite = true;
    while (tt(lx) !== TOK_EOF && !isPunct(lx, '::=')) lx.next();
    lx.lite = false;
    return;
  }
  while (tt(lx) !== TOK_EOF && !isPunct(lx, '::=')) {
    if (tt(lx) !== TOK_IDENT) {
      if (tt(lx) === TOK_PUNCT && (vv(lx) === '{' || vv(lx) === '(')) skipBalanced(lx);
      else lx.next();
      continue;
    }
    const clause = vv(lx);
    lx.next();
    if (STRING_CLAUSES.has(clause)) {
      if (tt(lx) !== TOK_STRING) continue; // vendor files sometimes leave a clause empty
      const text = lx.text();
      lx.next();
      if (clause === 'DESCRIPTION') {
        if (lastRevision !== undefined) {
          (d.revisions ??= []).push({ date: lastRevision, description: text });
          lastRevision = undefined;
        } else d.description = text;
      } else if (clause === 'REVISION') lastRevision = text;
      else if (clause === 'UNITS') d.units = text;
      else if (clause === 'DISPLAY-HINT') d.hint = text;
      else if (clause === 'LAST-UPDATED') d.lastUpdated = text;
      continue;
    }
    switch (clause) {
      case 'SYNTAX':
        d.syntax = parseSyntax(lx);
        break;
      case 'WRITE-SYNTAX':
        parseSyntax(lx);
        break;
      case 'MAX-ACCESS':
      case 'ACCESS':
      case 'MIN-ACCESS':
        if (tt(lx) === TOK_IDENT) {
          d.access = vv(lx);
          lx.next();
        }
        break;
      case 'STATUS':
        if (tt(lx) === TOK_IDENT) {
          d.status = vv(lx);
          lx.next();
        }
        break;
      case 'INDEX':
        if (isPunct(lx, '{')) d.index = parseNameList(lx);
        break;
      case 'AUGMENTS':
        if (isPunct(lx, '{')) d.augments = parseNameList(lx)[0]?.name;
        break;
      case 'OBJECTS':
      case 'VARIABLES':
        if (isPunct(lx, '{')) d.objects = parseNameList(lx).map((x) => x.name);
        break;
      case 'ENTERPRISE':
        if (tt(lx) === TOK_IDENT) {
          d.parent = vv(lx);
          lx.next();
        } else if (isPunct(lx, '{')) {
          const tmp: OidDef[] = [];
          const e = parseOidValue(lx, d.name, lx.s, 'node', tmp);
          d.parent = e.parent;
          d.sub = e.sub;
        }
        break;
      default:
        // DEFVAL and anything unknown: skip its value.
        if (isPunct(lx, '{') || isPunct(lx, '(')) skipBalanced(lx);
    }
  }
}

/** Reads `IMPORTS … ;`; tolerates a missing `;` before the first definition. */
function parseImports(lx: Lexer, imports: Map<string, string>): void {
  let pending: string[] = [];
  lx.next();
  while (tt(lx) !== TOK_EOF) {
    if (isPunct(lx, ';')) {
      lx.next();
      return;
    }
    if (tt(lx) === TOK_IDENT && vv(lx) === 'FROM') {
      lx.next();
      if (tt(lx) !== TOK_IDENT) throw new ParseError(lx.s, `expected a module name after FROM, found ${describe(lx)}`);
      for (const sym of pending) imports.set(sym, vv(lx));
      pending = [];
      lx.next();
      // `FROM Mod { iso … }` (ASN.1 module OID) — skip it.
      if (isPunct(lx, '{')) skipBalanced(lx);
      if (tt(lx) === TOK_IDENT) {
        const at = lx.mark();
        lx.next();
        const after = tt(lx) === TOK_IDENT ? vv(lx) : tt(lx) === TOK_PUNCT ? vv(lx) : '';
        const ended =
          after === '::=' ||
          after === 'OBJECT' ||
          after in OID_MACROS ||
          after === 'TRAP-TYPE' ||
          after === 'MACRO' ||
          after === 'TEXTUAL-CONVENTION';
        lx.restore(at);
        if (ended) return;
      }
      continue;
    }
    if (tt(lx) === TOK_IDENT) pending.push(vv(lx));
    else if (tt(lx) !== TOK_PUNCT || vv(lx) !== ',')
      throw new ParseError(lx.s, `unexpected ${describe(lx)} in IMPORTS`);
    lx.next();
  }
  throw new ParseError(lx.s, 'unterminated IMPORTS');
}

/** Parses one definition starting at the name (current token). */
function parseDefinition(lx: Lexer, mod: ParsedModule): void {
  const name = vv(lx);
  const at = lx.s;
  lx.next();
  if (tt(lx) === TOK_IDENT) {
    const word = vv(lx);
    if (word === 'MACRO') {
      while (tt(lx) !== TOK_EOF && !(tt(lx) === TOK_IDENT && vv(lx) === 'END')) lx.next();
      lx.next();
      return;
    }
    if (word === 'OBJECT') {
      lx.next();
      if (tt(lx) === TOK_IDENT && vv(lx) === 'IDENTIFIER') lx.next();
      expectPunct(lx, '::=', `after ${name} OBJECT IDENTIFIER`);
      parseOidValue(lx, name, at, 'node', mod.defs);
      return;
    }
    if (word === 'TRAP-TYPE') {
      lx.next();
      const def: OidDef = { name, parent: '', sub: '', kind: 'trap', at };
      parseClauses(lx, def, false);
      expectPunct(lx, '::=', `in TRAP-TYPE ${name}`);
      if (tt(lx) !== TOK_NUMBER)
        throw new ParseError(lx.s, `expected the trap number of ${name}, found ${describe(lx)}`);
      // RFC 3584: the v2 trap OID is enterprise.0.specific.
      def.sub = join(def.sub, `0.${arc(vv(lx))}`);
      lx.next();
      if (!def.parent) throw new ParseError(at, `TRAP-TYPE ${name} has no ENTERPRISE`);
      mod.defs.push(def);
      return;
    }
    const kind = OID_MACROS[word];
    if (kind) {
      lx.next();
      const def: OidDef = { name, parent: '', sub: '', kind, at };
      parseClauses(lx, def, SKIP_BODY.has(kind));
      expectPunct(lx, '::=', `in ${word} ${name}`);
      const placed = parseOidValue(lx, name, at, kind, mod.defs);
      Object.assign(placed, { ...def, parent: placed.parent, sub: placed.sub });
      return;
    }
  }
  if (isPunct(lx, '::=')) {
    lx.next();
    if (tt(lx) === TOK_IDENT && vv(lx) === 'TEXTUAL-CONVENTION') {
      lx.next();
      const tc: TypeDef = { name, syntax: { type: 'OCTET STRING' }, tc: true };
      let sawSyntax = false;
      // A TC's SYNTAX is its last clause; parse clauses until it is read.
      while (tt(lx) === TOK_IDENT && !sawSyntax) {
        const clause = vv(lx);
        lx.next();
        if (clause === 'SYNTAX') {
          tc.syntax = parseSyntax(lx);
          sawSyntax = true;
        } else if (tt(lx) === TOK_STRING) {
          if (clause === 'DISPLAY-HINT') tc.hint = lx.text();
          else if (clause === 'DESCRIPTION') tc.description = lx.text();
          lx.next();
        } else if (clause === 'STATUS' && tt(lx) === TOK_IDENT) {
          tc.status = vv(lx);
          lx.next();
        }
      }
      if (!sawSyntax) throw new ParseError(at, `TEXTUAL-CONVENTION ${name} has no SYNTAX`);
      mod.types.set(name, tc);
      return;
    }
    if (isPunct(lx, '{')) {
      // `name ::= { … }` without a type: treat as an OID value (seen in vendor files).
      parseOidValue(lx, name, at, 'node', mod.defs);
      return;
    }
    mod.types.set(name, { name, syntax: parseSyntax(lx), tc: false });
    return;
  }
  // Unknown macro or a typed value (`x INTEGER ::= 3`): skip to `::=`, keep OID-shaped values.
  while (tt(lx) !== TOK_EOF && !isPunct(lx, '::=')) {
    if (tt(lx) === TOK_IDENT) {
      if (vv(lx) === 'END') return;
      // Stop before the next definition so a stray word never swallows it.
      const mark = lx.mark();
      lx.next();
      const after = tt(lx) === TOK_IDENT || tt(lx) === TOK_PUNCT ? vv(lx) : '';
      lx.restore(mark);
      if (after === 'OBJECT' || after === 'TRAP-TYPE' || after === 'MACRO' || after in OID_MACROS) return;
      lx.next();
    } else if (isPunct(lx, '{') || isPunct(lx, '(')) skipBalanced(lx);
    else lx.next();
  }
  lx.next();
  if (isPunct(lx, '{')) parseOidValue(lx, name, at, 'node', mod.defs);
  else if (tt(lx) === TOK_NUMBER || tt(lx) === TOK_IDENT || tt(lx) === TOK_STRING || tt(lx) === TOK_BINARY) lx.next();
}

/** Parses every module in a MIB file's text. Errors are per module; what parsed before an error is kept. */
export function parseMibText(
  text: Buffer | string,
  file: string,
  pool?: Map<string, string>,
  specs?: Map<string, SyntaxSpec>,
): ParseResult {
  const lx = new Lexer(text, pool, specs);
  const src = lx.src;
  const modules: ParsedModule[] = [];
  const errors: MibError[] = [];
  lx.next();
  while (tt(lx) !== TOK_EOF) {
    // Find `NAME DEFINITIONS … ::= BEGIN`.
    if (tt(lx) !== TOK_IDENT) {
      lx.next();
      continue;
    }
    const name = vv(lx);
    lx.next();
    if (isPunct(lx, '{')) skipBalanced(lx);
    if (!(tt(lx) === TOK_IDENT && vv(lx) === 'DEFINITIONS')) continue;
    while (tt(lx) !== TOK_EOF && !(tt(lx) === TOK_IDENT && vv(lx) === 'BEGIN')) lx.next();
    lx.next();
    const mod: ParsedModule = { name, file, imports: new Map(), defs: [], types: new Map() };
    modules.push(mod);
    try {
      while (tt(lx) !== TOK_EOF) {
        if (tt(lx) === TOK_IDENT) {
          const v = vv(lx);
          if (v === 'END') {
            lx.next();
            break;
          }
          if (v === 'IMPORTS') parseImports(lx, mod.imports);
          else if (v === 'EXPORTS') {
            while (tt(lx) !== TOK_EOF && !isPunct(lx, ';')) lx.next();
            lx.next();
          } else parseDefinition(lx, mod);
        } else if (tt(lx) === TOK_EOF) break;
        else lx.next();
      }
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      errors.push({ file, module: name, line: lx.lineAt(error.at), reason: error.message });
      // Resynchronise at the next module header, if the file holds more than one.
      const nextModule = src.indexOf(' DEFINITIONS', error.at + 1);
      if (nextModule < 0) break;
      const lineStart = src.lastIndexOf('\n', nextModule) + 1;
      lx.restore(lineStart);
    }
  }
  // Files without any module (READMEs, indexes) are not MIBs; only report those that look like one.
  if (!modules.length && src.includes('DEFINITIONS'))
    errors.push({ file, line: 1, reason: 'no module definition (NAME DEFINITIONS ::= BEGIN) found' });
  return { modules, errors };
}
