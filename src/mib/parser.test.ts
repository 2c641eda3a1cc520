import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSources } from './compile.ts';
import { dictionaryFromCompiled } from './dictionary.ts';
import { Lexer, TOK_EOF } from './lexer.ts';
import { parseMibText } from './parser.ts';

const tokens = (src: string): string[] => {
  const lx = new Lexer(src);
  const out: string[] = [];
  while (lx.next() !== TOK_EOF) out.push(lx.t === 3 ? `"${lx.text()}"` : lx.v);
  return out;
};

test('lexer: comments end at -- or end of line; rules of dashes are comments', () => {
  assert.deepEqual(tokens('a -- comment -- b\nc -- to eol\nd'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(tokens('x\n-----\ny\n---------------------------------\nz'), ['x', 'y', 'z']);
  assert.deepEqual(tokens('foo_bar ::= { iso 3 } -1 1..10'), [
    'foo_bar',
    '::=',
    '{',
    'iso',
    '3',
    '}',
    '-1',
    '1',
    '..',
    '10',
  ]);
  assert.deepEqual(tokens('"multi\nline" \'0A\'H'), ['"multi\nline"', "'0A'H"]);
});

const VENDOR = `
-- a vendor file with the usual mistakes
ACME-MIB DEFINITIONS ::= BEGIN
IMPORTS
    enterprises, OBJECT-TYPE, Integer32 FROM SNMPv2-SMI
    DisplayString FROM SNMPv2-SMI      -- wrong module: DisplayString lives in SNMPv2-TC
    MacAddress FROM SNMPv2-TC
    TRAP-TYPE FROM RFC-1215;

acme OBJECT IDENTIFIER ::= { enterprises 99999 }
acme_objects OBJECT IDENTIFIER ::= { acme 1 }

AcmeLevel ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "d-2"
    STATUS current
    DESCRIPTION "Hundredths."
    SYNTAX Integer32

acmeTable OBJECT-TYPE
    SYNTAX SEQUENCE OF AcmeEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "A table."
    ::= { acme_objects 1 }

acmeEntry OBJECT-TYPE
    SYNTAX AcmeEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "A row."
    INDEX { acmeIndex, IMPLIED acmeName }
    ::= { acmeTable 1 }

AcmeEntry ::= SEQUENCE { acmeIndex Integer32, acmeName DisplayString, acmeState INTEGER, acmeMac MacAddress, }

acmeIndex OBJECT-TYPE SYNTAX Integer32 (1..100) MAX-ACCESS not-accessible STATUS current DESCRIPTION "i" ::= { acmeEntry 1 }
acmeName OBJECT-TYPE SYNTAX DisplayString (SIZE (0..32)) MAX-ACCESS not-accessible STATUS current DESCRIPTION "n" ::= { acmeEntry 2 }
acmeState OBJECT-TYPE
    SYNTAX INTEGER { up(1), down(2), }   -- trailing comma
    UNITS "state"
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "s"
    ::= { acmeEntry 3 }
acmeMac OBJECT-TYPE SYNTAX MacAddress MAX-ACCESS read-only STATUS current DESCRIPTION "m" ::= { acmeEntry 4 }
acmeLevel OBJECT-TYPE SYNTAX AcmeLevel MAX-ACCESS read-only STATUS current DESCRIPTION "l" ::= { acme_objects 2 }

acmeAlarm TRAP-TYPE
    ENTERPRISE acme
    VARIABLES { acmeState }
    DESCRIPTION "An SMIv1 trap."
    ::= 7
END

ACME-TC DEFINITIONS ::= BEGIN
-- second module in the same file
acmeTcRoot OBJECT IDENTIFIER ::= { acme 2 }
END
`;

const SMI = `
SNMPv2-SMI DEFINITIONS ::= BEGIN
org OBJECT IDENTIFIER ::= { iso 3 }
dod OBJECT IDENTIFIER ::= { org 6 }
internet OBJECT IDENTIFIER ::= { dod 1 }
private OBJECT IDENTIFIER ::= { internet 4 }
enterprises OBJECT IDENTIFIER ::= { private 1 }
Integer32 ::= INTEGER (-2147483648..2147483647)
END
SNMPv2-TC DEFINITIONS ::= BEGIN
DisplayString ::= TEXTUAL-CONVENTION DISPLAY-HINT "255a" STATUS current DESCRIPTION "text" SYNTAX OCTET STRING (SIZE (0..255))
MacAddress ::= TEXTUAL-CONVENTION DISPLAY-HINT "1x:" STATUS current DESCRIPTION "mac" SYNTAX OCTET STRING (SIZE (6))
END
`;

test('parser: vendor mistakes still parse; several modules per file', () => {
  const r = parseMibText(VENDOR, 'acme.my');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.modules.map((m) => m.name),
    ['ACME-MIB', 'ACME-TC'],
  );
  const entry = r.modules[0].defs.find((d) => d.name === 'acmeEntry');
  assert.deepEqual(entry?.index, [{ name: 'acmeIndex' }, { name: 'acmeName', implied: true }]);
  const state = r.modules[0].defs.find((d) => d.name === 'acmeState');
  assert.deepEqual(state?.syntax?.enums, [
    ['up', 1],
    ['down', 2],
  ]);
});

test('compile: imports from the wrong module are satisfied by well-known modules; traps sit at enterprise.0.n', () => {
  const c = compileSources([
    { file: 'smi.txt', text: SMI },
    { file: 'acme.my', text: VENDOR },
  ]);
  const dict = dictionaryFromCompiled(c);
  assert.equal(dict.resolve('ACME-MIB::acmeAlarm'), '1.3.6.1.4.1.99999.0.7');
  assert.equal(dict.translate('1.3.6.1.4.1.99999.0.7').full, 'ACME-MIB::acmeAlarm');
  assert.equal(dict.translate('1.3.6.1.4.1.99999.2').full, 'ACME-TC::acmeTcRoot');
  const name = dict.lookup('acmeName');
  assert.equal(name?.syntax?.tc, 'DisplayString');
  assert.equal(name?.syntax?.hint, '255a');
  // INDEX { acmeIndex, IMPLIED acmeName }: the string has no length sub-id.
  const t = dict.translate('1.3.6.1.4.1.99999.1.1.1.3.5.101.116.104.48');
  assert.equal(t.full, 'ACME-MIB::acmeState.5."eth0"');
  assert.deepEqual(t.index, [
    { name: 'acmeIndex', value: '5' },
    { name: 'acmeName', value: 'eth0' },
  ]);
  assert.equal(dict.resolve('ACME-MIB::acmeState.5."eth0"'), '1.3.6.1.4.1.99999.1.1.1.3.5.101.116.104.48');
  assert.equal(dict.formatValue('1.3.6.1.4.1.99999.1.1.1.3.5.101.116.104.48', 2), 'down(2) state');
  assert.equal(dict.formatValue('1.3.6.1.4.1.99999.1.1.1.4.1', '0011223344aa'), '00:11:22:33:44:aa');
  assert.equal(dict.formatValue('1.3.6.1.4.1.99999.1.2.0', 1234), '12.34');
  assert.equal(dict.lookup('acmeState')?.kind, 'column');
  assert.equal(dict.lookup('acmeEntry')?.kind, 'row');
  assert.equal(dict.lookup('acmeTable')?.kind, 'table');
});

test('a bad file fails alone, with file, line and reason', () => {
  const bad =
    'BAD-MIB DEFINITIONS ::= BEGIN\nbadRoot OBJECT IDENTIFIER ::= { enterprises 5 }\nbadObj OBJECT-TYPE\n  SYNTAX INTEGER\n  ::= { badRoot 1 ( }\nEND\n';
  const c = compileSources([
    { file: 'smi.txt', text: SMI },
    { file: 'bad.my', text: bad },
    { file: 'acme.my', text: VENDOR },
  ]);
  assert.equal(c.errors.length, 1);
  assert.equal(c.errors[0].file, 'bad.my');
  assert.equal(c.errors[0].module, 'BAD-MIB');
  assert.equal(c.errors[0].line, 5);
  assert.match(c.errors[0].reason, /unexpected "\(" in OID value of badObj/);
  const dict = dictionaryFromCompiled(c);
  assert.equal(dict.resolve('acmeAlarm'), '1.3.6.1.4.1.99999.0.7');
  // What parsed before the error is kept.
  assert.equal(dict.resolve('BAD-MIB::badRoot'), '1.3.6.1.4.1.5');
});

test('parser never throws on garbage', () => {
  for (const junk of [
    '',
    'DEFINITIONS',
    'X DEFINITIONS ::= BEGIN',
    'X DEFINITIONS ::= BEGIN a OBJECT-TYPE ::= {',
    '"unterminated',
    "'ab",
    'X DEFINITIONS ::= BEGIN IMPORTS a FROM',
    '{{{{',
  ]) {
    assert.doesNotThrow(() => compileSources([{ file: 'junk', text: junk }]));
  }
});

test('fuzz: truncated and mutated MIB text never throws (errors are reported per file)', async () => {
  const fc = (await import('fast-check')).default;
  const base = SMI + VENDOR;
  fc.assert(
    fc.property(
      fc.nat(base.length),
      fc.array(
        fc.tuple(
          fc.nat(base.length),
          fc.constantFrom('{', '}', '(', ')', '"', "'", '-', ':', ';', ',', ' ', '\n', 'END', '::=', 'x'),
        ),
        { maxLength: 8 },
      ),
      (cut, edits) => {
        let text = base.slice(0, cut);
        for (const [at, s] of edits) text = text.slice(0, at) + s + text.slice(at + 1);
        const c = compileSources([{ file: 'fuzz.my', text }]);
        for (const e of c.errors) assert.ok(e.line >= 1 && e.reason.length > 0);
      },
    ),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (text) => void compileSources([{ file: 'rand', text }])),
    { numRuns: 300 },
  );
});

