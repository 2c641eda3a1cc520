import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { ENTERPRISES, enterpriseNumber, vendorFromSysObjectId } from './enterprises.ts';

test('vendorFromSysObjectId: vectors', () => {
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.9.1.617'), 'Cisco');
  assert.equal(vendorFromSysObjectId('.1.3.6.1.4.1.2636.1.1.1.2.21'), 'Juniper');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.30065'), 'Arista');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.99999999.1'), undefined);
  assert.equal(vendorFromSysObjectId('1.3.6.1.2.1.1'), undefined);
  assert.equal(vendorFromSysObjectId(''), undefined);
  assert.equal(vendorFromSysObjectId(undefined), undefined);
  assert.equal(enterpriseNumber('1.3.6.1.4.1.318.1.3.4.6'), 318);
});

test('the table covers at least 60 vendors, with non-empty names', () => {
  assert.ok(Object.keys(ENTERPRISES).length >= 60);
  for (const [n, name] of Object.entries(ENTERPRISES)) assert.ok(Number.isInteger(Number(n)) && name.trim(), n);
});

/** Debian's copy of the IANA registry (libwireshark-data), when installed; the test suite's installer adds it. */
const REGISTRY = '/usr/share/wireshark/enterprises.tsv';

test('every number is the one IANA assigned to that vendor (or to a company it bought)', {
  skip: !existsSync(REGISTRY) && `${REGISTRY} not installed`,
}, () => {
  const iana = new Map<number, string>();
  for (const line of readFileSync(REGISTRY, 'utf8').split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (m) iana.set(Number(m[1]), m[2]);
  }
  assert.ok(iana.size > 50_000, 'the registry');
  const words = (s: string) =>
    s
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 2);
  for (const [n, name] of Object.entries(ENTERPRISES)) {
    const registered = iana.get(Number(n));
    assert.ok(registered, `${n} ${name}: not in the registry`);
    // A word of the display name starts a word of the registry's entry (its "formerly" notes included), or is its initials.
    const theirs = words(registered);
    const initials = theirs.map((w) => w[0]).join('');
    const ours = words(name);
    assert.ok(
      ours.some((w) => theirs.some((t) => t.startsWith(w)) || initials.includes(w)),
      `${n}: "${name}" against IANA's "${registered}"`,
    );
  }
});
