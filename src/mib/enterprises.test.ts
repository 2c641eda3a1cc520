import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { parseSystem } from '../collectors/snmp/profiles/system.ts';
import { compileSources } from './compile.ts';
import { dictionaryFromCompiled } from './dictionary.ts';
import {
  displayOrganization,
  ENTERPRISES,
  enterpriseName,
  enterpriseNumber,
  enterpriseRegistryFile,
  enterpriseRegistrySize,
  ianaOrganization,
  modelFromSysObjectId,
  parseEnterpriseRegistry,
  vendorFromSysObjectId,
} from './enterprises.ts';
import { builtinMibDir } from './load.ts';

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

test('numbers the short table lacks get IANA’s organization, tidied: the five a new user met', () => {
  assert.ok(enterpriseRegistrySize() > 60_000, 'the shipped registry copy loads');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.5089.1.2'), 'Clavister');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.4881.1.1.10.1.1'), 'Ruijie Networks');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.12124.1'), 'Isilon Ststems'); // sic: as IANA writes it
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.15983.1.1.4'), 'Meru Networks');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.35047.2.12'), 'Sangfor Technologies');
  assert.equal(ianaOrganization(35047), 'Sangfor Technologies Co.,Ltd.');
});

test('short display names win over IANA’s for the common vendors', () => {
  assert.equal(ianaOrganization(9), 'ciscoSystems');
  assert.equal(enterpriseName(9), 'Cisco');
  assert.equal(ianaOrganization(2636), 'Juniper Networks, Inc.');
  assert.equal(enterpriseName(2636), 'Juniper');
  assert.equal(enterpriseName(2), 'IBM');
  assert.equal(enterpriseName(318), 'APC');
  for (const [n, name] of Object.entries(ENTERPRISES)) assert.equal(enterpriseName(Number(n)), name);
});

test('a number IANA has not assigned, or lists as Reserved, names no vendor', () => {
  assert.equal(ianaOrganization(0), undefined, 'Reserved');
  assert.equal(ianaOrganization(4378), undefined, '---none---');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.2187.1'), undefined, 'Reserved');
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.99999999.1'), undefined);
  assert.equal(vendorFromSysObjectId('1.3.6.1.4.1.4294967295'), undefined);
  assert.equal(enterpriseName(-1), undefined);
});

test('legal forms are left out at the end only, whatever their case; the rest is kept as written', () => {
  const cases: [string, string][] = [
    ['Juniper Networks, Inc.', 'Juniper Networks'],
    ['LogMatrix Inc', 'LogMatrix'],
    ['Takaoka Electric Mfg. Co., Ltd.', 'Takaoka Electric Mfg.'],
    ['Sangfor Technologies Co.,Ltd.', 'Sangfor Technologies'],
    ['HUAWEI Technology Co.,Ltd', 'HUAWEI Technology'],
    ['Fujitsu Technology Solutions GmbH', 'Fujitsu Technology Solutions'],
    ['Telefonica Sistemas, S.A.', 'Telefonica Sistemas'],
    ['Microsoft Corporation', 'Microsoft'],
    ['American Power Conversion Corp.', 'American Power Conversion'],
    ['objectlab, llc', 'objectlab'],
    ['Clavister AB', 'Clavister'],
    ['Drägerwerk AG & Co. KGaA', 'Drägerwerk'],
    ['NETWIZ, Ltd.,', 'NETWIZ'],
    ['  Corning   Optical Communications ', 'Corning Optical Communications'],
    ['Hart Edwards Corporation, Inc.', 'Hart Edwards'],
    // Not at the end, or nothing would be left of the name: kept.
    ['Inc. Networks', 'Inc. Networks'],
    ['Corporate Systems Ltd', 'Corporate Systems'],
    ['Mitsui & Co., Ltd.', 'Mitsui & Co.'],
    ['Charleswood & Co.', 'Charleswood & Co.'],
    ['Meru Networks', 'Meru Networks'],
    ['Isilon Ststems', 'Isilon Ststems'],
    ['GmbH', 'GmbH'],
    ['IBM (https://w3.ibm.com/standards )', 'IBM (https://w3.ibm.com/standards )'],
  ];
  for (const [iana, shown] of cases) assert.equal(displayOrganization(iana), shown, iana);
});