test('SMIv1 INDEX clauses that name types (RFC 1212 §4.1.6), the two-word ones included, decode instances', () => {
  const v1 = `
OLD-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM RFC1155-SMI OBJECT-TYPE FROM RFC-1212;
old OBJECT IDENTIFIER ::= { enterprises 88888 }
oldTable OBJECT-TYPE SYNTAX SEQUENCE OF OldEntry ACCESS not-accessible STATUS mandatory ::= { old 1 }
oldEntry OBJECT-TYPE SYNTAX OldEntry ACCESS not-accessible STATUS mandatory INDEX { INTEGER, OCTET STRING } ::= { oldTable 1 }
OldEntry ::= SEQUENCE { oldValue INTEGER }
oldValue OBJECT-TYPE SYNTAX INTEGER ACCESS read-only STATUS mandatory ::= { oldEntry 1 }
oidTable OBJECT-TYPE SYNTAX SEQUENCE OF OidEntry ACCESS not-accessible STATUS mandatory ::= { old 2 }
oidEntry OBJECT-TYPE SYNTAX OidEntry ACCESS not-accessible STATUS mandatory INDEX { OBJECT IDENTIFIER, IpAddress } ::= { oidTable 1 }
OidEntry ::= SEQUENCE { oidValue INTEGER }
oidValue OBJECT-TYPE SYNTAX INTEGER ACCESS read-only STATUS mandatory ::= { oidEntry 1 }
END
`;
  const r = parseMibText(v1, 'old.mib');
  assert.deepEqual(r.modules[0].defs.find((d) => d.name === 'oldEntry')?.index, [
    { name: 'INTEGER' },
    { name: 'OCTET STRING' },
  ]);
  assert.deepEqual(r.modules[0].defs.find((d) => d.name === 'oidEntry')?.index, [
    { name: 'OBJECT IDENTIFIER' },
    { name: 'IpAddress' },
  ]);
  const c = compileSources([
    { file: 'smi.txt', text: SMI },
    { file: 'old.mib', text: v1 },
  ]);
  const dict = dictionaryFromCompiled(c);
  // oldValue.7."ab": INTEGER 7, then OCTET STRING with its length first.
  assert.equal(dict.translate('1.3.6.1.4.1.88888.1.1.1.7.2.97.98').full, 'OLD-MIB::oldValue.7."ab"');
  assert.equal(dict.translate('1.3.6.1.4.1.88888.2.1.1.3.1.3.6.127.0.0.1').full, 'OLD-MIB::oidValue.1.3.6.127.0.0.1');
});

