import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeSyslog } from '../collectors/syslog/decode.ts';
import { globMatcher } from './glob.ts';
import { compilePattern } from './select.ts';
import { evaluateSyslogRule, syslogRuleSchema } from './syslog-rules.ts';

/** What globs compiled to before: a backtracking regex (with `s`, so that `*` spans every character). */
const reference = (pattern: string) =>
  new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    'is',
  );

const PATHOLOGICAL = '*a*a*a*a*a*a*!';
const host60 = 'a'.repeat(60);

test('globMatcher: vectors', () => {
  const cases: [string, string, boolean][] = [
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['?', '', false],
    ['?', 'x', true],
    ['?', 'xy', false],
    ['Gi0/*', 'Gi0/1', true],
    ['Gi0/*', 'gi0/24', true],
    ['Gi0/*', 'Gi1/0', false],
    ['Te*', 'TenGigE0/0/0', true],
    ['10.0.0.*', '10.0.0.1', true],
    ['10.0.0.*', '10.0.1.1', false],
    ['10.0.0.?', '10.0.0.7', true],
    ['10.0.0.?', '10.0.0.17', false],
    ['*.example.net', 'edge-1.example.net', true],
    ['*.example.net', 'example.net', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['%OSPF-*', '%OSPF-5-ADJCHG', true],
    ['a.c', 'abc', false],
    ['(x)', '(x)', true],
    ['[ab]', 'a', false],
    ['[ab]', '[AB]', true],
    ['a+', 'aa', false],
    ['$^', '$^', true],
    ['\\d', '\\D', true],
    ['**', 'x', true],
    ['*?*', '', false],
    ['*?*', 'y', true],
    ['a*', 'A', true],
    ['ß', 'SS', false],
    ['k', 'K', true],
    ['k', '\u212a', false],
    [PATHOLOGICAL, host60, false],
    [PATHOLOGICAL, host60 + '!', true],
    [PATHOLOGICAL, 'a'.repeat(5) + '!', false],
    ['*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200), false],
  ];
  for (const [pattern, value, expected] of cases)
    assert.equal(globMatcher(pattern)(value), expected, `${pattern} ~ ${value}`);
});

test('globMatcher agrees with the regex it replaces (case-insensitive, * any run, ? one character)', () => {
  const alphabet = fc.constantFrom(
    'a',
    'A',
    'b',
    '.',
    '-',
    '/',
    'ß',
    'ſ',
    'S',
    's',
    'k',
    '\u212a',
    'İ',
    'i',
    '\n',
    '\ud83d',
    '\ude00',
  );
  const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((a) => a.join(''));
  const pattern = fc.array(fc.oneof(alphabet, fc.constantFrom('*', '?')), { maxLength: 8 }).map((a) => a.join(''));
  fc.assert(
    fc.property(pattern, text(12), (p, v) => globMatcher(p)(v) === reference(p).test(v)),
    { numRuns: 5000 },
  );
});

test('one syslog line with a 60-character host against the pathological host rule, and the same as a name pattern', () => {
  const rule = syslogRuleSchema.parse({ id: 'r', summary: 'x', host: PATHOLOGICAL });
  const line = (host: string) =>
    decodeSyslog(Buffer.from(`<13>Nov 25 10:00:00 ${host} app: hello`), {
      receivedTs: 0,
      sourceAddress: '10.0.0.1',
      transport: 'udp',
    });
  assert.equal(line(host60).hostname, host60);
  assert.equal(evaluateSyslogRule(rule, line(host60)), null);
  assert.notEqual(evaluateSyslogRule(rule, line(`${host60}!`)), null);
  assert.notEqual(
    evaluateSyslogRule(syslogRuleSchema.parse({ id: 'q', summary: 'x', host: '10.0.0.?' }), line(host60)),
    null,
    'the sender matches; ? is one character',
  );
  assert.equal(compilePattern(PATHOLOGICAL)(host60), false);
  assert.equal(compilePattern(PATHOLOGICAL)(`${host60}!`), true);
});