test('the registry file: number left out when it follows the previous one; read lazily from src/ or dist/', () => {
  const r = parseEnterpriseRegistry(Buffer.from('1\tOne\n\tTwo\n7\tSeven, Inc.\n\tEight'));
  assert.deepEqual([...r.numbers], [1, 2, 7, 8]);
  assert.deepEqual(
    [...r.starts].map((at) =>
      r.text.toString('utf8', at, r.text.indexOf(10, at) < 0 ? undefined : r.text.indexOf(10, at)),
    ),
    ['One', 'Two', 'Seven, Inc.', 'Eight'],
  );
  assert.throws(() => parseEnterpriseRegistry(Buffer.from('5\tFive\n3\tThree\n')), /out of order/);
  const file = enterpriseRegistryFile();
  assert.ok(file?.endsWith(join('src', 'mib', 'data', 'enterprises.txt.gz')), file);
});

test('every number of the registry resolves to its organization (IANA’s, or the short name)', {
  skip: !existsSync(REGISTRY) && `${REGISTRY} not installed`,
}, (t) => {
  const shipped = parseEnterpriseRegistry(gunzipSync(readFileSync(enterpriseRegistryFile()!))).numbers;
  const last = shipped[shipped.length - 1];
  let checked = 0;
  let newer = 0;
  for (const line of readFileSync(REGISTRY, 'utf8').split('\n')) {
    const m = /^(\d+)[ \t]+([^\t]*)/.exec(line);
    if (!m) continue;
    const n = Number(m[1]);
    const registered = m[2].replace(/\s+/g, ' ').trim();
    if (/^(reserved|---none---)$/i.test(registered)) {
      assert.equal(vendorFromSysObjectId(`1.3.6.1.4.1.${n}`), undefined, `${n} ${registered}`);
      continue;
    }
    const ours = ianaOrganization(n);
    if (ours === undefined && n > last) {
      newer++; // assigned after the shipped copy was made
      continue;
    }
    assert.equal(ours, registered, `${n}`);
    assert.equal(vendorFromSysObjectId(`1.3.6.1.4.1.${n}.1`), ENTERPRISES[n] ?? displayOrganization(registered));
    checked++;
  }
  assert.ok(checked > 60_000, `${checked} numbers checked`);
  if (newer) t.diagnostic(`${newer} numbers newer than the shipped copy: run node scripts/build-enterprises.mjs`);
});

// A product MIB, and a later module on the search path naming one of its products otherwise (as netdisco's
// CISCO-PRODUCTS-MIB-CORRECTIONS does): snmptranslate names the OID after the later one.
const ACME_SMI = `ACME-SMI DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-IDENTITY, OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;
acme MODULE-IDENTITY
    LAST-UPDATED "202601010000Z" ORGANIZATION "Acme" CONTACT-INFO "noc@acme.example" DESCRIPTION "Acme."
    ::= { enterprises 99997 }
acmeProducts OBJECT-IDENTITY STATUS current DESCRIPTION "Products." ::= { acme 1 }
acmeModules OBJECT IDENTIFIER ::= { acme 2 }
acmeUptime OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "x" ::= { acme 3 }
END
`;
const ACME_PRODUCTS = `ACME-PRODUCTS-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY FROM SNMPv2-SMI acmeProducts, acmeModules FROM ACME-SMI;
acmeProductsMIB MODULE-IDENTITY
    LAST-UPDATED "202601010000Z" ORGANIZATION "Acme" CONTACT-INFO "noc@acme.example" DESCRIPTION "Products."
    ::= { acmeModules 1 }
acmeRouter100 OBJECT IDENTIFIER ::= { acmeProducts 100 }
acme5520WLC OBJECT IDENTIFIER ::= { acmeProducts 2170 }
END
`;
const ACME_CORRECTIONS = `ACME-PRODUCTS-MIB-CORRECTIONS DEFINITIONS ::= BEGIN
IMPORTS acmeProducts FROM ACME-SMI;
acme5520Wlc OBJECT IDENTIFIER ::= { acmeProducts 2170 }
END
`;