test('an InetAddress index is read as its InetAddressType says: dns names stay text even when 4 bytes long', () => {
  const inet = `
INET-TEST-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, Integer32 FROM SNMPv2-SMI TEXTUAL-CONVENTION FROM SNMPv2-TC;
InetAddressType ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION "t" SYNTAX INTEGER { unknown(0), ipv4(1), ipv6(2), dns(16) }
InetAddress ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION "a" SYNTAX OCTET STRING (SIZE (0..255))
peers OBJECT IDENTIFIER ::= { enterprises 77777 }
peerTable OBJECT-TYPE SYNTAX SEQUENCE OF PeerEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "t" ::= { peers 1 }
peerEntry OBJECT-TYPE SYNTAX PeerEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "r" INDEX { peerAddrType, peerAddr } ::= { peerTable 1 }
PeerEntry ::= SEQUENCE { peerAddrType InetAddressType, peerAddr InetAddress, peerState Integer32 }
peerAddrType OBJECT-TYPE SYNTAX InetAddressType MAX-ACCESS not-accessible STATUS current DESCRIPTION "t" ::= { peerEntry 1 }
peerAddr OBJECT-TYPE SYNTAX InetAddress MAX-ACCESS not-accessible STATUS current DESCRIPTION "a" ::= { peerEntry 2 }
peerState OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "s" ::= { peerEntry 3 }
END
`;
  const c = compileSources([
    { file: 'smi.txt', text: SMI },
    { file: 'inet.mib', text: inet },
  ]);
  const dict = dictionaryFromCompiled(c);
  const col = '1.3.6.1.4.1.77777.1.1.3';
  assert.equal(dict.translate(`${col}.1.4.10.0.0.1`).full, 'INET-TEST-MIB::peerState.ipv4."10.0.0.1"');
  assert.equal(
    dict.translate(`${col}.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1`).full,
    'INET-TEST-MIB::peerState.ipv6."2001:db8::1"',
  );
  assert.equal(dict.translate(`${col}.16.4.97.46.98.99`).full, 'INET-TEST-MIB::peerState.dns."a.bc"');
  assert.equal(dict.resolve('INET-TEST-MIB::peerState.ipv4."10.0.0.1"'), `${col}.1.4.10.0.0.1`);
});
