import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldCase, regexProblem, safeRegExp } from './safe-regex.ts';

test('rule patterns run in linear time: a catastrophic pattern answers at once, and what needs backtracking is refused', () => {
  // With backtracking, these two calls would not return for hours.
  assert.equal(safeRegExp('^(\\w+\\s?)*$').test('a'.repeat(30) + '!'), false);
  assert.equal(safeRegExp('(a+)+$', 'i').test('A'.repeat(40) + '!'), false);
  assert.match(regexProblem('(\\w)\\1') ?? '', /linear time.*backreferences/);
  // Lookahead on every Node; lookbehind runs linearly from Node 22 and is refused on 20.
  assert.match(regexProblem('x(?=y)') ?? '', /lookahead and lookbehind/);
  assert.match(regexProblem('(') ?? '', /Invalid regular expression/);
  assert.equal(regexProblem('Failed password for (?<user>\\S+) from (?<ip>[\\d.]+)', 'i'), undefined);
});

test('the i flag written out matches as the native i flag does', () => {
  const patterns = [
    'failed password for (?<User>\\S+)',
    '%link-3-updown: interface (?<if>[^,]+), changed state to (?<state>down|up)',
    '^[a-f0-9]{2}(:[a-f0-9]{2}){5}$',
    '[^a-z]+end',
    'caf\u00e9 \\bmenu\\b',
    '\\x41\\u0042[\\]x]c',
    'user=(?<name>[A-Za-z_][\\w.-]*)',
  ];
  const inputs = [
    'Failed password for ROOT from 127.0.0.1',
    'FAILED PASSWORD FOR admin',
    '%LINK-3-UPDOWN: Interface Gi0/1, changed state to DOWN',
    '0A:1b:2C:3d:4E:5f',
    '0a:1b:2c:3d:4e:5g',
    '123 END',
    'abc end',
    'CAF\u00c9 MENU',
    'Caf\u00e9 menus',
    'AB]C',
    'abxc',
    'USER=Bob.Smith',
    'user=9bob',
  ];
  assert.equal(foldCase('a[b-d]\\w(?<Name>x)'), '[aA][b-dB-D]\\w(?<Name>[xX])');
  for (const p of patterns) {
    const native = new RegExp(p, 'i');
    const safe = safeRegExp(p, 'i');
    for (const s of inputs)
      assert.deepEqual(safe.exec(s)?.groups ?? safe.test(s), native.exec(s)?.groups ?? native.test(s), `${p} on ${s}`);
  }
});