function acmeDictionary() {
  const smi = readFileSync(join(builtinMibDir(), 'SNMPv2-SMI.txt'), 'utf8');
  return dictionaryFromCompiled(
    compileSources([
      { file: 'SNMPv2-SMI.txt', text: smi },
      { file: 'ACME-PRODUCTS-MIB.my', text: ACME_PRODUCTS },
      { file: 'ACME-SMI.my', text: ACME_SMI },
      { file: 'ZZ-ACME-PRODUCTS-MIB-CORRECTIONS.my', text: ACME_CORRECTIONS },
    ]),
  );
}

test('model: the product MIB’s name for exactly the sysObjectID, none for branches, objects or unnamed OIDs', () => {
  const dict = acmeDictionary();
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.100', dict), 'acmeRouter100');
  assert.equal(modelFromSysObjectId('.1.3.6.1.4.1.99997.1.100', dict), 'acmeRouter100');
  // Two MIBs name it: the name snmptranslate shows (the module found last on the search path).
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.2170', dict), 'acme5520Wlc');
  assert.deepEqual(
    dict.namesAt('1.3.6.1.4.1.99997.1.2170').map((n) => `${n.module}::${n.name}`),
    ['ACME-PRODUCTS-MIB-CORRECTIONS::acme5520Wlc', 'ACME-PRODUCTS-MIB::acme5520WLC'],
  );
  for (const oid of [
    '1.3.6.1.4.1.99997', // the enterprise
    '1.3.6.1.4.1.99997.1', // acmeProducts
    '1.3.6.1.4.1.99997.2', // acmeModules
    '1.3.6.1.4.1.99997.2.1', // a module identity
    '1.3.6.1.4.1.99997.3', // an object
    '1.3.6.1.4.1.99997.1.101', // not named
    '1.3.6.1.4.1.99997.1.100.1', // below a product
    '1.3.6.1.2.1.1', // not under enterprises
    '',
    'not an oid',
  ])
    assert.equal(modelFromSysObjectId(oid, dict), undefined, oid);
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.100', undefined), undefined);
});

test('model with a plain MibDictionary: its name for the OID (translate), exact only', () => {
  const full = acmeDictionary();
  const plain = { translate: (oid: string) => full.translate(oid) };
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.100', plain), 'acmeRouter100');
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.100.1', plain), undefined);
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1', plain), undefined);
  assert.equal(modelFromSysObjectId('1.3.6.1.4.1.99997.1.101', plain), undefined);
});

test('the system profile sets the model when given the dictionary', () => {
  const dict = acmeDictionary();
  const varbinds = [
    { oid: '1.3.6.1.2.1.1.2.0', type: 'ObjectIdentifier', value: '1.3.6.1.4.1.99997.1.2170' },
    { oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'wlc1' },
  ];
  assert.deepEqual(parseSystem(varbinds, dict), {
    sysObjectID: '1.3.6.1.4.1.99997.1.2170',
    sysName: 'wlc1',
    model: 'acme5520Wlc',
  });
  assert.equal(parseSystem(varbinds).model, undefined);
  const cisco = [{ oid: '1.3.6.1.2.1.1.2.0', type: 'ObjectIdentifier', value: '1.3.6.1.4.1.9.1.1069' }];
  assert.deepEqual(parseSystem(cisco, dict), { sysObjectID: '1.3.6.1.4.1.9.1.1069', vendor: 'Cisco' });
});
